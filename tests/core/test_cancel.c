/*
 * Cancellation, join and wait_for (MicroPython's asyncio_cancel_task,
 * _cancel_self, _cancel_fair, _wait_task, _await_return, _wait_for,
 * _wait_for_fwd, _exception).  The point of prompt cancellation: a cancelled
 * task runs its cleanup at the next pass, never when its sleep would end.
 */
#include "harness.h"

/* Sleep a ms in a FINALLY-protected body, logging how it ended. */
static int guarded_sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    h_log(t->name, 0);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("woke", 0);
    UA_FINALLY
    h_log("cleanup", UA_STATUS());
    UA_END_RESULT(t->b);
}

static void cancel_sleeping_task_is_prompt(void **state)
{
    (void)state;
    tk_t victim, killer;
    h_setup(0);
    tk_spawn(&victim, guarded_sleeper, "victim", 10000, 0, NULL);
    tk_spawn(&killer, tk_canceller, "", 30, 0, &victim);
    assert_int_equal(h_run(&killer.task), 0);
    assert_int_equal(h_run(&victim.task), UA_ECANCELLED);
    /* Cleanup at 30 ms, the cancel time -- not at 10 s. */
    H_EXPECT({0, "victim", 0}, {30000, "cancel", 1},
             {30000, "cleanup", UA_ECANCELLED});
    assert_false(ua_loop_next_deadline(&h_loop, &(ua_ticks_t){0}));
}

static void cancel_before_start_never_runs(void **state)
{
    (void)state;
    tk_t victim;
    h_setup(0);
    tk_spawn(&victim, guarded_sleeper, "victim", 10, 0, NULL);
    assert_int_equal(ua_task_cancel(&victim.task), 1);
    assert_int_equal(ua_task_cancel(&victim.task), 1); /* repeated: still 1 */
    assert_int_equal(h_run(&victim.task), UA_ECANCELLED);
    H_EXPECT(); /* the body never ran */
    assert_int_equal(ua_task_cancel(&victim.task), 0); /* finished */
}

/* A task cannot cancel itself. */
static int self_canceller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    h_log("cancel self", ua_task_cancel(self));
    h_log("join self", ua_join(self, self, UA_FOREVER));
    UA_END();
}

static void task_cannot_cancel_or_join_itself(void **state)
{
    (void)state;
    tk_t t;
    h_setup(0);
    tk_spawn(&t, self_canceller, "", 0, 0, NULL);
    assert_int_equal(h_run(&t.task), 0);
    H_EXPECT({0, "cancel self", UA_ESELF}, {0, "join self", UA_ESELF});
}

/* Join: result, error propagation, a finished task joined twice. */
static int joiner(ua_task_t *self)
{
    tk_t *t = TK(self);
    tk_t *target = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_join(self, &target->task, t->a));
    h_log(t->name, t->st);
    if (t->st == 0)
        h_log("result", ua_task_result(&target->task));
    UA_END();
}

static int failing(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    UA_THROW(UA_EIO);
    UA_END();
}

static void join_returns_status_and_result(void **state)
{
    (void)state;
    tk_t work, bad, j1, j2, j3, j4;
    h_setup(0);
    tk_spawn(&work, guarded_sleeper, "work", 200, 42, NULL);
    tk_spawn(&bad, failing, "bad", 100, 0, NULL);
    tk_spawn(&j1, joiner, "join work", UA_FOREVER, 0, &work);
    tk_spawn(&j2, joiner, "join work again", UA_FOREVER, 0, &work);
    tk_spawn(&j3, joiner, "join bad", UA_FOREVER, 0, &bad);
    tk_spawn(&j4, joiner, "join timeout", 50, 0, &work);
    assert_int_equal(h_run(&j2.task), 0);
    H_EXPECT({0, "work", 0}, {50000, "join timeout", UA_ETIMEDOUT},
             {100000, "join bad", UA_EIO}, {200000, "woke", 0},
             {200000, "cleanup", 0}, {200000, "join work", 0},
             {200000, "result", 42}, {200000, "join work again", 0},
             {200000, "result", 42});
    /* Joining a finished task returns at once. */
    h_count = 0;
    tk_spawn(&j1, joiner, "late join", UA_FOREVER, 0, &bad);
    assert_int_equal(h_run(&j1.task), 0);
    H_EXPECT({200000, "late join", UA_EIO});
}

/* wait_for: success, timeout (inner cancelled and cleaned up first),
 * and the caller's own cancellation forwarded to the inner task. */
static int wait_forer(ua_task_t *self)
{
    tk_t *t = TK(self);
    tk_t *target = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_wait_for(self, &target->task, t->a));
    h_log(t->name, t->st);
    UA_END();
}

static void wait_for_success_and_timeout(void **state)
{
    (void)state;
    tk_t fast, slow, w1, w2;
    h_setup(0);
    tk_spawn(&fast, guarded_sleeper, "fast", 10, 7, NULL);
    tk_spawn(&slow, guarded_sleeper, "slow", 1000, 0, NULL);
    tk_spawn(&w1, wait_forer, "wait fast", 50, 0, &fast);
    tk_spawn(&w2, wait_forer, "wait slow", 50, 0, &slow);
    assert_int_equal(h_run(&w2.task), 0);
    H_EXPECT({0, "fast", 0}, {0, "slow", 0}, {10000, "woke", 0},
             {10000, "cleanup", 0}, {10000, "wait fast", 0},
             {50000, "cleanup", UA_ECANCELLED}, {50000, "wait slow", UA_ETIMEDOUT});
    assert_int_equal(ua_task_status(&slow.task), UA_ECANCELLED);
}

/* The inner task swallows its cancellation and takes 5 ms more to finish:
 * wait_for still reports the timeout, after the inner task is done. */
static int stubborn(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_sleep_ms(self, 1000));
    h_log("stubborn woke", t->st);
    UA_AWAIT(ua_sleep_ms(self, 5));
    h_log("stubborn done", 0);
    UA_END_RESULT(5);
}

static void wait_for_waits_for_inner_cleanup(void **state)
{
    (void)state;
    tk_t inner, w;
    h_setup(0);
    tk_spawn(&inner, stubborn, "", 0, 0, NULL);
    tk_spawn(&w, wait_forer, "wait_for", 20, 0, &inner);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({20000, "stubborn woke", UA_ECANCELLED}, {25000, "stubborn done", 0},
             {25000, "wait_for", UA_ETIMEDOUT});
}

static void wait_for_forwards_cancellation(void **state)
{
    (void)state;
    tk_t inner, w, killer;
    h_setup(0);
    tk_spawn(&inner, guarded_sleeper, "inner", 1000, 0, NULL);
    tk_spawn(&w, wait_forer, "wait_for", 500, 0, &inner);
    tk_spawn(&killer, tk_canceller, "", 30, 0, &w);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({0, "inner", 0}, {30000, "cancel", 1},
             {30000, "cleanup", UA_ECANCELLED}, {30000, "wait_for", UA_ECANCELLED});
    assert_int_equal(ua_task_status(&inner.task), UA_ECANCELLED);
}

/* asyncio_cancel_fair: tasks cancelling and respawning each other do not
 * starve a third task that yields. */
static tk_t fair_tasks[2];

static int mutual_canceller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (;;) {
        tk_t *other = &fair_tasks[t->a ^ 1];
        ua_task_cancel(&other->task);
        if (ua_task_done(&other->task)) {
            memset(&other->co, 0, sizeof other->co);
            ua_spawn(&h_loop, &other->task);
        }
        UA_YIELD();
    }
    UA_END();
}

static int yield_counter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 10; t->i++)
        UA_YIELD();
    h_log("third done", (int32_t)h_loop.passes);
    UA_END();
}

static void cancelling_each_other_does_not_starve_others(void **state)
{
    (void)state;
    tk_t third;
    h_setup(0);
    memset(fair_tasks, 0, sizeof fair_tasks);
    for (int i = 0; i < 2; i++) {
        ua_task_init(&fair_tasks[i].task, mutual_canceller);
        fair_tasks[i].a = i;
        ua_spawn(&h_loop, &fair_tasks[i].task);
    }
    tk_spawn(&third, yield_counter, "", 0, 0, NULL);
    assert_int_equal(h_run(&third.task), 0);
    /* One resume per pass: ten yields take eleven passes, whatever the
     * other two do to each other. */
    H_EXPECT({0, "third done", 11});
    assert_true(ua_task_status(&fair_tasks[0].task) == UA_ENOTDONE ||
                ua_task_status(&fair_tasks[1].task) == UA_ENOTDONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cancel_sleeping_task_is_prompt),
        cmocka_unit_test(cancel_before_start_never_runs),
        cmocka_unit_test(task_cannot_cancel_or_join_itself),
        cmocka_unit_test(join_returns_status_and_result),
        cmocka_unit_test(wait_for_success_and_timeout),
        cmocka_unit_test(wait_for_waits_for_inner_cleanup),
        cmocka_unit_test(wait_for_forwards_cancellation),
        cmocka_unit_test(cancelling_each_other_does_not_starve_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
