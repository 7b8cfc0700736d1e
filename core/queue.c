/* Queue (see ua_queue.h). */
#include <string.h>

#include "ua_internal.h"
#include "ua_queue.h"

int ua_queue_init(ua_queue_t *q, void *buf, size_t item_size, size_t capacity)
{
    memset(q, 0, sizeof(*q));
    if (buf == NULL || item_size == 0 || capacity == 0 ||
        item_size > UINT16_MAX || capacity > UINT16_MAX)
        return UA_EINVAL;
    q->buf = buf;
    q->item_size = (uint16_t)item_size;
    q->capacity = (uint16_t)capacity;
    return 0;
}

size_t ua_queue_size(const ua_queue_t *q)
{
    return (size_t)(q->count - q->reserved_get);
}

bool ua_queue_empty(const ua_queue_t *q)
{
    return q->count == q->reserved_get;
}

bool ua_queue_full(const ua_queue_t *q)
{
    return q->count + q->reserved_put >= q->capacity;
}

/* Most queues carry one word: a copy of a constant size is a single move
 * instead of a call to memcpy. */
static void copy_item(void *dst, const void *src, size_t n)
{
    if (n == sizeof(uint32_t))
        memcpy(dst, src, sizeof(uint32_t));
    else
        memcpy(dst, src, n);
}

static void push_item(ua_queue_t *q, const void *item)
{
    unsigned slot = (unsigned)q->head + q->count; /* < 2 * capacity */
    if (slot >= q->capacity)
        slot -= q->capacity;
    copy_item(q->buf + (size_t)slot * q->item_size, item, q->item_size);
    q->count++;
    if (q->getters.head != NULL) {
        q->reserved_get++;
        ua__wake(q->getters.head, UA_WAKE_GRANT);
    }
}

static void pop_item(ua_queue_t *q, void *item)
{
    copy_item(item, q->buf + (size_t)q->head * q->item_size, q->item_size);
    if (++q->head == q->capacity)
        q->head = 0;
    q->count--;
    if (q->putters.head != NULL) {
        q->reserved_put++;
        ua__wake(q->putters.head, UA_WAKE_GRANT);
    }
}

int ua_queue_put_nowait(ua_queue_t *q, const void *item)
{
    if (ua_queue_full(q))
        return UA_EFULL;
    push_item(q, item);
    return 0;
}

int ua_queue_get_nowait(ua_queue_t *q, void *item)
{
    if (ua_queue_empty(q))
        return UA_EEMPTY;
    pop_item(q, item);
    return 0;
}

int ua_queue_put(ua_task_t *self, ua_queue_t *q, const void *item,
                 int32_t timeout_ms)
{
    enum ua_wake r = ua__poll_reason(self);

    if (r == UA_WAKE_GRANT)
        q->reserved_put--; /* get() reserved a slot for us */
    else if (r != UA_WAKE_NONE)
        return ua__wake_status(self, r);
    else if (timeout_ms < UA_FOREVER)
        return UA_EINVAL;
    else if (ua_queue_full(q))
        return ua__wait_queue(self, &q->putters, timeout_ms);
    push_item(q, item);
    return 0;
}

int ua_queue_get(ua_task_t *self, ua_queue_t *q, void *item,
                 int32_t timeout_ms)
{
    enum ua_wake r = ua__poll_reason(self);

    if (r == UA_WAKE_GRANT)
        q->reserved_get--; /* put() reserved an item for us */
    else if (r != UA_WAKE_NONE)
        return ua__wake_status(self, r);
    else if (timeout_ms < UA_FOREVER)
        return UA_EINVAL;
    else if (ua_queue_empty(q))
        return ua__wait_queue(self, &q->getters, timeout_ms);
    pop_item(q, item);
    return 0;
}
