/*
 * libuv port: the scheduler in real time on a PC (Linux, macOS).
 *
 * The tick is libuv's monotonic clock (uv_hrtime) in microseconds since
 * ua_uvport_init, plus start_tick, truncated to 32 bits -- so it wraps every
 * 71.6 minutes like a board's, and a test can start just before the wrap.
 *
 * Idle is one turn of the libuv loop (uv_run with UV_RUN_ONCE) with a
 * one-shot uv_timer armed for the scheduler's next deadline: the process
 * sleeps in epoll/kqueue until the deadline or until a file descriptor the
 * application watches (a UART's pty or socket, the pin command stream)
 * becomes ready.  Those watchers' callbacks are this port's interrupt
 * handlers: they run inside idle, on the loop's thread, and talk to tasks
 * with ua_flag_set() exactly as a board's ISRs do.  libuv timers have
 * millisecond resolution, so the timer is rounded up and a wake-up may
 * still come a little early; the loop then simply idles again (the port
 * contract allows early returns), and sleeps never end early.
 *
 * Idling with no deadline and nothing that could ever wake the process (no
 * active libuv handle) would block forever: the port counts it as a
 * deadlock and stops the loop, like the virtual port.
 *
 * Other threads: call ua_uvport_thread_wake() after ua_flag_set() to end a
 * wait in progress (it needs ua_uvport_enable_threads() first, from the
 * loop's thread; the wake handle then keeps the libuv loop alive).
 *
 * Single-threaded otherwise: critical sections are empty, because no
 * "interrupt" can run while a task is being resumed.
 */
#ifndef UA_UVPORT_H
#define UA_UVPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "ua_loop.h"

typedef struct ua_uvport {
    ua_port_t port;
    uv_loop_t *uv;
    uv_timer_t timer;
    uv_async_t async;
    bool async_on;
    uint64_t t0_ns;       /* uv_hrtime() at init */
    uint32_t start_tick;  /* tick at t0 */
    ua_loop_t *loop;
    /* Counters. */
    uint32_t idles;       /* idle calls that waited */
    uint32_t early;       /* waits that ended before the deadline */
    uint32_t deadlocks;
} ua_uvport_t;

/* Set up `p` on the libuv loop `uv` (NULL: uv_default_loop()) and
 * initialise `loop` on it.  Returns 0 or UA_EIO (libuv refused a handle). */
int ua_uvport_init(ua_uvport_t *p, ua_loop_t *loop, uv_loop_t *uv,
                   uint32_t start_tick);

/* Close the port's libuv handles and let libuv finish closing them.  Close
 * the UARTs and pin streams on the same libuv loop first. */
void ua_uvport_close(ua_uvport_t *p);

/* The tick now (what the loop reads). */
ua_ticks_t ua_uvport_ticks(const ua_uvport_t *p);

/* Nanoseconds since ua_uvport_init, 64-bit (for runners and logs). */
uint64_t ua_uvport_elapsed_ns(const ua_uvport_t *p);

/* Allow ua_uvport_thread_wake() (loop thread, before other threads use it). */
int ua_uvport_enable_threads(ua_uvport_t *p);

/* Any thread: end the current idle so the loop looks at its ISR flags. */
void ua_uvport_thread_wake(ua_uvport_t *p);

#endif /* UA_UVPORT_H */
