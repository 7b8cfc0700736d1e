/*
 * Fuzz entry point of the replay readers (sim/replay.c: LIRC mode2 and
 * VCD), libFuzzer's signature; fuzz_regress.c runs it in the normal build.
 * The reader is linked alone, against stubs of the few simulator calls it
 * makes, so that the libFuzzer build instruments the reader only and needs
 * no simulator.  Byte 0 picks the format (bit 0: VCD), the start time (bits
 * 1-2: 0, 1 ms, or close to the end of the clock) and, for VCD, the signal
 * (bit 3: the first 1-bit wire or "ir").  Invariants, checked after any
 * input: on success the edges scheduled are 0/1/Z and never go back in
 * time, and there are at least as many as the count returned; on an error
 * nothing is scheduled and the message names the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char err[512];

static void broken(const char *what)
{
    fprintf(stderr, "fuzz_replay: %s (error: '%s')\n", what, err);
    abort();
}
static size_t scheduled;
static uint64_t last_t;
static struct sim_source source;

void *sim__alloc(size_t n)
{
    void *p = calloc(1, n);
    if (p == NULL)
        abort();
    return p;
}

void sim__error(sim_t *sim, const char *fmt, ...)
{
    (void)sim;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, sizeof err, fmt, ap);
    va_end(ap);
}

sim_source_t *sim_source_new(sim_pin_t *p)
{
    (void)p;
    return &source;
}

void sim_source_set(sim_source_t *s, int level)
{
    if (s != &source || (level != 0 && level != 1 && level != SIM_Z))
        broken("bad level set");
}

void sim_source_at(sim_source_t *s, uint64_t t_ns, int level)
{
    if (s != &source || (level != 0 && level != 1 && level != SIM_Z))
        broken("bad level scheduled");
    if (scheduled > 0 && t_ns < last_t)
        broken("an edge before the previous one: time went backwards");
    if (getenv("FUZZ_REPLAY_TRACE"))
        fprintf(stderr, "edge %d at %llu ns\n", level, (unsigned long long)t_ns);
    last_t = t_ns;
    scheduled++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sim_t sim;
    static sim_pin_t pin;
    static const uint64_t starts[4] = {0, 1000000, UINT64_MAX - 1000000000000ull,
                                       UINT64_MAX - 2};
    if (size == 0)
        return 0;
    uint8_t sel = data[0];
    char *text = malloc(size); /* the reader sees exactly size - 1 bytes */
    if (text == NULL)
        abort();
    memcpy(text, data + 1, size - 1);
    pin.sim = &sim;
    err[0] = '\0';
    scheduled = 0;
    last_t = 0;
    uint64_t t0 = starts[(sel >> 1) & 3];
    long r = sel & 1 ? sim__replay_vcd_text(&pin, "fuzz.vcd", text, size - 1,
                                            sel & 8 ? "ir" : NULL, t0)
                     : sim__replay_mode2_text(&pin, "fuzz.mode2", text, size - 1, t0);
    free(text);
    if (r >= 0 && (size_t)r > scheduled)
        broken("counted edges that were not scheduled");
    if (r >= 0 && scheduled > 0 && last_t < t0)
        broken("an edge before the start time");
    if (r < 0 && scheduled != 0)
        broken("an error, yet edges were scheduled");
    if (r < 0 && strstr(err, "fuzz.") == NULL)
        broken("an error that does not name the input");
    return 0;
}
