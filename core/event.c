/* Event (see ua_event.h). */
#include "ua_event.h"
#include "ua_internal.h"

void ua_event_init(ua_event_t *ev)
{
    ev->waiters.head = NULL;
    ev->waiters.count = 0;
    ev->value = 0;
    ev->is_set = 0;
}

void ua_event_set(ua_event_t *ev)
{
    ua_task_t *t;

    ev->is_set = 1;
    while ((t = ev->waiters.head) != NULL)
        ua__wake(t, UA_WAKE_SIGNAL);
}

void ua_event_set_value(ua_event_t *ev, intptr_t value)
{
    ev->value = value;
    ua_event_set(ev);
}

void ua_event_clear(ua_event_t *ev)
{
    ev->is_set = 0;
    ev->value = 0;
}

bool ua_event_is_set(const ua_event_t *ev)
{
    return ev->is_set;
}

intptr_t ua_event_value(const ua_event_t *ev)
{
    return ev->value;
}

int ua_event_wait(ua_task_t *self, ua_event_t *ev, int32_t timeout_ms)
{
    int st = ua__wait_outcome(self, timeout_ms);

    if (st != UA_PENDING)
        return st;
    if (ev->is_set)
        return 0;
    return ua__wait_queue(self, &ev->waiters, timeout_ms);
}
