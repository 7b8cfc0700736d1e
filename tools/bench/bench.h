/*
 * The core benchmarks: shared definitions.
 *
 * A workload is a function that runs `n` units of work on a fresh loop and
 * returns the wall time it took in nanoseconds (CLOCK_MONOTONIC around the
 * run, setup of the loop excluded, spawning and scheduling included).  Each
 * unit is `ops_per_unit` operations; figures are reported per operation.
 * The CPython peers in asyncio_peers.py mirror every workload line for line
 * and use the same calibration (bench_measure), so only the scheduler
 * differs.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

typedef uint64_t (*bench_fn)(uint64_t n);

typedef struct bench_def {
    const char *name;
    bench_fn run;
    uint64_t ops_per_unit;
    const char *what; /* what one operation is, for the listing */
} bench_def_t;

/* Workloads (bench_sched.c, bench_timers.c). */
uint64_t bench_round_robin(uint64_t yields_per_task);
uint64_t bench_timers(uint64_t rounds);
uint64_t bench_timer_tasks(uint64_t rounds);
uint64_t bench_event_pingpong(uint64_t round_trips);
uint64_t bench_queue(uint64_t items);

#define BENCH_RR_TASKS 100
#define BENCH_TIMERS 10000
#define BENCH_TIMER_SPAN_MS 10000u
#define BENCH_TIMER_SEED 0x2545F491u
#define BENCH_QUEUE_CAPACITY 16

/* The deterministic deadline generator both sides share: xorshift32 from
 * BENCH_TIMER_SEED, each deadline = 1 + next() % BENCH_TIMER_SPAN_MS
 * (never 0, so every timer goes through the timer heap on both sides). */
void bench_timer_deadlines(uint32_t *ms, unsigned count);

/* I/O-priority latency (bench_io.c): virtual microseconds from the ISR to
 * the woken task's resume, with the lane on or off. */
uint64_t bench_io_latency_us(int io_priority);

#endif /* BENCH_H */
