/*
 * Internals shared by the core's own files (not installed for drivers).
 *
 * The hot path of the scheduler -- the trace check -- is an inline here so that a primitive costs no call for them, and so that
 * with UA_TRACE=0 a trace point compiles to nothing at all instead of a
 * call to an empty function.
 *
 * The wait protocol every awaitable follows is built from three helpers:
 *
 *     int st = ua__wait_outcome(self, timeout_ms); // UA_PENDING: first call
 *     if (st != UA_PENDING)
 *         return st;          // 0, UA_ETIMEDOUT, UA_ECANCELLED; UA_EINVAL
 *     if (<condition already true>)
 *         return 0;
 *     return ua__wait_queue(self, &obj->waiters, timeout_ms);
 *
 * Primitives that hand something over on wake-up (a queue item) read the
 * reason itself with ua__poll_reason() instead.
 */
#ifndef UA_INTERNAL_H
#define UA_INTERNAL_H

#include "ua_loop.h"
#include "ua_trace.h"

/* A helper that gcc would copy into each caller, kept as one body when
 * optimising for size (-Os: the firmware builds whose text tools/cross.py
 * counts); other builds inline it as they see fit. */
#if defined(__GNUC__) && defined(__OPTIMIZE_SIZE__)
#define UA__NOINLINE __attribute__((noinline))
#else
#define UA__NOINLINE
#endif

/* A path that runs rarely (a failure nobody awaited, a starved low-priority
 * task): gcc lays it out of the hot path and optimises it for size. */
#if defined(__GNUC__)
#define UA__COLD __attribute__((cold))
#else
#define UA__COLD
#endif

/* Report one trace point through the port's hook (UA_TRACE=1 only). */
static inline void ua__tr(ua_loop_t *loop, int kind, const void *task,
                          uint32_t arg)
{
#if UA_TRACE
    if (loop->port->trace != NULL)
        loop->port->trace(loop->port->ctx, kind, task, arg);
#else
    (void)loop;
    (void)kind;
    (void)task;
    (void)arg;
#endif
}

/*
 * Begin or resume a wait whose every wake-up means success unless it was a
 * timeout or a cancellation: UA_PENDING on a first call (the caller then
 * tries, and suspends if it must), else 0, UA_ETIMEDOUT or UA_ECANCELLED.
 * A first call refuses a `timeout` below UA_FOREVER with UA_EINVAL (waits
 * without a timeout pass 0).
 */
int ua__wait_outcome(ua_task_t *self, int32_t timeout);

/* The status a wake reason other than UA_WAKE_NONE ends a wait with. */
int ua__wake_status(const ua_task_t *self, enum ua_wake r);

/* Wake a waiting task so that its wait returns `err` (UA_WAKE_FAIL). */
void ua__wake_fail(ua_task_t *t, int err);

/* Suspend on a primitive's own wait queue `q` (UA_W_WAITQ) with a checked
 * timeout in ms (UA_FOREVER: none); UA_ERANGE if it is too long. */
int ua__wait_queue(ua_task_t *self, ua_tlist_t *q, int32_t timeout_ms);

/* ua_atomic_take_acquire out of line: on ARMv7-M the exclusive load/store
 * loop it expands to costs about 20 bytes at each of the core's uses. */
uint8_t ua__atomic_take(ua_atomic_u8 *p);

/* ua__wake, choosing the lane: io_lane puts the task in the I/O-priority
 * lane when that is on (ISR flags). */
void ua__wake_to(ua_task_t *t, enum ua_wake reason, bool io_lane);

#endif /* UA_INTERNAL_H */
