/*
 * The driver contract: what a driver in devices/ may use of the core
 * beyond the application API, all of it here.  Nothing outside core/ uses a
 * `ua__` name or a private field (the build checks it: tests/check_layers.py).
 *
 * A driver is written against four things: this header, the primitives
 * (ua.h), the hardware interface (ua_hw.h) and one lifecycle:
 *
 *   x_init(dev, cfg)   configure the struct; no side effect, nothing
 *                      registered, may be called again on a stopped device.
 *   x_start(dev, loop) register interrupts and ISR flags, spawn the driver's
 *                      tasks.  UA_EBUSY if already started.
 *   x_stop(dev)        idempotent: deregister everything, cancel the
 *                      driver's tasks, fail every waiter with the driver's
 *                      "stopped" code (ua_event_fail_waiters...), and leave
 *                      the struct so that x_start works again.
 *
 * Error codes: each driver owns a block of UA_ERR_BLOCK codes starting at
 * UA_ERR_BASE(its module) (see ua_err.h), so no two codes collide.
 */
#ifndef UA_DRIVER_H
#define UA_DRIVER_H

#include <stdbool.h>

#include "ua_event.h"
#include "ua_flag.h"
#include "ua_loop.h"
#include "ua_queue.h"
#include "ua_task.h"

/*
 * Wake every task waiting on `ev` so that its ua_event_wait returns `err`
 * (a negative code, typically the driver's "stopped").  The event itself
 * is unchanged.  Returns the number of tasks woken.  What a stop needs.
 */
int ua_event_fail_waiters(ua_event_t *ev, int err);

/* The same for the getters and the putters of a queue. */
int ua_queue_fail_waiters(ua_queue_t *q, int err);

/* The same for the task waiting on an ISR flag (0 or 1 woken). */
int ua_flag_fail_waiter(ua_flag_t *f, int err);

/*
 * In a driver's own awaitable (a poll function wrapping a primitive): true
 * on the call that starts a wait, false on the calls that resume it.  A
 * resumed call must reach the primitive's poll to collect its outcome; a
 * first call may refuse at once (the device is stopped).
 */
bool ua_await_is_first(const ua_task_t *self);

/*
 * Mask the interrupts that may set ISR flags on `loop`'s port, and unmask
 * them.  Nests only if the port's critical section nests (Cortex-M's PRIMASK
 * save/restore does).  For state a driver shares with its interrupt handler.
 */
void ua_critical_enter(ua_loop_t *loop);
void ua_critical_exit(ua_loop_t *loop);

#endif /* UA_DRIVER_H */
