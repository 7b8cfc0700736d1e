/*
 * Stackless coroutines.
 *
 * A coroutine is an ordinary C function that the scheduler calls again each
 * time the task is resumed.  It remembers where it stopped in a ua_co_t (a
 * resume point) and keeps every variable that must survive an await in a
 * struct the caller owns -- its frame.  C locals do NOT survive an await.
 *
 *     typedef struct {
 *         ua_task_t task;  // scheduler bookkeeping
 *         ua_co_t co;      // resume point
 *         int i;           // a local that lives across awaits
 *     } blink_t;
 *
 *     static int blink(ua_task_t *self)
 *     {
 *         blink_t *b = UA_CONTAINER_OF(self, blink_t, task);
 *         UA_BEGIN(self, &b->co);
 *         for (b->i = 0; b->i < 10; b->i++) {
 *             led_toggle();
 *             UA_AWAIT(ua_sleep_ms(self, 100));
 *         }
 *         UA_END();
 *     }
 *
 * Awaiting.  An awaitable operation (ua_sleep_ms, ua_event_wait, ...) is a
 * poll function: it returns UA_PENDING when the task must wait, 0 when done,
 * or a negative error.  UA_AWAIT(op) calls it, suspends while it is pending,
 * and calls it again on resume so that it can finish (collect the lock, the
 * queue item, or the reason it was woken).  So `op` is evaluated again at
 * every resume: it must have no side effects (no `i++` in an argument) and
 * name the same objects each time; compute such arguments into the frame
 * before the await.  A sub-coroutine is awaited the
 * same way: UA_AWAIT(read_sensor(self, &frame->sensor)) -- the callee's frame
 * lives inside the caller's, and its result is wherever its frame puts it.
 *
 * Errors propagate like exceptions.  When an awaited operation fails
 * (UA_ECANCELLED, UA_ETIMEDOUT, ...), UA_AWAIT jumps to the coroutine's
 * UA_FINALLY section if it has one, else returns the error to its caller.
 * UA_AWAIT_STATUS(st, op) instead stores the status in `st` and carries on,
 * for code that handles an error on the spot.  The FINALLY section runs on
 * the normal path too; UA_STATUS() tells which path got there.
 *
 * Limits (those of every switch-based coroutine): do not await inside a
 * `switch` statement of your own, and keep source files under 32768 lines.
 */
#ifndef UA_CORO_H
#define UA_CORO_H

#include <stddef.h>
#include <stdint.h>

#include "ua_err.h"

/* Resume point of one coroutine.  Zero-initialise before the first call. */
typedef struct ua_co {
    uint16_t line; /* 0 = start; otherwise the __LINE__ of the await */
    uint8_t flags; /* UA__CO_IN_FINALLY */
    int16_t status; /* exit status carried through UA_FINALLY (every code
                      of ua_err.h fits) */
} ua_co_t;

#if defined(__GNUC__) || defined(__clang__)
#define UA__FALLTHROUGH __attribute__((fallthrough))
#else
#define UA__FALLTHROUGH ((void)0)
#endif

#define UA__CO_IN_FINALLY 1u
#define UA__LINE_FINALLY 0xFFFFu

#define UA_CONTAINER_OF(ptr, type, member)                                     \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Start of a coroutine body.  `self` is the task (ua_task_t *), `co` its
 * resume point (ua_co_t *). */
#define UA_BEGIN(self, co)                                                     \
    ua_task_t *const ua__self = (self);                                        \
    ua_co_t *const ua__co = (co);                                              \
    int ua__r = 0;                                                             \
    (void)ua__self;                                                            \
    (void)ua__r;                                                               \
    if (0)                                                                     \
        goto ua__finally;                                                      \
    ua__dispatch:                                                              \
    switch (ua__co->line) {                                                    \
    case 0:

/* Record a resume point at the current line. */
#define UA__MARK()                                                             \
    _Static_assert(__LINE__ < 0x8000, "coroutine source file too long");       \
    ua__co->line = (uint16_t)__LINE__;                                         \
    UA__FALLTHROUGH;                                                           \
    case __LINE__:

/* Await `op`; on error run UA_FINALLY (if any) and return the error. */
#define UA_AWAIT(op)                                                           \
    do {                                                                       \
        UA__MARK();                                                            \
        ua__r = (op);                                                          \
        if (ua__r == UA_PENDING)                                               \
            return UA_PENDING;                                                 \
        if (ua__r < 0) {                                                       \
            ua__co->status = (int16_t)ua__r;                                   \
            goto ua__finally;                                                  \
        }                                                                      \
    } while (0)

/* Await `op` and store its status in `st` (an int lvalue); never jumps. */
#define UA_AWAIT_STATUS(st, op)                                                \
    do {                                                                       \
        UA__MARK();                                                            \
        ua__r = (op);                                                          \
        if (ua__r == UA_PENDING)                                               \
            return UA_PENDING;                                                 \
        (st) = ua__r;                                                          \
    } while (0)

/* Give other ready tasks a turn (sleep 0). */
#define UA_YIELD() UA_AWAIT(ua_yield(ua__self))

/* Fail the coroutine with `err` (a negative code of ua_err.h): runs UA_FINALLY, then
 * returns err. */
#define UA_THROW(err)                                                          \
    do {                                                                       \
        ua__co->status = (int16_t)(err);                                       \
        goto ua__finally;                                                      \
    } while (0)

/* Leave the coroutine successfully from anywhere (runs UA_FINALLY). */
#define UA_EXIT()                                                              \
    do {                                                                       \
        ua__co->status = 0;                                                    \
        goto ua__finally;                                                      \
    } while (0)

/* Inside UA_FINALLY: the status the coroutine will return (0 = success). */
#define UA_STATUS() ((int)ua__co->status)

/* Optional cleanup section, run on success and on error alike.  It may
 * await; an error there ends the coroutine at once with that error. */
#define UA_FINALLY                                                             \
    ua__co->flags |= UA__CO_IN_FINALLY;                                        \
    UA__FALLTHROUGH;                                                           \
    case UA__LINE_FINALLY:

/*
 * End of a coroutine body.  The coroutine returns its status (0 on success)
 * and its resume point is reset, so the frame can be awaited again.  In a
 * task's top-level coroutine, UA_END_RESULT(expr) also records expr as the
 * task's result (read with ua_task_result); expr is evaluated at the very
 * end, so it should read the frame, not a C local.  UA_END() records 0.
 */
#define UA_END_RESULT(value)                                                   \
    ua__finally:                                                               \
    if (!(ua__co->flags & UA__CO_IN_FINALLY)) {                                \
        ua__co->flags |= UA__CO_IN_FINALLY;                                    \
        ua__co->line = UA__LINE_FINALLY;                                       \
        goto ua__dispatch;                                                     \
    }                                                                          \
    }                                                                          \
    {                                                                          \
        int ua__end_status = ua__co->status;                                   \
        ua__co->line = 0;                                                      \
        ua__co->flags = 0;                                                     \
        ua__co->status = 0;                                                    \
        if (ua__end_status == 0)                                               \
            ua__self->u.result = (int32_t)(value);                             \
        return ua__end_status;                                                 \
    }

#define UA_END() UA_END_RESULT(0)

#endif /* UA_CORO_H */
