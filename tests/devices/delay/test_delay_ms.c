/* Delay_ms: expiry times to the microsecond, retrigger, ISR trigger,
 * awaitable expiry, the lifecycle: stop leaving nothing scheduled, restart. */
#include "delay_ms.h"
#include "devsim.h"

static delay_ms_t d;

/* A fresh instance (the test's loop is fresh too), configured and started:
 * the init error, or the start's. */
static int init_start(int32_t ms, delay_ms_cb cb, void *arg)
{
    int st;

    d = (delay_ms_t){0};
    if ((st = delay_ms_init(&d, ms, cb, arg)) != 0)
        return st;
    return delay_ms_start(&d, &h_loop);
}

/* No ISR flag of d is registered with the loop: ua_flag_init refuses one
 * that still is. */
static bool flag_released(void)
{
    if (ua_flag_init(&d.flag, &h_loop) != 0)
        return false;
    ua_flag_deinit(&d.flag);
    return true;
}

static void on_expire(void *arg)
{
    (void)arg;
    h_log("expired", (int32_t)d.expiries);
}

static void default_duration_expires_exactly(void **state)
{
    (void)state;
    dv_setup(0);
    assert_int_equal(init_start(0, on_expire, NULL), 0);
    dv_run_until(10);
    assert_int_equal(delay_ms_trigger(&d, 0), 0);
    assert_true(delay_ms_running(&d));
    dv_run_until(999999);
    assert_true(delay_ms_running(&d));
    assert_false(delay_ms_expired(&d));
    dv_run_until(3000000);
    H_EXPECT({1000010, "expired", 1});
    assert_false(delay_ms_running(&d));
    assert_true(delay_ms_expired(&d));
    /* Idle and not running: no timer armed. */
    assert_true(dv_loop_quiet());
    delay_ms_stop(&d);
}

static void retrigger_extends(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(1000, on_expire, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(600000);
    delay_ms_trigger(&d, 0);
    dv_run_until(1300000);
    delay_ms_trigger(&d, 0);
    dv_run_until(5000000);
    H_EXPECT({2300000, "expired", 1});
    delay_ms_stop(&d);
}

/* The seed's V2 could not do this: its task already slept to the old end. */
static void retrigger_shortens(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(1000, on_expire, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(200000);
    assert_int_equal(delay_ms_trigger(&d, 100), 0);
    dv_run_until(250123);
    assert_int_equal(delay_ms_trigger(&d, 1), 0); /* shorten again, to 1 ms */
    dv_run_until(5000000);
    H_EXPECT({251123, "expired", 1});
    assert_true(dv_loop_quiet());
    delay_ms_stop(&d);
}

static void stop_suppresses_expiry_and_disarms(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(1000, on_expire, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(500000);
    delay_ms_cancel(&d);
    assert_false(delay_ms_running(&d));
    dv_run_until(500000); /* the task disarms at this same instant */
    assert_true(dv_loop_quiet());
    dv_run_until(3000000);
    H_EXPECT();
    assert_int_equal(d.expiries, 0);
    /* Usable again after a stop. */
    delay_ms_trigger(&d, 10);
    dv_run_until(4000000);
    H_EXPECT({3010000, "expired", 1});
    delay_ms_stop(&d);
}

/* The interrupt handler only writes the end time and sets the flag. */
static void isr_cb(void *arg, int level, ua_ticks_t when)
{
    (void)arg;
    (void)level;
    assert_int_equal(delay_ms_trigger_at(&d, when, 250), 0);
}

static void isr_trigger_counts_from_the_edge(void **state)
{
    (void)state;
    fake_pin_t pin;
    dv_setup(0);
    fake_pin_init(&pin, 1);
    init_start(1000, on_expire, NULL);
    ua_pin_set_irq(&pin.pin, UA_EDGE_FALLING, isr_cb, NULL);
    dv_pin_at(&pin, 1234, 0);
    dv_pin_at(&pin, 100000, 1);         /* rising: not registered */
    dv_pin_at(&pin, 200000, 0);         /* feeds the watchdog: extends */
    dv_run_until(1000000);
    dv_pin_at(&pin, 1000001, 1);
    dv_pin_at(&pin, 1000002, 0);
    dv_run_until(2000000);
    H_EXPECT({450000, "expired", 1}, {1250002, "expired", 2});
    assert_int_equal(pin.irqs, 3);
    delay_ms_stop(&d);
}

/* An interrupt between the task's wake and its wait is not lost: the
 * flag remembers it. */
static void isr_trigger_while_task_busy_is_kept(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(1000, on_expire, NULL);
    dv_run_until(0);
    delay_ms_trigger_at(&d, ua_loop_now(&h_loop), 5); /* "ISR" */
    delay_ms_trigger_at(&d, ua_loop_now(&h_loop), 7); /* two sets: one wake */
    dv_run_until(100000);
    H_EXPECT({7000, "expired", 1});
    delay_ms_stop(&d);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int st;
} waiter_t;

static int waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT_STATUS(w->st, delay_ms_wait(self, &d, UA_FOREVER));
    h_log("woken", w->st);
    delay_ms_clear(&d);
    UA_AWAIT_STATUS(w->st, delay_ms_wait(self, &d, UA_FOREVER));
    h_log("woken", w->st);
    UA_END();
}

static void wait_is_woken_at_expiry(void **state)
{
    (void)state;
    waiter_t w = {0};
    dv_setup(0);
    init_start(300, NULL, NULL);
    ua_task_init(&w.task, waiter);
    ua_spawn(&h_loop, &w.task);
    delay_ms_trigger(&d, 0);
    dv_run_until(1000000);
    delay_ms_trigger(&d, 0);
    dv_run_until(2000000);
    H_EXPECT({300000, "woken", 0}, {1300000, "woken", 0});
    assert_true(ua_task_done(&w.task));
    delay_ms_stop(&d);
}

static void on_expire_periodic(void *arg)
{
    (void)arg;
    h_log("tick", (int32_t)d.expiries);
    if (d.expiries < 3)
        delay_ms_trigger(&d, 100);
}

static void callback_may_retrigger(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(100, on_expire_periodic, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(1000000);
    H_EXPECT({100000, "tick", 1}, {200000, "tick", 2}, {300000, "tick", 3});
    assert_true(dv_loop_quiet());
    delay_ms_stop(&d);
}

/* Seed issues #74, #138 (task leak) and #98 (a second deinit: here stop). */
static void stop_leaves_nothing_scheduled(void **state)
{
    (void)state;
    waiter_t w = {0};
    dv_setup(0);
    init_start(1000, on_expire, NULL);
    ua_task_init(&w.task, waiter);
    ua_spawn(&h_loop, &w.task);
    delay_ms_trigger(&d, 0);
    dv_run_until(500000);
    ua_ticks_t dl;
    assert_true(ua_loop_next_deadline(&h_loop, &dl));
    delay_ms_stop(&d);
    /* At once: no timer armed, no ISR flag registered. */
    assert_false(ua_loop_next_deadline(&h_loop, &dl));
    assert_true(flag_released());
    assert_false(delay_ms_stopped(&d));
    delay_ms_stop(&d); /* #98: a no-op */
    dv_run_until(500000);
    assert_true(delay_ms_stopped(&d));
    assert_true(dv_loop_quiet());
    assert_int_equal(delay_ms_trigger(&d, 0), DELAY_ESTOPPED);
    assert_int_equal(delay_ms_trigger_at(&d, 0, 5), DELAY_ESTOPPED);
    dv_run_until(3000000);
    /* The waiter was failed, not left hanging; no expiry ever ran. */
    H_EXPECT({500000, "woken", DELAY_ESTOPPED}, {500000, "woken", DELAY_ESTOPPED});
    assert_int_equal(d.expiries, 0);
}

static void start_stop_churn_does_not_leak(void **state)
{
    (void)state;
    dv_setup(0);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(init_start(50, on_expire, NULL), 0);
        if (i % 2)
            delay_ms_trigger(&d, 0);
        dv_run_until(h_now() + 10);
        delay_ms_stop(&d);
        dv_run_until(h_now() + 10);
        assert_true(delay_ms_stopped(&d));
        assert_true(dv_loop_quiet());
        assert_true(flag_released());
    }
    assert_int_equal(h_count, 0);
}

static void on_expire_stop(void *arg)
{
    (void)arg;
    h_log("last", 0);
    delay_ms_stop(&d);
}

static void stop_from_callback(void **state)
{
    (void)state;
    dv_setup(0);
    init_start(20, on_expire_stop, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(1000000);
    H_EXPECT({20000, "last", 0});
    assert_true(delay_ms_stopped(&d));
    assert_int_equal(ua_task_status(&d.task), 0);
    assert_true(dv_loop_quiet());
    assert_int_equal(delay_ms_trigger(&d, 0), DELAY_ESTOPPED);
}

static void expiry_across_tick_wrap(void **state)
{
    (void)state;
    dv_setup(0xFFFFFFFFu - 400000u); /* wraps 400 ms in */
    init_start(1000, on_expire, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(300000);
    delay_ms_trigger(&d, 0);            /* end is past the wrap */
    dv_run_until(1000000);
    delay_ms_trigger(&d, 50);           /* shorten across it */
    dv_run_until(2000000);
    H_EXPECT({1050000, "expired", 1});
    delay_ms_stop(&d);
}

static void out_of_range_durations(void **state)
{
    (void)state;
    dv_setup(0);
    assert_int_equal(init_start(DELAY_MS_MAX_MS + 1, NULL, NULL),
                     DELAY_ERANGE);
    assert_true(flag_released());
    assert_int_equal(init_start(-3, on_expire, NULL), 0);
    assert_int_equal(d.duration_ms, DELAY_MS_DEFAULT_MS);
    assert_int_equal(delay_ms_trigger(&d, DELAY_MS_MAX_MS + 1), DELAY_ERANGE);
    assert_false(delay_ms_running(&d));
    assert_int_equal(delay_ms_trigger(&d, DELAY_MS_MAX_MS), 0);
    dv_run_until(10000);
    delay_ms_trigger(&d, -7); /* <= 0: the default */
    dv_run_until(2000000);
    H_EXPECT({1010000, "expired", 1});
    delay_ms_stop(&d);
}

/* Issue 15, boundary 3: the seed ends at the trigger time rounded down to
 * the millisecond plus the duration; this driver at exactly trigger +
 * duration (docs/drivers/delay.md says why).  A trigger at 1500.700 ms for
 * 100 ms: the seed has stopped at 1600.000 ms, this one runs until
 * 1600.700 ms exactly. */
static void ends_at_trigger_plus_duration_to_the_us(void **state)
{
    (void)state;
    dv_setup(0);
    assert_int_equal(init_start(100, on_expire, NULL), 0);
    dv_run_until(1500700);
    assert_int_equal(delay_ms_trigger(&d, 0), 0);
    dv_run_until(1600000); /* the seed's end */
    assert_true(delay_ms_running(&d));
    dv_run_until(1600699);
    assert_true(delay_ms_running(&d));
    assert_false(delay_ms_expired(&d));
    dv_run_until(1600700);
    assert_false(delay_ms_running(&d));
    assert_true(delay_ms_expired(&d));
    /* a stop in the gap still cancels the expiry (the seed's is over) */
    dv_run_until(2000300);
    delay_ms_trigger(&d, 0);
    dv_run_until(2100100);
    delay_ms_cancel(&d);
    dv_run_until(3000000);
    H_EXPECT({1600700, "expired", 1});
    delay_ms_stop(&d);
}

static int on_expire_rv(void *arg)
{
    (void)arg;
    h_log("expired", (int32_t)d.expiries);
    return 40 + (int)d.expiries;
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
} sub_t;

static sub_t sub;

/* The launched task: log, then stay busy for 150 ms. */
static int sub_fn(ua_task_t *self)
{
    UA_BEGIN(self, &sub.co);
    h_log("launched", (int32_t)d.expiries);
    UA_AWAIT(ua_sleep_ms(self, 150));
    UA_END();
}

static void rvalue_and_launch(void **state)
{
    (void)state;
    dv_setup(0);
    assert_int_equal(init_start(100, NULL, NULL), 0);
    assert_int_equal(delay_ms_rvalue(&d), 0);
    delay_ms_callback_rv(&d, on_expire_rv, NULL);
    delay_ms_trigger(&d, 0);
    dv_run_until(200000);
    assert_int_equal(delay_ms_rvalue(&d), 41);
    /* A task per expiry, as the seed launches a coroutine callback. */
    ua_task_init(&sub.task, sub_fn);
    delay_ms_launch(&d, &sub.task);
    delay_ms_trigger(&d, 0);          /* expires at 300 ms */
    dv_run_until(350000);
    assert_int_equal(delay_ms_rvalue(&d), 0);
    delay_ms_trigger(&d, 50);         /* 400 ms: still busy, not twice */
    dv_run_until(410000);
    assert_int_equal(delay_ms_rvalue(&d), UA_EBUSY);
    dv_run_until(500000);
    delay_ms_trigger(&d, 0);          /* 600 ms: finished, runs again */
    dv_run_until(1000000);
    assert_int_equal(delay_ms_rvalue(&d), 0);
    H_EXPECT({100000, "expired", 1}, {300000, "launched", 2},
              {600000, "launched", 4});
    assert_int_equal(d.expiries, 4);
    delay_ms_stop(&d);
}

static fake_pin_t edge_pin;

/* An interrupt handler feeding the watchdog: every falling edge triggers
 * 100 ms from the edge's tick, and logs what the trigger returned. */
static void edge_irq(void *arg, int level, ua_ticks_t when)
{
    (void)arg;
    (void)level;
    h_log("irq", delay_ms_trigger_at(&d, when, 100));
}

/*
 * The lifecycle, 100 times with interrupts triggering it: in every cycle
 * (from T) an edge at T + 10 gives an expiry at T + 110 that wakes the
 * waiter; an edge at T + 200 arms one for T + 300 and the stop at T + 250
 * cancels it, failing the waiter's second wait then, unregistering the flag
 * and disarming the timer at once.  Even cycles start again in the same
 * instant (the old task, still finishing, serves the new start), and an
 * edge at T + 260 gives an expiry at T + 360; odd ones are stopped when the
 * edge at T + 260 comes (the trigger says so, nothing expires), and start
 * again at T + 400 with the loop quiet.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    waiter_t w;
    ua_ticks_t dl;
    uint64_t t = 0;
    int32_t n = 0;

    dv_setup(0);
    fake_pin_init(&edge_pin, 1);
    ua_pin_set_irq(&edge_pin.pin, UA_EDGE_FALLING, edge_irq, NULL);
    assert_int_equal(init_start(1000, on_expire, NULL), 0);
    for (int i = 0; i < 100; i++) {
        h_count = 0;
        w = (waiter_t){0};
        ua_task_init(&w.task, waiter);
        ua_spawn(&h_loop, &w.task);
        assert_int_equal(delay_ms_start(&d, &h_loop), UA_EBUSY);
        dv_pin_at(&edge_pin, t + 10000, 0);
        dv_pin_at(&edge_pin, t + 100000, 1);
        dv_pin_at(&edge_pin, t + 200000, 0);
        dv_pin_at(&edge_pin, t + 230000, 1);
        dv_run_until(t + 250000);
        delay_ms_stop(&d);
        delay_ms_stop(&d); /* idempotent */
        assert_false(ua_loop_next_deadline(&h_loop, &dl));
        assert_true(flag_released());
        assert_false(delay_ms_running(&d));
        if (i % 2 == 0) {
            assert_true(ua_task_running(&d.task)); /* still finishing */
            assert_false(delay_ms_stopped(&d));
            assert_int_equal(delay_ms_start(&d, &h_loop), 0);
            dv_pin_at(&edge_pin, t + 260000, 0);
            dv_run_until(t + 400000);
            H_EXPECT({t + 10000, "irq", 0}, {t + 110000, "expired", n + 1},
                     {t + 110000, "woken", 0}, {t + 200000, "irq", 0},
                     {t + 250000, "woken", DELAY_ESTOPPED},
                     {t + 260000, "irq", 0}, {t + 360000, "expired", n + 2});
            n += 2;
            delay_ms_clear(&d);
        } else {
            dv_pin_at(&edge_pin, t + 260000, 0);
            dv_run_until(t + 400000);
            assert_true(delay_ms_stopped(&d));
            assert_true(dv_loop_quiet());
            H_EXPECT({t + 10000, "irq", 0}, {t + 110000, "expired", n + 1},
                     {t + 110000, "woken", 0}, {t + 200000, "irq", 0},
                     {t + 250000, "woken", DELAY_ESTOPPED},
                     {t + 260000, "irq", DELAY_ESTOPPED});
            n += 1;
            assert_int_equal(delay_ms_start(&d, &h_loop), 0);
        }
        dv_pin_at(&edge_pin, t + 400000, 1);
        dv_run_until(t + 500000);
        assert_true(ua_task_done(&w.task));
        t += 500000;
    }
    delay_ms_stop(&d);
    dv_run_until(t + 1000);
    assert_true(delay_ms_stopped(&d));
    assert_true(dv_loop_quiet());
    assert_true(flag_released());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_duration_expires_exactly),
        cmocka_unit_test(retrigger_extends),
        cmocka_unit_test(retrigger_shortens),
        cmocka_unit_test(stop_suppresses_expiry_and_disarms),
        cmocka_unit_test(isr_trigger_counts_from_the_edge),
        cmocka_unit_test(isr_trigger_while_task_busy_is_kept),
        cmocka_unit_test(wait_is_woken_at_expiry),
        cmocka_unit_test(callback_may_retrigger),
        cmocka_unit_test(stop_leaves_nothing_scheduled),
        cmocka_unit_test(start_stop_churn_does_not_leak),
        cmocka_unit_test(stop_from_callback),
        cmocka_unit_test(expiry_across_tick_wrap),
        cmocka_unit_test(out_of_range_durations),
        cmocka_unit_test(ends_at_trigger_plus_duration_to_the_us),
        cmocka_unit_test(rvalue_and_launch),
        cmocka_unit_test(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
