/*
 * The bouncing pushbutton (sim_models.h): contacts that chatter for a
 * seeded while on every press and release.
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
