/*
 * Task monitoring: names (the seed's NamedTask) and groups (Cancellable with
 * cancel_all), at exact virtual times.
 */
#include "harness.h"
#include "ua_monitor.h"

/* Sleep a ms; on the way out log the status, then take b ms to clean up. */
static int worker(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log(t->name, 0);
    UA_FINALLY
    h_log(t->name, UA_STATUS());
    if (t->b > 0)
        UA_AWAIT(ua_sleep_ms(self, t->b));
    h_log("cleaned", t->b);
    UA_END();
}

static ua_names_t names;

/* --- names --------------------------------------------------------------- */

static void named_register_find_and_duplicates(void **state)
{
    (void)state;
    tk_t a, b;
    ua_named_t na, nb, nb2;
    h_setup(0);
    ua_names_init(&names);
    memset(&na, 0, sizeof na);
    memset(&nb, 0, sizeof nb);
    memset(&nb2, 0, sizeof nb2);
    tk_spawn(&a, worker, "a", 100, 0, NULL);
    memset(&b, 0, sizeof b);
    ua_task_init(&b.task, worker);
    b.name = "b";
    b.a = 50;

    assert_int_equal(ua_named_add(&names, &na, "sensor", &a.task), 0);
    assert_int_equal(ua_named_add(&names, &na, "other", &a.task), UA_EBUSY);
    assert_int_equal(ua_named_add(&names, &nb, "", &b.task), UA_EINVAL);
    assert_int_equal(ua_named_add(&names, &nb, NULL, &b.task), UA_EINVAL);
    /* A live name cannot be taken twice (the seed's ValueError). */
    assert_int_equal(ua_named_spawn(&h_loop, &names, &nb, "sensor", &b.task),
                     UA_EBUSY);
    assert_false(ua_task_done(&b.task) || b.task.where != UA_W_IDLE);
    assert_ptr_equal(ua_named_find(&names, "sensor"), &a.task);
    assert_null(ua_named_find(&names, "nothing"));
    assert_string_equal(ua_named_name_of(&names, &a.task), "sensor");
    assert_null(ua_named_name_of(&names, &b.task));
    assert_true(ua_named_is_running(&names, "sensor"));
    assert_false(ua_named_is_running(&names, "nothing"));

    assert_int_equal(h_run(&a.task), 0);
    assert_false(ua_named_is_running(&names, "sensor"));
    assert_ptr_equal(ua_named_find(&names, "sensor"), &a.task);
    /* Once its task has finished, the name is free again. */
    assert_int_equal(ua_named_spawn(&h_loop, &names, &nb, "sensor", &b.task),
                     0);
    assert_int_equal(names.count, 1);
    assert_null(na.reg);
    assert_ptr_equal(ua_named_find(&names, "sensor"), &b.task);
    assert_int_equal(h_run(&b.task), 0);
    H_EXPECT({100000, "a", 0}, {100000, "a", 0}, {100000, "cleaned", 0},
             {150000, "b", 0}, {150000, "b", 0}, {150000, "cleaned", 0});
    /* A failing spawn leaves nothing registered. */
    assert_int_equal(ua_named_spawn(&h_loop, &names, &nb2, "x", &b.task), 0);
    assert_int_equal(ua_named_spawn(&h_loop, &names, &nb2, "y", &b.task),
                     UA_EBUSY);
    ua_named_remove(&nb2);
    ua_named_remove(&nb2); /* twice: nothing */
    ua_task_t idle;
    ua_task_init(&idle, NULL);
    ua_named_t ni;
    memset(&ni, 0, sizeof ni);
    assert_int_equal(ua_named_spawn(&h_loop, &names, &ni, "z", &idle),
                     UA_EINVAL);
    assert_null(ua_named_find(&names, "z"));
    assert_int_equal(names.count, 1);
}

/* Sleep a ms, then cancel by name (obj) and log the return value. */
static int name_canceller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("cancel", ua_named_cancel(&names, t->obj));
    h_log("running", ua_named_is_running(&names, t->obj));
    UA_AWAIT_STATUS(t->st,
                    ua_join(self, ua_named_find(&names, t->obj), UA_FOREVER));
    h_log("joined", t->st);
    h_log("again", ua_named_cancel(&names, t->obj));
    h_log("unknown", ua_named_cancel(&names, "nobody"));
    UA_END();
}

static void named_cancel_is_prompt_and_awaitable(void **state)
{
    (void)state;
    tk_t victim, killer;
    ua_named_t nv;
    memset(&nv, 0, sizeof nv);
    h_setup(0);
    ua_names_init(&names);
    memset(&victim, 0, sizeof victim);
    ua_task_init(&victim.task, worker);
    victim.name = "victim";
    victim.a = 10000;
    victim.b = 7;
    assert_int_equal(
        ua_named_spawn(&h_loop, &names, &nv, "victim", &victim.task), 0);
    tk_spawn(&killer, name_canceller, "", 30, 0, (void *)"victim");
    assert_int_equal(h_run(&killer.task), 0);
    /* Cancelled at 30 ms; its 7 ms cleanup ends at 37 ms, when the join
     * returns -- not at 10 s. */
    H_EXPECT({30000, "cancel", 1}, {30000, "running", 1},
             {30000, "victim", UA_ECANCELLED}, {37000, "cleaned", 7},
             {37000, "joined", UA_ECANCELLED}, {37000, "again", 0},
             {37000, "unknown", UA_EINVAL});
}

/* --- groups -------------------------------------------------------------- */

static ua_group_t group;

/* Sleep a ms, then cancel_join (b = 1) or join (b = 0) with timeout i. */
static int group_boss(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("running", (int32_t)ua_group_running(&group));
    if (t->b)
        UA_AWAIT_STATUS(t->st, ua_group_cancel_join(self, &group, t->i));
    else
        UA_AWAIT_STATUS(t->st, ua_group_join(self, &group, t->i));
    h_log("group done", t->st);
    h_log("running", (int32_t)ua_group_running(&group));
    UA_END();
}

static void spawn_member(tk_t *t, ua_member_t *m, const char *name,
                         int32_t a, int32_t b)
{
    memset(t, 0, sizeof *t);
    memset(m, 0, sizeof *m);
    ua_task_init(&t->task, worker);
    t->name = name;
    t->a = a;
    t->b = b;
    assert_int_equal(ua_group_spawn(&h_loop, &group, m, &t->task), 0);
}

static void group_cancel_join_waits_for_every_cleanup(void **state)
{
    (void)state;
    tk_t w[3], boss;
    ua_member_t m[3];
    h_setup(0);
    ua_group_init(&group);
    spawn_member(&w[0], &m[0], "w0", 1000, 5);
    spawn_member(&w[1], &m[1], "w1", 1000, 20);
    spawn_member(&w[2], &m[2], "w2", 1000, 10);
    assert_int_equal(ua_group_add(&group, &m[0], &w[0].task), UA_EBUSY);
    tk_spawn(&boss, group_boss, "", 30, 1, NULL);
    boss.i = UA_FOREVER;
    assert_int_equal(h_run(&boss.task), 0);
    /* All cancelled at 30 ms; cleanups of 5, 10 and 20 ms; the group is
     * done when the slowest one ends, at 50 ms.  Members were added in
     * front, so w2 is cancelled (and cleans up) first. */
    H_EXPECT({30000, "running", 3}, {30000, "w2", UA_ECANCELLED},
             {30000, "w1", UA_ECANCELLED}, {30000, "w0", UA_ECANCELLED},
             {35000, "cleaned", 5}, {40000, "cleaned", 10},
             {50000, "cleaned", 20}, {50000, "group done", 0},
             {50000, "running", 0});
    for (int i = 0; i < 3; i++)
        assert_int_equal(ua_task_status(&w[i].task), UA_ECANCELLED);
    assert_int_equal(ua_group_cancel(&group), 0);
    ua_group_remove(&m[1]);
    assert_int_equal(group.count, 2);
    assert_null(m[1].group);
}

static void group_join_keeps_its_deadline(void **state)
{
    (void)state;
    tk_t w[3], boss;
    ua_member_t m[3];
    h_setup(0);
    ua_group_init(&group);
    spawn_member(&w[0], &m[0], "w0", 100, 0);
    spawn_member(&w[1], &m[1], "w1", 200, 0);
    spawn_member(&w[2], &m[2], "w2", 400, 0);
    tk_spawn(&boss, group_boss, "", 0, 0, NULL);
    boss.i = 250;
    assert_int_equal(h_run(&boss.task), 0);
    /* Woken at 100 and 200 ms by members ending, the join still times out
     * at 250 ms -- its deadline is not restarted at each wake. */
    H_EXPECT({0, "running", 3}, {100000, "w0", 0}, {100000, "w0", 0},
             {100000, "cleaned", 0}, {200000, "w1", 0}, {200000, "w1", 0},
             {200000, "cleaned", 0}, {250000, "group done", UA_ETIMEDOUT},
             {250000, "running", 1});
    /* The member left running is untouched and a second join sees it end. */
    h_count = 0;
    memset(&boss, 0, sizeof boss);
    tk_spawn(&boss, group_boss, "", 0, 0, NULL);
    boss.i = UA_FOREVER;
    assert_int_equal(h_run(&boss.task), 0);
    H_EXPECT({250000, "running", 1}, {400000, "w2", 0}, {400000, "w2", 0},
             {400000, "cleaned", 0}, {400000, "group done", 0},
             {400000, "running", 0});
}

static void group_join_trivial_cases(void **state)
{
    (void)state;
    tk_t boss, never;
    ua_member_t m;
    h_setup(0);
    ua_group_init(&group);
    /* Empty group: done at once. */
    tk_spawn(&boss, group_boss, "", 5, 1, NULL);
    boss.i = 10;
    assert_int_equal(h_run(&boss.task), 0);
    H_EXPECT({5000, "running", 0}, {5000, "group done", 0},
             {5000, "running", 0});
    /* A member never spawned counts as finished. */
    memset(&never, 0, sizeof never);
    memset(&m, 0, sizeof m);
    ua_task_init(&never.task, worker);
    assert_int_equal(ua_group_add(&group, &m, &never.task), 0);
    assert_int_equal(ua_group_add(&group, &(ua_member_t){0}, NULL), UA_EINVAL);
    h_count = 0;
    memset(&boss, 0, sizeof boss);
    tk_spawn(&boss, group_boss, "", 0, 1, NULL);
    boss.i = UA_FOREVER;
    assert_int_equal(h_run(&boss.task), 0);
    H_EXPECT({5000, "running", 0}, {5000, "group done", 0},
             {5000, "running", 0});
    assert_int_equal(never.task.where, UA_W_IDLE);
}

static void group_member_cannot_join_its_own_group(void **state)
{
    (void)state;
    tk_t boss, w;
    ua_member_t mb, mw;
    h_setup(0);
    ua_group_init(&group);
    memset(&boss, 0, sizeof boss);
    memset(&mb, 0, sizeof mb);
    memset(&mw, 0, sizeof mw);
    ua_task_init(&boss.task, group_boss);
    boss.b = 1;
    boss.i = UA_FOREVER;
    spawn_member(&w, &mw, "w", 50, 0);
    assert_int_equal(ua_group_spawn(&h_loop, &group, &mb, &boss.task), 0);
    assert_int_equal(h_run(&boss.task), 0);
    /* UA_ESELF, and w was not cancelled either. */
    H_EXPECT({0, "running", 2}, {0, "group done", UA_ESELF},
             {0, "running", 2});
    assert_int_equal(h_run(&w.task), 0);
}

/* Cancel obj (a tk_t) after a ms. */
static int canceller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("cancel boss", ua_task_cancel(&((tk_t *)t->obj)->task));
    UA_END();
}

static void cancelled_joiner_leaves_members_alone(void **state)
{
    (void)state;
    tk_t boss, killer, w;
    ua_member_t mw;
    h_setup(0);
    ua_group_init(&group);
    spawn_member(&w, &mw, "w", 100, 0);
    tk_spawn(&boss, group_boss, "", 0, 0, NULL);
    boss.i = UA_FOREVER;
    tk_spawn(&killer, canceller, "", 40, 0, &boss);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({0, "running", 1}, {40000, "cancel boss", 1},
             {40000, "group done", UA_ECANCELLED}, {40000, "running", 1},
             {100000, "w", 0}, {100000, "w", 0}, {100000, "cleaned", 0});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(named_register_find_and_duplicates),
        cmocka_unit_test(named_cancel_is_prompt_and_awaitable),
        cmocka_unit_test(group_cancel_join_waits_for_every_cleanup),
        cmocka_unit_test(group_join_keeps_its_deadline),
        cmocka_unit_test(group_join_trivial_cases),
        cmocka_unit_test(group_member_cannot_join_its_own_group),
        cmocka_unit_test(cancelled_joiner_leaves_members_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
