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
 * Orders the loop promises (firmware may rely on them):
 *   - FIFO by readiness: tasks made ready by a task (a spawn, a signal, a
 *     cancel, a yield) run in the order they were made ready, and before
 *     the tasks that a later pass's timers and flags wake;
 *   - timers: tasks whose deadlines passed run in (deadline, arming) order,
 *     so equal deadlines run first-armed first;
 *   - with I/O priority on, the I/O lane runs before the ready queue.
 * Orders it does not promise: the order of the tasks woken by ISR flags at
 * one pass (or one I/O poll) among themselves, and relative to the tasks
 * woken by the same pass's timers.  Interrupts are asynchronous: which
 * flag was set first within a pass is not something a task can know.
 * The simulator's explorer (`tools/sim explore`) perturbs exactly these
 * orders, through ua_port_t.reorder, to find firmware that depends on them.
 *
 * The loop owns no memory besides this struct.  Several loops may exist in
 * one process (the simulator runs one per board).  Every task knows the loop
 * it was spawned on, and every operation on a task -- a wake-up by a
 * primitive, a cancel, a join -- acts on that loop, whichever loop happens
 * to be running: there is no hidden "current loop" in the scheduler.  (The
 * current loop survives only for ua_delay_us, which has no task to ask.)
 *
 * A task that fails (any error but UA_ECANCELLED) while nobody awaits it,
 * and whose status nobody reads before the next pass, is an unhandled
 * error: the loop counts it, emits a UA_TR_UNHANDLED trace record, calls
 * the handler set with ua_loop_set_unhandled_handler() and, if asked,
 * stops.  (MicroPython's loop likewise reports a detached task's exception
 * one pass later unless someone retrieved it meanwhile.)
 */
#ifndef UA_LOOP_H
#define UA_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_atomic.h"
#include "ua_port.h"
#include "ua_task.h"

struct ua_flag;

/* Called for each unhandled error (see above), from the loop, in task
 * context, between two passes. */
typedef void (*ua_unhandled_fn)(ua_loop_t *loop, ua_task_t *task, int status,
                                void *arg);

/* The loop's state.  Treat the fields as private; use the functions. */
struct ua_loop {
    const ua_port_t *port;
    ua_tlist_t ready;
    ua_tlist_t io_ready;
    ua_tlist_t unhandled;   /* failed tasks nobody has asked about yet */
    ua_tlist_t lp_ready;    /* due in the low-priority lane */
    uint32_t lp_count;      /* tasks in ua_after_*, due or not */
    uint32_t lp_len;        /* bound on lp_count; 0: none */
    int32_t lp_max_overdue; /* ticks; < 0: never promoted */
    ua_task_t *timers;      /* root of the timer heap */
    struct ua_flag *flags;  /* registered ISR flags */
    ua_task_t *current;     /* task being resumed, or NULL */
    uint32_t seq;           /* next timer arming number */
    ua_task_t *pass_last;   /* last task to resume in the current pass */
    ua_unhandled_fn on_unhandled;
    void *unhandled_arg;
    uint64_t ticks_high;    /* now64 = ticks_high + the 32-bit tick */
    ua_ticks_t ticks_last;  /* the tick when now64 was last brought up */
    uint8_t stop_requested;
    uint8_t io_priority;
    uint8_t in_pass;
    uint8_t stop_on_unhandled;
    uint32_t unhandled_errors;
    /* Set by interrupts and other threads: not in a word with plain fields
     * (a compiler may read four neighbouring bytes with one load). */
    ua_atomic_u8 isr_pending;
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

/*
 * The low-priority lane (fast_io's lp_len and max_overdue_ms; see
 * ua_after_ms): at most lp_len tasks in it (0: no bound), and a due task
 * that has waited max_overdue_ms runs anyway (UA_FOREVER: it waits for
 * the normal tasks however long).  UA_EINVAL for a negative value other
 * than UA_FOREVER, UA_ERANGE above UA_TICKS_MAX_DELAY.  Default: no bound,
 * never promoted.
 */
int ua_loop_set_low_priority(ua_loop_t *loop, uint32_t lp_len,
                             int32_t max_overdue_ms);

/* Spawn `t` if it was never spawned, then run until it finishes or the
 * loop is stopped.  Returns its status (at once if it already finished),
 * or UA_ESTOPPED. */
int ua_loop_run_until_complete(ua_loop_t *loop, ua_task_t *t);

/* Run until ua_loop_stop(). */
void ua_loop_run_forever(ua_loop_t *loop);

/* Ask the loop to return from run_* once the current pass ends.  A later
 * run_* call resumes where it left off. */
void ua_loop_stop(ua_loop_t *loop);

/* The loop's current time in ticks (microseconds); wraps every 2^32 us.
 * Compare with ua_ticks_diff.  Deadlines use it. */
ua_ticks_t ua_loop_now(const ua_loop_t *loop);

/*
 * Microseconds on a 64-bit count that never wraps (in practice): starts at
 * the port's tick when the loop was initialised and counts on past every
 * 32-bit wrap, so `ua_loop_now64(l) - then` is an age however old `then`
 * is.  Its low 32 bits equal ua_loop_now().  For timestamps and ages that
 * drivers report.  Exact as long as the loop looks at the clock at least
 * once per 2^32 us (71.6 minutes).  A pass looks when a timer is armed, when
 * a low-priority task waits and when it begins with no task ready (after an
 * idle, or woken by an ISR flag); passes that follow each other busily with
 * none of these look once in 64 (reading the clock costs more than a task
 * switch on a host), so exact unless such passes average over a minute.
 * A call of this function looks too.
 */
uint64_t ua_loop_now64(ua_loop_t *loop);

/* The task being resumed by `loop` right now, or NULL between resumes
 * (asyncio.current_task()). */
ua_task_t *ua_current_task(const ua_loop_t *loop);

/*
 * Unhandled errors (see above).  The handler may be NULL (the default):
 * the error is then only counted and traced.  With stop_on_unhandled the
 * loop also stops (run_* returns) at the end of the pass that reported it.
 */
void ua_loop_set_unhandled_handler(ua_loop_t *loop, ua_unhandled_fn fn,
                                   void *arg);
void ua_loop_set_stop_on_unhandled(ua_loop_t *loop, bool on);
uint32_t ua_loop_unhandled_count(const ua_loop_t *loop);

/* The loop being run (or last entered).  Only ua_delay_us relies on it;
 * everything that has a task uses the task's own loop. */
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

/* Whether the loop has work now without counting deadlines: a task ready,
 * an ISR flag set, an error to report.  A simulator that schedules the
 * deadlines itself (ua_loop_next_deadline) asks this. */
bool ua_loop_has_ready(const ua_loop_t *loop);

/* Whether an ISR flag was set since the loop last looked (a hint: it may
 * change at once). */
bool ua_loop_flag_pending(const ua_loop_t *loop);

/* Earliest deadline in the timer heap; false if none. */
bool ua_loop_next_deadline(const ua_loop_t *loop, ua_ticks_t *deadline);

/* --- Callbacks ---------------------------------------------------------- */

/* A callback scheduled like a task (call_soon / call_later_ms).  Cancel it
 * with ua_task_cancel(&cb->task) before it runs.  Initialise it once with
 * ua_callback_init() (or define it static, zero-initialised) before the
 * first call_*: the scheduler reads its state to refuse a callback that is
 * still pending, so memory with garbage in it (a stack slot) must not be
 * passed uninitialised. */
typedef struct ua_callback {
    ua_task_t task;
    void (*fn)(void *arg);
    void *arg;
    int32_t delay_ms;
    bool low; /* call_after: in the low-priority lane */
} ua_callback_t;

/* Prepare `cb` for its first call_soon / call_later_ms. */
void ua_callback_init(ua_callback_t *cb);

/* Run fn(arg) at the next pass.  UA_EBUSY if cb is still pending. */
int ua_call_soon(ua_loop_t *loop, ua_callback_t *cb, void (*fn)(void *arg),
                 void *arg);

/* Run fn(arg) `ms` milliseconds from now. */
int ua_call_later_ms(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                     void (*fn)(void *arg), void *arg);

/* Run fn(arg) in the low-priority lane once `ms` have passed (fast_io's
 * call_after_ms): when no normal task is ready, or once overdue. */
int ua_call_after_ms(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                     void (*fn)(void *arg), void *arg);

/* --- Internal ------------------------------------------------------------ */

void ua__heap_insert(ua_loop_t *loop, ua_task_t *t);
void ua__heap_remove(ua_loop_t *loop, ua_task_t *t);
void ua__make_ready(ua_loop_t *loop, ua_task_t *t, bool io_lane);
void ua__task_finished(ua_loop_t *loop, ua_task_t *t, int status);
void ua__forget_unhandled(ua_task_t *t);
void ua__gather_child_done(struct ua_gather *g, int status);
/* Move a due low-priority task to the normal ready queue (a pass with
 * nothing else ready, an overdue task, a cancel). */
void ua__lp_promote(ua_loop_t *loop, ua_task_t *t);

#endif /* UA_LOOP_H */
