/*
 * A scripted input pin on the virtual-clock port, for driver tests.
 *
 * Tests queue level changes at virtual microsecond times (fp_at); the
 * stepper (fp_run_until) then alternates between the loop and the script:
 * it runs ua_loop_step while the loop has work, and when the loop would
 * idle it moves virtual time to the next scripted edge or timer deadline,
 * whichever is first.  Each edge calls the registered interrupt callback
 * with the tick of the edge's own time -- also when a task step has
 * "hogged" the CPU past it with ua_delay_us (on the virtual port that jumps
 * the clock): on a board the interrupt would have pre-empted the hog and
 * captured the same tick, so delivering it after the step with that tick is
 * equivalent for a driver that only records timestamps.
 *
 * A stand-in until sim/ (sim_hw.h, sim_models.h) can drive pins; the
 * simulator does the same with real pre-emption.
 */
#ifndef FAKE_PIN_H
#define FAKE_PIN_H

#include <stddef.h>
#include <stdint.h>

#include "ua.h"
#include "ua_vport.h"

typedef struct fp_edge {
    uint64_t t_us;
    int level;
} fp_edge_t;

typedef struct fake_pin {
    ua_pin_t pin;
    ua_vport_t *vp;
    ua_loop_t *loop;
    ua_pin_irq_cb cb;
    void *arg;
    unsigned irq_edges;
    int level;
    int mode;
    fp_edge_t *edges; /* heap (tests may allocate), sorted by time */
    size_t n, cap, next;
    uint32_t irqs;    /* callbacks made */
} fake_pin_t;

/* Idle level 1 (a receiver module's output), no edges queued. */
void fp_init(fake_pin_t *fp, ua_vport_t *vp, ua_loop_t *loop);
void fp_free(fake_pin_t *fp);

/* Set the pin to `level` at virtual time t_us (kept in time order; equal
 * times keep their insertion order). */
void fp_at(fake_pin_t *fp, uint64_t t_us, int level);

/* Run the loop and the script until virtual time t_us. */
void fp_run_until(fake_pin_t *fp, uint64_t t_us);

/* Time of the last queued edge (0 if none). */
uint64_t fp_last_time(const fake_pin_t *fp);

#endif
