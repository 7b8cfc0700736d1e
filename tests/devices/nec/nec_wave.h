/*
 * NEC waveforms for tests: frames and repeat codes as a receiver module
 * outputs them (active low), queued on a fake pin, with optional seeded
 * jitter and the mark stretching that real receiver modules show.
 */
#ifndef NEC_WAVE_H
#define NEC_WAVE_H

#include <stdint.h>

#include "fake_pin.h"

typedef struct nec_wave {
    fake_pin_t *fp;
    uint64_t rng;       /* xorshift64 state; any non-zero seed */
    int jitter_pct;     /* each duration scaled by 1 + u, |u| <= pct/100 */
    int stretch_us;     /* added to every mark, taken from every space */
} nec_wave_t;

#define NW_MAX_DUR 128

void nw_init(nec_wave_t *w, fake_pin_t *fp, uint64_t seed);

/* Uniform in [lo, hi]. */
int32_t nw_rand(nec_wave_t *w, int32_t lo, int32_t hi);

/* Durations of a frame: leader, 32 bits (addr, ~addr or addr >> 8, cmd,
 * ~cmd), stop mark.  addr > 0xFF is sent as a 16-bit address.  Returns the
 * count (67). */
int nw_frame_durations(int32_t *dur, uint16_t addr, uint8_t cmd);

/* Same with the raw 32-bit word (for corrupt frames). */
int nw_raw_durations(int32_t *dur, uint32_t raw);

/* Queue alternating mark/space durations from t_us (first a mark), with
 * jitter and stretch.  Returns the time of the last edge. */
uint64_t nw_send(nec_wave_t *w, uint64_t t_us, const int32_t *dur, int n);

uint64_t nw_frame(nec_wave_t *w, uint64_t t_us, uint16_t addr, uint8_t cmd);
uint64_t nw_repeat(nec_wave_t *w, uint64_t t_us);

/* A pulse of the opposite level inside a mark or space. */
void nw_glitch(nec_wave_t *w, uint64_t t_us, int level, uint32_t width_us);

#endif
