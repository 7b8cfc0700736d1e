/*
 * ua_bench: the core benchmarks, C side.
 *
 *   ua_bench [--target-ms MS] [--reps N] [--only NAME,...] [--list]
 *
 * For each workload, prints
 *   uasync NAME X ns/op ops=N
 * then the sizes of the core's types and the I/O-priority latency line.
 * tools/bench/run_bench.py runs this next to the CPython peers and prints
 * the comparison lines; the output here is meant for it and for humans.
 *
 * Calibration (mirrored exactly by asyncio_peers.py): grow n until one run
 * takes a tenth of the target, scale n to the target, then keep the fastest
 * of `reps` runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ua.h"

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif
#ifndef BENCH_OPTIMIZATION
#define BENCH_OPTIMIZATION "?"
#endif

static const bench_def_t benches[] = {
    {"round-robin", bench_round_robin, BENCH_RR_TASKS,
     "one sleep(0)/yield of one of 100 tasks (a task switch)"},
    {"timers", bench_timers, BENCH_TIMERS,
     "one of 10,000 random-deadline call_later callbacks, scheduled and fired"},
    {"timers-tasks", bench_timer_tasks, BENCH_TIMERS,
     "one of 10,000 tasks that sleep once until a random deadline"},
    {"event-pingpong", bench_event_pingpong, 1,
     "one round trip: set/wait/clear on two events between two tasks"},
    {"queue", bench_queue, 1,
     "one item from producer to consumer through a 16-slot queue"},
};

#define N_BENCHES (sizeof benches / sizeof benches[0])

/* ns per op of the fastest of `reps` calibrated runs; < 0 on failure. */
static double measure(const bench_def_t *b, uint64_t target_ns, int reps,
                      uint64_t *ops)
{
    uint64_t n = 1, t;

    for (;;) {
        t = b->run(n);
        if (t == 0)
            return -1;
        if (t >= target_ns / 10)
            break;
        n *= t < target_ns / 100 ? 10 : 2;
    }
    n = (uint64_t)((double)n * (double)target_ns / (double)t);
    if (n == 0)
        n = 1;
    double best = -1;
    for (int r = 0; r < reps; r++) {
        t = b->run(n);
        if (t == 0)
            return -1;
        double per_op = (double)t / (double)(n * b->ops_per_unit);
        if (best < 0 || per_op < best)
            best = per_op;
    }
    *ops = n * b->ops_per_unit;
    return best;
}

static bool selected(const char *only, const char *name)
{
    size_t len = strlen(name);

    if (only == NULL)
        return true;
    for (const char *p = only; (p = strstr(p, name)) != NULL; p += len)
        if ((p == only || p[-1] == ',') && (p[len] == '\0' || p[len] == ','))
            return true;
    return false;
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    uint32_t i;
} typical_frame_t;

#define SIZE(type) printf("sizeof %s %zu\n", #type, sizeof(type))

static void print_sizes(void)
{
    printf("sizeof pointer %zu\n", sizeof(void *));
    SIZE(ua_task_t);
    SIZE(ua_co_t);
    printf("sizeof typical_frame %zu (ua_task_t + ua_co_t + one uint32_t "
           "loop counter, the round-robin task)\n",
           sizeof(typical_frame_t));
    SIZE(ua_callback_t);
    SIZE(ua_event_t);
    SIZE(ua_lock_t);
    SIZE(ua_sem_t);
    SIZE(ua_cond_t);
    SIZE(ua_queue_t);
    SIZE(ua_barrier_t);
    SIZE(ua_flag_t);
    SIZE(ua_loop_t);
    SIZE(ua_gather_t);
}

int main(int argc, char **argv)
{
    uint64_t target_ms = 300;
    int reps = 3;
    const char *only = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--target-ms") == 0 && i + 1 < argc) {
            target_ms = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (strcmp(argv[i], "--list") == 0) {
            for (size_t b = 0; b < N_BENCHES; b++)
                printf("%s: %s\n", benches[b].name, benches[b].what);
            return 0;
        } else {
            fprintf(stderr,
                    "usage: %s [--target-ms MS] [--reps N] [--only NAME,...] "
                    "[--list]\n",
                    argv[0]);
            return 2;
        }
    }
    if (reps < 1)
        reps = 1;

    printf("# uasync core, buildtype %s (optimization -O%s), trace hooks %s\n",
           BENCH_BUILDTYPE, BENCH_OPTIMIZATION, UA_TRACE ? "on" : "off");
    int failures = 0;
    for (size_t b = 0; b < N_BENCHES; b++) {
        if (!selected(only, benches[b].name))
            continue;
        uint64_t ops = 0;
        double ns = measure(&benches[b], target_ms * 1000000u, reps, &ops);
        if (ns < 0) {
            printf("uasync %s FAILED\n", benches[b].name);
            failures++;
            continue;
        }
        printf("uasync %s %.2f ns/op ops=%llu\n", benches[b].name, ns,
               (unsigned long long)ops);
        fflush(stdout);
    }
    if (only == NULL || selected(only, "sizeof"))
        print_sizes();
    if (only == NULL || selected(only, "io-latency")) {
        uint64_t pri = bench_io_latency_us(1), rr = bench_io_latency_us(0);
        printf("bench io-latency: priority %llu us, round-robin %llu us "
               "(virtual time; ISR during a 2 ms step of 10 busy tasks)\n",
               (unsigned long long)pri, (unsigned long long)rr);
    }
    return failures ? 1 : 0;
}
