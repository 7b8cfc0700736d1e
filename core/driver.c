/* The driver contract (see ua_driver.h). */
#include "ua_driver.h"
#include "ua_internal.h"

UA__NOINLINE static int fail_list(ua_tlist_t *q, int err)
{
    int n = 0;
    ua_task_t *t;

    while ((t = q->head) != NULL) {
        ua__wake_fail(t, err);
        n++;
    }
    return n;
}

int ua_event_fail_waiters(ua_event_t *ev, int err)
{
    return fail_list(&ev->waiters, err);
}

int ua_queue_fail_waiters(ua_queue_t *q, int err)
{
    return fail_list(&q->getters, err) + fail_list(&q->putters, err);
}

int ua_flag_fail_waiter(ua_flag_t *f, int err)
{
    if (f->waiter == NULL)
        return 0;
    ua__wake_fail(f->waiter, err);
    return 1;
}

bool ua_await_is_first(const ua_task_t *self)
{
    return self->wake == UA_WAKE_NONE;
}

void ua_critical_enter(ua_loop_t *loop)
{
    const ua_port_t *p = loop->port;

    if (p->critical_enter != NULL)
        p->critical_enter(p->ctx);
}

void ua_critical_exit(ua_loop_t *loop)
{
    const ua_port_t *p = loop->port;

    if (p->critical_exit != NULL)
        p->critical_exit(p->ctx);
}
