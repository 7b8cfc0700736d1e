/*
 * Event: a flag that tasks wait for.  set() wakes every waiter; the event
 * stays set (later waits return at once) until clear().  As in the seed's
 * asyn.py, set_value() also carries a value (an integer or a pointer cast to
 * intptr_t) that waiters read back with ua_event_value(); clear() resets it
 * to 0.  Not for interrupt handlers: use ua_flag_t there.
 *
 *     ua_event_t ready;                 // ua_event_init(&ready)
 *     producer: ua_event_set_value(&ready, sample);
 *     consumer: UA_AWAIT(ua_event_wait(self, &ready, 500));
 *               use(ua_event_value(&ready)); ua_event_clear(&ready);
 */
#ifndef UA_EVENT_H
#define UA_EVENT_H

#include "ua_task.h"

typedef struct ua_event {
    ua_tlist_t waiters;
    intptr_t value;
    uint8_t is_set;
} ua_event_t;

void ua_event_init(ua_event_t *ev);
void ua_event_set(ua_event_t *ev);
void ua_event_set_value(ua_event_t *ev, intptr_t value);
void ua_event_clear(ua_event_t *ev);
bool ua_event_is_set(const ua_event_t *ev);
intptr_t ua_event_value(const ua_event_t *ev);

/* Await the event; UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none). */
int ua_event_wait(ua_task_t *self, ua_event_t *ev, int32_t timeout_ms);

#endif /* UA_EVENT_H */
