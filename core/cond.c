/*
 * Condition (see ua_cond.h).
 *
 * wait() has two phases.  The task's phase bits say how the wait for a
 * notification ended while it queues to take the lock back.
 */
#include "ua_cond.h"
#include "ua_internal.h"

enum { WAITING = 0, RELOCK_OK = 1, RELOCK_TIMEOUT = 2, RELOCK_CANCEL = 3 };

void ua_cond_init(ua_cond_t *c, ua_lock_t *lock)
{
    c->lock = lock;
    c->waiters.head = NULL;
    c->waiters.count = 0;
}

static int phase_status(unsigned phase)
{
    static const signed char status[] = {0, 0, UA_ETIMEDOUT, UA_ECANCELLED};
    return status[phase];
}

/* Take the lock back, or queue for it (without a deadline). */
static int relock(ua_task_t *self, ua_cond_t *c)
{
    if (c->lock->owner == NULL || c->lock->owner == self) {
        int st = phase_status(self->phase);
        c->lock->owner = self;
        self->phase = WAITING;
        return st;
    }
    return ua__wait_queue(self, &c->lock->waiters, UA_FOREVER);
}

int ua_cond_wait(ua_task_t *self, ua_cond_t *c, int32_t timeout_ms)
{
    enum ua_wake r = ua__poll_reason(self);

    if (self->phase != WAITING) {
        /* Queued for the lock: a grant (release() made us the owner) ends
         * the wait in relock(); a cancellation while queued is remembered
         * and we queue again. */
        if (r == UA_WAKE_CANCEL)
            self->phase = RELOCK_CANCEL;
        return relock(self, c);
    }
    if (r == UA_WAKE_NONE) {
        int st;
        if (c->lock->owner != self)
            return UA_ENOTOWNER;
        if (timeout_ms < UA_FOREVER)
            return UA_EINVAL;
        /* The lock is let go only once the wait is accepted: a refused one
         * (UA_ERANGE) leaves the caller holding it. */
        st = ua__wait_queue(self, &c->waiters, timeout_ms);
        if (st == UA_PENDING)
            ua_lock_release(self, c->lock);
        return st;
    }
    self->phase = r == UA_WAKE_TIMEOUT  ? RELOCK_TIMEOUT
                  : r == UA_WAKE_CANCEL ? RELOCK_CANCEL
                                        : RELOCK_OK;
    return relock(self, c);
}

int ua_cond_wait_for(ua_task_t *self, ua_cond_t *c, bool (*pred)(void *arg),
                     void *arg, int32_t timeout_ms)
{
    bool first = self->wake == UA_WAKE_NONE && self->phase == WAITING &&
                 !self->cancel;
    int st;

    if (first && c->lock->owner == self && pred(arg))
        return 0;
    st = ua_cond_wait(self, c, timeout_ms);
    if (st != 0)
        return st;
    if (pred(arg))
        return 0;
    /* Not yet: wait for the next notification (a fresh first call). */
    return ua_cond_wait(self, c, timeout_ms);
}

int ua_cond_notify(ua_task_t *self, ua_cond_t *c, int n)
{
    int woken = 0;

    if (c->lock->owner != self)
        return UA_ENOTOWNER;
    while (woken < n && c->waiters.head != NULL) {
        ua__wake(c->waiters.head, UA_WAKE_SIGNAL);
        woken++;
    }
    return woken;
}

int ua_cond_notify_all(ua_task_t *self, ua_cond_t *c)
{
    return ua_cond_notify(self, c, INT32_MAX);
}
