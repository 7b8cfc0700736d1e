/*
 * Timer workloads: 10,000 timers with pseudo-random deadlines, scheduled and
 * fired.  They run on the virtual-clock port with auto-advance, so idling
 * jumps straight to the next deadline and the CPU time measured is the
 * scheduler's own work (the CPython peer does the same with a virtual-time
 * event loop).  Two shapes:
 *   - timers:       ua_call_later_ms callbacks (asyncio: loop.call_later);
 *   - timers-tasks: tasks that each sleep once (asyncio: create_task of a
 *                   coroutine awaiting asyncio.sleep).
 */
#include "bench.h"
#include "posix_port.h"
#include "ua.h"
#include "ua_vport.h"

static ua_vport_t vp;
static ua_loop_t loop;
static uint32_t deadline_ms[BENCH_TIMERS];
static int deadlines_ready;
static unsigned remaining;

void bench_timer_deadlines(uint32_t *ms, unsigned count)
{
    uint32_t x = BENCH_TIMER_SEED;

    for (unsigned i = 0; i < count; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ms[i] = 1 + x % BENCH_TIMER_SPAN_MS;
    }
}

static void fresh_loop(void)
{
    if (!deadlines_ready) {
        bench_timer_deadlines(deadline_ms, BENCH_TIMERS);
        deadlines_ready = 1;
    }
    ua_vport_init(&vp, &loop, 0, true);
    remaining = BENCH_TIMERS;
}

/* Run until the last timer stopped the loop; 0 if the run went wrong. */
static uint64_t run_all(uint64_t t0)
{
    ua_loop_run_forever(&loop);
    uint64_t dt = bench_cpu_ns() - t0;
    bool ok = remaining == 0 && vp.deadlocks == 0 &&
              vp.now_us <= (uint64_t)BENCH_TIMER_SPAN_MS * 1000u;
    return ok ? dt : 0;
}

/* --- callbacks -------------------------------------------------------------- */

static ua_callback_t callbacks[BENCH_TIMERS];

static void timer_cb(void *arg)
{
    (void)arg;
    if (--remaining == 0)
        ua_loop_stop(&loop);
}

uint64_t bench_timers(uint64_t rounds)
{
    uint64_t total = 0;

    for (uint64_t r = 0; r < rounds; r++) {
        fresh_loop();
        uint64_t t0 = bench_cpu_ns();
        for (unsigned i = 0; i < BENCH_TIMERS; i++)
            ua_call_later_ms(&loop, &callbacks[i], (int32_t)deadline_ms[i],
                             timer_cb, NULL);
        uint64_t dt = run_all(t0);
        if (dt == 0)
            return 0;
        total += dt;
    }
    return total;
}

/* --- sleeping tasks --------------------------------------------------------- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t ms;
} sleeper_t;

static sleeper_t sleepers[BENCH_TIMERS];

static int sleeper_fn(ua_task_t *self)
{
    sleeper_t *s = UA_CONTAINER_OF(self, sleeper_t, task);
    UA_BEGIN(self, &s->co);
    UA_AWAIT(ua_sleep_ms(self, s->ms));
    if (--remaining == 0)
        ua_loop_stop(&loop);
    UA_END();
}

uint64_t bench_timer_tasks(uint64_t rounds)
{
    uint64_t total = 0;

    for (uint64_t r = 0; r < rounds; r++) {
        fresh_loop();
        uint64_t t0 = bench_cpu_ns();
        for (unsigned i = 0; i < BENCH_TIMERS; i++) {
            sleeper_t *s = &sleepers[i];
            s->co = (ua_co_t){0};
            s->ms = (int32_t)deadline_ms[i];
            ua_task_init(&s->task, sleeper_fn);
            ua_spawn(&loop, &s->task);
        }
        uint64_t dt = run_all(t0);
        if (dt == 0)
            return 0;
        total += dt;
    }
    return total;
}
