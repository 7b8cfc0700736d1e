/* Queue (see ua_queue.h). */
#include <string.h>

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

static void push_item(ua_queue_t *q, const void *item)
{
    uint16_t slot = (uint16_t)((q->head + q->count) % q->capacity);
    memcpy(q->buf + (size_t)slot * q->item_size, item, q->item_size);
    q->count++;
    if (q->getters.head != NULL) {
        q->reserved_get++;
        ua__wake(q->getters.head, UA_WAKE_GRANT);
    }
}

static void pop_item(ua_queue_t *q, void *item)
{
    memcpy(item, q->buf + (size_t)q->head * q->item_size, q->item_size);
    q->head = (uint16_t)((q->head + 1) % q->capacity);
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
    switch (ua__poll_reason(self)) {
    case UA_WAKE_NONE:
        if (!ua_queue_full(q)) {
            push_item(q, item);
            return 0;
        }
        return ua__suspend(self, &q->putters, UA_W_WAITQ, &q->putters,
                           timeout_ms >= 0, ua__ms_to_ticks(timeout_ms));
    case UA_WAKE_GRANT:
        q->reserved_put--;
        push_item(q, item);
        return 0;
    case UA_WAKE_TIMEOUT:
        return UA_ETIMEDOUT;
    default:
        return UA_ECANCELLED;
    }
}

int ua_queue_get(ua_task_t *self, ua_queue_t *q, void *item,
                 int32_t timeout_ms)
{
    switch (ua__poll_reason(self)) {
    case UA_WAKE_NONE:
        if (!ua_queue_empty(q)) {
            pop_item(q, item);
            return 0;
        }
        return ua__suspend(self, &q->getters, UA_W_WAITQ, &q->getters,
                           timeout_ms >= 0, ua__ms_to_ticks(timeout_ms));
    case UA_WAKE_GRANT:
        q->reserved_get--;
        pop_item(q, item);
        return 0;
    case UA_WAKE_TIMEOUT:
        return UA_ETIMEDOUT;
    default:
        return UA_ECANCELLED;
    }
}
