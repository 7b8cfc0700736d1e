/*
 * Sleeping, yielding, passes, the 32-bit wrap, loop stop, callbacks and ISR
 * flags (MicroPython's asyncio_basic, _basic2, _fair, _loop_stop,
 * _threadsafeflag), with every time asserted to the microsecond.
 */
#include "harness.h"

/* Sleep a ms, log, finish with result b. */
static int sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log(t->name, t->a);
    UA_END_RESULT(t->b);
}

static void sleeps_wake_in_deadline_order(void **state)
{
    (void)state;
    tk_t a, b, c, d;
    h_setup(0);
    tk_spawn(&a, sleeper, "s400", 400, 0, NULL);
    tk_spawn(&b, sleeper, "s1", 1, 0, NULL);
    tk_spawn(&c, sleeper, "s200", 200, 0, NULL);
    tk_spawn(&d, sleeper, "neg", -100, 0, NULL); /* negative acts as 0 */
    assert_int_equal(h_run(&a.task), 0);
    H_EXPECT({0, "neg", -100}, {1000, "s1", 1}, {200000, "s200", 200},
             {400000, "s400", 400});
}

/* Sleep b us, log. */
static int us_sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 3; t->i++) {
        UA_AWAIT(ua_sleep_us(self, t->a));
        h_log(t->name, t->i);
    }
    UA_END();
}

static void sleep_us_is_exact(void **state)
{
    (void)state;
    tk_t a, b;
    h_setup(0);
    tk_spawn(&a, us_sleeper, "37us", 37, 0, NULL);
    tk_spawn(&b, us_sleeper, "50us", 50, 0, NULL);
    assert_int_equal(h_run(&b.task), 0);
    H_EXPECT({37, "37us", 0}, {50, "50us", 0}, {74, "37us", 1},
             {100, "50us", 1}, {111, "37us", 2}, {150, "50us", 2});
}

static void equal_deadlines_fire_first_armed_first(void **state)
{
    (void)state;
    static const char *const names[] = {"t0", "t1", "t2", "t3", "t4", "t5"};
    tk_t t[6];
    h_setup(0);
    for (int i = 0; i < 6; i++)
        tk_spawn(&t[i], sleeper, names[i], 10, i, NULL);
    assert_int_equal(h_run(&t[5].task), 0);
    H_EXPECT({10000, "t0", 10}, {10000, "t1", 10}, {10000, "t2", 10},
             {10000, "t3", 10}, {10000, "t4", 10}, {10000, "t5", 10});
}

/* Round robin: yield b times, logging each turn. */
static int yielder(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        h_log(t->name, t->i);
        UA_YIELD();
    }
    UA_END();
}

static void yield_is_round_robin(void **state)
{
    (void)state;
    tk_t a, b;
    h_setup(0);
    tk_spawn(&a, yielder, "a", 0, 3, NULL);
    tk_spawn(&b, yielder, "b", 0, 2, NULL);
    assert_int_equal(h_run(&a.task), 0);
    H_EXPECT({0, "a", 0}, {0, "b", 0}, {0, "a", 1}, {0, "b", 1}, {0, "a", 2});
    assert_int_equal(h_loop.passes >= 3, true);
}

/* asyncio_fair: tasks with different periods interleave by time. */
static int periodic(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        h_log(t->name, t->i);
        UA_AWAIT(ua_sleep_ms(self, t->a));
    }
    UA_END();
}

static void periodic_tasks_interleave_fairly(void **state)
{
    (void)state;
    tk_t a, b;
    h_setup(0);
    tk_spawn(&a, periodic, "p100", 100, 5, NULL);
    tk_spawn(&b, periodic, "p180", 180, 3, NULL);
    assert_int_equal(h_run(&a.task), 0);
    assert_int_equal(h_run(&b.task), 0);
    H_EXPECT({0, "p100", 0}, {0, "p180", 0}, {100000, "p100", 1},
             {180000, "p180", 1}, {200000, "p100", 2}, {300000, "p100", 3},
             {360000, "p180", 2}, {400000, "p100", 4});
}

/* Timers pending across the 32-bit tick wrap fire at the right times. */
static void timers_cross_the_tick_wrap(void **state)
{
    (void)state;
    tk_t a, b, c;
    h_setup(0xFFFFFFFFu - 2500); /* wraps 2.5 ms in */
    tk_spawn(&a, sleeper, "before", 2, 0, NULL);
    tk_spawn(&b, sleeper, "across", 3, 0, NULL);
    tk_spawn(&c, sleeper, "long", 60000, 0, NULL);
    assert_int_equal(h_run(&c.task), 0);
    H_EXPECT({2000, "before", 2}, {3000, "across", 3},
             {60000000, "long", 60000});
    assert_true(ua_loop_now(&h_loop) < 0x80000000u); /* it did wrap */
}

static int long_sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_sleep_ms(self, t->a));
    h_log("status", t->st);
    UA_END();
}

static void sleep_beyond_half_period_is_erange(void **state)
{
    (void)state;
    tk_t a, b;
    h_setup(0);
    tk_spawn(&a, long_sleeper, "", 2147484, 0, NULL); /* > 2^31 us */
    tk_spawn(&b, long_sleeper, "", 2147483, 0, NULL); /* just fits */
    assert_int_equal(h_run(&b.task), 0);
    H_EXPECT({0, "status", UA_ERANGE}, {2147483000ull, "status", 0});
}

/* asyncio_basic2: run_until_complete returns main's result while another
 * task is still sleeping. */
static void run_until_complete_returns_result(void **state)
{
    (void)state;
    tk_t main_task, bg;
    h_setup(0);
    tk_spawn(&bg, sleeper, "bg", 1000, 0, NULL);
    memset(&main_task, 0, sizeof main_task);
    ua_task_init(&main_task.task, sleeper);
    main_task.name = "main";
    main_task.a = 10;
    main_task.b = 42;
    assert_int_equal(h_run(&main_task.task), 0);
    assert_int_equal(ua_task_result(&main_task.task), 42);
    assert_false(ua_task_done(&bg.task));
    assert_int_equal(ua_task_status(&bg.task), UA_ENOTDONE);
    assert_int_equal(ua_spawn(&h_loop, &bg.task), UA_EBUSY);
    H_EXPECT({10000, "main", 10});
}

/* asyncio_loop_stop: stop() returns from run_forever after the pass;
 * run_forever resumes where it left off. */
static int stopper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 3; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 10));
        h_log("tick", t->i);
        ua_loop_stop(&h_loop);
    }
    UA_END();
}

static void stop_returns_from_run_forever(void **state)
{
    (void)state;
    tk_t a;
    h_setup(0);
    tk_spawn(&a, stopper, "", 0, 0, NULL);
    for (int i = 0; i < 3; i++) {
        ua_loop_run_forever(&h_loop);
        assert_int_equal(h_count, (size_t)i + 1);
    }
    H_EXPECT({10000, "tick", 0}, {20000, "tick", 1}, {30000, "tick", 2});
    assert_true(ua_task_done(&a.task));
}

/* A task made ready during a pass runs in the next pass, not this one. */
static int waker(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    h_log("waker", (int32_t)h_loop.passes);
    ua_event_set((ua_event_t *)t->obj);
    h_log("waker set", (int32_t)h_loop.passes);
    UA_YIELD();
    h_log("waker again", (int32_t)h_loop.passes);
    UA_END();
}

static int event_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_event_wait(self, (ua_event_t *)t->obj, UA_FOREVER));
    h_log(t->name, (int32_t)h_loop.passes);
    UA_END();
}

static void woken_task_waits_for_next_pass(void **state)
{
    (void)state;
    ua_event_t ev;
    tk_t w, s;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&w, event_waiter, "waiter", 0, 0, &ev);
    assert_true(ua_loop_step(&h_loop)); /* pass 1: waiter suspends */
    tk_spawn(&s, waker, "", 0, 0, &ev);
    assert_int_equal(h_run(&s.task), 0);
    /* The waiter, woken in pass 2, runs in pass 3 before the yielder. */
    H_EXPECT({0, "waker", 2}, {0, "waker set", 2}, {0, "waiter", 3},
             {0, "waker again", 3});
}

/* call_soon / call_later_ms, and cancelling a pending callback. */
static void note_cb(void *arg)
{
    h_log((const char *)arg, 0);
}

static void callbacks_run_at_their_times(void **state)
{
    (void)state;
    ua_callback_t soon, later, never;
    tk_t end;
    h_setup(0);
    ua_callback_init(&soon); /* stack memory: initialise before use */
    ua_callback_init(&later);
    ua_callback_init(&never);
    assert_int_equal(ua_call_later_ms(&h_loop, &later, 25, note_cb, "later"), 0);
    assert_int_equal(ua_call_soon(&h_loop, &soon, note_cb, "soon"), 0);
    assert_int_equal(ua_call_later_ms(&h_loop, &never, 5, note_cb, "never"), 0);
    assert_int_equal(ua_call_soon(&h_loop, &soon, note_cb, "soon"), UA_EBUSY);
    tk_spawn(&end, sleeper, "end", 30, 0, NULL);
    assert_true(ua_loop_step(&h_loop)); /* "later" arms its timer */
    assert_int_equal(ua_task_cancel(&never.task), 1);
    assert_int_equal(h_run(&end.task), 0);
    H_EXPECT({0, "soon", 0}, {25000, "later", 0}, {30000, "end", 30});
    assert_int_equal(ua_task_status(&never.task), UA_ECANCELLED);
}

/* ISR flag: set before the wait is remembered; set while waiting wakes;
 * one waiter only; timeout. */
static int flag_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        UA_AWAIT_STATUS(t->st, ua_flag_wait(self, (ua_flag_t *)t->obj, t->a));
        h_log(t->name, t->st);
    }
    UA_END();
}

static void isr_flag_wakes_its_waiter(void **state)
{
    (void)state;
    ua_flag_t flag;
    tk_t w, second;
    h_setup(0);
    ua_flag_init(&flag, &h_loop);
    ua_flag_set(&flag); /* before anyone waits: remembered */
    ua_flag_set(&flag); /* ... and two sets count as one */
    tk_spawn(&w, flag_waiter, "w", 50, 3, &flag);
    tk_spawn(&second, flag_waiter, "second", 50, 1, &flag);
    while (ua_loop_step(&h_loop)) {
    }
    /* w got the early set and waits again; second finds a waiter there. */
    h_vp.now_us = 7000;
    ua_flag_set(&flag); /* "interrupt" at 7 ms */
    assert_true(ua_loop_has_work(&h_loop));
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({0, "w", 0}, {0, "second", UA_EBUSY}, {7000, "w", 0},
             {57000, "w", UA_ETIMEDOUT});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sleeps_wake_in_deadline_order),
        cmocka_unit_test(sleep_us_is_exact),
        cmocka_unit_test(equal_deadlines_fire_first_armed_first),
        cmocka_unit_test(yield_is_round_robin),
        cmocka_unit_test(periodic_tasks_interleave_fairly),
        cmocka_unit_test(timers_cross_the_tick_wrap),
        cmocka_unit_test(sleep_beyond_half_period_is_erange),
        cmocka_unit_test(run_until_complete_returns_result),
        cmocka_unit_test(stop_returns_from_run_forever),
        cmocka_unit_test(woken_task_waits_for_next_pass),
        cmocka_unit_test(callbacks_run_at_their_times),
        cmocka_unit_test(isr_flag_wakes_its_waiter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
