/* Pushbutton: press, release, long press, double click (see pushbutton.h). */
#include "pushbutton.h"

#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

static bool enabled(const pushbutton_t *pb, enum pb_kind k)
{
    return (pb->enabled >> k) & 1u;
}

static void report(pushbutton_t *pb, enum pb_kind k)
{
    if (!enabled(pb, k))
        return;
    pb->count[k]++;
    ua_event_set(&pb->ev[k]);
    if (pb->cb[k] != NULL)
        pb->cb[k](pb->cb_arg[k]);
    else if (pb->launch[k] != NULL && ua_spawn(pb->loop, pb->launch[k]) < 0)
        pb->launch_busy++;
}

static uint32_t ms_ticks(uint16_t ms)
{
    return (uint32_t)ms * UA_TICKS_PER_MS;
}

static void on_press(pushbutton_t *pb, ua_ticks_t now)
{
    report(pb, PB_PRESS);
    if (pb->dbl_armed && enabled(pb, PB_DOUBLE)) {
        /* Second press inside the window: a double, and neither a long
         * timer nor a new window for it (seed issue #101). */
        pb->dbl_armed = 0;
        pb->rel_deferred = 0;
        pb->dbl_ran = 1;
        pb->long_fired = 0;
        report(pb, PB_DOUBLE);
        return;
    }
    if (pb->rel_deferred) {
        /* DOUBLE was disabled inside the window: the last gesture was a
         * click after all, reported before this press starts a new one. */
        pb->rel_deferred = 0;
        report(pb, PB_RELEASE);
    }
    pb->dbl_ran = 0;
    pb->long_fired = 0;
    if (enabled(pb, PB_LONG)) {
        pb->long_armed = 1;
        pb->long_end = ua_ticks_add(now, ms_ticks(pb->cfg.long_ms));
    }
    if (enabled(pb, PB_DOUBLE)) {
        pb->dbl_armed = 1;
        pb->dbl_end = ua_ticks_add(now, ms_ticks(pb->cfg.double_ms));
    }
}

static void on_release(pushbutton_t *pb)
{
    pb->long_armed = 0;
    if (!pb->cfg.suppress)
        report(pb, PB_RELEASE);
    else if (pb->long_fired || pb->dbl_ran)
        return; /* this gesture was already reported */
    else if (pb->dbl_armed)
        pb->rel_deferred = 1; /* a second press may still make it a double */
    else
        report(pb, PB_RELEASE);
}

static void sample(pushbutton_t *pb, ua_ticks_t now)
{
    uint8_t pressed = (uint8_t)((ua_pin_read(pb->pin) != 0) != pb->idle_level);

    if (pressed == pb->pressed)
        return;
    pb->pressed = pressed;
    if (pressed)
        on_press(pb, now);
    else
        on_release(pb);
}

static bool due(ua_ticks_t when, ua_ticks_t now)
{
    return ua_ticks_diff(now, when) >= 0;
}

/*
 * One wake-up: the timers first, then the sample -- the seed's order: its
 * long and double timers, armed at the press, come before a sample taken
 * at the same tick.  So a release sampled exactly long_ms after the press
 * still gets LONG (then RELEASE), and a press sampled exactly double_ms
 * after the first one is not a double.
 */
static void run_due(pushbutton_t *pb, ua_ticks_t now)
{
    const uint8_t gen = pb->gen; /* a callback may stop, or stop and start */

#define LIVE (pb->state == ST_STARTED && pb->gen == gen)
    if (LIVE && pb->long_armed && due(pb->long_end, now)) {
        pb->long_armed = 0;
        pb->long_fired = 1;
        report(pb, PB_LONG);
    }
    if (LIVE && pb->dbl_armed && due(pb->dbl_end, now)) {
        pb->dbl_armed = 0;
        if (pb->rel_deferred) {
            pb->rel_deferred = 0;
            report(pb, PB_RELEASE);
        }
    }
    if (LIVE && due(pb->next_sample, now)) {
        sample(pb, now);
        if (pb->gen != gen)
            return; /* started again: its own schedule stands */
        pb->next_sample =
            ua_ticks_add(pb->next_sample, ms_ticks(pb->cfg.debounce_ms));
        if (due(pb->next_sample, now))
            pb->next_sample = ua_ticks_add(now, ms_ticks(pb->cfg.debounce_ms));
    }
#undef LIVE
}

/* Time to the earliest of the next sample and the armed timers. */
static int32_t time_to_next(const pushbutton_t *pb, ua_ticks_t now)
{
    ua_ticks_t t = pb->next_sample;

    if (pb->long_armed && ua_ticks_diff(pb->long_end, t) < 0)
        t = pb->long_end;
    if (pb->dbl_armed && ua_ticks_diff(pb->dbl_end, t) < 0)
        t = pb->dbl_end;
    return ua_ticks_diff(t, now);
}

/*
 * One task serves every start: pb_stop cancels it, and if pb_start comes
 * before it has finished (the next pass), it finds a new generation and
 * goes on with the new schedule instead of ending.
 */
static int poll_task(ua_task_t *self)
{
    pushbutton_t *pb = UA_CONTAINER_OF(self, pushbutton_t, task);
    int st;

    UA_BEGIN(self, &pb->co);
    pb->task_up = 1;
    while (pb->state == ST_STARTED) {
        pb->run_gen = pb->gen;
        UA_AWAIT_STATUS(st, ua_sleep_us(self, time_to_next(pb,
                                                       ua_loop_now(pb->loop))));
        if (st < 0 || pb->state != ST_STARTED || pb->run_gen != pb->gen)
            continue; /* stopped (and maybe started again) meanwhile */
        run_due(pb, ua_loop_now(pb->loop));
    }
    UA_END();
}

static int check_config(const pb_config_t *c)
{
    if (c->debounce_ms == 0 || c->long_ms == 0 || c->double_ms == 0 ||
        c->double_ms >= c->long_ms)
        return PB_ECONFIG;
    if (c->sense != PB_SENSE_AUTO && c->sense != PB_ACTIVE_HIGH &&
        c->sense != PB_ACTIVE_LOW)
        return PB_ECONFIG;
    return 0;
}

int pb_init(pushbutton_t *pb, ua_pin_t *pin, const pb_config_t *cfg)
{
    static const pb_config_t defaults = PB_CONFIG_DEFAULT;
    const pb_config_t *c = cfg != NULL ? cfg : &defaults;
    int st;

    if (pb->state == ST_STARTED)
        return UA_EBUSY;
    if ((st = check_config(c)) < 0)
        return st;
    /* The task and the lifecycle fields before `loop` survive: a task
     * still finishing a stop is linked in the loop (see Lifecycle). */
    memset(&pb->loop, 0, sizeof(*pb) - offsetof(pushbutton_t, loop));
    pb->cfg = *c;
    pb->pin = pin;
    for (int k = 0; k < PB_NKINDS; k++)
        ua_event_init(&pb->ev[k]);
    return 0;
}

int pb_start(pushbutton_t *pb, ua_loop_t *loop)
{
    int level;

    if (pb->state == ST_STARTED)
        return UA_EBUSY;
    if (pb->cfg.sense == PB_SENSE_AUTO) {
        level = ua_pin_read(pb->pin) != 0;
        pb->idle_level = (uint8_t)level;
    } else {
        enum ua_pin_mode m = pb->cfg.sense == PB_ACTIVE_LOW
                                 ? UA_PIN_INPUT_PULLUP
                                 : UA_PIN_INPUT_PULLDOWN;
        if (ua_pin_configure(pb->pin, m) < 0)
            return PB_EPIN;
        pb->idle_level = (uint8_t)pb->cfg.sense;
        level = ua_pin_read(pb->pin) != 0;
    }
    pb->loop = loop;
    pb->pressed = (uint8_t)(level != pb->idle_level);
    pb->long_armed = pb->dbl_armed = pb->rel_deferred = 0;
    pb->long_fired = pb->dbl_ran = 0;
    pb->next_sample =
        ua_ticks_add(ua_loop_now(loop), ms_ticks(pb->cfg.debounce_ms));
    if (!ua_task_running(&pb->task)) {
        ua_task_init(&pb->task, poll_task);
        pb->co = (ua_co_t){0};
        pb->task_up = 0;
        int st = ua_spawn(loop, &pb->task);
        if (st < 0)
            return st;
    }
    pb->gen++;
    pb->state = ST_STARTED;
    return 0;
}

void pb_enable(pushbutton_t *pb, enum pb_kind kind, pb_cb cb, void *arg)
{
    if ((unsigned)kind >= PB_NKINDS)
        return;
    pb->cb[kind] = cb;
    pb->cb_arg[kind] = arg;
    pb->launch[kind] = NULL;
    pb->enabled |= (uint8_t)(1u << kind);
}

void pb_enable_task(pushbutton_t *pb, enum pb_kind kind, ua_task_t *task)
{
    pb_enable(pb, kind, NULL, NULL);
    if ((unsigned)kind < PB_NKINDS)
        pb->launch[kind] = task;
}

void pb_disable(pushbutton_t *pb, enum pb_kind kind)
{
    if ((unsigned)kind >= PB_NKINDS)
        return;
    pb->enabled &= (uint8_t)~(1u << kind);
    pb->cb[kind] = NULL;
    pb->launch[kind] = NULL;
    /* A running double-click window is left to expire, so that a release
     * it deferred is still reported at its end. */
    if (kind == PB_LONG)
        pb->long_armed = 0;
}

bool pb_pressed(const pushbutton_t *pb)
{
    return pb->pressed != 0;
}

bool pb_rawstate(const pushbutton_t *pb)
{
    return (ua_pin_read(pb->pin) != 0) != pb->idle_level;
}

ua_event_t *pb_event(pushbutton_t *pb, enum pb_kind kind)
{
    return &pb->ev[kind];
}

int pb_wait(ua_task_t *self, pushbutton_t *pb, enum pb_kind kind,
            int32_t timeout_ms)
{
    if ((unsigned)kind >= PB_NKINDS)
        return UA_EINVAL;
    ua_event_t *ev = &pb->ev[kind];
    /* A first call on a stopped button would wait for ever; a resumed call
     * must reach ua_event_wait to collect its outcome. */
    if (pb->state != ST_STARTED && ua_await_is_first(self) &&
        !ua_event_is_set(ev))
        return PB_ESTOPPED;
    int st = ua_event_wait(self, ev, timeout_ms);
    if (st == 0)
        ua_event_clear(ev);
    return st;
}

void pb_stop(pushbutton_t *pb)
{
    if (pb->state != ST_STARTED)
        return;
    pb->state = ST_STOPPED;
    pb->long_armed = pb->dbl_armed = pb->rel_deferred = 0;
    /* Out of the timer heap at once.  From a callback the task is the
     * caller (UA_ESELF): it leaves its loop when the callback returns.  A
     * task that has not run yet is left alone: cancelled, it would finish
     * without running and a start before the next pass would have no
     * task; run, it sees the state and ends (or serves the new start). */
    if (pb->task_up)
        ua_task_cancel(&pb->task);
    for (int k = 0; k < PB_NKINDS; k++)
        ua_event_fail_waiters(&pb->ev[k], PB_ESTOPPED);
}

bool pb_stopped(const pushbutton_t *pb)
{
    return pb->state != ST_STARTED && !ua_task_running(&pb->task);
}
