/*
 * Device-test harness: one loop on the virtual-clock port, a stepper that
 * moves virtual time from deadline to deadline (or to a stimulus time),
 * a fake GPIO pin whose level the test scripts, and an event log asserted
 * to the microsecond.  Shared by the delay, switch and pushbutton tests.
 */
#ifndef DEVSIM_H
#define DEVSIM_H

#include <stdbool.h>

#include "harness.h"

/* Fresh loop (h_loop on h_vp, tests/core/harness.h) at virtual time 0,
 * 32-bit tick = start_tick, empty log; unlike h_setup, time moves only
 * through dv_run_until / dv_pin_at. */
void dv_setup(uint32_t start_tick);

/* Number of logged events with this tag. */
size_t dv_count_tag(const char *tag);

/* Run the loop, jumping virtual time from deadline to deadline, until
 * virtual time t_us (absolute); all work due at t_us is done on return. */
void dv_run_until(uint64_t t_us);

/* No task ready and no timer armed in the loop. */
bool dv_loop_quiet(void);

/* --- Fake pin ------------------------------------------------------------- */

typedef struct fake_pin {
    ua_pin_t pin;
    int level;         /* what the pin reads */
    int mode;          /* last ua_pin_configure mode, -1 if never */
    unsigned edges;    /* registered interrupt edges */
    ua_pin_irq_cb cb;
    void *cb_arg;
    uint32_t reads;
    uint32_t irqs;
} fake_pin_t;

void fake_pin_init(fake_pin_t *p, int level);

/* Run the loop until t_us, then set the level (firing the registered
 * interrupt, if any, for a matching edge) and run the work due at t_us. */
void dv_pin_at(fake_pin_t *p, uint64_t t_us, int level);

/*
 * A bouncing contact: from t_us the pin toggles at pseudo-random instants
 * (xorshift32 seeded with `seed`) for up to bounce_us, then settles at
 * `level`.  Records the toggle times in out[] (if not NULL, at most max)
 * and returns how many toggles there were (always odd).
 */
int dv_bounce_at(fake_pin_t *p, uint64_t t_us, int level, uint32_t bounce_us,
                 uint32_t seed, uint64_t *out, int max);

/* The xorshift32 step used by dv_bounce_at. */
uint32_t dv_rand(uint32_t *state);

#endif
