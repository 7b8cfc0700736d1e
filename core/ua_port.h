/*
 * The port contract: everything the scheduler needs from the world.
 *
 * A port gives the loop a microsecond tick, a way to wait until a deadline
 * and a critical section.  The scheduler calls nothing else outside core/, so
 * the same core runs on a board (SysTick + WFI), in the simulator (virtual
 * clock) and on a PC (libuv).  A port is a table of functions plus a context
 * pointer, so several loops with different ports can live in one process --
 * the simulator runs several boards side by side this way.
 *
 * All functions are called from task context (never from an interrupt).
 */
#ifndef UA_PORT_H
#define UA_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_time.h"

typedef struct ua_port {
    /* Current time in ticks (microseconds, free-running, wraps at 2^32). */
    ua_ticks_t (*ticks)(void *ctx);

    /*
     * Wait until `deadline` (when has_deadline) or until an interrupt, then
     * return.  The loop calls it with the port's critical section entered,
     * after checking that no ISR flag is pending; the port must leave the
     * critical section atomically with starting the wait (on Cortex-M: WFI
     * with PRIMASK set, then CPSIE) so that an interrupt arriving in between
     * still ends the wait.  Returning early is always allowed: the loop just
     * runs another pass.  NULL means "busy-wait by returning at once".
     */
    void (*idle)(void *ctx, bool has_deadline, ua_ticks_t deadline);

    /* Mask and unmask the interrupts that may set ISR flags.  May be NULL. */
    void (*critical_enter)(void *ctx);
    void (*critical_exit)(void *ctx);

    /*
     * Busy-wait `us` microseconds (see ua_delay_us in ua_hw.h).  NULL: the
     * loop spins on ticks().  The simulator charges the time as CPU busy.
     */
    void (*delay_us)(void *ctx, uint32_t us);

    /*
     * Trace hook, called only when core is built with UA_TRACE=1; may be
     * NULL.  kind is a ua_trace_kind, task the task concerned (or NULL) and
     * arg a kind-specific value.  See ua_trace.h.
     */
    void (*trace)(void *ctx, int kind, const void *task, uint32_t arg);

    /*
     * Schedule exploration hook, called only when core is built with
     * UA_TRACE=1 (host builds: the simulator's explorer); may be NULL.
     *
     * An ISR flag's waiter was just made ready behind `choices - 1` tasks
     * that the same batch of wake-ups made ready before it in the same lane
     * (the timers and flags of the pass being begun, or the flags of one
     * I/O poll).  Their relative order is not one the loop promises (see
     * "Orders the loop promises" in ua_loop.h), so the hook may move the
     * task towards the front of that batch: the return value is how many
     * of those tasks it jumps (0: stays last, as without a hook; values
     * >= choices count as choices - 1).  Called only when choices >= 2.
     */
    uint32_t (*reorder)(void *ctx, const void *woken, uint32_t choices);

    void *ctx;
} ua_port_t;

#endif /* UA_PORT_H */
