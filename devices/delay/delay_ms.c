/* Delay_ms: retriggerable monostable (see delay_ms.h). */
#include "delay_ms.h"

#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

/* The end time and the running bit are written by interrupt handlers, so
 * the timer task reads and clears them as one step. */
#define crit_enter(loop) ua_critical_enter(loop)
#define crit_exit(loop) ua_critical_exit(loop)

/* True if the delay has just expired (running is then cleared); otherwise
 * leaves in wait_us how long to wait for a change (-1: no deadline). */
static bool take_expiry(delay_ms_t *d)
{
    bool fire = false;

    d->wait_us = -1;
    crit_enter(d->loop);
    if (d->running) {
        int32_t left = ua_ticks_diff(d->end, ua_loop_now(d->loop));
        if (left <= 0) {
            d->running = 0;
            fire = true;
        } else {
            d->wait_us = left;
        }
    }
    crit_exit(d->loop);
    return fire;
}

/*
 * The timer task: wait on the flag with the time left as timeout; whether
 * woken by the timeout or by a trigger/cancel (the flag), re-read the end
 * time.  That is what lets a trigger shorten the delay: the wait is always
 * for the current end, never for a stale one.  One task serves every
 * start: delay_ms_stop cancels it, and if delay_ms_start comes before it
 * has finished (the next pass), the re-read finds the new start's state.
 */
static int timer_task(ua_task_t *self)
{
    delay_ms_t *d = UA_CONTAINER_OF(self, delay_ms_t, task);
    int st;

    UA_BEGIN(self, &d->co);
    d->task_up = 1;
    while (d->state == ST_STARTED) {
        if (take_expiry(d)) {
            d->expiries++;
            ua_event_set(&d->expired);
            /* The action may trigger, cancel, stop or start. */
            if (d->cb != NULL) {
                d->rvalue = 0;
                d->cb(d->cb_arg);
            } else if (d->rv_cb != NULL) {
                d->rvalue = d->rv_cb(d->cb_arg);
            } else if (d->launch != NULL) {
                d->rvalue = ua_spawn(d->loop, d->launch);
            }
            continue;
        }
        /* Cancelled by a stop: the loop condition ends the task, unless a
         * start came meanwhile. */
        UA_AWAIT_STATUS(st, ua_flag_wait_us(self, &d->flag, d->wait_us));
        (void)st;
    }
    UA_END();
}

int delay_ms_init(delay_ms_t *d, int32_t duration_ms, delay_ms_cb cb,
                  void *arg)
{
    if (d->state == ST_STARTED)
        return UA_EBUSY;
    if (duration_ms > DELAY_MS_MAX_MS)
        return DELAY_ERANGE;
    /* The task and the lifecycle fields before `flag` survive: a task
     * still finishing a stop is linked in the loop (see Lifecycle). */
    memset(&d->flag, 0, sizeof(*d) - offsetof(delay_ms_t, flag));
    d->cb = cb;
    d->cb_arg = arg;
    d->duration_ms = duration_ms > 0 ? duration_ms : DELAY_MS_DEFAULT_MS;
    ua_event_init(&d->expired);
    return 0;
}

int delay_ms_start(delay_ms_t *d, ua_loop_t *loop)
{
    int st;

    if (d->state == ST_STARTED)
        return UA_EBUSY;
    if ((st = ua_flag_init(&d->flag, loop)) < 0)
        return st;
    d->loop = loop;
    d->running = 0;
    if (!ua_task_running(&d->task)) {
        ua_task_init(&d->task, timer_task);
        d->co = (ua_co_t){0};
        d->task_up = 0;
        if ((st = ua_spawn(loop, &d->task)) < 0) {
            ua_flag_deinit(&d->flag);
            return st;
        }
    }
    d->state = ST_STARTED;
    return 0;
}

void delay_ms_callback(delay_ms_t *d, delay_ms_cb cb, void *arg)
{
    d->cb = cb;
    d->rv_cb = NULL;
    d->launch = NULL;
    d->cb_arg = arg;
}

void delay_ms_callback_rv(delay_ms_t *d, delay_ms_rv_cb cb, void *arg)
{
    d->cb = NULL;
    d->rv_cb = cb;
    d->launch = NULL;
    d->cb_arg = arg;
}

void delay_ms_launch(delay_ms_t *d, ua_task_t *task)
{
    d->cb = NULL;
    d->rv_cb = NULL;
    d->launch = task;
}

int delay_ms_rvalue(const delay_ms_t *d)
{
    return d->rvalue;
}

int delay_ms_trigger_at(delay_ms_t *d, ua_ticks_t when, int32_t duration_ms)
{
    if (d->state != ST_STARTED)
        return DELAY_ESTOPPED;
    if (duration_ms <= 0)
        duration_ms = d->duration_ms;
    if (duration_ms > DELAY_MS_MAX_MS)
        return DELAY_ERANGE;
    /* end before running: the task only reads end while running is set. */
    d->end = ua_ticks_add(when, (uint32_t)duration_ms * UA_TICKS_PER_MS);
    d->running = 1;
    ua_flag_set(&d->flag);
    return 0;
}

int delay_ms_trigger(delay_ms_t *d, int32_t duration_ms)
{
    if (d->state != ST_STARTED)
        return DELAY_ESTOPPED;
    return delay_ms_trigger_at(d, ua_loop_now(d->loop), duration_ms);
}

void delay_ms_cancel(delay_ms_t *d)
{
    if (d->state != ST_STARTED)
        return;
    d->running = 0;
    ua_event_clear(&d->expired);
    ua_flag_set(&d->flag); /* so the task disarms its timer now */
}

int delay_ms_wait(ua_task_t *self, delay_ms_t *d, int32_t timeout_ms)
{
    /* A first call on a stopped instance would wait for ever: refuse it.
     * (A resumed call must reach ua_event_wait to collect its outcome.) */
    if (d->state != ST_STARTED && ua_await_is_first(self) &&
        !ua_event_is_set(&d->expired))
        return DELAY_ESTOPPED;
    return ua_event_wait(self, &d->expired, timeout_ms);
}

void delay_ms_clear(delay_ms_t *d)
{
    ua_event_clear(&d->expired);
}

bool delay_ms_expired(const delay_ms_t *d)
{
    return ua_event_is_set(&d->expired);
}

void delay_ms_stop(delay_ms_t *d)
{
    if (d->state != ST_STARTED)
        return;
    /* With the interrupts masked, so that a trigger from an interrupt
     * either comes before (and its flag set is harmless) or sees the
     * stopped state: it never sets a flag being unregistered. */
    crit_enter(d->loop);
    d->state = ST_STOPPED;
    d->running = 0;
    crit_exit(d->loop);
    /* From the callback the task is the caller (UA_ESELF): it leaves its
     * loop when the callback returns.  A task that has not run yet is left
     * alone: cancelled, it would finish without running and a start before
     * the next pass would have no task; run, it sees the state and ends
     * (or serves the new start). */
    if (d->task_up)
        ua_task_cancel(&d->task);
    ua_flag_deinit(&d->flag);
    /* Tasks awaiting expiry would wait for ever: fail their wait. */
    ua_event_fail_waiters(&d->expired, DELAY_ESTOPPED);
}

bool delay_ms_stopped(const delay_ms_t *d)
{
    return d->state != ST_STARTED && !ua_task_running(&d->task);
}
