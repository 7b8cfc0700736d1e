/* Barrier (see ua_barrier.h). */
#include "ua_barrier.h"
#include "ua_internal.h"

int ua_barrier_init(ua_barrier_t *b, uint16_t parties,
                    void (*on_release)(void *arg), void *arg)
{
    b->waiters.head = b->waiters.tail = NULL;
    b->parties = parties;
    b->arrived = 0;
    b->on_release = on_release;
    b->arg = arg;
    return parties == 0 ? UA_EINVAL : 0;
}

bool ua_barrier_busy(const ua_barrier_t *b)
{
    return b->arrived > 0 && b->arrived < b->parties;
}

/* Count one arrival; true if it completed the round. */
static bool arrive(ua_barrier_t *b)
{
    if (++b->arrived < b->parties)
        return false;
    b->arrived = 0;
    if (b->on_release != NULL)
        b->on_release(b->arg);
    while (b->waiters.head != NULL)
        ua__wake(b->waiters.head, UA_WAKE_GRANT);
    return true;
}

void ua_barrier_trigger(ua_barrier_t *b)
{
    arrive(b);
}

int ua_barrier_wait(ua_task_t *self, ua_barrier_t *b, int32_t timeout_ms)
{
    int st = ua__wait_outcome(self);

    if (st == UA_PENDING)
        return arrive(b) ? 0 : ua__wait_queue(self, &b->waiters, timeout_ms);
    if (st != 0)
        b->arrived--; /* left before the round completed */
    return st;
}
