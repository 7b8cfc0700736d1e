/* Coroutine macros: awaiting sub-coroutines, results, errors, FINALLY. */
#include "harness.h"

/* A sub-coroutine: sleeps `ms` then doubles its input into its frame. */
typedef struct {
    ua_co_t co;
    int32_t in, out;
} doubler_t;

static int doubler(ua_task_t *self, doubler_t *f, int32_t ms)
{
    UA_BEGIN(self, &f->co);
    UA_AWAIT(ua_sleep_ms(self, ms));
    f->out = f->in * 2;
    h_log("doubled", f->out);
    UA_END();
}

/* A sub-coroutine that fails after awaiting. */
typedef struct {
    ua_co_t co;
} failer_t;

static int failer(ua_task_t *self, failer_t *f)
{
    UA_BEGIN(self, &f->co);
    UA_AWAIT(ua_sleep_ms(self, 5));
    UA_THROW(UA_EIO);
    h_log("unreachable", 0);
    UA_END();
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    doubler_t sub;
    failer_t bad;
    int i;
    int32_t sum;
    int st;
} parent_t;

static int parent(ua_task_t *self)
{
    parent_t *p = UA_CONTAINER_OF(self, parent_t, task);
    UA_BEGIN(self, &p->co);
    for (p->i = 1; p->i <= 3; p->i++) {
        p->sub.in = p->i;
        UA_AWAIT(doubler(self, &p->sub, 10));
        p->sum += p->sub.out;
    }
    UA_AWAIT_STATUS(p->st, failer(self, &p->bad));
    h_log("failer status", p->st);
    UA_END_RESULT(p->sum);
}

static void await_subcoroutine_keeps_frame_in_parent(void **state)
{
    (void)state;
    parent_t p = {0};
    h_setup(0);
    ua_task_init(&p.task, parent);
    assert_int_equal(h_run(&p.task), 0);
    assert_int_equal(ua_task_result(&p.task), 12);
    H_EXPECT({10000, "doubled", 2}, {20000, "doubled", 4}, {30000, "doubled", 6},
             {35000, "failer status", UA_EIO});
}

/* Errors propagate through UA_AWAIT to FINALLY, which may itself await. */
typedef struct {
    ua_task_t task;
    ua_co_t co;
    failer_t bad;
} thrower_t;

static int thrower(ua_task_t *self)
{
    thrower_t *f = UA_CONTAINER_OF(self, thrower_t, task);
    UA_BEGIN(self, &f->co);
    h_log("start", 0);
    UA_AWAIT(failer(self, &f->bad));
    h_log("not reached", 0);
    UA_FINALLY
    h_log("finally", UA_STATUS());
    UA_AWAIT(ua_sleep_ms(self, 3));
    h_log("finally after await", UA_STATUS());
    UA_END_RESULT(99);
}

static void error_propagates_through_finally_with_await(void **state)
{
    (void)state;
    thrower_t f = {0};
    h_setup(0);
    ua_task_init(&f.task, thrower);
    assert_int_equal(h_run(&f.task), UA_EIO);
    assert_int_equal(ua_task_status(&f.task), UA_EIO);
    assert_int_equal(ua_task_result(&f.task), 0); /* failed: no result */
    H_EXPECT({0, "start", 0}, {5000, "finally", UA_EIO},
             {8000, "finally after await", UA_EIO});
    /* The frame was reset by UA_END, so the task can be spawned again. */
    assert_int_equal(f.co.line, 0);
}

/* FINALLY also runs on the normal path, and UA_EXIT leaves early. */
typedef struct {
    ua_task_t task;
    ua_co_t co;
    int i;
} exiter_t;

static int exiter(ua_task_t *self)
{
    exiter_t *f = UA_CONTAINER_OF(self, exiter_t, task);
    UA_BEGIN(self, &f->co);
    for (f->i = 0;; f->i++) {
        if (f->i == 2)
            UA_EXIT();
        UA_YIELD();
    }
    UA_FINALLY
    h_log("cleanup", UA_STATUS());
    UA_END_RESULT(f->i);
}

static void exit_runs_finally_and_keeps_result(void **state)
{
    (void)state;
    exiter_t f = {0};
    h_setup(0);
    ua_task_init(&f.task, exiter);
    assert_int_equal(h_run(&f.task), 0);
    assert_int_equal(ua_task_result(&f.task), 2);
    H_EXPECT({0, "cleanup", 0});
    /* Respawn: runs again from the start. */
    h_count = 0;
    f.i = 0;
    assert_int_equal(h_run(&f.task), 0); /* finished: returns its status */
    assert_int_equal(h_count, 0);
    assert_int_equal(ua_spawn(&h_loop, &f.task), 0);
    assert_int_equal(h_run(&f.task), 0);
    H_EXPECT({0, "cleanup", 0});
    assert_int_equal(ua_task_result(&f.task), 2);
}

static void strerror_names_every_code(void **state)
{
    (void)state;
    assert_string_equal(ua_err_name(UA_ETIMEDOUT), "UA_ETIMEDOUT");
    assert_string_equal(ua_strerror(UA_ECANCELLED), "task was cancelled");
    assert_string_equal(ua_strerror(0), "success");
    assert_string_equal(ua_strerror(-1000), "unknown error");
    assert_string_equal(ua_err_name(12345), "UA_E?");
}

/* One table: every driver code is named, distinct, inside its module's
 * block, and the status of a coroutine carries the lowest of them. */
static const struct {
    int value;
    const char *name;
    int module, offset;
} driver_codes[] = {
#define ROW(name, mod, off, msg) {name, #name, mod, off},
    UA_ERR_DRIVER_MAP(ROW)
#undef ROW
};

static void every_code_is_named_and_distinct(void **state)
{
    (void)state;
    size_t n = sizeof driver_codes / sizeof driver_codes[0];
    for (size_t i = 0; i < n; i++) {
        int v = driver_codes[i].value;
        assert_string_equal(ua_err_name(v), driver_codes[i].name);
        assert_string_not_equal(ua_strerror(v), "unknown error");
        assert_true(v <= UA_ERR_BASE(driver_codes[i].module));
        assert_true(v > UA_ERR_BASE(driver_codes[i].module) - UA_ERR_BLOCK);
        assert_int_equal(UA_ERR_OFFSET(driver_codes[i].module, v),
                         driver_codes[i].offset);
        for (size_t j = i + 1; j < n; j++)
            assert_int_not_equal(v, driver_codes[j].value);
    }
    assert_string_equal(ua_err_name(UA_ERR_BASE(UA_MOD_USER0) - 3), "UA_EUSER");
    assert_string_equal(ua_strerror(UA_ERR_BASE(UA_MOD_USER0 + 7)),
                        "application driver error");
    assert_string_equal(ua_err_name(UA_ERR_BASE(UA_MOD_LIMIT)), "UA_E?");
}

static int throw_lowest(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_THROW(UA_ERR_BASE(UA_MOD_LIMIT) + 1); /* the lowest code of all */
    UA_FINALLY
    t->st = UA_STATUS();
    UA_END();
}

static void coroutine_status_holds_every_code(void **state)
{
    (void)state;
    tk_t t;
    h_setup(0);
    tk_spawn(&t, throw_lowest, "", 0, 0, NULL);
    assert_int_equal(h_run(&t.task), UA_ERR_BASE(UA_MOD_LIMIT) + 1);
    assert_int_equal(t.st, UA_ERR_BASE(UA_MOD_LIMIT) + 1);
}

/* A task struct is 48 bytes where pointers are 4 bytes: nine pointers
 * (two list links, three heap links, what it waits on, its loop, its
 * function, who awaits it) and three words (deadline, arming order, state).
 * The size is part of the contract (docs/under-the-hood.md): a change here
 * must be deliberate. */
static void task_header_size(void **state)
{
    (void)state;
    size_t expect = 9 * sizeof(void *) + 3 * 4;
    expect = (expect + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *);
    assert_int_equal(sizeof(ua_task_t), expect);
    if (sizeof(void *) == 4)
        assert_int_equal(sizeof(ua_task_t), 48);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(await_subcoroutine_keeps_frame_in_parent),
        cmocka_unit_test(error_propagates_through_finally_with_await),
        cmocka_unit_test(exit_runs_finally_and_keeps_result),
        cmocka_unit_test(strerror_names_every_code),
        cmocka_unit_test(task_header_size),
        cmocka_unit_test(every_code_is_named_and_distinct),
        cmocka_unit_test(coroutine_status_holds_every_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
