/* POSIX benchmark port (see posix_port.h). */
#define _POSIX_C_SOURCE 200809L

#include "posix_port.h"

#include <errno.h>
#include <stddef.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static ua_ticks_t posix_ticks(void *ctx)
{
    (void)ctx;
    return (ua_ticks_t)(bench_now_ns() / 1000u);
}

/* No interrupt can end the wait, so sleeping until the deadline is exact;
 * with no deadline there is nothing that could ever wake the loop, and an
 * early return is always allowed, so return at once. */
static void posix_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    int32_t wait = has_deadline ? ua_ticks_diff(deadline, posix_ticks(ctx)) : 0;
    struct timespec ts;

    if (wait <= 0)
        return;
    ts.tv_sec = wait / 1000000;
    ts.tv_nsec = (long)(wait % 1000000) * 1000;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void bench_posix_port_init(ua_port_t *port, ua_loop_t *loop)
{
    port->ticks = posix_ticks;
    port->idle = posix_idle;
    port->critical_enter = NULL;
    port->critical_exit = NULL;
    port->delay_us = NULL; /* the loop spins on ticks() */
    port->trace = NULL;
    port->ctx = NULL;
    ua_loop_init(loop, port);
}
