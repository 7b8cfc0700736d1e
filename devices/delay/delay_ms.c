/* Delay_ms: retriggerable monostable (see delay_ms.h). */
#include "delay_ms.h"

#include <string.h>

enum { ST_UNINIT = 0, ST_ACTIVE = 1, ST_DEAD = 2 };

/* The end time and the running bit are written by interrupt handlers, so
 * the timer task reads and clears them as one step. */
static void crit_enter(const ua_loop_t *loop)
{
    if (loop->port->critical_enter != NULL)
        loop->port->critical_enter(loop->port->ctx);
}

static void crit_exit(const ua_loop_t *loop)
{
    if (loop->port->critical_exit != NULL)
        loop->port->critical_exit(loop->port->ctx);
}

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
 * woken by the timeout or by a trigger/stop (the flag), re-read the end
 * time.  That is what lets a trigger shorten the delay: the wait is always
 * for the current end, never for a stale one.
 */
static int timer_task(ua_task_t *self)
{
    delay_ms_t *d = UA_CONTAINER_OF(self, delay_ms_t, task);
    int st;

    UA_BEGIN(self, &d->co);
    while (d->state == ST_ACTIVE) {
        if (take_expiry(d)) {
            d->expiries++;
            ua_event_set(&d->expired);
            /* The action may trigger, stop or deinit. */
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
        UA_AWAIT_STATUS(st, ua_flag_wait_us(self, &d->flag, d->wait_us));
        if (st == UA_ECANCELLED)
            break;
    }
    UA_END();
}

int delay_ms_init(delay_ms_t *d, ua_loop_t *loop, int32_t duration_ms,
                  delay_ms_cb cb, void *arg)
{
    if (duration_ms > DELAY_MS_MAX_MS)
        return DELAY_ERANGE;
    memset(d, 0, sizeof(*d));
    d->loop = loop;
    d->cb = cb;
    d->cb_arg = arg;
    d->duration_ms = duration_ms > 0 ? duration_ms : DELAY_MS_DEFAULT_MS;
    ua_event_init(&d->expired);
    ua_flag_init(&d->flag, loop);
    ua_task_init(&d->task, timer_task);
    int st = ua_spawn(loop, &d->task);
    if (st < 0) {
        ua_flag_deinit(&d->flag);
        return st;
    }
    d->state = ST_ACTIVE;
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
    if (d->state != ST_ACTIVE)
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
    if (d->state != ST_ACTIVE)
        return DELAY_ESTOPPED;
    return delay_ms_trigger_at(d, ua_loop_now(d->loop), duration_ms);
}

void delay_ms_stop(delay_ms_t *d)
{
    if (d->state != ST_ACTIVE)
        return;
    d->running = 0;
    ua_event_clear(&d->expired);
    ua_flag_set(&d->flag); /* so the task disarms its timer now */
}

int delay_ms_wait(ua_task_t *self, delay_ms_t *d, int32_t timeout_ms)
{
    /* A first call on a dead instance would wait for ever: refuse it.  (A
     * resumed call must reach ua_event_wait to consume its wake reason.) */
    if (d->state != ST_ACTIVE && self->wake == UA_WAKE_NONE &&
        !ua_event_is_set(&d->expired))
        return DELAY_ESTOPPED;
    int st = ua_event_wait(self, &d->expired, timeout_ms);
    if (st == UA_ECANCELLED && d->state == ST_DEAD)
        return DELAY_ESTOPPED;
    return st;
}

void delay_ms_clear(delay_ms_t *d)
{
    ua_event_clear(&d->expired);
}

bool delay_ms_expired(const delay_ms_t *d)
{
    return ua_event_is_set(&d->expired);
}

int delay_ms_deinit(delay_ms_t *d)
{
    ua_task_t *t;

    if (d->state != ST_ACTIVE)
        return 0;
    d->state = ST_DEAD;
    d->running = 0;
    /* From the callback the task cancels itself: it just leaves its loop. */
    if (d->loop->current != &d->task)
        ua_task_cancel(&d->task);
    ua_flag_deinit(&d->flag);
    /* Tasks awaiting expiry would wait for ever: fail their wait. */
    while ((t = d->expired.waiters.head) != NULL)
        ua__wake(t, UA_WAKE_CANCEL);
    return 0;
}

bool delay_ms_deinit_complete(const delay_ms_t *d)
{
    return d->state != ST_ACTIVE &&
           (d->task.where == UA_W_DONE || d->task.where == UA_W_IDLE);
}
