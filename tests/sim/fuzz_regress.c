/*
 * A fuzz entry point (LLVMFuzzerTestOneInput, linked in) run over its seed
 * corpus (argv[1], one file per input) and over seeded random mutations of
 * it, deterministically: the normal build exercises every fuzz target on
 * each test run, with or without clang.  The entry point aborts when one of
 * its invariants breaks; the sanitizer build catches the rest.
 *
 *   fuzz_regress CORPUS_DIR [ROUNDS]
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fuzz_corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUTS 64
#define MAX_SIZE 8192

static const char *corpus_dir = "corpus";
static int rounds = 200;
static uint8_t *inputs[MAX_INPUTS];
static size_t sizes[MAX_INPUTS];
static int ninputs;

static void load_corpus(void)
{
    ninputs = fuzz_corpus_load(corpus_dir, inputs, sizes, MAX_INPUTS, MAX_SIZE);
}

static void corpus_runs_clean(void **state)
{
    (void)state;
    load_corpus();
    assert_true(ninputs >= 4);
    for (int i = 0; i < ninputs; i++)
        assert_int_equal(LLVMFuzzerTestOneInput(inputs[i], sizes[i]), 0);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* One random edit: flip a bit, set a syntax byte, insert, delete, splice
 * from another input.  The syntax bytes are those of the text formats the
 * targets read (trace lines, VCD, mode2, NMEA), plus the bytes outside
 * printable ASCII that parsers must refuse. */
static size_t mutate(uint8_t *b, size_t n)
{
    static const uint8_t special[] = "\n\r \t#$-.:=0123456789xzbpsr!\"*,AV\x7f\xff";
    size_t pos = n ? next() % n : 0;
    switch (next() % 5) {
    case 0:
        if (n)
            b[pos] ^= (uint8_t)(1u << (next() % 8));
        break;
    case 1:
        if (n)
            b[pos] = special[next() % (sizeof special - 1)];
        break;
    case 2:
        if (n < MAX_SIZE) {
            memmove(b + pos + 1, b + pos, n - pos);
            b[pos] = special[next() % (sizeof special - 1)];
            n++;
        }
        break;
    case 3:
        if (n) {
            size_t k = 1 + next() % 8;
            k = k > n - pos ? n - pos : k;
            memmove(b + pos, b + pos + k, n - pos - k);
            n -= k;
        }
        break;
    default: {
        int o = (int)(next() % (unsigned)ninputs);
        size_t k = sizes[o] < 64 ? sizes[o] : 64;
        if (n + k <= MAX_SIZE && sizes[o] > 0) {
            size_t from = next() % sizes[o];
            k = k > sizes[o] - from ? sizes[o] - from : k;
            memmove(b + pos + k, b + pos, n - pos);
            memcpy(b + pos, inputs[o] + from, k);
            n += k;
        }
    }
    }
    return n;
}

static void seeded_mutations_run_clean(void **state)
{
    (void)state;
    static uint8_t buf[MAX_SIZE];
    unsigned runs = 0;
    for (int round = 0; round < rounds; round++)
        for (int i = 0; i < ninputs; i++) {
            size_t n = sizes[i];
            memcpy(buf, inputs[i], n);
            int edits = 1 + (int)(next() % 8);
            for (int e = 0; e < edits; e++)
                n = mutate(buf, n);
            assert_int_equal(LLVMFuzzerTestOneInput(buf, n), 0);
            runs++;
        }
    printf("# %u mutated inputs\n", runs);
    assert_true(runs >= (unsigned)rounds * 4);
}

static void random_bytes_run_clean(void **state)
{
    (void)state;
    static uint8_t buf[MAX_SIZE];
    for (int round = 0; round < 100; round++) {
        size_t n = next() % 2048;
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)next();
        assert_int_equal(LLVMFuzzerTestOneInput(buf, n), 0);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        corpus_dir = argv[1];
    if (argc > 2)
        rounds = atoi(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_runs_clean),
        cmocka_unit_test(seeded_mutations_run_clean),
        cmocka_unit_test(random_bytes_run_clean),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    for (int i = 0; i < ninputs; i++)
        free(inputs[i]);
    return r;
}
