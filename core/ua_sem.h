/*
 * Semaphore and BoundedSemaphore: a counter of permits.  acquire() takes one
 * (waiting while there are none), release() returns one -- straight to the
 * oldest waiter if there is one, so permits are served in arrival order and
 * a cancelled or timed-out waiter never takes a permit with it.  A bounded
 * semaphore refuses a release() beyond its initial value with
 * UA_EOVERRELEASE (the seed's ValueError) and keeps its count unchanged.
 *
 *     ua_sem_t slots;                      // ua_sem_init(&slots, 3, true)
 *     UA_AWAIT(ua_sem_acquire(self, &slots, UA_FOREVER));
 *     ... at most three tasks here at once ...
 *   UA_FINALLY
 *     ua_sem_release(&slots);
 */
#ifndef UA_SEM_H
#define UA_SEM_H

#include "ua_task.h"

typedef struct ua_sem {
    ua_tlist_t waiters;
    int32_t count;
    int32_t bound; /* initial value if bounded, else -1 */
} ua_sem_t;

void ua_sem_init(ua_sem_t *s, int32_t value, bool bounded);
int32_t ua_sem_value(const ua_sem_t *s);

/* Await a permit; UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none). */
int ua_sem_acquire(ua_task_t *self, ua_sem_t *s, int32_t timeout_ms);

/* Take a permit if one is free: 0, else UA_EBUSY. */
int ua_sem_try_acquire(ua_sem_t *s);

/* Return a permit: 0, or UA_EOVERRELEASE for a bounded semaphore already
 * at its initial value. */
int ua_sem_release(ua_sem_t *s);

#endif /* UA_SEM_H */
