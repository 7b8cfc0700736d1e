/*
 * Buffered file output for the trace exporters: records are formatted by
 * hand into one large buffer that goes to the file with fwrite when full.
 * fprintf per field cost several hundred ns per record; this is a few
 * stores per character.  A failed write leaves the FILE's error flag set,
 * which the exporters report as UA_EIO after the last flush.
 */
#ifndef UASYNC_SIM_OUTBUF_H
#define UASYNC_SIM_OUTBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SIM_OUT_CAP 65536u /* bytes buffered between two fwrites */
#define SIM_OUT_ITEM 64u  /* room a number or a short literal may take */

typedef struct sim_out {
    FILE *f;
    size_t n;
    char buf[SIM_OUT_CAP];
} sim_out_t;

static inline void sim_out_flush(sim_out_t *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

/* Makes room for k more bytes (k <= SIM_OUT_CAP). */
static inline char *sim_out_room(sim_out_t *o, size_t k)
{
    if (o->n + k > SIM_OUT_CAP)
        sim_out_flush(o);
    return o->buf + o->n;
}

static inline void sim_out_mem(sim_out_t *o, const char *s, size_t k)
{
    if (k > SIM_OUT_CAP / 2) { /* a huge name: straight to the file */
        sim_out_flush(o);
        fwrite(s, 1, k, o->f);
        return;
    }
    memcpy(sim_out_room(o, k), s, k);
    o->n += k;
}

static inline void sim_out_str(sim_out_t *o, const char *s)
{
    sim_out_mem(o, s, strlen(s));
}

static inline void sim_out_char(sim_out_t *o, char c)
{
    *sim_out_room(o, 1) = c;
    o->n++;
}

/* The numbers of the trace's formats, by hand (the exporters write
 * millions of them): shared by these writers and the text formatter's
 * string buffer (trace.c). */

/* What "%llu" prints, right-aligned in digits[]: returns where it starts. */
static inline size_t sim_fmt_u64(char digits[20], uint64_t v)
{
    size_t k = 20;
    do {
        digits[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return k;
}

/* What ".%03u" prints for 0 <= frac < 1000, in out[0..3]. */
static inline void sim_fmt_frac3(char out[4], unsigned frac)
{
    out[0] = '.';
    out[1] = (char)('0' + frac / 100);
    out[2] = (char)('0' + frac / 10 % 10);
    out[3] = (char)('0' + frac % 10);
}

/* What "%llu" prints. */
static inline void sim_out_u64(sim_out_t *o, uint64_t v)
{
    char digits[20];
    size_t k = sim_fmt_u64(digits, v);
    sim_out_mem(o, digits + k, sizeof digits - k);
}

/* Nanoseconds as microseconds with three decimals: "%llu.%03llu". */
static inline void sim_out_us(sim_out_t *o, uint64_t ns)
{
    sim_out_u64(o, ns / 1000);
    sim_fmt_frac3(sim_out_room(o, 4), (unsigned)(ns % 1000));
    o->n += 4;
}

#endif
