/*
 * The loop: one scheduler instance.
 *
 * A scheduling pass does, in order:
 *   1. move every task whose deadline has passed from the timer heap to the
 *      ready queue, in (deadline, arming order);
 *   2. turn set ISR flags into wake-ups;
 *   3. resume the tasks that were ready when the pass began, in FIFO order;
 *      a task made ready during the pass (by a yield, a signal, a cancel)
 *      waits for the next pass.  When I/O priority is on, before each of
 *      those resumes the ISR flags are polled again and any task in the
 *      I/O lane runs first (the fast_io idea): an interrupt-driven task
 *      then waits for at most one other task's step instead of a whole pass.
 * When nothing is ready the loop idles through its port until the earliest
 * deadline or an interrupt.
 *
 * The loop owns no memory besides this struct.  Several loops may exist in
 * one process (the simulator runs one per board); the loop being run is the
 * "current" loop, which primitives use to queue wake-ups.
 */
#ifndef UA_LOOP_H
#define UA_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_port.h"
#include "ua_task.h"

struct ua_flag;

struct ua_loop {
    const ua_port_t *port;
    ua_tlist_t ready;
    ua_tlist_t io_ready;
    ua_tlist_t joiners;     /* tasks in ua_join / ua_wait_for / ua_gather */
    ua_task_t *timers;      /* root of the timer heap */
    struct ua_flag *flags;  /* registered ISR flags */
    ua_task_t *current;     /* task being resumed, or NULL */
    uint32_t seq;           /* next timer arming number */
    ua_task_t *pass_last;   /* last task to resume in the current pass */
    volatile uint8_t isr_pending;
    uint8_t stop_requested;
    uint8_t io_priority;
    uint8_t in_pass;
    /* Statistics, for benchmarks and the simulator's summary. */
    uint32_t resumes;
    uint32_t passes;
    uint32_t timers_armed;
    uint32_t heap_renumbers;
};

/* --- Application ------------------------------------------------------- */

void ua_loop_init(ua_loop_t *loop, const ua_port_t *port);

/* Turn the I/O-priority lane on or off (off by default, as in fast_io). */
void ua_loop_set_io_priority(ua_loop_t *loop, bool on);

/* Spawn `t` if it was never spawned, then run until it finishes or the
 * loop is stopped.  Returns its status (at once if it already finished),
 * or UA_ESTOPPED. */
int ua_loop_run_until_complete(ua_loop_t *loop, ua_task_t *t);

/* Run until ua_loop_stop(). */
void ua_loop_run_forever(ua_loop_t *loop);

/* Ask the loop to return from run_* once the current pass ends.  A later
 * run_* call resumes where it left off. */
void ua_loop_stop(ua_loop_t *loop);

/* The loop's current time in ticks (microseconds). */
ua_ticks_t ua_loop_now(const ua_loop_t *loop);

/* The loop being run (or last entered), for code that needs "the" loop. */
ua_loop_t *ua_loop_current(void);

/* Make `loop` current without running it (simulators, tests). */
void ua_loop_enter(ua_loop_t *loop);

/* --- Driving the loop step by step (simulators, other event loops) ---- */

/*
 * Resume at most one task, starting a new pass first if the previous one is
 * finished (steps 1-2 above).  Returns true if a task was resumed.  Never
 * idles.  A simulator calls this to charge CPU time per task step.
 */
bool ua_loop_step(ua_loop_t *loop);

/* Whether ua_loop_step would resume a task now. */
bool ua_loop_has_work(ua_loop_t *loop);

/* Earliest deadline in the timer heap; false if none. */
bool ua_loop_next_deadline(const ua_loop_t *loop, ua_ticks_t *deadline);

/* --- Callbacks ---------------------------------------------------------- */

/* A callback scheduled like a task (call_soon / call_later_ms).  Cancel it
 * with ua_task_cancel(&cb->task) before it runs. */
typedef struct ua_callback {
    ua_task_t task;
    void (*fn)(void *arg);
    void *arg;
    int32_t delay_ms;
} ua_callback_t;

/* Run fn(arg) at the next pass.  UA_EBUSY if cb is still pending. */
int ua_call_soon(ua_loop_t *loop, ua_callback_t *cb, void (*fn)(void *arg),
                 void *arg);

/* Run fn(arg) `ms` milliseconds from now. */
int ua_call_later_ms(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                     void (*fn)(void *arg), void *arg);

/* --- Internal ------------------------------------------------------------ */

void ua__heap_insert(ua_loop_t *loop, ua_task_t *t);
void ua__heap_remove(ua_loop_t *loop, ua_task_t *t);
void ua__make_ready(ua_loop_t *loop, ua_task_t *t, bool io_lane);
void ua__task_finished(ua_loop_t *loop, ua_task_t *t, int status);

#endif /* UA_LOOP_H */
