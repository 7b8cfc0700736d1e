/*
 * The core benchmarks: shared definitions.
 *
 * A workload is a function that runs `n` units of work on a fresh loop and
 * returns the process CPU time it took in nanoseconds
 * (CLOCK_PROCESS_CPUTIME_ID around the run, setup of the loop excluded,
 * spawning and scheduling included; never 0, which means the run failed).
 * Each unit is `ops_per_unit` operations; figures are reported per
 * operation.  The CPython peers in asyncio_peers.py mirror every workload
 * line for line, count operations the same way and time them on the same
 * clock (time.process_time), so only the scheduler differs.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t (*bench_fn)(uint64_t n);

typedef struct bench_def {
    const char *name;
    bench_fn run;
    uint64_t ops_per_unit;
    const char *what; /* what one operation is, for the listing */
} bench_def_t;

/* Whether `name` is in the comma-separated list `only` (NULL: all). */
bool bench_selected(const char *only, const char *name);

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

/* Scaling (bench_scale.c): per-operation cost of the operations whose cost
 * must not grow with the number of tasks, at N = 10, 1000 and 100000, and
 * the timer heap past 2^20 live timers.  Prints `bench scale-...` lines.
 * budget_ms bounds the CPU time of one measured run: a run that would take
 * longer is stopped and reported as not finished.  Returns the number of
 * runs that failed (a wrong result, not a slow one). */
int bench_scaling(uint64_t budget_ms, const char *only);

/* I/O-priority latency (bench_io.c): virtual microseconds from the ISR to
 * the woken task's resume, with the lane on or off. */
uint64_t bench_io_latency_us(int io_priority);

#endif /* BENCH_H */
