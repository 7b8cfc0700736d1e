/*
 * Power accounting, the simulator's side (the API is in sim.h, "Power and
 * energy").  board.c and engine.c call these hooks at the few places where
 * a board's CPU changes state; everything else lives in power.c.
 *
 * How a state is known.  A board runs from the start of a task step or an
 * interrupt handler until its CPU is free again (sim_board_busy_until), and
 * then sleeps in the state chosen when it went idle (sim__power_settle).
 * Periods are accounted lazily, when the next hook or query comes, so a
 * long sleep costs nothing to simulate; a trace record is written for each
 * period that lasts (zero-length periods -- steps that cost no CPU -- are
 * counted as wake-ups but not drawn).
 */
#ifndef SIM_POWER_H
#define SIM_POWER_H

#include <stdio.h>

#include "sim.h"
#include "sim_trace.h"

#pragma GCC visibility push(hidden) /* internal: see sim_internal.h */

typedef struct sim_power sim_power_t;

/* Board creation and destruction (board.c). */
sim_power_t *sim__power_new(sim_board_t *b);
void sim__power_free(sim_power_t *p);

/* The CPU starts running now: a task step or an interrupt handler. */
void sim__power_wake(sim_board_t *b);

/* The step or handler is over: the CPU runs until the board's busy end,
 * then sleeps in the state the loop's next work calls for. */
void sim__power_settle(sim_board_t *b);

/* Account every board up to now and record the open periods, so the trace
 * is complete when a run returns (engine.c). */
void sim__power_flush(sim_t *sim);

/* The text trace's line body for a power record (trace.c). */
struct sim_sbuf;
void sim__power_text(const sim_t *sim, struct sim_sbuf *sb,
                     const sim_trace_rec_t *r);

#pragma GCC visibility pop

#endif /* SIM_POWER_H */
