/* NEC waveforms for tests (see nec_wave.h). */
#include "nec_wave.h"

#define UNIT 562 /* 562.5 us, rounded down; the half is added per bit pair */

void nw_init(nec_wave_t *w, fake_pin_t *fp, uint64_t seed)
{
    w->fp = fp;
    w->rng = seed ? seed : 88172645463325252ull;
    w->jitter_pct = 0;
    w->stretch_us = 0;
}

int32_t nw_rand(nec_wave_t *w, int32_t lo, int32_t hi)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return lo + (int32_t)(w->rng % (uint64_t)(hi - lo + 1));
}

int nw_raw_durations(int32_t *dur, uint32_t raw)
{
    int n = 0;
    dur[n++] = 9000;
    dur[n++] = 4500;
    for (int b = 0; b < 32; b++) {
        dur[n++] = UNIT + (b & 1);             /* marks 562/563 */
        dur[n++] = (raw >> b & 1) ? 1687 + (b & 1) : UNIT + (b & 1);
    }
    dur[n++] = UNIT;
    return n;
}

int nw_frame_durations(int32_t *dur, uint16_t addr, uint8_t cmd)
{
    uint32_t a = addr > 0xFF ? addr : (uint32_t)(addr | (uint8_t)~addr << 8);
    return nw_raw_durations(dur, a | (uint32_t)cmd << 16 |
                                     (uint32_t)(uint8_t)~cmd << 24);
}

uint64_t nw_send(nec_wave_t *w, uint64_t t_us, const int32_t *dur, int n)
{
    int level = 0;
    for (int i = 0; i < n; i++) {
        int32_t d = dur[i];
        if (w->jitter_pct)
            d += (int32_t)((int64_t)d * nw_rand(w, -1000 * w->jitter_pct,
                                                1000 * w->jitter_pct) /
                           100000);
        d += level == 0 ? w->stretch_us : -w->stretch_us;
        fp_at(w->fp, t_us, level);
        t_us += (uint64_t)(d > 1 ? d : 1);
        level = !level;
    }
    fp_at(w->fp, t_us, level);
    return t_us;
}

uint64_t nw_frame(nec_wave_t *w, uint64_t t_us, uint16_t addr, uint8_t cmd)
{
    int32_t dur[NW_MAX_DUR];
    int n = nw_frame_durations(dur, addr, cmd);
    return nw_send(w, t_us, dur, n);
}

uint64_t nw_repeat(nec_wave_t *w, uint64_t t_us)
{
    static const int32_t dur[] = {9000, 2250, UNIT};
    return nw_send(w, t_us, dur, 3);
}

void nw_glitch(nec_wave_t *w, uint64_t t_us, int level, uint32_t width_us)
{
    fp_at(w->fp, t_us, level);
    fp_at(w->fp, t_us + width_us, !level);
}
