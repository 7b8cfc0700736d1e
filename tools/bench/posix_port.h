/*
 * A minimal POSIX port for the benchmarks: real time on the host.
 *
 * Ticks are microseconds of CLOCK_MONOTONIC truncated to 32 bits (the loop's
 * wrap-safe arithmetic copes with the truncation), idling sleeps with
 * clock_nanosleep until the deadline, and there are no interrupts, so the
 * critical section is empty.  It is deliberately tiny: the benchmarks measure
 * the scheduler, and none of them idles on the hot path.  The real host port
 * (libuv) is a separate piece of work.
 */
#ifndef BENCH_POSIX_PORT_H
#define BENCH_POSIX_PORT_H

#include <stdint.h>

#include "ua_loop.h"

/* Fill `port` with the POSIX functions and initialise `loop` on it. */
void bench_posix_port_init(ua_port_t *port, ua_loop_t *loop);

/* Wall-clock nanoseconds from CLOCK_MONOTONIC: the port's ticks. */
uint64_t bench_now_ns(void);

/* Process CPU nanoseconds (CLOCK_PROCESS_CPUTIME_ID), for timing workloads:
 * time another process takes on a shared machine is not counted, so the
 * figures stay put when the machine is busy (the CPython peers use
 * time.process_time, the same clock). */
uint64_t bench_cpu_ns(void);

#endif /* BENCH_POSIX_PORT_H */
