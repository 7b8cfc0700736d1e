/*
 * Queue: a bounded FIFO of fixed-size items in a buffer the caller owns.
 *
 * get() waits while the queue is empty, put() while it is full.  A waiting
 * getter is handed the next item as it is put (the item is reserved for it,
 * so a get_nowait() from elsewhere cannot take it first), and a waiting
 * putter is handed the next free slot: a cancelled or timed-out waiter
 * therefore loses no item and no slot, and one woken with an item keeps it
 * even if cancelled before it runs.  The `item` pointer passed to put/get
 * must stay valid while the task waits (point into the task's frame).
 *
 *     static int32_t buf[8];   ua_queue_t q;
 *     ua_queue_init(&q, buf, sizeof buf[0], 8);
 *     producer: UA_AWAIT(ua_queue_put(self, &q, &f->sample, UA_FOREVER));
 *     consumer: UA_AWAIT(ua_queue_get(self, &q, &f->sample, 1000));
 */
#ifndef UA_QUEUE_H
#define UA_QUEUE_H

#include <stddef.h>

#include "ua_task.h"

typedef struct ua_queue {
    unsigned char *buf;
    uint16_t item_size;
    uint16_t capacity;
    uint16_t head;          /* index of the oldest item */
    uint16_t count;         /* items in buf, reserved ones included */
    uint16_t reserved_get;  /* items promised to woken getters */
    uint16_t reserved_put;  /* slots promised to woken putters */
    ua_tlist_t getters;
    ua_tlist_t putters;
} ua_queue_t;

/* buf holds capacity items of item_size bytes.  UA_EINVAL on zero sizes. */
int ua_queue_init(ua_queue_t *q, void *buf, size_t item_size, size_t capacity);

/* Non-blocking: 0, UA_EFULL / UA_EEMPTY. */
int ua_queue_put_nowait(ua_queue_t *q, const void *item);
int ua_queue_get_nowait(ua_queue_t *q, void *item);

/* Awaitables: UA_ETIMEDOUT after timeout_ms (UA_FOREVER: none). */
int ua_queue_put(ua_task_t *self, ua_queue_t *q, const void *item,
                 int32_t timeout_ms);
int ua_queue_get(ua_task_t *self, ua_queue_t *q, void *item,
                 int32_t timeout_ms);

/* Items a get_nowait() could take now; free slots for put_nowait(). */
size_t ua_queue_size(const ua_queue_t *q);
bool ua_queue_empty(const ua_queue_t *q);
bool ua_queue_full(const ua_queue_t *q);

#endif /* UA_QUEUE_H */
