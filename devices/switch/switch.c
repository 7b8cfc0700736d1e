/* Switch: debounced normally-open switch (see switch.h). */
#include "switch.h"

#include <string.h>

enum { ST_UNINIT = 0, ST_ACTIVE = 1, ST_DEAD = 2 };

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

static int poll_task(ua_task_t *self)
{
    switch_t *s = UA_CONTAINER_OF(self, switch_t, task);

    UA_BEGIN(self, &s->co);
    while (s->state == ST_ACTIVE) {
        UA_AWAIT(ua_sleep_us(self, ua_ticks_diff(s->next, ua_loop_now(s->loop))));
        sample(s); /* a callback may deinit */
        schedule_next(s, ua_loop_now(s->loop));
    }
    UA_END();
}

int switch_init(switch_t *s, ua_loop_t *loop, ua_pin_t *pin,
                uint16_t debounce_ms)
{
    memset(s, 0, sizeof(*s));
    s->loop = loop;
    s->pin = pin;
    s->period_us = (uint32_t)(debounce_ms ? debounce_ms : SWITCH_DEBOUNCE_MS) *
                   UA_TICKS_PER_MS;
    ua_event_init(&s->ev[SWITCH_CLOSE]);
    ua_event_init(&s->ev[SWITCH_OPEN]);
    if (ua_pin_configure(pin, UA_PIN_INPUT_PULLUP) < 0)
        return SWITCH_EPIN;
    s->level = ua_pin_read(pin) != 0;
    s->next = ua_ticks_add(ua_loop_now(loop), s->period_us);
    ua_task_init(&s->task, poll_task);
    int st = ua_spawn(loop, &s->task);
    if (st < 0)
        return st;
    s->state = ST_ACTIVE;
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

    /* A first call on a dead switch would wait for ever; a resumed call
     * must reach ua_event_wait to consume its wake reason. */
    if (s->state != ST_ACTIVE && self->wake == UA_WAKE_NONE &&
        !ua_event_is_set(ev))
        return SWITCH_ESTOPPED;
    int st = ua_event_wait(self, ev, timeout_ms);
    if (st == 0)
        ua_event_clear(ev);
    else if (st == UA_ECANCELLED && s->state == ST_DEAD)
        st = SWITCH_ESTOPPED;
    return st;
}

int switch_deinit(switch_t *s)
{
    ua_task_t *t;

    if (s->state != ST_ACTIVE)
        return 0;
    s->state = ST_DEAD;
    if (s->loop->current != &s->task)
        ua_task_cancel(&s->task); /* leaves the timer heap at once */
    for (int a = 0; a < 2; a++)
        while ((t = s->ev[a].waiters.head) != NULL)
            ua__wake(t, UA_WAKE_CANCEL);
    return 0;
}

bool switch_deinit_complete(const switch_t *s)
{
    return s->state != ST_ACTIVE &&
           (s->task.where == UA_W_DONE || s->task.where == UA_W_IDLE);
}
