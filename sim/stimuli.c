/*
 * Pin stimuli: the bouncing pushbutton and the NEC IR transmitter.
 */
#include "sim_internal.h"

struct sim_button {
    sim_source_t *src;
    sim_pin_t *pin;
    int active;
    uint64_t bmin, bmax;
    unsigned chatter;
    uint64_t settled;
    sim_rng_t rng;
};

static uint32_t model_count;

sim_button_t *sim_button_new(sim_pin_t *pin, int active_level)
{
    sim_button_t *b = sim__own(pin->sim, sizeof *b);
    b->pin = pin;
    b->src = sim_source_new(pin);
    b->active = active_level ? 1 : 0;
    b->bmin = 500 * SIM_US;
    b->bmax = 3 * SIM_MS;
    b->chatter = 4;
    sim_rng_stream(pin->sim, 0x42544e0000000000ull + pin->id, &b->rng);
    (void)model_count;
    return b;
}

void sim_button_set_bounce(sim_button_t *b, uint64_t min_ns, uint64_t max_ns,
                           unsigned max_chatter)
{
    b->bmin = min_ns;
    b->bmax = max_ns < min_ns ? min_ns : max_ns;
    b->chatter = max_chatter;
}

/* Contact to `closed` at t: chatter pairs at sorted random times inside the
 * bounce window, the final level at its end. */
static void contact(sim_button_t *b, uint64_t t, bool closed)
{
    sim_t *sim = b->pin->sim;
    t = SIM_MAX(t, sim->now);
    int on = closed ? b->active : SIM_Z;
    int off = closed ? SIM_Z : b->active;
    uint64_t d = sim_rng_range(&b->rng, b->bmin, b->bmax);
    unsigned pairs = d ? (unsigned)sim_rng_range(&b->rng, 0, b->chatter) : 0;
    uint64_t cur = t;

    sim_source_at(b->src, t, on);
    for (unsigned i = 0; i < pairs; i++) {
        /* Each pair takes a random slice of what is left of the window. */
        uint64_t left = t + d - cur;
        uint64_t step = left / (pairs - i + 1);
        uint64_t a = cur + sim_rng_range(&b->rng, 1, step ? step : 1);
        uint64_t c = a + sim_rng_range(&b->rng, 1, step ? step : 1);
        if (c >= t + d)
            break;
        sim_source_at(b->src, a, off);
        sim_source_at(b->src, c, on);
        cur = c;
    }
    sim_source_at(b->src, t + d, on);
    b->settled = SIM_MAX(b->settled, t + d);
}

void sim_button_press(sim_button_t *b, uint64_t t_ns) { contact(b, t_ns, true); }
void sim_button_release(sim_button_t *b, uint64_t t_ns)
{
    contact(b, t_ns, false);
}

void sim_button_click(sim_button_t *b, uint64_t t_ns, uint64_t hold_ns)
{
    contact(b, t_ns, true);
    contact(b, t_ns + hold_ns, false);
}

uint64_t sim_button_settled_at(const sim_button_t *b) { return b->settled; }

/* --- NEC ---------------------------------------------------------------------- */

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
