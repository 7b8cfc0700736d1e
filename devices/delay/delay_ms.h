/*
 * Delay_ms: a retriggerable monostable (software watchdog).
 *
 * A delay_ms_t is "running" from a trigger until its end time; at the end
 * time it stops running, sets its expiry event and calls its callback.  Each
 * trigger sets a new end time, now + duration, which may be later (extend,
 * as a watchdog is fed) or earlier (shorten) than the current one -- the
 * seed's V2 could only extend.  stop() cancels the expiry.  Nothing is
 * allocated: the struct holds one timer task, one ISR flag and one event.
 *
 *     static delay_ms_t wd;
 *     delay_ms_init(&wd, loop, 5000, on_timeout, NULL);   // 5 s watchdog
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
 * stays set until delay_ms_clear() or delay_ms_stop(); trigger does not
 * clear it (a trigger may come from an interrupt, and events are task-only).
 *
 * Lifetime.  delay_ms_deinit() cancels the timer task and unregisters the
 * flag: from its return no timer of this instance is armed and no ISR flag
 * is registered (seed issues #74, #138); the task itself finishes at the
 * loop's next pass, so the struct must stay valid until
 * delay_ms_deinit_complete() is true.  A second deinit does nothing (#98);
 * trigger after deinit returns DELAY_ESTOPPED.  The callback may call
 * trigger (a periodic timer), stop or deinit on its own instance.
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
    uint8_t state;            /* private: enum in delay_ms.c */
    int32_t duration_ms;      /* default for trigger(<= 0) */
    int32_t wait_us;          /* frame local of the timer task */
    uint32_t expiries;        /* count of callbacks run */
} delay_ms_t;

/* --- Task context --------------------------------------------------------- */

/*
 * Set up `d` on `loop` and spawn its timer task.  duration_ms <= 0 means
 * DELAY_MS_DEFAULT_MS; cb may be NULL (use the event).  Returns 0,
 * DELAY_ERANGE or the spawn error.
 */
int delay_ms_init(delay_ms_t *d, ua_loop_t *loop, int32_t duration_ms,
                  delay_ms_cb cb, void *arg);

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

/* Stop without expiry: clears running and the event; the armed timer is
 * disarmed at the next pass.  Callable from the callback. */
void delay_ms_stop(delay_ms_t *d);

/* Await the expiry event (returns at once if it is set; does not clear
 * it).  UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none). */
int delay_ms_wait(ua_task_t *self, delay_ms_t *d, int32_t timeout_ms);

void delay_ms_clear(delay_ms_t *d);
bool delay_ms_expired(const delay_ms_t *d);

/* Cancel the timer task and unregister the flag (see Lifetime above).
 * Returns 0, also when already deinitialised. */
int delay_ms_deinit(delay_ms_t *d);

/* True once the timer task of a deinitialised instance has finished and
 * the struct may be reused or freed. */
bool delay_ms_deinit_complete(const delay_ms_t *d);

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
