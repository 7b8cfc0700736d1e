/*
 * Barrier (see ua_barrier.h).
 *
 * The parties that have arrived are the tasks in the wait queue plus the
 * triggers of this round.  Counting the queue itself, rather than keeping a
 * separate tally that a leaving party must decrement when it next runs, is
 * what makes a cancelled or timed-out party stop counting at once: the
 * cancel or the deadline takes it out of the queue there and then.
 */
#include "ua_barrier.h"
#include "ua_internal.h"

int ua_barrier_init(ua_barrier_t *b, uint16_t parties,
                    void (*on_release)(void *arg), void *arg)
{
    b->waiters.head = NULL;
    b->waiters.count = 0;
    b->parties = parties;
    b->triggered = 0;
    b->on_release = on_release;
    b->arg = arg;
    return parties == 0 ? UA_EINVAL : 0;
}

static uint32_t arrived(const ua_barrier_t *b)
{
    return b->waiters.count + b->triggered;
}

bool ua_barrier_busy(const ua_barrier_t *b)
{
    return arrived(b) > 0;
}

/* Count one more arrival; true if it completed the round. */
static bool arrive(ua_barrier_t *b)
{
    if (arrived(b) + 1 < b->parties) {
        return false;
    }
    b->triggered = 0;
    if (b->on_release != NULL)
        b->on_release(b->arg);
    while (b->waiters.head != NULL)
        ua__wake(b->waiters.head, UA_WAKE_GRANT);
    return true;
}

void ua_barrier_trigger(ua_barrier_t *b)
{
    if (!arrive(b))
        b->triggered++;
}

int ua_barrier_wait(ua_task_t *self, ua_barrier_t *b, int32_t timeout_ms)
{
    int st = ua__wait_outcome(self, timeout_ms);

    if (st != UA_PENDING)
        return st; /* a party that left was already uncounted */
    return arrive(b) ? 0 : ua__wait_queue(self, &b->waiters, timeout_ms);
}
