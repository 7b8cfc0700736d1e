/*
 * Switch: a debounced normally-open switch (the seed's aswitch.Switch).
 *
 * Wiring: one side of the switch to a GPIO, the other to ground; the driver
 * configures the pin as an input with pull-up, so it reads 1 while the
 * switch is open and 0 while it is closed.
 *
 * Debouncing by polling.  The pin is read when switch_start runs (that level
 * is the initial state; no callback is made for it) and then every
 * debounce_ms (default 50 ms) on a fixed schedule: sample k is taken at
 * t_start + k*debounce_ms exactly (the schedule is absolute, so it does not
 * drift when the loop is late; after an overrun longer than a period it
 * restarts from the late sample).  A change is reported at the first sample
 * that reads the new level.  As long as contact bounce is shorter than the
 * period, one physical transition gives exactly one report, made at most
 * debounce_ms after the contact settles (a sample landing inside the bounce
 * reads either level; the next one reads the settled level).
 *
 * Why polling and not the pin interrupt: it needs no interrupt-capable pin
 * and no interrupt handler, its timing is a fixed, documented schedule
 * whatever the contact does, and a bouncing contact costs no CPU (an
 * interrupt-driven switch takes an interrupt per bounce, tens per press).
 * The price is one wake-up per period and up to one period of latency, both
 * irrelevant at human speed.  (For edges that must be timestamped, as an IR
 * receiver's, the drivers use the interrupt.)
 *
 * Reports.  On close: the close event is set and the close callback called;
 * on open likewise.  Events stay set until consumed by switch_wait (or
 * ua_event_clear on switch_event()).  Callbacks run in the driver's task and
 * may call any function here, including switch_stop.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  switch_init
 * configures the struct and touches nothing else; switch_start configures
 * the pin, reads the initial level and spawns the polling task;
 * switch_stop cancels it: from its return nothing of the switch is armed
 * in the loop, and tasks waiting in switch_wait get SWITCH_ESTOPPED (at
 * the loop's next pass).  switch_start may follow at once, also from a
 * callback: a polling task still finishing its cancellation carries on
 * for the new start rather than a second one being spawned.  The struct
 * must be zeroed before its first switch_init (static storage, or
 * `= {0}`), so that init can tell a stopping task from garbage; its memory
 * may be reused once switch_stopped() is true.
 */
#ifndef SWITCH_H
#define SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_event.h"
#include "ua_hw.h"
#include "ua_loop.h"

#define SWITCH_DEBOUNCE_MS 50

/* Error codes: the SWITCH_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_SWITCH): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

enum switch_action { SWITCH_CLOSE = 0, SWITCH_OPEN = 1 };

typedef void (*switch_cb)(void *arg);

typedef struct switch_s {
    ua_task_t task; /* the polling task (private) */
    ua_co_t co;
    /* Lifecycle (private); switch_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t gen;     /* counts starts */
    uint8_t run_gen; /* the start the task serves */
    uint8_t task_up; /* the task has run since its spawn */
    ua_loop_t *loop;
    ua_pin_t *pin;
    switch_cb cb[2];
    void *cb_arg[2];
    ua_task_t *launch[2]; /* or a task spawned per report */
    uint32_t launch_busy; /* reports whose task was still running */
    ua_event_t ev[2];     /* indexed by enum switch_action */
    ua_ticks_t next;      /* tick of the next sample */
    uint32_t period_us;
    uint32_t count[2];    /* closes and opens reported */
    uint8_t level;        /* debounced pin level: 0 closed, 1 open */
} switch_t;

/*
 * Configure `s` for `pin`, polled every debounce_ms (0:
 * SWITCH_DEBOUNCE_MS) once started.  No side effect: the pin is not
 * touched.  Callbacks and launched tasks are cleared.  UA_EBUSY if started.
 */
int switch_init(switch_t *s, ua_pin_t *pin, uint16_t debounce_ms);

/*
 * Configure the pin (input, pull-up), read the initial state and spawn the
 * polling task on `loop`.  Returns 0, UA_EBUSY if already started,
 * SWITCH_EPIN or a spawn error.
 */
int switch_start(switch_t *s, ua_loop_t *loop);

/* Stop polling and release the waiters (see Lifecycle).  Idempotent. */
void switch_stop(switch_t *s);

/* True once stopped and the polling task has finished: the memory may be
 * reused. */
bool switch_stopped(const switch_t *s);

/* Set the callback for closing or opening (NULL: none). */
void switch_callback(switch_t *s, enum switch_action a, switch_cb cb,
                     void *arg);

/* Or a task (ua_task_init'ed) spawned at each close or open instead of a
 * callback: the seed's `launch` of a coroutine.  A task still running from
 * the last report is not started twice (counted in launch_busy). */
void switch_launch(switch_t *s, enum switch_action a, ua_task_t *task);

/* The debounced level: 0 = closed, 1 = open (as the pin reads). */
int switch_level(const switch_t *s);

static inline bool switch_closed(const switch_t *s)
{
    return switch_level(s) == 0;
}

/* Await the next close/open (or one that happened and was not consumed),
 * then consume it.  UA_ETIMEDOUT, UA_ECANCELLED or SWITCH_ESTOPPED. */
int switch_wait(ua_task_t *self, switch_t *s, enum switch_action a,
                int32_t timeout_ms);

/* The underlying event, for code that manages it itself. */
ua_event_t *switch_event(switch_t *s, enum switch_action a);

#endif /* SWITCH_H */
