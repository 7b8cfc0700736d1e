/*
 * Regression tests for the defects found from outside the core (issue "A
 * core you can trust"), each at exact virtual times, and for the rules they
 * led to: a cancel once accepted is always delivered; a party that leaves a
 * barrier never counts; gather reports the first failure in time; every
 * task acts on its own loop; a failed task nobody awaits is reported.
 */
#include "harness.h"

/* --- helpers -------------------------------------------------------------- */

/* Sleep a ms (forever if a < 0), then fail with b (or succeed if b == 0).
 * Its cleanup sleeps `item` ms and logs how the body ended. */
static int sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    if (t->a < 0)
        UA_AWAIT(ua_event_wait(self, (ua_event_t *)t->obj, UA_FOREVER));
    else
        UA_AWAIT(ua_sleep_ms(self, t->a));
    if (t->b != 0)
        UA_THROW(t->b);
    UA_FINALLY
    if (t->item > 0)
        UA_AWAIT(ua_sleep_ms(self, t->item));
    h_log(t->name, UA_STATUS());
    UA_END();
}

/* --- 1. Barrier: a party that left never counts -------------------------- */

/* Wait at the barrier obj with timeout a; log the outcome. */
static int barrier_party(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    if (t->b > 0)
        UA_AWAIT(ua_sleep_ms(self, t->b));
    UA_AWAIT_STATUS(t->st, ua_barrier_wait(self, t->obj, t->a));
    h_log(t->name, t->st);
    UA_END();
}

/* Sleep a ms, cancel the victim, then arrive at the barrier obj (timeout
 * 100 ms) in the same step. */
typedef struct {
    tk_t base;
    ua_task_t *victim;
} killer_t;

static int kill_then_arrive(ua_task_t *self)
{
    killer_t *k = UA_CONTAINER_OF(self, killer_t, base.task);
    tk_t *t = &k->base;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("cancel", ua_task_cancel(k->victim));
    UA_AWAIT_STATUS(t->st, ua_barrier_wait(self, t->obj, 100));
    h_log(t->name, t->st);
    UA_END();
}

static void barrier_cancel_then_arrival_same_step(void **state)
{
    (void)state;
    ua_barrier_t bar;
    tk_t a, d, e;
    killer_t c;
    h_setup(0);
    ua_barrier_init(&bar, 2, NULL, NULL);
    tk_spawn(&a, barrier_party, "A", UA_FOREVER, 0, &bar);
    memset(&c, 0, sizeof c);
    ua_task_init(&c.base.task, kill_then_arrive);
    c.base.name = "C";
    c.base.a = 10;
    c.base.obj = &bar;
    c.victim = &a.task;
    assert_int_equal(ua_spawn(&h_loop, &c.base.task), 0);
    assert_int_equal(h_run(&c.base.task), 0);
    /* A left before C came: C waited alone and timed out. */
    H_EXPECT({10000, "cancel", 1}, {10000, "A", UA_ECANCELLED},
             {110000, "C", UA_ETIMEDOUT});
    assert_false(ua_barrier_busy(&bar));
    /* The barrier is intact: the next two parties make a round. */
    h_count = 0;
    tk_spawn(&d, barrier_party, "D", UA_FOREVER, 5, &bar);
    tk_spawn(&e, barrier_party, "E", UA_FOREVER, 7, &bar);
    assert_int_equal(h_run(&e.task), 0);
    assert_int_equal(h_run(&d.task), 0);
    H_EXPECT({117000, "E", 0}, {117000, "D", 0});
}

static void barrier_timed_out_party_does_not_count(void **state)
{
    (void)state;
    ua_barrier_t bar;
    tk_t a, c, d, e;
    h_setup(0);
    ua_barrier_init(&bar, 2, NULL, NULL);
    /* C's sleep is armed before A's timeout, both due at 10 ms: C runs
     * first in that pass, while A's timeout has fired but A has not yet
     * resumed.  A must not count. */
    tk_spawn(&c, barrier_party, "C", 50, 10, &bar);
    tk_spawn(&a, barrier_party, "A", 10, 0, &bar);
    assert_int_equal(h_run(&c.task), 0);
    assert_int_equal(h_run(&a.task), 0);
    H_EXPECT({10000, "A", UA_ETIMEDOUT}, {60000, "C", UA_ETIMEDOUT});
    h_count = 0;
    tk_spawn(&d, barrier_party, "D", UA_FOREVER, 1, &bar);
    tk_spawn(&e, barrier_party, "E", UA_FOREVER, 2, &bar);
    assert_int_equal(h_run(&e.task), 0);
    assert_int_equal(h_run(&d.task), 0);
    H_EXPECT({62000, "E", 0}, {62000, "D", 0});
}

/* --- 2. wait_for keeps a cancel that arrives during the cleanup ---------- */

static int wait_for_caller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_wait_for(self, t->obj, t->a));
    h_log(t->name, t->st);
    UA_END();
}

static void wait_for_delivers_cancel_during_cleanup(void **state)
{
    (void)state;
    ua_event_t never;
    tk_t inner, caller, third;
    h_setup(0);
    ua_event_init(&never);
    tk_spawn(&inner, sleeper, "inner", -1, 0, &never);
    inner.item = 50; /* 50 ms of cleanup */
    tk_spawn(&caller, wait_for_caller, "wait_for", 100, 0, &inner.task);
    tk_spawn(&third, tk_canceller, "", 120, 0, &caller);
    assert_int_equal(h_run(&caller.task), 0);
    /* Timed out at 100, cancelled at 120 during the cleanup (100..150):
     * the caller ends cancelled once the cleanup is over. */
    H_EXPECT({120000, "cancel", 1}, {150000, "inner", UA_ECANCELLED},
             {150000, "wait_for", UA_ECANCELLED});
}

/* A cancel during the cleanup that follows the caller's own cancel is
 * merged into it, and a cancel that comes after wait_for returned is
 * delivered at the next await. */
static void wait_for_cancel_twice(void **state)
{
    (void)state;
    ua_event_t never;
    tk_t inner, caller, k1, k2;
    h_setup(0);
    ua_event_init(&never);
    tk_spawn(&inner, sleeper, "inner", -1, 0, &never);
    inner.item = 50;
    tk_spawn(&caller, wait_for_caller, "wait_for", UA_FOREVER, 0,
             &inner.task);
    tk_spawn(&k1, tk_canceller, "", 10, 0, &caller);
    tk_spawn(&k2, tk_canceller, "", 30, 0, &caller);
    assert_int_equal(h_run(&caller.task), 0);
    H_EXPECT({10000, "cancel", 1}, {30000, "cancel", 1},
             {60000, "inner", UA_ECANCELLED},
             {60000, "wait_for", UA_ECANCELLED});
}

/* --- 3, 4. gather -------------------------------------------------------- */

typedef struct {
    tk_t base;
    ua_gather_t g;
    ua_task_t *tasks[3];
    int statuses[3];
} gatherer_t;

static int gather_caller(ua_task_t *self)
{
    gatherer_t *g = UA_CONTAINER_OF(self, gatherer_t, base.task);
    UA_BEGIN(self, &g->base.co);
    UA_AWAIT_STATUS(g->base.st, ua_gather(self, &g->g));
    h_log("gather", g->base.st);
    UA_END();
}

static void spawn_gatherer(gatherer_t *g, tk_t *c, int n, enum ua_gather_mode m)
{
    memset(g, 0, sizeof *g);
    for (int i = 0; i < n; i++)
        g->tasks[i] = &c[i].task;
    ua_gather_init(&g->g, g->tasks, (uint16_t)n, m, NULL, g->statuses);
    ua_task_init(&g->base.task, gather_caller);
    assert_int_equal(ua_spawn(&h_loop, &g->base.task), 0);
}

static void gather_delivers_cancel_during_drain(void **state)
{
    (void)state;
    tk_t c[2], third;
    gatherer_t g;
    h_setup(0);
    tk_spawn(&c[0], sleeper, "c0", 10, UA_EIO, NULL);
    tk_spawn(&c[1], sleeper, "c1", 1000, 0, NULL);
    c[1].item = 50; /* cleanup 10..60 */
    spawn_gatherer(&g, c, 2, UA_GATHER_CANCEL_REST);
    tk_spawn(&third, tk_canceller, "", 30, 0, &g.base);
    assert_int_equal(h_run(&g.base.task), 0);
    H_EXPECT({10000, "c0", UA_EIO}, {30000, "cancel", 1},
             {60000, "c1", UA_ECANCELLED}, {60000, "gather", UA_ECANCELLED});
}

static void gather_reports_first_failure_in_time(void **state)
{
    (void)state;
    tk_t c[2];
    gatherer_t g;
    h_setup(0);
    /* c1 is armed first, so at 10 ms it fails first; c0, already woken by
     * its timer in the same pass, gets the gather's cancel instead.  The
     * gather reports c1's failure, not the lowest index's. */
    tk_spawn(&c[1], sleeper, "c1", 10, UA_EIO, NULL);
    tk_spawn(&c[0], sleeper, "c0", 10, UA_ERANGE, NULL);
    spawn_gatherer(&g, c, 2, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g.base.task), 0);
    H_EXPECT({10000, "c1", UA_EIO}, {10000, "c0", UA_ECANCELLED},
             {10000, "gather", UA_EIO});
    assert_int_equal(g.statuses[0], UA_ECANCELLED);
    assert_int_equal(g.statuses[1], UA_EIO);
}

/* A task that is part of a running gather cannot be gathered again. */
static void gather_child_in_two_gathers_is_refused(void **state)
{
    (void)state;
    tk_t c[1];
    gatherer_t g1, g2;
    h_setup(0);
    tk_spawn(&c[0], sleeper, "c0", 10, 0, NULL);
    spawn_gatherer(&g1, c, 1, UA_GATHER_CANCEL_REST);
    spawn_gatherer(&g2, c, 1, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g2.base.task), UA_OK);
    assert_int_equal(h_run(&g1.base.task), UA_OK);
    H_EXPECT({0, "gather", UA_EBUSY}, {10000, "c0", 0}, {10000, "gather", 0});
}

/* --- 5. every task acts on its own loop ---------------------------------- */

static void cancel_task_of_another_loop(void **state)
{
    (void)state;
    ua_vport_t vp_b;
    ua_loop_t loop_b;
    tk_t victim, other;
    h_setup(0);
    tk_spawn(&victim, sleeper, "victim", 1000, 0, NULL);
    ua_loop_step(&h_loop); /* victim now sleeps in h_loop's heap */
    ua_vport_init(&vp_b, &loop_b, 0, true);
    memset(&other, 0, sizeof other);
    ua_task_init(&other.task, sleeper);
    other.name = "other";
    other.a = 5;
    assert_int_equal(ua_spawn(&loop_b, &other.task), 0);
    ua_loop_step(&loop_b); /* loop B is the one being run now */
    assert_ptr_equal(ua_task_loop(&victim.task), &h_loop);
    assert_ptr_equal(ua_task_loop(&other.task), &loop_b);
    assert_int_equal(ua_task_cancel(&victim.task), 1);
    /* The victim left h_loop's timer heap, not loop B's. */
    assert_false(ua_loop_next_deadline(&h_loop, &(ua_ticks_t){0}));
    assert_true(ua_loop_next_deadline(&loop_b, &(ua_ticks_t){0}));
    assert_int_equal(h_run(&victim.task), UA_ECANCELLED);
    assert_int_equal(ua_loop_run_until_complete(&loop_b, &other.task), 0);
    H_EXPECT({0, "victim", UA_ECANCELLED}, {0, "other", 0});
}

/* An event set from a task of loop B wakes a waiter of loop A into A. */
static int setter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    ua_event_set(t->obj);
    UA_END();
}

static void event_set_from_another_loop(void **state)
{
    (void)state;
    ua_vport_t vp_b;
    ua_loop_t loop_b;
    ua_event_t ev;
    tk_t waiter, s;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&waiter, sleeper, "waiter", -1, 0, &ev);
    ua_loop_step(&h_loop);
    ua_vport_init(&vp_b, &loop_b, 0, true);
    memset(&s, 0, sizeof s);
    ua_task_init(&s.task, setter);
    s.a = 3;
    s.obj = &ev;
    assert_int_equal(ua_loop_run_until_complete(&loop_b, &s.task), 0);
    assert_true(ua_loop_has_work(&h_loop));
    assert_false(ua_loop_has_work(&loop_b));
    assert_int_equal(h_run(&waiter.task), 0);
}

/* --- 6. callbacks never read uninitialised memory ------------------------ */

static int cb_calls;
static void count_cb(void *arg)
{
    cb_calls += (int)(intptr_t)arg;
}

static void callback_on_dirty_stack(void **state)
{
    (void)state;
    ua_callback_t cb;
    h_setup(0);
    cb_calls = 0;
    memset(&cb, 0xA5, sizeof cb); /* what a stack slot may hold */
    ua_callback_init(&cb);
    assert_int_equal(ua_call_later_ms(&h_loop, &cb, 5, count_cb, (void *)2), 0);
    assert_int_equal(ua_call_later_ms(&h_loop, &cb, 5, count_cb, (void *)2),
                     UA_EBUSY);
    assert_int_equal(h_run(&cb.task), 0);
    assert_int_equal(cb_calls, 2);
    assert_int_equal(h_now(), 5000);
    /* Reusable once it ran. */
    assert_int_equal(ua_call_soon(&h_loop, &cb, count_cb, (void *)1), 0);
    assert_int_equal(h_run(&cb.task), 0);
    assert_int_equal(cb_calls, 3);
}

/* --- unhandled errors ----------------------------------------------------- */

static ua_task_t *unhandled_task;
static int unhandled_status, unhandled_calls;
static uint64_t unhandled_at;
static void on_unhandled(ua_loop_t *loop, ua_task_t *t, int status, void *arg)
{
    (void)loop;
    (void)arg;
    unhandled_task = t;
    unhandled_status = status;
    unhandled_at = h_now();
    unhandled_calls++;
}

static void unhandled_error_is_reported(void **state)
{
    (void)state;
    tk_t lone, joined, cancelled, j, k, ok;
    h_setup(0);
    unhandled_calls = 0;
    ua_loop_set_unhandled_handler(&h_loop, on_unhandled, NULL);
    tk_spawn(&lone, sleeper, "lone", 10, UA_EIO, NULL);
    tk_spawn(&joined, sleeper, "joined", 20, UA_ERANGE, NULL);
    tk_spawn(&j, wait_for_caller, "join", UA_FOREVER, 0, &joined.task);
    tk_spawn(&cancelled, sleeper, "cancelled", 100, 0, NULL);
    tk_spawn(&k, tk_canceller, "", 5, 0, &cancelled);
    tk_spawn(&ok, sleeper, "ok", 30, 0, NULL);
    assert_int_equal(h_run(&ok.task), 0);
    /* Only the failure nobody awaited; cancellations are not errors. */
    assert_int_equal(unhandled_calls, 1);
    assert_ptr_equal(unhandled_task, &lone.task);
    assert_int_equal(unhandled_status, UA_EIO);
    assert_int_equal(unhandled_at, 10000);
    assert_int_equal(ua_loop_unhandled_count(&h_loop), 1);
}

/* A failed task whose status is read before the next pass was handled. */
static int fail_then_reader(ua_task_t *self)
{
    tk_t *t = TK(self);
    tk_t *child = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 10)); /* child fails at 10, in the same pass
                                        before us (armed first) */
    h_log("status", ua_task_status(&child->task));
    UA_END();
}

static void status_read_in_same_pass_is_handled(void **state)
{
    (void)state;
    tk_t child, reader;
    h_setup(0);
    unhandled_calls = 0;
    ua_loop_set_unhandled_handler(&h_loop, on_unhandled, NULL);
    tk_spawn(&child, sleeper, "child", 10, UA_EIO, NULL);
    tk_spawn(&reader, fail_then_reader, "", 0, 0, &child);
    assert_int_equal(h_run(&reader.task), 0);
    ua_loop_step(&h_loop);
    assert_int_equal(unhandled_calls, 0);
    H_EXPECT({10000, "child", UA_EIO}, {10000, "status", UA_EIO});
}

static void unhandled_error_can_stop_the_loop(void **state)
{
    (void)state;
    tk_t lone, ok;
    h_setup(0);
    ua_loop_set_stop_on_unhandled(&h_loop, true);
    tk_spawn(&lone, sleeper, "lone", 10, UA_EIO, NULL);
    tk_spawn(&ok, sleeper, "ok", 30, 0, NULL);
    assert_int_equal(h_run(&ok.task), UA_ESTOPPED);
    assert_int_equal(h_now(), 10000);
    assert_int_equal(ua_loop_unhandled_count(&h_loop), 1);
}

/* --- current task, running ------------------------------------------------ */

static int who_am_i(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    h_log("current is self", ua_current_task(&h_loop) == self);
    h_log("running", ua_task_running(self));
    UA_AWAIT(ua_sleep_ms(self, 1));
    UA_END();
}

static void current_task_and_running(void **state)
{
    (void)state;
    tk_t t;
    h_setup(0);
    memset(&t, 0, sizeof t);
    ua_task_init(&t.task, who_am_i);
    assert_false(ua_task_running(&t.task));
    assert_int_equal(ua_spawn(&h_loop, &t.task), 0);
    assert_true(ua_task_running(&t.task));
    assert_null(ua_current_task(&h_loop));
    assert_int_equal(h_run(&t.task), 0);
    assert_false(ua_task_running(&t.task));
    assert_null(ua_current_task(&h_loop));
    H_EXPECT({0, "current is self", 1}, {0, "running", 1});
}

/* --- 64-bit time ----------------------------------------------------------- */

static int long_sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++)
        UA_AWAIT(ua_sleep_ms(self, 30 * 60 * 1000));
    UA_END();
}

static void now64_never_wraps(void **state)
{
    (void)state;
    tk_t t;
    h_setup(0xFFFFF000u);
    assert_int_equal(ua_loop_now64(&h_loop), 0xFFFFF000u);
    /* 10 x 30 min = 5 h: four 32-bit wraps. */
    tk_spawn(&t, long_sleeper, "", 10, 0, NULL);
    assert_int_equal(h_run(&t.task), 0);
    assert_int_equal(h_now(), 10ull * 30 * 60 * 1000000);
    assert_true(ua_loop_now64(&h_loop) ==
                0xFFFFF000ull + 10ull * 30 * 60 * 1000000);
    assert_int_equal((uint32_t)ua_loop_now64(&h_loop), ua_loop_now(&h_loop));
}

/* Counts the loop's clock reads (the vport's ticks underneath). */
static ua_ticks_t (*vport_ticks)(void *ctx);
static uint32_t clock_reads;

static ua_ticks_t counted_ticks(void *ctx)
{
    clock_reads++;
    return vport_ticks(ctx);
}

static void count_clock_reads(void)
{
    vport_ticks = h_vp.port.ticks;
    h_vp.port.ticks = counted_ticks;
    clock_reads = 0;
}

/* a: round trips; obj: two events, ping and pong; b: 1 for the pinger. */
static int ping_ponger(ua_task_t *self)
{
    tk_t *t = TK(self);
    ua_event_t *ev = t->obj;
    ua_event_t *mine = &ev[t->b ? 1 : 0], *other = &ev[t->b ? 0 : 1];
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++) {
        if (t->b)
            ua_event_set(other);
        UA_AWAIT(ua_event_wait(self, mine, UA_FOREVER));
        ua_event_clear(mine);
        if (!t->b)
            ua_event_set(other);
    }
    UA_END();
}

/* The clock is a port call that costs more than a task switch on a host:
 * passes that follow each other with tasks ready and no timer armed read it
 * once in 64, not once each (2 reads per round trip made event ping-pong
 * 4x slower). */
static void busy_passes_without_timers_seldom_read_the_clock(void **state)
{
    (void)state;
    ua_event_t ev[2];
    tk_t pinger, ponger;
    h_setup(0);
    count_clock_reads();
    ua_event_init(&ev[0]);
    ua_event_init(&ev[1]);
    tk_spawn(&ponger, ping_ponger, "", 1000, 0, ev);
    tk_spawn(&pinger, ping_ponger, "", 1000, 1, ev);
    assert_int_equal(h_run(&pinger.task), 0);
    assert_true(h_loop.passes >= 2000);
    assert_in_range(clock_reads, 1, h_loop.passes / 64 + 2);
}

/* a steps of a minute of busy CPU each, yielding between them: passes
 * that begin with a task ready and no timer armed. */
static int busy_minutes(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++) {
        ua_delay_us(60u * 1000000u);
        UA_YIELD();
    }
    UA_END();
}

static void now64_exact_in_busy_passes_without_timers(void **state)
{
    (void)state;
    tk_t t;
    h_setup(0xFFFFF000u);
    /* 300 passes of a minute: 5 h, four wraps, never a timer or an idle */
    tk_spawn(&t, busy_minutes, "", 300, 0, NULL);
    assert_int_equal(h_run(&t.task), 0);
    assert_int_equal(h_now(), 300ull * 60 * 1000000);
    assert_true(ua_loop_now64(&h_loop) ==
                0xFFFFF000ull + 300ull * 60 * 1000000);
    assert_int_equal((uint32_t)ua_loop_now64(&h_loop), ua_loop_now(&h_loop));
}

/* Waits a times for the flag in obj, with no timeout. */
static int flag_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++)
        UA_AWAIT(ua_flag_wait(self, t->obj, UA_FOREVER));
    UA_END();
}

/* A loop with no timer that waits 40 minutes at a time for an interrupt:
 * the pass after each wake-up begins with nothing ready and reads the
 * clock, so now64 follows across the wraps. */
static void now64_exact_across_long_waits_for_interrupts(void **state)
{
    (void)state;
    ua_flag_t flag;
    tk_t t;
    h_setup(0xFFFFF000u);
    assert_int_equal(ua_flag_init(&flag, &h_loop), 0);
    tk_spawn(&t, flag_waiter, "", 6, 0, &flag);
    while (ua_loop_step(&h_loop)) {
    }
    for (int i = 0; i < 6; i++) {
        ua_vport_advance(&h_vp, 40ull * 60 * 1000000);
        ua_flag_set(&flag); /* the interrupt */
        while (ua_loop_step(&h_loop)) {
        }
    }
    assert_true(ua_task_done(&t.task));
    assert_true(ua_loop_now64(&h_loop) ==
                0xFFFFF000ull + 6ull * 40 * 60 * 1000000);
}

/* --- timeouts: one meaning --------------------------------------------------- */

static int bad_timeout(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_event_wait(self, t->obj, -2));
    h_log("wait -2", t->st);
    UA_END();
}

static void negative_timeout_other_than_forever_is_refused(void **state)
{
    (void)state;
    ua_event_t ev;
    tk_t t;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&t, bad_timeout, "", 0, 0, &ev);
    assert_int_equal(h_run(&t.task), 0);
    H_EXPECT({0, "wait -2", UA_EINVAL});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(barrier_cancel_then_arrival_same_step),
        cmocka_unit_test(barrier_timed_out_party_does_not_count),
        cmocka_unit_test(wait_for_delivers_cancel_during_cleanup),
        cmocka_unit_test(wait_for_cancel_twice),
        cmocka_unit_test(gather_delivers_cancel_during_drain),
        cmocka_unit_test(gather_reports_first_failure_in_time),
        cmocka_unit_test(gather_child_in_two_gathers_is_refused),
        cmocka_unit_test(cancel_task_of_another_loop),
        cmocka_unit_test(event_set_from_another_loop),
        cmocka_unit_test(callback_on_dirty_stack),
        cmocka_unit_test(unhandled_error_is_reported),
        cmocka_unit_test(status_read_in_same_pass_is_handled),
        cmocka_unit_test(unhandled_error_can_stop_the_loop),
        cmocka_unit_test(current_task_and_running),
        cmocka_unit_test(now64_never_wraps),
        cmocka_unit_test(busy_passes_without_timers_seldom_read_the_clock),
        cmocka_unit_test(now64_exact_in_busy_passes_without_timers),
        cmocka_unit_test(now64_exact_across_long_waits_for_interrupts),
        cmocka_unit_test(negative_timeout_other_than_forever_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
