/*
 * The NEC IR transmitter (sim_models.h): frames and repeat codes as pin
 * levels, with seeded jitter and glitches.
 */
#include "sim_internal.h"

#define NEC_UNIT 562500ull

struct sim_nec {
    sim_source_t *src;
    sim_pin_t *pin;
    uint64_t jitter;
    double p_glitch;
    uint64_t glitch_w;
    sim_rng_t rng;
};

sim_nec_t *sim_nec_new(sim_pin_t *pin)
{
    sim_nec_t *n = sim__own(pin->sim, sizeof *n);
    n->pin = pin;
    n->src = sim_source_new(pin);
    n->glitch_w = 50 * SIM_US;
    sim_rng_stream(pin->sim, 0x4e45430000000000ull + pin->id, &n->rng);
    sim_source_set(n->src, 1); /* receiver output idles high */
    return n;
}

void sim_nec_set_jitter(sim_nec_t *n, uint64_t jitter_ns) { n->jitter = jitter_ns; }

void sim_nec_set_glitches(sim_nec_t *n, double p, uint64_t width_ns)
{
    n->p_glitch = p;
    n->glitch_w = width_ns;
}

static uint64_t jit(sim_nec_t *n, uint64_t d)
{
    if (n->jitter == 0)
        return d;
    uint64_t j = sim_rng_range(&n->rng, 0, 2 * n->jitter);
    return d + j > n->jitter ? d + j - n->jitter : 1;
}

/* A mark then a space starting at t; returns the end of the space. */
static uint64_t mark_space(sim_nec_t *n, uint64_t t, uint64_t mark,
                           uint64_t space)
{
    sim_source_at(n->src, t, 0);
    t += jit(n, mark);
    sim_source_at(n->src, t, 1);
    return space ? t + jit(n, space) : t;
}

static void annotate(sim_t *sim, void *arg, uint64_t data)
{
    sim_nec_t *n = arg;
    if (sim->tracing)
        sim__trace(sim, sim->now, data >> 32 ? SIM_TR_NEC_REPEAT
                                             : SIM_TR_NEC_FRAME,
                   n->pin->board ? n->pin->board->index : SIM_NO_BOARD,
                   n->pin->id, (uint32_t)data & 0xFFFF,
                   ((uint32_t)data >> 16) & 0xFF);
}

static void maybe_glitch(sim_nec_t *n, uint64_t t0, uint64_t t1)
{
    if (n->p_glitch <= 0 || sim_rng_double(&n->rng) >= n->p_glitch)
        return;
    uint64_t t = sim_rng_range(&n->rng, t0, t1);
    /* Inverted pulse: a short mark inside a space or a dropout in a mark
     * looks the same to the decoder -- a pair of extra edges. */
    sim_source_at(n->src, t, 0);
    sim_source_at(n->src, t + n->glitch_w, 1);
}

uint64_t sim_nec_send(sim_nec_t *n, uint64_t t_ns, uint32_t address,
                      uint8_t command, unsigned repeats)
{
    sim_t *sim = n->pin->sim;
    uint64_t t0 = SIM_MAX(t_ns, sim->now), t = t0;
    uint32_t addr16 = address > 0xFF ? address & 0xFFFF
                                     : (address | (~address & 0xFF) << 8);
    uint32_t bits = addr16 | (uint32_t)command << 16 |
                    (uint32_t)(uint8_t)~command << 24;

    sim_at(sim, t0, annotate, n, (address & 0xFFFF) | (uint64_t)command << 16);
    t = mark_space(n, t, 16 * NEC_UNIT, 8 * NEC_UNIT);
    for (int i = 0; i < 32; i++)
        t = mark_space(n, t, NEC_UNIT, (bits >> i) & 1 ? 3 * NEC_UNIT : NEC_UNIT);
    t = mark_space(n, t, NEC_UNIT, 0);
    maybe_glitch(n, t0, t);
    for (unsigned r = 1; r <= repeats; r++) {
        uint64_t tr = t0 + r * 108 * SIM_MS;
        sim_at(sim, tr, annotate, n, 1ull << 32);
        t = mark_space(n, tr, 16 * NEC_UNIT, 4 * NEC_UNIT);
        t = mark_space(n, t, NEC_UNIT, 0);
    }
    return t;
}
