/*
 * The NEC fuzz entry point (fuzz_nec.c) over the seed corpus (corpus/,
 * written by make_corpus.py) and over seeded random mutations of it and
 * random records: deterministic, so CI exercises the fuzz target on every
 * run even without clang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../fuzz_corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern unsigned long nec_fuzz_checked;

#define MAX_INPUTS 64
#define MAX_SIZE 2048

static const char *corpus_dir = "corpus";
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
    assert_true(ninputs >= 10);
    for (int i = 0; i < ninputs; i++)
        assert_int_equal(LLVMFuzzerTestOneInput(inputs[i], sizes[i]), 0);
    /* every NEC frame and repeat in the corpus decoded and checked */
    printf("# corpus: %lu frames and repeats checked\n", nec_fuzz_checked);
    assert_int_equal(nec_fuzz_checked, 15);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Durations near the decoder's window edges, where mistakes would hide. */
static const uint16_t special[] = {
    50, 99, 100, 280, 281, 562, 843, 844, 1120, 1121, 1687, 2250, 2251,
    3000, 3001, 3900, 4200, 4201, 4500, 5625, 5626, 6749, 6750, 8000,
    9000, 11250, 11251, 13000, 0x7FFF};

static void put(uint8_t *b, size_t at, unsigned v)
{
    b[at] = (uint8_t)v;
    b[at + 1] = (uint8_t)(v >> 8);
}

/* One edit on whole records: set a duration to a window edge, nudge one,
 * flip the level bit, insert, delete, or splice from another input. */
static size_t mutate(uint8_t *b, size_t n)
{
    size_t recs = n > 1 ? (n - 1) / 2 : 0;
    size_t at = 1 + 2 * (recs ? next() % recs : 0);
    switch (next() % 6) {
    case 0:
        if (recs)
            put(b, at, special[next() % (sizeof special / sizeof special[0])]);
        break;
    case 1:
        if (recs)
            put(b, at, ((b[at] | b[at + 1] << 8) + next() % 401 - 200) & 0xFFFF);
        break;
    case 2:
        if (recs)
            b[at + 1] ^= 0x80;
        break;
    case 3:
        if (n + 2 <= MAX_SIZE && recs) {
            memmove(b + at + 2, b + at, n - at);
            put(b, at, special[next() % (sizeof special / sizeof special[0])]);
            n += 2;
        }
        break;
    case 4:
        if (recs) {
            memmove(b + at, b + at + 2, n - at - 2);
            n -= 2;
        }
        break;
    default: {
        int o = (int)(next() % (unsigned)ninputs);
        size_t orecs = sizes[o] > 1 ? (sizes[o] - 1) / 2 : 0;
        size_t k = 2 * (1 + next() % 16);
        if (orecs == 0 || n + k > MAX_SIZE || n < 1)
            break;
        size_t from = 1 + 2 * (next() % orecs);
        if (from + k > sizes[o])
            k = (sizes[o] - from) & ~(size_t)1;
        memmove(b + at + k, b + at, n - at);
        memcpy(b + at, inputs[o] + from, k);
        n += k;
    }
    }
    return n;
}

static void seeded_mutations_run_clean(void **state)
{
    (void)state;
    static uint8_t buf[MAX_SIZE];
    unsigned runs = 0;
    for (int round = 0; round < 150; round++)
        for (int i = 0; i < ninputs; i++) {
            size_t n = sizes[i];
            memcpy(buf, inputs[i], n);
            int edits = 1 + (int)(next() % 6);
            for (int e = 0; e < edits; e++)
                n = mutate(buf, n);
            assert_int_equal(LLVMFuzzerTestOneInput(buf, n), 0);
            runs++;
        }
    printf("# %u mutated inputs, %lu frames and repeats checked\n", runs,
           nec_fuzz_checked);
    assert_true(runs >= 150u * 10);
}

static void random_records_run_clean(void **state)
{
    (void)state;
    static uint8_t buf[MAX_SIZE];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + 2 * (next() % 300);
        buf[0] = (uint8_t)next();
        for (size_t i = 1; i + 1 < n; i += 2) {
            unsigned v = next() % 3 == 0
                             ? special[next() % (sizeof special /
                                                 sizeof special[0])]
                             : next() % 12000;
            put(buf, i, v);
        }
        assert_int_equal(LLVMFuzzerTestOneInput(buf, n), 0);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        corpus_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corpus_runs_clean),
        cmocka_unit_test(seeded_mutations_run_clean),
        cmocka_unit_test(random_records_run_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
