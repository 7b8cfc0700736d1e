/* Semaphore and BoundedSemaphore (see ua_sem.h). */
#include "ua_internal.h"
#include "ua_sem.h"

void ua_sem_init(ua_sem_t *s, int32_t value, bool bounded)
{
    s->waiters.head = NULL;
    s->waiters.count = 0;
    s->count = value < 0 ? 0 : value;
    s->bound = bounded ? s->count : -1;
}

int32_t ua_sem_value(const ua_sem_t *s)
{
    return s->count;
}

int ua_sem_try_acquire(ua_sem_t *s)
{
    if (s->count <= 0)
        return UA_EBUSY;
    s->count--;
    return 0;
}

int ua_sem_acquire(ua_task_t *self, ua_sem_t *s, int32_t timeout_ms)
{
    /* a grant: release() handed us its permit */
    int st = ua__wait_outcome(self, timeout_ms);

    if (st != UA_PENDING)
        return st;
    if (s->count > 0) {
        s->count--;
        return 0;
    }
    return ua__wait_queue(self, &s->waiters, timeout_ms);
}

int ua_sem_release(ua_sem_t *s)
{
    if (s->waiters.head != NULL) {
        ua__wake(s->waiters.head, UA_WAKE_GRANT);
        return 0;
    }
    if (s->bound >= 0 && s->count >= s->bound)
        return UA_EOVERRELEASE;
    s->count++;
    return 0;
}
