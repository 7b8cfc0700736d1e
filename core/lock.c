/* Lock (see ua_lock.h). */
#include "ua_internal.h"
#include "ua_lock.h"

void ua_lock_init(ua_lock_t *l)
{
    l->owner = NULL;
    l->waiters.head = NULL;
    l->waiters.count = 0;
}

bool ua_lock_locked(const ua_lock_t *l)
{
    return l->owner != NULL;
}

int ua_lock_try_acquire(ua_task_t *self, ua_lock_t *l)
{
    if (l->owner != NULL)
        return UA_EBUSY;
    l->owner = self;
    return 0;
}

int ua_lock_acquire(ua_task_t *self, ua_lock_t *l, int32_t timeout_ms)
{
    /* a grant: release() made us the owner */
    int st = ua__wait_outcome(self, timeout_ms);

    if (st != UA_PENDING)
        return st;
    if (l->owner == self)
        return UA_EBUSY;
    if (l->owner == NULL) {
        l->owner = self;
        return 0;
    }
    return ua__wait_queue(self, &l->waiters, timeout_ms);
}

int ua_lock_release(ua_task_t *self, ua_lock_t *l)
{
    ua_task_t *next;

    if (l->owner == NULL || l->owner != self)
        return UA_ENOTOWNER;
    next = l->waiters.head;
    l->owner = next;
    if (next != NULL)
        ua__wake(next, UA_WAKE_GRANT);
    return 0;
}
