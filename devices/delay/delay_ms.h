/*
 * Delay_ms: a retriggerable monostable (software watchdog).
 *
 * A delay_ms_t is "running" from a trigger until its end time; at the end
 * time it stops running, sets its expiry event and calls its callback.  Each
 * trigger sets a new end time, now + duration, which may be later (extend,
 * as a watchdog is fed) or earlier (shorten) than the current one -- the
 * seed's V2 could only extend.  delay_ms_cancel() cancels the expiry (the
 * seed's stop()).  Nothing is allocated: the struct holds one timer task,
 * one ISR flag and one event.
 *
 *     static delay_ms_t wd;
 *     delay_ms_init(&wd, 5000, on_timeout, NULL);   // 5 s watchdog
 *     delay_ms_start(&wd, loop);
 *     ... on every heartbeat:  delay_ms_trigger(&wd, 0);
 *     ... in a task:           UA_AWAIT(delay_ms_wait(self, &wd, UA_FOREVER));
 *
 * Timing (ticks are microseconds, see ua_time.h).  trigger(d) at tick t sets
 * end = t + d*1000 exactly; the callback runs, and waiters of the event are
 * woken, at the loop pass at `end` (in the simulator: at exactly `end`).  A
 * trigger from an interrupt handler (delay_ms_trigger_at with the edge tick)
 * only writes the end time and sets an ua_flag_t; the timer task re-arms at
 * the next pass, so the interrupt allocates nothing and touches no queue.
 * All tick math is wrap-safe (ua_ticks_diff), so a delay may span the 32-bit
 * tick wrap; durations are limited to DELAY_MS_MAX_MS (half the tick period).
 *
 * The expiry event follows uasyncio V3's Delay_ms: it is set at expiry and
 * stays set until delay_ms_clear() or delay_ms_cancel(); trigger does not
 * clear it (a trigger may come from an interrupt, and events are task-only).
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  delay_ms_init
 * configures the struct and registers nothing; delay_ms_start registers
 * the ISR flag and spawns the timer task; delay_ms_stop cancels the task
 * and unregisters the flag: from its return no timer of this instance is
 * armed and no ISR flag is registered (seed issues #74, #138), tasks in
 * delay_ms_wait get DELAY_ESTOPPED and trigger returns DELAY_ESTOPPED.  A
 * second stop does nothing (#98).  delay_ms_start may follow at once: a
 * timer task still finishing its cancellation carries on for the new
 * start.  The struct must be zeroed before its first delay_ms_init
 * (static storage, or `= {0}`), so that init can tell a stopping task from
 * garbage; its memory may be reused once delay_ms_stopped() is true.  The
 * callback may call trigger (a periodic timer), cancel, stop or start on
 * its own instance.
 */
#ifndef DELAY_MS_H
#define DELAY_MS_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_event.h"
#include "ua_flag.h"
#include "ua_loop.h"

#define DELAY_MS_DEFAULT_MS 1000
#define DELAY_MS_MAX_MS ((int32_t)(UA_TICKS_MAX_DELAY / UA_TICKS_PER_MS))

/* Error codes: the DELAY_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_DELAY): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

typedef void (*delay_ms_cb)(void *arg);
/* A callback whose return value is kept for delay_ms_rvalue(). */
typedef int (*delay_ms_rv_cb)(void *arg);

typedef struct delay_ms {
    ua_task_t task; /* the timer task (private) */
    ua_co_t co;
    /* Lifecycle (private); delay_ms_init keeps these, clears the rest. */
    volatile uint8_t state; /* stopped or started (read by interrupts) */
    uint8_t task_up;        /* the task has run since its spawn */
    ua_flag_t flag;      /* "end time changed": set by trigger and stop */
    ua_event_t expired;  /* set at expiry */
    ua_loop_t *loop;
    delay_ms_cb cb;
    delay_ms_rv_cb rv_cb;     /* or this, or ... */
    ua_task_t *launch;        /* ... a task spawned at each expiry */
    void *cb_arg;
    int rvalue;               /* what the last expiry's action gave */
    volatile ua_ticks_t end;  /* valid while running */
    volatile uint8_t running;
    int32_t duration_ms;      /* default for trigger(<= 0) */
    int32_t wait_us;          /* frame local of the timer task */
    uint32_t expiries;        /* count of callbacks run */
} delay_ms_t;

/* --- Task context --------------------------------------------------------- */

/*
 * Configure `d`: duration_ms <= 0 means DELAY_MS_DEFAULT_MS; cb may be
 * NULL (use the event).  Registers nothing.  Returns 0, DELAY_ERANGE, or
 * UA_EBUSY if started.
 */
int delay_ms_init(delay_ms_t *d, int32_t duration_ms, delay_ms_cb cb,
                  void *arg);

/* Register the ISR flag with `loop` and spawn the timer task, not running
 * (no expiry pending).  Returns 0, UA_EBUSY if already started, or the
 * spawn error. */
int delay_ms_start(delay_ms_t *d, ua_loop_t *loop);

/* Cancel the timer task, unregister the flag, fail the waiters with
 * DELAY_ESTOPPED (see Lifecycle).  Idempotent; callable from the
 * callback. */
void delay_ms_stop(delay_ms_t *d);

/* True once stopped and the timer task has finished: the memory may be
 * reused. */
bool delay_ms_stopped(const delay_ms_t *d);

/* Replace the expiry action (NULL: none) with a callback ... */
void delay_ms_callback(delay_ms_t *d, delay_ms_cb cb, void *arg);

/* ... or a callback whose return value delay_ms_rvalue() gives ... */
void delay_ms_callback_rv(delay_ms_t *d, delay_ms_rv_cb cb, void *arg);

/* ... or a task (ua_task_init'ed) spawned at each expiry: the seed's
 * `launch` of a coroutine callback.  A task still running from the last
 * expiry is not started twice: rvalue is then UA_EBUSY. */
void delay_ms_launch(delay_ms_t *d, ua_task_t *task);

/* What the last expiry's action gave (the seed's rvalue()): the return of
 * a delay_ms_callback_rv callback; for a launched task the spawn status (0
 * or UA_EBUSY; the task itself is the one passed to delay_ms_launch); 0
 * before any expiry and for a plain callback. */
int delay_ms_rvalue(const delay_ms_t *d);

/* Cancel the pending expiry (the seed's stop()): clears running and the
 * event; the armed timer is disarmed at the next pass.  Callable from the
 * callback; nothing on a stopped instance. */
void delay_ms_cancel(delay_ms_t *d);

/* Await the expiry event (returns at once if it is set; does not clear
 * it).  UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none); DELAY_ESTOPPED
 * when stopped. */
int delay_ms_wait(ua_task_t *self, delay_ms_t *d, int32_t timeout_ms);

void delay_ms_clear(delay_ms_t *d);
bool delay_ms_expired(const delay_ms_t *d);

/* --- Any context (task or interrupt) ------------------------------------- */

/*
 * (Re)start: end = now + duration_ms (<= 0: the default duration), whether
 * that is later or earlier than the current end.  Returns 0, DELAY_ESTOPPED
 * or DELAY_ERANGE.  Reads the time through the loop's port.
 */
int delay_ms_trigger(delay_ms_t *d, int32_t duration_ms);

/* As delay_ms_trigger, counting from tick `when` (an interrupt's edge
 * tick) instead of now. */
int delay_ms_trigger_at(delay_ms_t *d, ua_ticks_t when, int32_t duration_ms);

/* Whether a trigger is pending expiry. */
static inline bool delay_ms_running(const delay_ms_t *d)
{
    return d->running != 0;
}

#endif /* DELAY_MS_H */
