/*
 * Condition: wait for a notification while holding a lock.  wait()
 * releases the lock, waits for notify(), then takes the lock back before
 * returning -- also when it times out or is cancelled, so the caller always
 * holds the lock afterwards and releases it as usual.
 *
 *     UA_AWAIT(ua_lock_acquire(self, &lk, UA_FOREVER));
 *     UA_AWAIT(ua_cond_wait_for(self, &cond, have_data, app, 1000));
 *     ... consume under the lock ...
 *   UA_FINALLY
 *     ua_lock_release(&lk, self);
 */
#ifndef UA_COND_H
#define UA_COND_H

#include "ua_lock.h"

typedef struct ua_cond {
    ua_lock_t *lock;
    ua_tlist_t waiters;
} ua_cond_t;

void ua_cond_init(ua_cond_t *c, ua_lock_t *lock);

/* Await a notification (caller must own c->lock, else UA_ENOTOWNER).
 * Returns with the lock held: 0, UA_ETIMEDOUT or UA_ECANCELLED. */
int ua_cond_wait(ua_task_t *self, ua_cond_t *c, int32_t timeout_ms);

/* Wait until pred(arg) is true, checking it now and after each
 * notification; timeout_ms bounds each wait for a notification. */
int ua_cond_wait_for(ua_task_t *self, ua_cond_t *c, bool (*pred)(void *arg),
                     void *arg, int32_t timeout_ms);

/* Wake up to n waiters (in arrival order); the caller must own the lock.
 * Returns the number woken or UA_ENOTOWNER. */
int ua_cond_notify(ua_task_t *self, ua_cond_t *c, int n);
int ua_cond_notify_all(ua_task_t *self, ua_cond_t *c);

#endif /* UA_COND_H */
