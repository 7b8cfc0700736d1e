/* Switch: debounced normally-open switch (see switch.h). */
#include "switch.h"

#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

/* Take the sample due now and report a change of level. */
static void sample(switch_t *s)
{
    int level = ua_pin_read(s->pin) != 0;

    if (level == s->level)
        return;
    s->level = (uint8_t)level;
    enum switch_action a = level ? SWITCH_OPEN : SWITCH_CLOSE;
    s->count[a]++;
    ua_event_set(&s->ev[a]);
    if (s->cb[a] != NULL)
        s->cb[a](s->cb_arg[a]);
    else if (s->launch[a] != NULL && ua_spawn(s->loop, s->launch[a]) < 0)
        s->launch_busy++;
}

/* Advance the absolute schedule; after an overrun restart from now. */
static void schedule_next(switch_t *s, ua_ticks_t now)
{
    s->next = ua_ticks_add(s->next, s->period_us);
    if (ua_ticks_diff(s->next, now) <= 0)
        s->next = ua_ticks_add(now, s->period_us);
}

/*
 * One task serves every start: switch_stop cancels it, and if switch_start
 * comes before it has finished (the next pass), it finds a new generation
 * and goes on with the new schedule instead of ending.
 */
static int poll_task(ua_task_t *self)
{
    switch_t *s = UA_CONTAINER_OF(self, switch_t, task);
    int st;

    UA_BEGIN(self, &s->co);
    s->task_up = 1;
    while (s->state == ST_STARTED) {
        s->run_gen = s->gen;
        UA_AWAIT_STATUS(st, ua_sleep_us(self, ua_ticks_diff(s->next,
                                                        ua_loop_now(s->loop))));
        if (st < 0 || s->state != ST_STARTED || s->run_gen != s->gen)
            continue; /* stopped (and maybe started again) meanwhile */
        sample(s); /* a callback may stop, or stop and start */
        if (s->run_gen == s->gen)
            schedule_next(s, ua_loop_now(s->loop));
    }
    UA_END();
}

int switch_init(switch_t *s, ua_pin_t *pin, uint16_t debounce_ms)
{
    if (s->state == ST_STARTED)
        return UA_EBUSY;
    /* The task and the lifecycle fields before `loop` survive: a task
     * still finishing a stop is linked in the loop (see Lifecycle). */
    memset(&s->loop, 0, sizeof(*s) - offsetof(switch_t, loop));
    s->pin = pin;
    s->period_us = (uint32_t)(debounce_ms ? debounce_ms : SWITCH_DEBOUNCE_MS) *
                   UA_TICKS_PER_MS;
    ua_event_init(&s->ev[SWITCH_CLOSE]);
    ua_event_init(&s->ev[SWITCH_OPEN]);
    return 0;
}

int switch_start(switch_t *s, ua_loop_t *loop)
{
    if (s->state == ST_STARTED)
        return UA_EBUSY;
    if (ua_pin_configure(s->pin, UA_PIN_INPUT_PULLUP) < 0)
        return SWITCH_EPIN;
    s->loop = loop;
    s->level = ua_pin_read(s->pin) != 0;
    s->next = ua_ticks_add(ua_loop_now(loop), s->period_us);
    if (!ua_task_running(&s->task)) {
        ua_task_init(&s->task, poll_task);
        s->co = (ua_co_t){0};
        s->task_up = 0;
        int st = ua_spawn(loop, &s->task);
        if (st < 0)
            return st;
    }
    s->gen++;
    s->state = ST_STARTED;
    return 0;
}

void switch_callback(switch_t *s, enum switch_action a, switch_cb cb,
                     void *arg)
{
    s->cb[a] = cb;
    s->cb_arg[a] = arg;
    s->launch[a] = NULL;
}

void switch_launch(switch_t *s, enum switch_action a, ua_task_t *task)
{
    s->cb[a] = NULL;
    s->launch[a] = task;
}

int switch_level(const switch_t *s)
{
    return s->level;
}

ua_event_t *switch_event(switch_t *s, enum switch_action a)
{
    return &s->ev[a];
}

int switch_wait(ua_task_t *self, switch_t *s, enum switch_action a,
                int32_t timeout_ms)
{
    ua_event_t *ev = &s->ev[a];

    /* A first call on a stopped switch would wait for ever; a resumed call
     * must reach ua_event_wait to collect its outcome. */
    if (s->state != ST_STARTED && ua_await_is_first(self) &&
        !ua_event_is_set(ev))
        return SWITCH_ESTOPPED;
    int st = ua_event_wait(self, ev, timeout_ms);
    if (st == 0)
        ua_event_clear(ev);
    return st;
}

void switch_stop(switch_t *s)
{
    if (s->state != ST_STARTED)
        return;
    s->state = ST_STOPPED;
    /* Out of the timer heap at once.  From a callback the task is the
     * caller (UA_ESELF): it leaves its loop when the callback returns.  A
     * task that has not run yet is left alone: it would be finished
     * without running, and a start before the next pass would then have
     * no task; run, it sees the state and ends (or serves the new start). */
    if (s->task_up)
        ua_task_cancel(&s->task);
    for (int a = 0; a < 2; a++)
        ua_event_fail_waiters(&s->ev[a], SWITCH_ESTOPPED);
}

bool switch_stopped(const switch_t *s)
{
    return s->state != ST_STARTED && !ua_task_running(&s->task);
}
