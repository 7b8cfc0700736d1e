/*
 * ua_bench: the core benchmarks, C side.
 *
 *   ua_bench [--target-ms MS] [--reps N] [--only NAME,...]
 *       calibrate each workload, run it `reps` times, print the median:
 *       uasync NAME X ns/op ops=N; then the sizes of the core's types and
 *       the I/O-priority latency line
 *   ua_bench --calibrate NAME [--target-ms MS]
 *       print `uasync NAME n=N`: the units one run needs to last MS of CPU
 *   ua_bench --run NAME --n N
 *       one warm-up run of N/10 units, then one measured run of N units:
 *       uasync NAME X ns/op ops=M
 *   ua_bench --info          the sizes and the I/O-priority latency only
 *   ua_bench --scaling [--budget-ms MS] [--only CASE,...]
 *       the scaling lines (bench_scale.c)
 *   ua_bench --list          what one operation is, per workload
 *
 * tools/bench/run_bench.py uses --calibrate and --run to interleave this
 * program with its CPython peers round by round; the other modes are for
 * humans.  Every time is process CPU time (CLOCK_PROCESS_CPUTIME_ID).
 *
 * Calibration (mirrored exactly by asyncio_peers.py): grow n until one run
 * takes a tenth of the target, then scale n to the target.
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
     "one round trip = 2 hops: A sets ping and waits on pong, B wakes, "
     "clears ping, sets pong, A wakes and clears pong"},
    {"queue", bench_queue, 1,
     "one item from producer to consumer through a 16-slot queue"},
};

#define N_BENCHES (sizeof benches / sizeof benches[0])

/* Units for one run of about target_ns; 0 if a run failed. */
static uint64_t calibrate(const bench_def_t *b, uint64_t target_ns)
{
    uint64_t n = 1, t;

    for (;;) {
        t = b->run(n);
        if (t == 0)
            return 0;
        if (t >= target_ns / 10)
            break;
        n *= t < target_ns / 100 ? 10 : 2;
    }
    n = (uint64_t)((double)n * (double)target_ns / (double)t);
    return n ? n : 1;
}

/* ns per op of one run of n units after a warm-up run; < 0 on failure. */
static double measure_once(const bench_def_t *b, uint64_t n)
{
    if (b->run(n / 10 ? n / 10 : 1) == 0)
        return -1;
    uint64_t t = b->run(n);
    if (t == 0)
        return -1;
    return (double)t / (double)(n * b->ops_per_unit);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median ns per op of `reps` calibrated runs; < 0 on failure. */
static double measure(const bench_def_t *b, uint64_t target_ns, int reps,
                      uint64_t *ops)
{
    double per_op[64];
    uint64_t n = calibrate(b, target_ns);

    if (n == 0)
        return -1;
    if (reps > 64)
        reps = 64;
    for (int r = 0; r < reps; r++)
        if ((per_op[r] = measure_once(b, n)) < 0)
            return -1;
    qsort(per_op, (size_t)reps, sizeof per_op[0], cmp_double);
    *ops = n * b->ops_per_unit;
    return reps % 2 ? per_op[reps / 2]
                    : (per_op[reps / 2 - 1] + per_op[reps / 2]) / 2;
}

static const bench_def_t *find(const char *name)
{
    for (size_t b = 0; b < N_BENCHES; b++)
        if (strcmp(benches[b].name, name) == 0)
            return &benches[b];
    fprintf(stderr, "ua_bench: no workload named %s (see --list)\n", name);
    return NULL;
}

bool bench_selected(const char *only, const char *name)
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

static void print_info(void)
{
    print_sizes();
    uint64_t pri = bench_io_latency_us(1), rr = bench_io_latency_us(0);
    printf("bench io-latency: priority %llu us, round-robin %llu us "
           "(virtual time; ISR during a 2 ms step of 10 busy tasks)\n",
           (unsigned long long)pri, (unsigned long long)rr);
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--target-ms MS] [--reps N] [--only NAME,...]\n"
            "       %s --calibrate NAME [--target-ms MS]\n"
            "       %s --run NAME --n N\n"
            "       %s --info | --list\n"
            "       %s --scaling [--budget-ms MS] [--only CASE,...]\n",
            argv0, argv0, argv0, argv0, argv0);
    return 2;
}

int main(int argc, char **argv)
{
    uint64_t target_ms = 300, n = 0, budget_ms = 2000;
    int reps = 3;
    const char *only = NULL, *calibrate_name = NULL, *run_name = NULL;
    bool info = false, scaling = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--list") == 0) {
            for (size_t b = 0; b < N_BENCHES; b++)
                printf("%s: one op = %s\n", benches[b].name, benches[b].what);
            return 0;
        }
        if (strcmp(a, "--info") == 0) {
            info = true;
            continue;
        }
        if (strcmp(a, "--scaling") == 0) {
            scaling = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage(argv[0]);
        const char *v = argv[++i];
        if (strcmp(a, "--target-ms") == 0)
            target_ms = strtoull(v, NULL, 10);
        else if (strcmp(a, "--budget-ms") == 0)
            budget_ms = strtoull(v, NULL, 10);
        else if (strcmp(a, "--reps") == 0)
            reps = atoi(v);
        else if (strcmp(a, "--only") == 0)
            only = v;
        else if (strcmp(a, "--calibrate") == 0)
            calibrate_name = v;
        else if (strcmp(a, "--run") == 0)
            run_name = v;
        else if (strcmp(a, "--n") == 0)
            n = strtoull(v, NULL, 10);
        else
            return usage(argv[0]);
    }
    if (reps < 1)
        reps = 1;

    if (calibrate_name != NULL) {
        const bench_def_t *b = find(calibrate_name);
        if (b == NULL)
            return 2;
        uint64_t units = calibrate(b, target_ms * 1000000u);
        if (units == 0) {
            printf("uasync %s FAILED\n", b->name);
            return 1;
        }
        printf("uasync %s n=%llu\n", b->name, (unsigned long long)units);
        return 0;
    }
    if (run_name != NULL) {
        const bench_def_t *b = find(run_name);
        if (b == NULL || n == 0)
            return b == NULL ? 2 : usage(argv[0]);
        double ns = measure_once(b, n);
        if (ns < 0) {
            printf("uasync %s FAILED\n", b->name);
            return 1;
        }
        printf("uasync %s %.3f ns/op ops=%llu\n", b->name, ns,
               (unsigned long long)(n * b->ops_per_unit));
        return 0;
    }
    if (info) {
        print_info();
        return 0;
    }
    if (scaling)
        return bench_scaling(budget_ms, only) ? 1 : 0;

    printf("# uasync core, buildtype %s (optimization -O%s), trace hooks %s\n",
           BENCH_BUILDTYPE, BENCH_OPTIMIZATION, UA_TRACE ? "on" : "off");
    printf("# process CPU time; median of %d runs of about %llu ms each\n",
           reps, (unsigned long long)target_ms);
    int failures = 0;
    for (size_t b = 0; b < N_BENCHES; b++) {
        if (!bench_selected(only, benches[b].name))
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
    if (only == NULL)
        print_info();
    return failures ? 1 : 0;
}
