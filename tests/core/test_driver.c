/*
 * The driver contract (ua_driver.h): failing waiters with a driver's code,
 * telling a first call from a resume, the loop's critical section, and a
 * flag that cannot be registered twice.
 */
#include "harness.h"

#include "ua_driver.h"

#define DRV_ESTOPPED (-1001) /* any driver's "stopped" code */

static int event_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_event_wait(self, t->obj, t->a));
    h_log(t->name, t->st);
    UA_END();
}

static int stopper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("failed", ua_event_fail_waiters(t->obj, DRV_ESTOPPED));
    UA_END();
}

static void event_waiters_get_the_drivers_code(void **state)
{
    (void)state;
    ua_event_t ev;
    tk_t a, b, s;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&a, event_waiter, "a", UA_FOREVER, 0, &ev);
    tk_spawn(&b, event_waiter, "b", 50, 0, &ev);
    tk_spawn(&s, stopper, "", 20, 0, &ev);
    assert_int_equal(h_run(&a.task), 0);
    assert_int_equal(h_run(&b.task), 0);
    H_EXPECT({20000, "failed", 2}, {20000, "a", DRV_ESTOPPED},
             {20000, "b", DRV_ESTOPPED});
    assert_false(ua_event_is_set(&ev));
    /* b's deadline left the heap with it. */
    assert_false(ua_loop_next_deadline(&h_loop, &(ua_ticks_t){0}));
    assert_int_equal(ua_event_fail_waiters(&ev, DRV_ESTOPPED), 0);
}

static int getter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_queue_get(self, t->obj, &t->item, UA_FOREVER));
    h_log(t->name, t->st);
    UA_END();
}

static int putter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_queue_put(self, t->obj, &t->a, UA_FOREVER));
    h_log(t->name, t->st);
    UA_END();
}

static void queue_getters_and_putters_fail(void **state)
{
    (void)state;
    ua_queue_t empty, full;
    int32_t buf1[1], buf2[1], one = 7;
    tk_t g, p;
    h_setup(0);
    ua_queue_init(&empty, buf1, sizeof(int32_t), 1);
    ua_queue_init(&full, buf2, sizeof(int32_t), 1);
    assert_int_equal(ua_queue_put_nowait(&full, &one), 0);
    tk_spawn(&g, getter, "get", 0, 0, &empty);
    tk_spawn(&p, putter, "put", 0, 0, &full);
    ua_loop_step(&h_loop);
    ua_loop_step(&h_loop);
    assert_int_equal(ua_queue_fail_waiters(&empty, DRV_ESTOPPED), 1);
    assert_int_equal(ua_queue_fail_waiters(&full, DRV_ESTOPPED), 1);
    assert_int_equal(h_run(&g.task), 0);
    assert_int_equal(h_run(&p.task), 0);
    H_EXPECT({0, "get", DRV_ESTOPPED}, {0, "put", DRV_ESTOPPED});
    assert_int_equal(ua_queue_size(&full), 1); /* nothing lost or added */
}

static int flag_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    h_log("first", ua_await_is_first(self));
    UA_AWAIT_STATUS(t->st, ua_flag_wait(self, t->obj, UA_FOREVER));
    h_log(t->name, t->st);
    UA_END();
}

static void flag_waiter_fails_and_flag_registers_once(void **state)
{
    (void)state;
    ua_flag_t f;
    tk_t w;
    h_setup(0);
    memset(&f, 0x5A, sizeof f); /* fresh memory */
    assert_int_equal(ua_flag_init(&f, &h_loop), 0);
    assert_int_equal(ua_flag_init(&f, &h_loop), UA_EBUSY);
    tk_spawn(&w, flag_waiter, "flag", 0, 0, &f);
    ua_loop_step(&h_loop);
    assert_int_equal(ua_flag_fail_waiter(&f, DRV_ESTOPPED), 1);
    assert_int_equal(ua_flag_fail_waiter(&f, DRV_ESTOPPED), 0);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({0, "first", 1}, {0, "flag", DRV_ESTOPPED});
    ua_flag_deinit(&f);
    assert_int_equal(ua_flag_init(&f, &h_loop), 0); /* restartable */
    ua_flag_deinit(&f);
}

/* A driver's own awaitable refuses a first call while stopped, and a
 * resumed call still collects its outcome. */
static bool device_stopped;
static ua_event_t device_ev;

static int device_wait(ua_task_t *self)
{
    if (device_stopped && ua_await_is_first(self))
        return DRV_ESTOPPED;
    return ua_event_wait(self, &device_ev, UA_FOREVER);
}

static int device_user(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 2; t->i++) {
        UA_AWAIT_STATUS(t->st, device_wait(self));
        h_log("wait", t->st);
    }
    UA_END();
}

static int device_setter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 5));
    device_stopped = true; /* stopped after the set: the waiter still
                              gets its event */
    ua_event_set(&device_ev);
    UA_END();
}

static void first_call_is_told_from_a_resume(void **state)
{
    (void)state;
    tk_t u, s;
    h_setup(0);
    device_stopped = false;
    ua_event_init(&device_ev);
    tk_spawn(&u, device_user, "", 0, 0, NULL);
    tk_spawn(&s, device_setter, "", 0, 0, NULL);
    assert_int_equal(h_run(&u.task), 0);
    H_EXPECT({5000, "wait", 0}, {5000, "wait", DRV_ESTOPPED});
}

static int crit_depth;
static void crit_enter(void *ctx)
{
    (void)ctx;
    crit_depth++;
}
static void crit_exit(void *ctx)
{
    (void)ctx;
    crit_depth--;
}

static void critical_section_goes_through_the_port(void **state)
{
    (void)state;
    h_setup(0);
    h_vp.port.critical_enter = crit_enter;
    h_vp.port.critical_exit = crit_exit;
    crit_depth = 0;
    ua_critical_enter(&h_loop);
    assert_int_equal(crit_depth, 1);
    ua_critical_exit(&h_loop);
    assert_int_equal(crit_depth, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_waiters_get_the_drivers_code),
        cmocka_unit_test(queue_getters_and_putters_fail),
        cmocka_unit_test(flag_waiter_fails_and_flag_registers_once),
        cmocka_unit_test(first_call_is_told_from_a_resume),
        cmocka_unit_test(critical_section_goes_through_the_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
