/*
 * The low-priority lane (fast_io's after_ms / call_after_ms, lp_len and
 * max_overdue_ms), at exact virtual times: a low-priority task starves
 * while normal tasks are busy, runs the moment they are idle, and runs
 * after exactly max_overdue_ms when they never are; a cancel stays prompt;
 * the lane is bounded.
 */
#include "harness.h"

/* Busy for a ms of CPU per step, b steps, yielding between them. */
static int busy(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        ua_delay_us((uint32_t)t->a * 1000u);
        UA_YIELD();
    }
    h_log("busy done", t->i);
    UA_END();
}

/* Sleep a ms at low priority, log when it ran (and its status). */
static int low(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_after_ms(self, t->a));
    h_log(t->name, t->st);
    UA_END();
}

/* Normal tasks sleep: nothing competes, so it runs when due. */
static void runs_when_due_if_nothing_else_is_ready(void **state)
{
    (void)state;
    tk_t l, n;
    h_setup(0);
    tk_spawn(&l, low, "low", 10, 0, NULL);
    tk_spawn(&n, low, "other low", 25, 0, NULL);
    assert_int_equal(h_run(&n.task), 0);
    H_EXPECT({10000, "low", 0}, {25000, "other low", 0});
}

/* Busy normal tasks for 100 ms: the low task due at 10 ms starves until
 * they finish, whatever its deadline. */
static void starves_while_normal_tasks_are_busy(void **state)
{
    (void)state;
    tk_t l, b1, b2;
    h_setup(0);
    tk_spawn(&l, low, "low", 10, 0, NULL);
    tk_spawn(&b1, busy, "", 1, 50, NULL); /* 50 steps of 1 ms each */
    tk_spawn(&b2, busy, "", 1, 50, NULL);
    assert_int_equal(h_run(&l.task), 0);
    H_EXPECT({100000, "busy done", 50}, {100000, "busy done", 50},
             {100000, "low", 0});
}

/* With max_overdue_ms = 30 it runs at the first pass after it has been due
 * for 30 ms, ahead of the busy task (it has been ready longer): due at 10,
 * run at 40, while the busy task goes on. */
static void runs_after_exactly_max_overdue(void **state)
{
    (void)state;
    tk_t l, b1;
    h_setup(0);
    assert_int_equal(ua_loop_set_low_priority(&h_loop, 0, 30), 0);
    tk_spawn(&l, low, "low", 10, 0, NULL);
    tk_spawn(&b1, busy, "", 1, 100, NULL);
    assert_int_equal(h_run(&l.task), 0);
    H_EXPECT({40000, "low", 0});
    assert_int_equal(h_run(&b1.task), 0);
}

/* A cancel of a starved task is delivered at the next pass. */
static void cancel_of_a_starved_task_is_prompt(void **state)
{
    (void)state;
    tk_t l, b1, k;
    h_setup(0);
    tk_spawn(&l, low, "low", 10, 0, NULL);
    tk_spawn(&b1, busy, "", 1, 100, NULL);
    tk_spawn(&k, tk_canceller, "", 20, 0, &l);
    assert_int_equal(h_run(&l.task), 0);
    /* The canceller ran after the busy task's first 1 ms step, so its
     * deadline is 21 ms; it runs after the busy task's step at 21 ms, at
     * 22 ms; the victim runs in the next pass, after one more busy step. */
    H_EXPECT({22000, "cancel", 1}, {23000, "low", UA_ECANCELLED});
    assert_int_equal(h_run(&b1.task), 0);
}

/* lp_len bounds the lane: the third task in a lane of two is refused. */
static void lane_is_bounded(void **state)
{
    (void)state;
    tk_t a, b, c;
    h_setup(0);
    assert_int_equal(ua_loop_set_low_priority(&h_loop, 2, UA_FOREVER), 0);
    tk_spawn(&a, low, "a", 5, 0, NULL);
    tk_spawn(&b, low, "b", 5, 0, NULL);
    tk_spawn(&c, low, "c", 5, 0, NULL);
    assert_int_equal(h_run(&b.task), 0);
    assert_int_equal(h_run(&c.task), 0);
    H_EXPECT({0, "c", UA_EFULL}, {5000, "a", 0}, {5000, "b", 0});
    /* Once they ran, the lane has room again. */
    tk_spawn(&c, low, "c", 1, 0, NULL);
    assert_int_equal(h_run(&c.task), 0);
    assert_int_equal(ua_loop_set_low_priority(&h_loop, 0, -2), UA_EINVAL);
    assert_int_equal(ua_loop_set_low_priority(&h_loop, 0, INT32_MAX), UA_ERANGE);
}

/* call_after_ms: a low-priority callback. */
static void note(void *arg)
{
    h_log((const char *)arg, 0);
}

static void call_after_runs_in_the_low_lane(void **state)
{
    (void)state;
    ua_callback_t cb;
    tk_t b1;
    h_setup(0);
    ua_callback_init(&cb);
    assert_int_equal(ua_call_after_ms(&h_loop, &cb, 5, note, "after"), 0);
    tk_spawn(&b1, busy, "", 1, 30, NULL);
    assert_int_equal(h_run(&cb.task), 0);
    H_EXPECT({30000, "busy done", 30}, {30000, "after", 0});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runs_when_due_if_nothing_else_is_ready),
        cmocka_unit_test(starves_while_normal_tasks_are_busy),
        cmocka_unit_test(runs_after_exactly_max_overdue),
        cmocka_unit_test(cancel_of_a_starved_task_is_prompt),
        cmocka_unit_test(lane_is_bounded),
        cmocka_unit_test(call_after_runs_in_the_low_lane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
