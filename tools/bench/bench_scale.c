/*
 * Scaling benches (issue 12): the cost per operation of what must not grow
 * with the number of tasks, measured at N = 10, 1000 and 100000 so that a
 * flat (O(1)) or slowly growing (O(log N)) cost shows as such:
 *
 *   scale-gather    one ua_gather of N children that finish one at a time
 *                   (child i sleeps i+1 ms): CPU per finishing child
 *   scale-join      N pairs, waiter i in ua_join on target i; the targets
 *                   finish one at a time (target i sleeps i+1 ms): CPU per
 *                   pair
 *   scale-timeout   N waiters on one event, waiter i with a timeout of
 *                   1 + perm[i] ms (perm: a random permutation), so each
 *                   times out from a random place in the wait queue -- the
 *                   middle on average: CPU per timeout
 *   scale-timers    N ua_call_later_ms callbacks with random deadlines in
 *                   10 s, scheduled and fired: CPU per timer
 *   scale-timers-bare-heap  the same deadlines through a plain array binary
 *                   heap written here (push, pop-min, call through a
 *                   pointer): the floor a timer structure can aim at
 *   scale-timers-vs-bare-heap  the ratio of the two, per N
 *   scale-timers-1.1M  1,100,000 live call_later timers, past 2^20: whether
 *                   they are all scheduled and fired within the budget
 *
 * Only the public API (ua.h) and the virtual-clock port with auto-advance,
 * so idling costs nothing and only the scheduler's work is timed.  The
 * clock is process CPU time (CLOCK_PROCESS_CPUTIME_ID).  A measurement does
 * at least SCALE_OPS operations (a small N is repeated on fresh loops) and
 * each figure is the median of SCALE_REPS measurements.
 *
 * A run whose CPU time exceeds the budget is stopped (ua_loop_stop at the
 * end of the current pass) and its line says how far it got, so that an
 * O(N^2) structure shows as "did not finish" instead of hanging the bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "posix_port.h"
#include "ua.h"
#include "ua_vport.h"

#define SCALE_OPS 100000u
#define SCALE_REPS 3
#define SCALE_BIG_TIMERS 1100000u /* past 2^20 = 1,048,576 */
#define SCALE_MAX_N SCALE_BIG_TIMERS
#define SCALE_FEED_BATCH 1024u
/* From here on the feeder schedules one callback per pass, so that the
 * budget is looked at after each: near 2^20 live timers a single insert
 * may take far longer than a thousand did before. */
#define SCALE_FEED_ONE_BY_ONE 1000000u

static const uint32_t scale_n[] = {10, 1000, 100000};
#define SCALE_NS (sizeof scale_n / sizeof scale_n[0])

static ua_vport_t vp;
static ua_loop_t loop;

/* --- CPU budget and operation count of one run --------------------------- */

static uint64_t run_t0, budget_end, last_check_t, last_check_ops;
static uint64_t ops_done, ops_target, next_check, last_op_ns;
static bool stopped;

/* What reading the CPU clock twice costs (a system call each), subtracted
 * from every run: at N = 10 a run is a few hundred nanoseconds. */
static uint64_t clock_overhead_ns;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void measure_clock_overhead(void)
{
    uint64_t d[1001];

    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        uint64_t t0 = bench_cpu_ns();
        d[i] = bench_cpu_ns() - t0;
    }
    qsort(d, sizeof d / sizeof d[0], sizeof d[0], cmp_u64);
    clock_overhead_ns = d[sizeof d / sizeof d[0] / 2];
}

/* Start the timed part of a run; the loop is stopped once `target`
 * operations are done (0: never, the run ends by itself). */
static void run_start(uint64_t target, uint64_t budget_ns)
{
    ops_done = last_check_ops = 0;
    ops_target = target;
    next_check = 64;
    last_op_ns = 0;
    stopped = false;
    run_t0 = last_check_t = bench_cpu_ns();
    budget_end = run_t0 + budget_ns;
}

/* Look at the clock: stop the loop once the budget is spent.  Checked
 * every 64 operations while they are cheap, at every one once they are
 * slow (reading the CPU clock is a system call). */
static void budget_check(void)
{
    uint64_t now = bench_cpu_ns();

    if (ops_done > last_check_ops)
        last_op_ns = (now - last_check_t) / (ops_done - last_check_ops);
    last_check_t = now;
    last_check_ops = ops_done;
    next_check = ops_done + (last_op_ns > 10000 ? 1 : 64);
    if (now >= budget_end && !stopped) {
        stopped = true;
        ua_loop_stop(&loop);
    }
}

/* One operation finished. */
static void op_done(void)
{
    if (++ops_done == ops_target)
        ua_loop_stop(&loop);
    else if (ops_done >= next_check)
        budget_check();
}

static uint64_t elapsed(void)
{
    uint64_t dt = bench_cpu_ns() - run_t0;
    return dt > clock_overhead_ns ? dt - clock_overhead_ns : 1;
}

/* --- shared memory for every case (allocated once, outside any timing) ---- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t ms;
    int st;
    ua_task_t *target;
} sc_task_t;

static sc_task_t *tasks_a, *tasks_b;
static ua_task_t **task_ptrs;
static ua_callback_t *cbs;
static uint32_t *deadline_ms, *perm;

static bool scale_alloc(void)
{
    tasks_a = calloc(100000, sizeof *tasks_a);
    tasks_b = calloc(100000, sizeof *tasks_b);
    task_ptrs = calloc(100000, sizeof *task_ptrs);
    cbs = calloc(SCALE_MAX_N, sizeof *cbs);
    deadline_ms = calloc(SCALE_MAX_N, sizeof *deadline_ms);
    perm = calloc(100000, sizeof *perm);
    if (!tasks_a || !tasks_b || !task_ptrs || !cbs || !deadline_ms || !perm)
        return false;
    /* Timer deadlines: the generator of the timers workload, any count. */
    uint32_t x = BENCH_TIMER_SEED;
    for (uint32_t i = 0; i < SCALE_MAX_N; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        deadline_ms[i] = 1 + x % BENCH_TIMER_SPAN_MS;
    }
    return true;
}

static void scale_free(void)
{
    free(tasks_a);
    free(tasks_b);
    free(task_ptrs);
    free(cbs);
    free(deadline_ms);
    free(perm);
}

static void fresh_loop(void)
{
    ua_vport_init(&vp, &loop, 0, true);
}

static void task_prep(sc_task_t *t, int32_t ms)
{
    t->co = (ua_co_t){0};
    t->ms = ms;
    t->st = 1;
    t->target = NULL;
}

/* A run returns the CPU nanoseconds of its timed part, or 0 if it went
 * wrong; ops_done and `stopped` say how far it got. */
typedef uint64_t (*scale_fn)(uint32_t n, uint64_t budget_ns);

/* --- gather ------------------------------------------------------------------ */

/* The gather's count field type: a larger N cannot be expressed. */
typedef __typeof__(((ua_gather_t *)0)->count) gather_count_t;
#define GATHER_MAX_N ((uint64_t)(gather_count_t)-1)

static int sleep_then_count(ua_task_t *self)
{
    sc_task_t *t = UA_CONTAINER_OF(self, sc_task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->ms));
    op_done();
    UA_END();
}

static struct {
    ua_task_t task;
    ua_co_t co;
    ua_gather_t g;
    uint32_t n;
} gatherer;

static int gatherer_fn(ua_task_t *self)
{
    UA_BEGIN(self, &gatherer.co);
    ua_gather_init(&gatherer.g, task_ptrs, (gather_count_t)gatherer.n,
                   UA_GATHER_CANCEL_REST, NULL, NULL);
    UA_AWAIT(ua_gather(self, &gatherer.g));
    UA_END();
}

static uint64_t run_gather(uint32_t n, uint64_t budget_ns)
{
    fresh_loop();
    for (uint32_t i = 0; i < n; i++) {
        task_prep(&tasks_a[i], (int32_t)i + 1);
        task_ptrs[i] = &tasks_a[i].task;
    }
    gatherer.co = (ua_co_t){0};
    gatherer.n = n;
    run_start(0, budget_ns); /* the gather must see the last child end */
    for (uint32_t i = 0; i < n; i++) {
        ua_task_init(&tasks_a[i].task, sleep_then_count);
        ua_spawn(&loop, &tasks_a[i].task);
    }
    ua_task_init(&gatherer.task, gatherer_fn);
    int st = ua_loop_run_until_complete(&loop, &gatherer.task);
    uint64_t dt = elapsed();
    if (stopped)
        return dt;
    return st == 0 && ops_done == n ? dt : 0;
}

/* --- join pairs --------------------------------------------------------------- */

static int just_sleep(ua_task_t *self)
{
    sc_task_t *t = UA_CONTAINER_OF(self, sc_task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->ms));
    UA_END();
}

static int joiner_fn(ua_task_t *self)
{
    sc_task_t *t = UA_CONTAINER_OF(self, sc_task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_join(self, t->target, UA_FOREVER));
    op_done();
    UA_END();
}

static uint64_t run_join(uint32_t n, uint64_t budget_ns)
{
    fresh_loop();
    for (uint32_t i = 0; i < n; i++) {
        task_prep(&tasks_a[i], (int32_t)i + 1);
        task_prep(&tasks_b[i], 0);
        tasks_b[i].target = &tasks_a[i].task;
    }
    run_start(n, budget_ns);
    for (uint32_t i = 0; i < n; i++) {
        ua_task_init(&tasks_a[i].task, just_sleep);
        ua_spawn(&loop, &tasks_a[i].task);
        ua_task_init(&tasks_b[i].task, joiner_fn);
        ua_spawn(&loop, &tasks_b[i].task);
    }
    ua_loop_run_forever(&loop);
    uint64_t dt = elapsed();
    if (stopped)
        return dt;
    return ops_done == n ? dt : 0;
}

/* --- timeouts from the middle of a wait queue ------------------------------------ */

static ua_event_t never_set;

static int timeout_waiter(ua_task_t *self)
{
    sc_task_t *t = UA_CONTAINER_OF(self, sc_task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_event_wait(self, &never_set, t->ms));
    if (t->st == UA_ETIMEDOUT)
        op_done();
    UA_END();
}

static uint32_t perm_n;

/* perm[0..n) = a pseudo-random permutation of 0..n-1 (Fisher-Yates). */
static void make_perm(uint32_t n)
{
    uint32_t x = BENCH_TIMER_SEED ^ n;

    if (perm_n == n)
        return;
    for (uint32_t i = 0; i < n; i++)
        perm[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t j = x % (i + 1), tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    perm_n = n;
}

static uint64_t run_timeout(uint32_t n, uint64_t budget_ns)
{
    fresh_loop();
    make_perm(n);
    for (uint32_t i = 0; i < n; i++)
        task_prep(&tasks_a[i], 1 + (int32_t)perm[i]);
    run_start(n, budget_ns);
    ua_event_init(&never_set);
    for (uint32_t i = 0; i < n; i++) {
        ua_task_init(&tasks_a[i].task, timeout_waiter);
        ua_spawn(&loop, &tasks_a[i].task);
    }
    ua_loop_run_forever(&loop);
    uint64_t dt = elapsed();
    if (stopped)
        return dt;
    return ops_done == n ? dt : 0;
}

/* --- call_later timers ---------------------------------------------------------- */

static void timer_fired(void *arg)
{
    (void)arg;
    op_done();
}

/* Schedules the callbacks in batches and yields between them, so that the
 * budget is looked at between passes (the callbacks arm their timers when
 * they first run, in the pass after ua_call_later_ms).  Batches of 1024
 * up to N = 1,000,000, then one at a time. */
static struct {
    ua_task_t task;
    ua_co_t co;
    uint32_t n, i, batch;
    int failed;
} feeder;

static int feeder_fn(ua_task_t *self)
{
    UA_BEGIN(self, &feeder.co);
    while (feeder.i < feeder.n && !stopped) {
        feeder.batch = last_op_ns > 10000 ||
                               feeder.i >= SCALE_FEED_ONE_BY_ONE
                           ? 1
                           : SCALE_FEED_BATCH;
        for (uint32_t k = 0; k < feeder.batch && feeder.i < feeder.n;
             k++, feeder.i++)
            if (ua_call_later_ms(&loop, &cbs[feeder.i],
                                 (int32_t)deadline_ms[feeder.i], timer_fired,
                                 NULL) != 0)
                feeder.failed = 1;
        UA_YIELD();
        /* The batch is armed: count it against the budget. */
        uint64_t now = bench_cpu_ns();
        last_op_ns = (now - last_check_t) / feeder.batch;
        last_check_t = now;
        if (now >= budget_end && !stopped) {
            stopped = true;
            ua_loop_stop(&loop);
        }
    }
    UA_END();
}

static uint32_t feeder_scheduled(void)
{
    return feeder.i;
}

static uint64_t run_timers(uint32_t n, uint64_t budget_ns)
{
    fresh_loop();
    /* Zeroed: never-used callbacks, whatever a stopped run left behind. */
    memset(cbs, 0, (size_t)n * sizeof *cbs);
    feeder.co = (ua_co_t){0};
    feeder.n = n;
    feeder.i = 0;
    feeder.failed = 0;
    run_start(n, budget_ns);
    ua_task_init(&feeder.task, feeder_fn);
    ua_spawn(&loop, &feeder.task);
    ua_loop_run_forever(&loop);
    uint64_t dt = elapsed();
    if (feeder.failed)
        return 0;
    if (stopped)
        return dt;
    return ops_done == n ? dt : 0;
}

/* --- the same deadlines through a bare array binary heap ---------------------- */

typedef struct {
    uint32_t deadline, seq; /* ordered by (deadline, seq): FIFO among ties */
    void (*fn)(void *arg);
    void *arg;
} bh_entry_t;

static bh_entry_t *bh;
static uint32_t bh_len;

static bool bh_less(const bh_entry_t *a, const bh_entry_t *b)
{
    return a->deadline != b->deadline ? a->deadline < b->deadline
                                      : a->seq < b->seq;
}

static void bh_push(bh_entry_t e)
{
    uint32_t i = bh_len++;

    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!bh_less(&e, &bh[parent]))
            break;
        bh[i] = bh[parent];
        i = parent;
    }
    bh[i] = e;
}

static bh_entry_t bh_pop(void)
{
    bh_entry_t top = bh[0], last = bh[--bh_len];
    uint32_t i = 0;

    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= bh_len)
            break;
        if (c + 1 < bh_len && bh_less(&bh[c + 1], &bh[c]))
            c++;
        if (!bh_less(&bh[c], &last))
            break;
        bh[i] = bh[c];
        i = c;
    }
    if (bh_len > 0)
        bh[i] = last;
    return top;
}

static uint64_t run_bare_heap(uint32_t n, uint64_t budget_ns)
{
    run_start(n, budget_ns);
    bh_len = 0;
    for (uint32_t i = 0; i < n; i++)
        bh_push((bh_entry_t){deadline_ms[i], i, timer_fired, NULL});
    uint32_t prev = 0;
    while (bh_len > 0) {
        bh_entry_t e = bh_pop();
        if (e.deadline < prev)
            return 0; /* out of order: the reference itself is wrong */
        prev = e.deadline;
        e.fn(e.arg);
    }
    uint64_t dt = elapsed();
    return ops_done == n ? dt : 0;
}

/* --- measuring and printing ------------------------------------------------------- */

typedef struct {
    const char *name;
    scale_fn run;
    const char *unit;  /* what one op is, in "ns/<unit>" */
    const char *units; /* its plural */
    const char *what;
    uint64_t max_n;
} scale_case_t;

typedef struct {
    uint32_t n;
    enum { R_OK, R_STOPPED, R_FAILED } status;
    double ns_per_op;
    uint64_t ops, cpu_ns;
} scale_result_t;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median over SCALE_REPS measurements of at least SCALE_OPS operations. */
static scale_result_t measure_n(const scale_case_t *c, uint32_t n,
                                uint64_t budget_ns)
{
    scale_result_t r = {.n = n, .status = R_OK};
    double per_op[SCALE_REPS];
    uint32_t runs = n >= SCALE_OPS ? 1 : (SCALE_OPS + n - 1) / n;

    for (int rep = 0; rep < SCALE_REPS; rep++) {
        uint64_t total = 0, ops = 0;
        for (uint32_t k = 0; k < runs; k++) {
            uint64_t dt = c->run(n, budget_ns);
            if (dt == 0) {
                r.status = R_FAILED;
                return r;
            }
            total += dt;
            ops += ops_done;
            if (stopped) {
                /* Too slow to repeat: report how far one run got. */
                r.status = R_STOPPED;
                r.ops = ops_done;
                r.cpu_ns = dt;
                r.ns_per_op = ops_done ? (double)dt / (double)ops_done : 0;
                return r;
            }
        }
        per_op[rep] = (double)total / (double)ops;
    }
    qsort(per_op, SCALE_REPS, sizeof per_op[0], cmp_double);
    r.ns_per_op = per_op[SCALE_REPS / 2];
    return r;
}

static void fmt_ns(char *buf, size_t size, double ns)
{
    snprintf(buf, size, ns < 10 ? "%.2f" : ns < 100 ? "%.1f" : "%.0f", ns);
}

/* A duration with a unit a reader takes in at a glance. */
static void fmt_dur(char *buf, size_t size, uint64_t ns)
{
    if (ns < 10000)
        snprintf(buf, size, "%llu ns", (unsigned long long)ns);
    else if (ns < 10000000)
        snprintf(buf, size, "%.1f us", (double)ns / 1e3);
    else
        snprintf(buf, size, "%.1f ms", (double)ns / 1e6);
}

static void print_result(const scale_case_t *c, const scale_result_t *r,
                         uint64_t budget_ns)
{
    char ns[32], last[32];

    fmt_ns(ns, sizeof ns, r->ns_per_op);
    fmt_dur(last, sizeof last, last_op_ns);
    switch (r->status) {
    case R_OK:
        printf("N=%u %s ns/%s", (unsigned)r->n, ns, c->unit);
        break;
    case R_STOPPED:
        printf("N=%u did not finish within %llu ms CPU (%llu of %u %s done, "
               "%s ns/%s so far, the last at %s each)",
               (unsigned)r->n, (unsigned long long)(budget_ns / 1000000u),
               (unsigned long long)r->ops, (unsigned)r->n, c->units, ns, c->unit,
               last);
        break;
    default:
        printf("N=%u FAILED (wrong result)", (unsigned)r->n);
        break;
    }
}

/* One line: the case at every N of scale_n (and at its largest expressible
 * N when the API refuses one).  Returns 1 if a run failed. */
static int scale_line(const scale_case_t *c, uint64_t budget_ns,
                      scale_result_t *out)
{
    int failed = 0;
    scale_result_t first = {0}, last = {0};

    printf("bench %s: ", c->name);
    fflush(stdout);
    for (size_t i = 0; i < SCALE_NS; i++) {
        uint32_t n = scale_n[i];
        if (i > 0)
            printf(", ");
        if (n > c->max_n) {
            printf("N=%u refused by the API (at most %llu), ", (unsigned)n,
                   (unsigned long long)c->max_n);
            n = (uint32_t)c->max_n;
        }
        scale_result_t r = measure_n(c, n, budget_ns);
        print_result(c, &r, budget_ns);
        fflush(stdout);
        failed |= r.status == R_FAILED;
        if (out)
            out[i] = r;
        if (i == 0)
            first = r;
        last = r;
    }
    printf(" (%s", c->what);
    if (first.status == R_OK && last.status == R_OK && first.ns_per_op > 0)
        printf("; x%.1f from N=%u to N=%u", last.ns_per_op / first.ns_per_op,
               (unsigned)first.n, (unsigned)last.n);
    printf(")\n");
    return failed;
}

int bench_scaling(uint64_t budget_ms, const char *only)
{
    const uint64_t budget_ns = budget_ms * 1000000u;
    const scale_case_t gather = {"scale-gather", run_gather, "child", "children",
                                 "one ua_gather of N children finishing one "
                                 "at a time, CPU per finishing child",
                                 GATHER_MAX_N};
    const scale_case_t join = {"scale-join", run_join, "pair", "pairs",
                               "N ua_join pairs, targets finishing one at a "
                               "time, CPU per pair",
                               UINT32_MAX};
    const scale_case_t timeout = {"scale-timeout", run_timeout, "timeout", "timeouts",
                                  "N waiters on one event time out in random "
                                  "order, each from a random place in the "
                                  "queue, CPU per timeout",
                                  UINT32_MAX};
    const scale_case_t timers = {"scale-timers", run_timers, "timer", "timers",
                                 "N live call_later timers, random deadlines "
                                 "in 10 s, scheduled and fired, CPU per timer",
                                 UINT32_MAX};
    const scale_case_t bare = {"scale-timers-bare-heap", run_bare_heap,
                               "timer", "timers",
                               "the same deadlines through an array binary "
                               "heap in the bench: push, pop-min, call",
                               UINT32_MAX};
    int failed = 0;

    if (!scale_alloc()) {
        printf("bench scaling: FAILED (out of memory)\n");
        scale_free();
        return 1;
    }
    bh = calloc(SCALE_MAX_N, sizeof *bh);
    if (bh == NULL) {
        scale_free();
        return 1;
    }
    measure_clock_overhead();
    printf("# scaling, uasync only: process CPU time per op at N = 10, 1000, "
           "100000 (median of %d measurements of >= %u ops each, %llu ns of "
           "clock reading subtracted per run; a run is stopped after %llu ms "
           "CPU); flat = O(1), slow growth = O(log N)\n",
           SCALE_REPS, SCALE_OPS, (unsigned long long)clock_overhead_ns,
           (unsigned long long)budget_ms);
    if (bench_selected(only, "scale-gather"))
        failed += scale_line(&gather, budget_ns, NULL);
    if (bench_selected(only, "scale-join"))
        failed += scale_line(&join, budget_ns, NULL);
    if (bench_selected(only, "scale-timeout"))
        failed += scale_line(&timeout, budget_ns, NULL);
    scale_result_t ua[SCALE_NS], ref[SCALE_NS];
    bool both = bench_selected(only, "scale-timers") &&
                bench_selected(only, "scale-timers-bare-heap");
    if (bench_selected(only, "scale-timers"))
        failed += scale_line(&timers, budget_ns, ua);
    if (bench_selected(only, "scale-timers-bare-heap"))
        failed += scale_line(&bare, budget_ns, ref);
    if (both) {
        printf("bench scale-timers-vs-bare-heap: ");
        for (size_t i = 0; i < SCALE_NS; i++) {
            fputs(i ? ", " : "", stdout);
            if (ua[i].status == R_OK && ref[i].status == R_OK)
                printf("N=%u x%.2f", (unsigned)scale_n[i],
                       ua[i].ns_per_op / ref[i].ns_per_op);
            else
                printf("N=%u -", (unsigned)scale_n[i]);
        }
        printf(" (uasync call_later per timer / bare binary heap per timer)\n");
    }
    if (bench_selected(only, "scale-timers-1.1M")) {
        /* Once, not a median: the question is whether it finishes. */
        uint64_t dt = run_timers(SCALE_BIG_TIMERS, budget_ns);
        char ns[32];
        printf("bench scale-timers-1.1M: ");
        if (dt == 0) {
            printf("FAILED (wrong result)");
            failed++;
        } else if (stopped) {
            fmt_dur(ns, sizeof ns, last_op_ns);
            printf("did not finish within %llu ms CPU: %u of %u call_later "
                   "scheduled, %llu fired; the last took %s each",
                   (unsigned long long)budget_ms, (unsigned)feeder_scheduled(),
                   SCALE_BIG_TIMERS, (unsigned long long)ops_done, ns);
        } else {
            fmt_ns(ns, sizeof ns, (double)dt / SCALE_BIG_TIMERS);
            printf("finished: %u timers scheduled and fired, %s ns/timer",
                   SCALE_BIG_TIMERS, ns);
        }
        printf(" (%u live call_later timers, more than 2^20 = 1048576)\n",
               SCALE_BIG_TIMERS);
    }
    free(bh);
    scale_free();
    return failed;
}
