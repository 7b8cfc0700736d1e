/*
 * Lock: mutual exclusion between tasks.  Waiters are served first come,
 * first served: release() hands the lock straight to the oldest waiter, so
 * a task arriving later cannot barge in.  A waiter that is cancelled or
 * times out leaves the queue and the lock stays consistent; a waiter that was
 * handed the lock and then cancelled still owns it when it runs and must
 * release it (use UA_FINALLY).
 *
 *     UA_AWAIT(ua_lock_acquire(self, &bus_lock, UA_FOREVER));
 *     ... use the bus across awaits ...
 *   UA_FINALLY
 *     ua_lock_release(&bus_lock, self);
 */
#ifndef UA_LOCK_H
#define UA_LOCK_H

#include "ua_task.h"

typedef struct ua_lock {
    ua_task_t *owner;
    ua_tlist_t waiters;
} ua_lock_t;

void ua_lock_init(ua_lock_t *l);
bool ua_lock_locked(const ua_lock_t *l);

/* Await ownership; UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none);
 * UA_EBUSY if `self` already owns it (the lock is not recursive). */
int ua_lock_acquire(ua_task_t *self, ua_lock_t *l, int32_t timeout_ms);

/* Take it if free: 0, else UA_EBUSY. */
int ua_lock_try_acquire(ua_task_t *self, ua_lock_t *l);

/* Release; UA_ENOTOWNER unless `self` owns it. */
int ua_lock_release(ua_task_t *self, ua_lock_t *l);

#endif /* UA_LOCK_H */
