/*
 * Barrier: N parties meet.  Each party awaits ua_barrier_wait(); when the
 * last one arrives the optional callback runs (once, in the last party's
 * context) and every party continues.  The barrier then resets, so it can
 * be used again for the next round.  ua_barrier_trigger() counts an arrival
 * that does not wait (the seed's trigger()).  A waiting party that is
 * cancelled or times out stops counting the moment it is cancelled or its
 * deadline passes -- not when it next runs -- so a party arriving in
 * between never completes a round with it.
 *
 *     ua_barrier_init(&round, 3, log_round, NULL);
 *     each of three tasks: UA_AWAIT(ua_barrier_wait(self, &round, UA_FOREVER));
 */
#ifndef UA_BARRIER_H
#define UA_BARRIER_H

#include "ua_task.h"

typedef struct ua_barrier {
    ua_tlist_t waiters; /* the parties waiting count as arrived */
    uint16_t parties;
    uint16_t triggered; /* arrivals this round that do not wait */
    void (*on_release)(void *arg);
    void *arg;
} ua_barrier_t;

/* UA_EINVAL if parties is 0. */
int ua_barrier_init(ua_barrier_t *b, uint16_t parties,
                    void (*on_release)(void *arg), void *arg);

/* True while some parties have arrived and others have not. */
bool ua_barrier_busy(const ua_barrier_t *b);

/* Arrive and wait for the others; UA_ETIMEDOUT after timeout_ms. */
int ua_barrier_wait(ua_task_t *self, ua_barrier_t *b, int32_t timeout_ms);

/* Arrive without waiting. */
void ua_barrier_trigger(ua_barrier_t *b);

#endif /* UA_BARRIER_H */
