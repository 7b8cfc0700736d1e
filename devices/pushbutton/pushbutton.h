/*
 * Pushbutton: debounced button with press, release, long-press and
 * double-click reports (the seed's aswitch.Pushbutton, V3 semantics, with
 * its reported bugs fixed).
 *
 * Wiring.  The default sense, PB_SENSE_AUTO (the seed's behaviour), leaves
 * the pin as the caller configured it (no pull resistor is enabled) and
 * takes the level read at start as "released": the button must not be
 * held at start.  PB_ACTIVE_LOW (button between the pin and ground): the driver
 * enables the pull-up.  PB_ACTIVE_HIGH (button to Vcc): the pull-down.
 *
 * Configuration (pb_config_t, defaults in brackets, per instance):
 * debounce_ms [50] sampling period; long_ms [1000]; double_ms [400], which
 * must be shorter than long_ms; suppress [false]; sense [AUTO].
 *
 * Sampling.  The pin is read at start (the initial state; nothing is
 * reported for it, so a button held at start reports its release only) and
 * then at t_start + k*debounce_ms exactly (absolute schedule; after an
 * overrun it restarts from the late sample).  "Press sample" below is the
 * first sample reading pressed, "release sample" the first reading
 * released: a clean edge is seen 0..debounce_ms after it, a bouncing one at
 * most debounce_ms after it settles, and bounce shorter than the period
 * never gives more than one press or release.
 *
 * What fires when (P = the press sample's tick; each report only if that
 * kind is enabled with pb_enable):
 *   PRESS    at every press sample.
 *   DOUBLE   at a press sample less than double_ms after the press sample
 *            P of a first press (the window excludes its end, as the
 *            seed's timer runs before a sample at the same tick; "first
 *            press" = one that did not itself complete a double).  The
 *            press that completes a double starts no long-press timer
 *            (seed issue #101) and no new window.
 *   LONG     at P + long_ms of a first press, if no sample before that
 *            tick read released (a sample at that very tick comes after
 *            the timer, as in the seed: a hold of long_ms gives LONG).
 *            Never on the second press of a double.
 *   RELEASE  without suppress: at every release sample.
 *            With suppress, exactly one of RELEASE / LONG / DOUBLE per
 *            gesture: no RELEASE after a LONG or for the release ending a
 *            double; if DOUBLE is enabled and the release sample falls
 *            within the window (before P + double_ms), RELEASE is deferred
 *            to P + double_ms and made then unless a second press came;
 *            otherwise RELEASE at the release sample.  With suppress and no
 *            RELEASE enabled nothing is reported (the seed crashed there).
 * Reports made at one tick come in the order LONG, deferred RELEASE
 * (timers armed earlier), then PRESS, DOUBLE, RELEASE (the sample).
 *
 * Reports.  Each enabled kind sets its event and calls its callback (if not
 * NULL) from the driver's task; callbacks may call any function here,
 * including pb_stop and pb_start.  pb_wait awaits a kind and consumes its
 * event.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  pb_init
 * configures the struct and touches nothing else; pb_start configures and
 * reads the pin and spawns the polling task; pb_stop cancels it: from its
 * return nothing of the button is armed in the loop, and waiters get
 * PB_ESTOPPED (at the loop's next pass).  pb_start may follow at once,
 * also from a callback: a polling task still finishing its cancellation
 * carries on for the new start.  The struct must be zeroed before its
 * first pb_init (static storage, or `= {0}`), so that init can tell a
 * stopping task from garbage; its memory may be reused once pb_stopped().
 *
 *     static pushbutton_t pb;
 *     pb_init(&pb, &pin, NULL);                       // defaults
 *     pb_enable(&pb, PB_LONG, on_long, NULL);
 *     pb_start(&pb, loop);
 *     ... UA_AWAIT(pb_wait(self, &pb, PB_DOUBLE, UA_FOREVER));
 */
#ifndef PUSHBUTTON_H
#define PUSHBUTTON_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_event.h"
#include "ua_hw.h"
#include "ua_loop.h"

#define PB_DEBOUNCE_MS 50
#define PB_LONG_MS 1000
#define PB_DOUBLE_MS 400

/* Error codes: the PB_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_PUSHBUTTON): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

enum pb_kind { PB_PRESS = 0, PB_RELEASE, PB_LONG, PB_DOUBLE, PB_NKINDS };

/* The pin level when the button is released. */
enum pb_sense { PB_SENSE_AUTO = -1, PB_ACTIVE_HIGH = 0, PB_ACTIVE_LOW = 1 };

typedef struct pb_config {
    uint16_t debounce_ms;
    uint16_t long_ms;
    uint16_t double_ms;
    bool suppress;
    int8_t sense; /* enum pb_sense */
} pb_config_t;

#define PB_CONFIG_DEFAULT                                                      \
    {PB_DEBOUNCE_MS, PB_LONG_MS, PB_DOUBLE_MS, false, PB_SENSE_AUTO}

typedef void (*pb_cb)(void *arg);

typedef struct pushbutton {
    ua_task_t task; /* the polling task (private) */
    ua_co_t co;
    /* Lifecycle (private); pb_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t gen;     /* counts starts */
    uint8_t run_gen; /* the start the task serves */
    uint8_t task_up; /* the task has run since its spawn */
    ua_loop_t *loop;
    ua_pin_t *pin;
    pb_config_t cfg;
    pb_cb cb[PB_NKINDS];
    void *cb_arg[PB_NKINDS];
    ua_task_t *launch[PB_NKINDS]; /* or a task spawned per report */
    uint32_t launch_busy;         /* reports whose task was still running */
    ua_event_t ev[PB_NKINDS];
    uint32_t count[PB_NKINDS]; /* reports made, per kind */
    ua_ticks_t next_sample;
    ua_ticks_t long_end;
    ua_ticks_t dbl_end;
    uint8_t enabled;     /* bit per enum pb_kind */
    uint8_t idle_level;  /* pin level when released */
    uint8_t pressed;     /* debounced logical state */
    uint8_t long_armed, dbl_armed;
    uint8_t long_fired;  /* this press gave LONG */
    uint8_t dbl_ran;     /* this press completed a double */
    uint8_t rel_deferred;
} pushbutton_t;

/*
 * Configure `pb` for `pin` with `cfg` (NULL: PB_CONFIG_DEFAULT; copied).
 * No side effect: the pin is not touched.  Every kind starts disabled.
 * Returns 0, PB_ECONFIG, or UA_EBUSY if started.
 */
int pb_init(pushbutton_t *pb, ua_pin_t *pin, const pb_config_t *cfg);

/*
 * Configure the pin (per cfg.sense), read the initial state and spawn the
 * polling task on `loop`.  Returns 0, UA_EBUSY if already started, PB_EPIN
 * or a spawn error.
 */
int pb_start(pushbutton_t *pb, ua_loop_t *loop);

/* Stop sampling and release the waiters (see Lifecycle).  Idempotent. */
void pb_stop(pushbutton_t *pb);

/* True once stopped and the polling task has finished: the memory may be
 * reused. */
bool pb_stopped(const pushbutton_t *pb);

/* Enable reports of `kind`: its event is set and cb (if not NULL) called.
 * Enabling LONG or DOUBLE takes effect from the next first press. */
void pb_enable(pushbutton_t *pb, enum pb_kind kind, pb_cb cb, void *arg);
void pb_disable(pushbutton_t *pb, enum pb_kind kind);

/* Enable reports of `kind` with a task (ua_task_init'ed) spawned at each
 * one instead of a callback: the seed's `launch` of a coroutine callback.
 * A task still running from the last report is not started twice (counted
 * in launch_busy). */
void pb_enable_task(pushbutton_t *pb, enum pb_kind kind, ua_task_t *task);

/* Debounced logical state: true while pressed. */
bool pb_pressed(const pushbutton_t *pb);

/* The pin read now, not debounced: true if it reads pressed (the seed's
 * rawstate()). */
bool pb_rawstate(const pushbutton_t *pb);

/* Await a report of `kind` (or one already made and not consumed), then
 * consume it.  UA_ETIMEDOUT, UA_ECANCELLED, PB_ESTOPPED. */
int pb_wait(ua_task_t *self, pushbutton_t *pb, enum pb_kind kind,
            int32_t timeout_ms);

ua_event_t *pb_event(pushbutton_t *pb, enum pb_kind kind);

#endif /* PUSHBUTTON_H */
