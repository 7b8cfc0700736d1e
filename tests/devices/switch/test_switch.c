/* Switch: debounced close/open at the exact sample times, bounce, events,
 * overrun resync, the lifecycle (stop, restart 100 times). */
#include "devsim.h"
#include "switch.h"

static switch_t sw;
static fake_pin_t pin;

static void on_close(void *arg)
{
    (void)arg;
    h_log("close", switch_level(&sw));
}

static void on_open(void *arg)
{
    (void)arg;
    h_log("open", switch_level(&sw));
}

static void start(int level, uint16_t debounce_ms)
{
    dv_setup(0);
    fake_pin_init(&pin, level);
    sw = (switch_t){0}; /* a fresh loop: the last test's task is gone */
    assert_int_equal(switch_init(&sw, &pin.pin, debounce_ms), 0);
    switch_callback(&sw, SWITCH_CLOSE, on_close, NULL);
    switch_callback(&sw, SWITCH_OPEN, on_open, NULL);
    assert_int_equal(switch_start(&sw, &h_loop), 0);
}

/* Samples at 0 (init), 50, 100, ... ms.  In this harness an edge at the
 * same instant as a sample is seen by the next one (dv_pin_at runs the work
 * due at t before changing the level). */
static void reports_at_first_sample_after_edge(void **state)
{
    (void)state;
    start(1, 0);
    assert_int_equal(pin.mode, UA_PIN_INPUT_PULLUP);
    assert_false(switch_closed(&sw));
    dv_pin_at(&pin, 120000, 0);
    dv_run_until(149999);
    assert_false(switch_closed(&sw));
    dv_run_until(150000);
    assert_true(switch_closed(&sw));
    dv_pin_at(&pin, 400000, 1);
    dv_run_until(1000000);
    H_EXPECT({150000, "close", 0}, {450000, "open", 1});
    assert_int_equal(sw.count[SWITCH_CLOSE], 1);
    switch_stop(&sw);
}

static void initial_state_is_not_reported(void **state)
{
    (void)state;
    start(0, 0);
    assert_true(switch_closed(&sw));
    dv_run_until(500000);
    H_EXPECT();
    dv_pin_at(&pin, 510000, 1);
    dv_run_until(600000);
    H_EXPECT({550000, "open", 1});
    switch_stop(&sw);
}

static void debounce_period_is_configurable(void **state)
{
    (void)state;
    start(1, 20);
    dv_pin_at(&pin, 30001, 0);
    dv_pin_at(&pin, 50000, 1); /* 19.999 ms closed, caught by the 40 ms sample */
    dv_run_until(200000);
    H_EXPECT({40000, "close", 0}, {60000, "open", 1});
    switch_stop(&sw);
}

/* Level seen by a sample at s: toggles strictly before s count. */
static int level_at(const uint64_t *tog, int n, int before, uint64_t s)
{
    int level = before;
    for (int i = 0; i < n && tog[i] < s; i++)
        level = !level;
    return level;
}

static uint64_t first_sample_reading(const uint64_t *tog, int n, int before,
                                     uint64_t edge, int want)
{
    uint64_t s = (edge / 50000) * 50000;
    if (s < edge)
        s += 50000;
    while (level_at(tog, n, before, s) != want)
        s += 50000;
    return s;
}

/* Bounce of up to 5 ms at 300 random phases: exactly one close and one open
 * per cycle, each at the first sample that reads the new level. */
static void bouncing_contact_gives_one_report_per_edge(void **state)
{
    (void)state;
    uint64_t tog[16];
    uint32_t rs = 12345;
    start(1, 0);
    uint64_t t = 100000;
    for (int i = 0; i < 300; i++) {
        size_t before = h_count;
        uint64_t press = t + dv_rand(&rs) % 50000;
        int n = dv_bounce_at(&pin, press, 0, 5000, (uint32_t)i, tog, 16);
        uint64_t want_close = first_sample_reading(tog, n, 1, press, 0);
        uint64_t release = press + 200000 + dv_rand(&rs) % 50000;
        assert_true(want_close - press <= 50000 + 5000);
        n = dv_bounce_at(&pin, release, 1, 5000, (uint32_t)i + 1000, tog, 16);
        uint64_t want_open = first_sample_reading(tog, n, 0, release, 1);
        t = release + 200000;
        dv_run_until(t);
        assert_int_equal(h_count, before + 2);
        assert_string_equal(h_events[before].tag, "close");
        assert_int_equal(h_events[before].t_us, want_close);
        assert_string_equal(h_events[before + 1].tag, "open");
        assert_int_equal(h_events[before + 1].t_us, want_open);
        /* at most one period after the contact settled */
        assert_true(want_open - release <= 50000 + 5000);
    }
    assert_int_equal(sw.count[SWITCH_CLOSE], 300);
    switch_stop(&sw);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int i, st;
} waiter_t;

static int waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < 2; w->i++) {
        UA_AWAIT_STATUS(w->st, switch_wait(self, &sw, SWITCH_CLOSE, 1000));
        h_log("w-close", w->st);
        UA_AWAIT_STATUS(w->st, switch_wait(self, &sw, SWITCH_OPEN, UA_FOREVER));
        h_log("w-open", w->st);
    }
    UA_END();
}

static void events_are_awaitable_and_consumed(void **state)
{
    (void)state;
    waiter_t w = {0};
    start(1, 0);
    switch_callback(&sw, SWITCH_CLOSE, NULL, NULL);
    switch_callback(&sw, SWITCH_OPEN, NULL, NULL);
    ua_task_init(&w.task, waiter);
    ua_spawn(&h_loop, &w.task);
    dv_pin_at(&pin, 70000, 0);
    dv_pin_at(&pin, 170000, 1);
    /* second close waits 1 s from 200 ms and times out at 1.2 s */
    dv_run_until(1300000);
    dv_pin_at(&pin, 1310000, 0);
    dv_pin_at(&pin, 1370000, 1);
    dv_run_until(2000000);
    H_EXPECT({100000, "w-close", 0}, {200000, "w-open", 0},
              {1200000, "w-close", UA_ETIMEDOUT},
              /* the close at 1.35 s and the open at 1.4 s */
              {1400000, "w-open", 0});
    assert_true(ua_task_done(&w.task));
    /* The close was not consumed by anyone. */
    assert_true(ua_event_is_set(switch_event(&sw, SWITCH_CLOSE)));
    switch_stop(&sw);
}

/* A task hogging the CPU delays a sample; the schedule restarts from the
 * late sample instead of firing a burst of catch-up samples. */
typedef struct {
    ua_task_t task;
    ua_co_t co;
} hog_t;

static int hog(ua_task_t *self)
{
    hog_t *h = UA_CONTAINER_OF(self, hog_t, task);
    UA_BEGIN(self, &h->co);
    UA_AWAIT(ua_sleep_ms(self, 10));
    ua_delay_us(120000); /* busy until 130 ms */
    UA_END();
}

static void overrun_restarts_the_schedule(void **state)
{
    (void)state;
    hog_t h = {0};
    start(1, 0);
    ua_task_init(&h.task, hog);
    ua_spawn(&h_loop, &h.task);
    dv_run_until(130000);
    assert_int_equal(h_now(), 130000);
    uint32_t reads = pin.reads;
    dv_pin_at(&pin, 140000, 0);
    dv_run_until(300000);
    /* late sample at 130, then 180, 230, 280 */
    assert_int_equal(pin.reads - reads, 3);
    H_EXPECT({180000, "close", 0});
    switch_stop(&sw);
}

static int dead_waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT_STATUS(w->st, switch_wait(self, &sw, SWITCH_CLOSE, UA_FOREVER));
    h_log("w-close", w->st);
    UA_AWAIT_STATUS(w->st, switch_wait(self, &sw, SWITCH_OPEN, UA_FOREVER));
    h_log("w-open", w->st);
    UA_END();
}

static void stop_leaves_nothing_scheduled(void **state)
{
    (void)state;
    waiter_t w = {0};
    start(1, 0);
    ua_task_init(&w.task, dead_waiter);
    ua_spawn(&h_loop, &w.task);
    dv_run_until(75000);
    switch_stop(&sw);
    ua_ticks_t dl;
    assert_false(ua_loop_next_deadline(&h_loop, &dl));
    switch_stop(&sw);
    dv_run_until(75000);
    assert_true(switch_stopped(&sw));
    assert_true(dv_loop_quiet());
    uint32_t reads = pin.reads;
    dv_pin_at(&pin, 100000, 0);
    dv_run_until(1000000);
    assert_int_equal(pin.reads, reads);
    H_EXPECT({75000, "w-close", SWITCH_ESTOPPED},
              {75000, "w-open", SWITCH_ESTOPPED});
}

static void on_close_stop(void *arg)
{
    (void)arg;
    h_log("close", 0);
    switch_stop(&sw);
}

static void stop_from_callback(void **state)
{
    (void)state;
    start(1, 0);
    switch_callback(&sw, SWITCH_CLOSE, on_close_stop, NULL);
    dv_pin_at(&pin, 10000, 0);
    dv_pin_at(&pin, 60000, 1);
    dv_run_until(1000000);
    H_EXPECT({50000, "close", 0});
    assert_true(switch_stopped(&sw));
    assert_int_equal(ua_task_status(&sw.task), 0);
    assert_true(dv_loop_quiet());
}

static int bad_configure(ua_pin_t *p, enum ua_pin_mode m)
{
    (void)p;
    (void)m;
    return UA_EINVAL;
}

static void pin_that_cannot_pull_up_is_an_error(void **state)
{
    (void)state;
    struct ua_pin_ops ops;
    dv_setup(0);
    fake_pin_init(&pin, 1);
    ops = *pin.pin.ops;
    ops.configure = bad_configure;
    pin.pin.ops = &ops;
    sw = (switch_t){0};
    assert_int_equal(switch_init(&sw, &pin.pin, 0), 0);
    assert_int_equal(pin.mode, -1); /* init touches no hardware */
    assert_int_equal(switch_start(&sw, &h_loop), SWITCH_EPIN);
    assert_true(dv_loop_quiet());
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
} opener_t;

static opener_t opener;

/* Launched at each open: log, then take 300 ms. */
static int opener_fn(ua_task_t *self)
{
    UA_BEGIN(self, &opener.co);
    h_log("open-task", (int32_t)sw.count[SWITCH_OPEN]);
    UA_AWAIT(ua_sleep_ms(self, 300));
    UA_END();
}

/* The seed's launch: an open may start a task instead of a callback; a
 * task still running is not started twice. */
static void open_launches_a_task(void **state)
{
    (void)state;
    start(0, 0);
    ua_task_init(&opener.task, opener_fn);
    switch_launch(&sw, SWITCH_OPEN, &opener.task);
    dv_pin_at(&pin, 120000, 1); /* open at 150000: task to 450000 */
    dv_pin_at(&pin, 220000, 0); /* close at 250000 */
    dv_pin_at(&pin, 320000, 1); /* open at 350000: still running */
    dv_pin_at(&pin, 420000, 0);
    dv_pin_at(&pin, 520000, 1); /* open at 550000: runs again */
    dv_run_until(2000000);
    H_EXPECT({150000, "open-task", 1}, {250000, "close", 0},
             {450000, "close", 0}, {550000, "open-task", 3});
    assert_int_equal(sw.launch_busy, 1);
    switch_stop(&sw);
}

/* Stop, init with another period and start, all in one instant: the
 * polling task, still finishing its cancellation, is kept by init and
 * serves the new configuration. */
static void reconfigure_in_one_instant(void **state)
{
    (void)state;
    start(1, 0);
    dv_pin_at(&pin, 60000, 0); /* seen at 100 ms */
    dv_run_until(110000);
    switch_stop(&sw);
    assert_true(ua_task_running(&sw.task)); /* still finishing */
    assert_int_equal(switch_init(&sw, &pin.pin, 20), 0);
    switch_callback(&sw, SWITCH_CLOSE, on_close, NULL);
    switch_callback(&sw, SWITCH_OPEN, on_open, NULL);
    assert_int_equal(switch_start(&sw, &h_loop), 0);
    assert_int_equal(switch_init(&sw, &pin.pin, 20), UA_EBUSY);
    dv_pin_at(&pin, 125000, 1); /* samples at 130, 150...: seen at 130 */
    dv_run_until(200000);
    H_EXPECT({100000, "close", 0}, {130000, "open", 1});
    switch_stop(&sw);
    dv_run_until(200000);
    assert_true(switch_stopped(&sw));
    assert_true(dv_loop_quiet());
}

/* One waiter per cycle: a close, then the next close, which the stop
 * fails. */
static int cycle_waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    for (;;) {
        UA_AWAIT_STATUS(w->st, switch_wait(self, &sw, SWITCH_CLOSE, UA_FOREVER));
        h_log("w-close", w->st);
        if (w->st != 0)
            break;
    }
    UA_END();
}

/*
 * The lifecycle, 100 times with the contact moving: every cycle starts at
 * T (samples at T + 50 k ms), closes at T + 120 (seen at T + 150), opens
 * at T + 220 (seen at T + 250) and stops at T + 310, failing the waiter
 * then.  Even cycles start again in the same instant (the old task,
 * still finishing its cancellation, serves the new start); odd ones after
 * 90 ms with the loop quiet, the contact moving meanwhile unsampled.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    waiter_t w;
    ua_ticks_t dl;
    uint64_t t = 0;

    start(1, 0);
    for (int i = 0; i < 100; i++) {
        h_count = 0;
        w = (waiter_t){0};
        ua_task_init(&w.task, cycle_waiter);
        ua_spawn(&h_loop, &w.task);
        assert_int_equal(switch_start(&sw, &h_loop), UA_EBUSY);
        uint32_t r0 = pin.reads;
        dv_pin_at(&pin, t + 120000, 0);
        dv_pin_at(&pin, t + 220000, 1);
        dv_run_until(t + 310000);
        assert_int_equal(pin.reads, r0 + 6); /* samples at T + 50 .. 300 */
        switch_stop(&sw);
        switch_stop(&sw); /* idempotent */
        assert_false(ua_loop_next_deadline(&h_loop, &dl));
        uint32_t reads = pin.reads;
        if (i % 2 == 0) {
            /* The cancelled task has not run its cleanup yet. */
            assert_true(ua_task_running(&sw.task));
            assert_false(switch_stopped(&sw));
            assert_int_equal(switch_start(&sw, &h_loop), 0);
            dv_run_until(t + 310000);
            assert_int_equal(pin.reads, reads + 1); /* no stale sample */
        } else {
            dv_pin_at(&pin, t + 320000, 0);
            dv_pin_at(&pin, t + 330000, 1);
            dv_run_until(t + 400000);
            assert_true(switch_stopped(&sw));
            assert_true(dv_loop_quiet());
        }
        H_EXPECT({t + 150000, "close", 0}, {t + 150000, "w-close", 0},
                 {t + 250000, "open", 1},
                 {t + 310000, "w-close", SWITCH_ESTOPPED});
        assert_true(ua_task_done(&w.task));
        assert_int_equal(sw.count[SWITCH_CLOSE], (uint32_t)i + 1);
        if (i % 2 == 0) {
            t += 310000;
        } else {
            t += 400000;
            assert_int_equal(pin.reads, reads); /* nothing sampled */
            assert_int_equal(switch_start(&sw, &h_loop), 0);
        }
        assert_int_equal(pin.reads, reads + 1); /* the initial level */
    }
    switch_stop(&sw);
    dv_run_until(t + 1000);
    assert_true(switch_stopped(&sw));
    assert_true(dv_loop_quiet());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reports_at_first_sample_after_edge),
        cmocka_unit_test(initial_state_is_not_reported),
        cmocka_unit_test(debounce_period_is_configurable),
        cmocka_unit_test(bouncing_contact_gives_one_report_per_edge),
        cmocka_unit_test(events_are_awaitable_and_consumed),
        cmocka_unit_test(overrun_restarts_the_schedule),
        cmocka_unit_test(stop_leaves_nothing_scheduled),
        cmocka_unit_test(stop_from_callback),
        cmocka_unit_test(pin_that_cannot_pull_up_is_an_error),
        cmocka_unit_test(open_launches_a_task),
        cmocka_unit_test(start_stop_start_100_times),
        cmocka_unit_test(reconfigure_in_one_instant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
