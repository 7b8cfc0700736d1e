/*
 * gather (MicroPython's asyncio_gather and _gather_finished_early): results
 * in order, empty sets, errors cancelling the rest or reported per task,
 * tasks that finished before the gather, and cancelling the gather itself.
 */
#include "harness.h"

/* Sleep a ms; finish with result b, or fail with b when b < 0. */
static int worker(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    if (t->b < 0)
        UA_THROW(t->b);
    h_log(t->name, t->b);
    UA_FINALLY
    if (UA_STATUS() == UA_ECANCELLED)
        h_log(t->name, UA_ECANCELLED);
    UA_END_RESULT(t->b);
}

typedef struct {
    tk_t t;
    ua_gather_t g;
    ua_task_t *tasks[4];
    int32_t results[4];
    int statuses[4];
} gatherer_t;

static int gatherer(ua_task_t *self)
{
    gatherer_t *g = UA_CONTAINER_OF(self, gatherer_t, t.task);
    UA_BEGIN(self, &g->t.co);
    UA_AWAIT_STATUS(g->t.st, ua_gather(self, &g->g));
    h_log("gather", g->t.st);
    UA_END();
}

static void spawn_gatherer(gatherer_t *g, tk_t *w, int n, enum ua_gather_mode mode)
{
    memset(g, 0, sizeof *g);
    for (int i = 0; i < n; i++)
        g->tasks[i] = &w[i].task;
    ua_gather_init(&g->g, g->tasks, (uint16_t)n, mode, g->results, g->statuses);
    ua_task_init(&g->t.task, gatherer);
    assert_int_equal(ua_spawn(&h_loop, &g->t.task), 0);
}

static void gather_returns_results_in_order(void **state)
{
    (void)state;
    tk_t w[3];
    gatherer_t g;
    h_setup(0);
    tk_spawn(&w[0], worker, "w0", 30, 42, NULL);
    tk_spawn(&w[1], worker, "w1", 10, 17, NULL);
    tk_spawn(&w[2], worker, "w2", 20, 75, NULL);
    spawn_gatherer(&g, w, 3, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g.t.task), 0);
    H_EXPECT({10000, "w1", 17}, {20000, "w2", 75}, {30000, "w0", 42},
             {30000, "gather", 0});
    assert_int_equal(g.results[0], 42);
    assert_int_equal(g.results[1], 17);
    assert_int_equal(g.results[2], 75);
}

static void gather_of_nothing_returns_at_once(void **state)
{
    (void)state;
    gatherer_t g;
    h_setup(0);
    spawn_gatherer(&g, NULL, 0, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g.t.task), 0);
    H_EXPECT({0, "gather", 0});
}

static void gather_first_error_cancels_the_rest(void **state)
{
    (void)state;
    tk_t w[3];
    gatherer_t g;
    h_setup(0);
    tk_spawn(&w[0], worker, "w0", 50, 1, NULL);
    tk_spawn(&w[1], worker, "w1", 10, UA_EIO, NULL);
    tk_spawn(&w[2], worker, "w2", 5, 3, NULL);
    spawn_gatherer(&g, w, 3, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g.t.task), 0);
    /* The failure at 10 ms cancels w0 at once; its cleanup runs at 10 ms. */
    H_EXPECT({5000, "w2", 3}, {10000, "w0", UA_ECANCELLED},
             {10000, "gather", UA_EIO});
    assert_int_equal(g.statuses[0], UA_ECANCELLED);
    assert_int_equal(g.statuses[1], UA_EIO);
    assert_int_equal(g.statuses[2], 0);
    assert_int_equal(g.results[2], 3);
}

static void gather_return_errors_reports_each(void **state)
{
    (void)state;
    tk_t w[3], killer;
    gatherer_t g;
    h_setup(0);
    tk_spawn(&w[0], worker, "w0", 50, 1, NULL);
    tk_spawn(&w[1], worker, "w1", 10, UA_EIO, NULL);
    tk_spawn(&w[2], worker, "w2", 100, 3, NULL);
    spawn_gatherer(&g, w, 3, UA_GATHER_RETURN_ERRORS);
    assert_int_equal(ua_task_cancel(&w[2].task), 1); /* before it starts */
    (void)killer;
    assert_int_equal(h_run(&g.t.task), 0);
    H_EXPECT({50000, "w0", 1}, {50000, "gather", 0});
    assert_int_equal(g.statuses[0], 0);
    assert_int_equal(g.statuses[1], UA_EIO);
    assert_int_equal(g.statuses[2], UA_ECANCELLED);
    assert_int_equal(g.results[0], 1);
    assert_int_equal(g.results[1], 0);
}

static void gather_of_finished_tasks(void **state)
{
    (void)state;
    tk_t w[2];
    gatherer_t g;
    h_setup(0);
    tk_spawn(&w[0], worker, "w0", 0, 5, NULL);
    tk_spawn(&w[1], worker, "w1", 0, UA_EIO, NULL);
    assert_int_equal(h_run(&w[0].task), 0);
    assert_int_equal(h_run(&w[1].task), UA_EIO);
    spawn_gatherer(&g, w, 2, UA_GATHER_CANCEL_REST);
    assert_int_equal(h_run(&g.t.task), 0);
    H_EXPECT({0, "w0", 5}, {0, "gather", UA_EIO});
}

static int cancel_after(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    ua_task_cancel(t->obj);
    UA_END();
}

static void cancelling_gather_cancels_its_tasks(void **state)
{
    (void)state;
    tk_t w[2], killer;
    gatherer_t g;
    h_setup(0);
    tk_spawn(&w[0], worker, "w0", 100, 1, NULL);
    tk_spawn(&w[1], worker, "w1", 200, 2, NULL);
    spawn_gatherer(&g, w, 2, UA_GATHER_RETURN_ERRORS);
    tk_spawn(&killer, cancel_after, "", 40, 0, &g.t.task);
    assert_int_equal(h_run(&g.t.task), 0);
    H_EXPECT({40000, "w0", UA_ECANCELLED}, {40000, "w1", UA_ECANCELLED},
             {40000, "gather", UA_ECANCELLED});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gather_returns_results_in_order),
        cmocka_unit_test(gather_of_nothing_returns_at_once),
        cmocka_unit_test(gather_first_error_cancels_the_rest),
        cmocka_unit_test(gather_return_errors_reports_each),
        cmocka_unit_test(gather_of_finished_tasks),
        cmocka_unit_test(cancelling_gather_cancels_its_tasks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
