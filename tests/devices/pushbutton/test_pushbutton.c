/* Pushbutton: every report at its exact virtual time, the suppress rules,
 * the seed's reported bugs (#24, #101, suppress without release handler),
 * bounce, sense, events, the lifecycle (stop, restart).  Samples are at 0,
 * 50, 100, ... ms; in this harness an edge at the tick of a sample is seen
 * by the next one. */
#include <string.h>

#include "devsim.h"
#include "pushbutton.h"

static pushbutton_t pb;
static fake_pin_t pin;
static const char *const names[PB_NKINDS] = {"press", "release", "long",
                                             "double"};

static void on_report(void *arg)
{
    intptr_t k = (intptr_t)arg;
    h_log(names[k], (int32_t)pb.count[k]);
}

/* Active-low button (idle 1); `mask` = kinds enabled with a logging cb. */
static void start_cfg(const pb_config_t *cfg, int idle, unsigned mask)
{
    dv_setup(0);
    fake_pin_init(&pin, idle);
    pb = (pushbutton_t){0}; /* a fresh loop: the last test's task is gone */
    assert_int_equal(pb_init(&pb, &pin.pin, cfg), 0);
    assert_int_equal(pb_start(&pb, &h_loop), 0);
    for (intptr_t k = 0; k < PB_NKINDS; k++)
        if (mask & (1u << k))
            pb_enable(&pb, (enum pb_kind)k, on_report, (void *)k);
}

#define ALL 0xFu
#define M(k) (1u << (k))

static void start(bool suppress, unsigned mask)
{
    pb_config_t c = PB_CONFIG_DEFAULT;
    c.suppress = suppress;
    start_cfg(&c, 1, mask);
}

/* Active-low press (pin 0) and release (pin 1). */
static void press(uint64_t t) { dv_pin_at(&pin, t, 0); }
static void release(uint64_t t) { dv_pin_at(&pin, t, 1); }

static void press_and_release_at_next_samples(void **state)
{
    (void)state;
    start(false, M(PB_PRESS) | M(PB_RELEASE));
    press(120000);
    assert_false(pb_pressed(&pb));
    dv_run_until(150000);
    assert_true(pb_pressed(&pb));
    release(330000);
    dv_run_until(2000000);
    H_EXPECT({150000, "press", 1}, {350000, "release", 1});
    pb_stop(&pb);
}

static void long_press_at_press_sample_plus_1000ms(void **state)
{
    (void)state;
    start(false, M(PB_PRESS) | M(PB_RELEASE) | M(PB_LONG));
    press(120000);
    release(1510000);
    dv_run_until(3000000);
    /* without suppress the release is reported too */
    H_EXPECT({150000, "press", 1}, {1150000, "long", 1},
              {1550000, "release", 1});
    pb_stop(&pb);
}

/* Issue 15, boundary 2: a release sampled exactly long_ms after the press
 * gives LONG then RELEASE, as the seed (its timer, armed at the press, runs
 * before the sample at the same tick).  One sample earlier: no LONG. */
static void long_press_boundary(void **state)
{
    (void)state;
    start(false, M(PB_RELEASE) | M(PB_LONG));
    press(120000);
    release(1149999); /* P = 150000; read released at 1150000 = P + long */
    press(2020000);   /* P = 2050000 */
    release(3050000); /* after the 3050000 sample: held for it */
    press(4020000);   /* P = 4050000 */
    release(4999999); /* read released at 5000000 = P + long - 50 ms */
    dv_run_until(6000000);
    H_EXPECT({1150000, "long", 1}, {1150000, "release", 1},
              {3050000, "long", 2}, {3100000, "release", 2},
              {5000000, "release", 3});
    pb_stop(&pb);
}

/* Seed issue #24: a double click must be detected (here with every kind
 * enabled, which is where the seed lost it). */
static void double_click_detected(void **state)
{
    (void)state;
    start(false, ALL);
    press(110000);   /* P = 150000, window to 550000 */
    release(210000); /* 250000 */
    press(420000);   /* 450000: double */
    release(480000); /* 500000 */
    dv_run_until(3000000);
    H_EXPECT({150000, "press", 1}, {250000, "release", 1},
              {450000, "press", 2}, {450000, "double", 1},
              {500000, "release", 2});
    pb_stop(&pb);
}

/* Issue 15, boundary 1: a second press sampled exactly double_ms after
 * the first is not a double (the seed's window timer, armed at the first
 * press, expires before the sample at the same tick); one sample earlier
 * is. */
static void double_window_excludes_its_end(void **state)
{
    (void)state;
    start(false, M(PB_PRESS) | M(PB_DOUBLE));
    press(110000);  /* P = 150000 */
    release(210000);
    press(510000);  /* sampled at 550000 = P + 400 ms: a new first press */
    release(610000);
    press(1010000); /* P = 1050000 > 550000 + 400 ms: first press */
    release(1110000);
    press(1360000); /* sampled at 1400000 = P + 350 ms: a double */
    release(1510000);
    dv_run_until(3000000);
    H_EXPECT({150000, "press", 1}, {550000, "press", 2},
              {1050000, "press", 3}, {1400000, "press", 4},
              {1400000, "double", 1});
    pb_stop(&pb);
}

/* Seed issue #101: a click followed by a held second press gave DOUBLE and
 * then LONG.  The second press of a double starts no long timer. */
static void double_then_hold_gives_no_long(void **state)
{
    (void)state;
    for (int suppress = 0; suppress <= 1; suppress++) {
        start(suppress, ALL);
        press(110000);
        release(210000);
        press(420000);    /* double at 450000, then held 3 s */
        release(3420000); /* 3450000 */
        dv_run_until(6000000);
        if (suppress)
            H_EXPECT({150000, "press", 1}, {450000, "press", 2},
                      {450000, "double", 1});
        else
            H_EXPECT({150000, "press", 1}, {250000, "release", 1},
                      {450000, "press", 2}, {450000, "double", 1},
                      {3450000, "release", 2});
        assert_int_equal(pb.count[PB_LONG], 0);
        pb_stop(&pb);
    }
}

static void triple_click_is_a_double_then_a_first_press(void **state)
{
    (void)state;
    start(false, M(PB_PRESS) | M(PB_DOUBLE) | M(PB_LONG));
    press(110000);
    release(160000);
    press(210000); /* 250000: double */
    release(260000);
    press(310000); /* 350000: first press of a new gesture, held */
    dv_run_until(2000000);
    H_EXPECT({150000, "press", 1}, {250000, "press", 2}, {250000, "double", 1},
              {350000, "press", 3}, {1350000, "long", 1});
    pb_stop(&pb);
}

/* suppress: exactly one of RELEASE / LONG / DOUBLE per gesture. */
static void suppress_click_reports_release_at_window_end(void **state)
{
    (void)state;
    start(true, ALL);
    press(110000);   /* P = 150000 */
    release(210000); /* 250000: deferred */
    dv_run_until(549999);
    H_EXPECT({150000, "press", 1});
    dv_run_until(3000000);
    H_EXPECT({150000, "press", 1}, {550000, "release", 1});
    pb_stop(&pb);
}

static void suppress_long_has_no_release(void **state)
{
    (void)state;
    start(true, ALL);
    press(110000);
    release(2010000);
    dv_run_until(4000000);
    H_EXPECT({150000, "press", 1}, {1150000, "long", 1});
    pb_stop(&pb);
}

static void suppress_release_after_window_before_long(void **state)
{
    (void)state;
    start(true, ALL);
    press(110000);   /* P = 150000, window ends 550000 while held */
    release(710000); /* 750000 */
    dv_run_until(3000000);
    H_EXPECT({150000, "press", 1}, {750000, "release", 1});
    pb_stop(&pb);
}

static void suppress_without_double_releases_at_once(void **state)
{
    (void)state;
    start(true, M(PB_RELEASE) | M(PB_LONG));
    press(110000);
    release(210000); /* 250000 */
    press(1010000);  /* 1050000, long at 2050000 */
    release(2510000);
    dv_run_until(4000000);
    H_EXPECT({250000, "release", 1}, {2050000, "long", 1});
    pb_stop(&pb);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int kind, n, st;
} waiter_t;

static int waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    while (w->n-- > 0) {
        UA_AWAIT_STATUS(w->st, pb_wait(self, &pb, (enum pb_kind)w->kind,
                                       UA_FOREVER));
        h_log(w->st == 0 ? "w" : "w-err", w->st == 0 ? w->kind : w->st);
    }
    UA_END();
}

static void spawn_waiter(waiter_t *w, enum pb_kind k, int n)
{
    memset(w, 0, sizeof(*w));
    w->kind = (int)k;
    w->n = n;
    ua_task_init(&w->task, waiter);
    ua_spawn(&h_loop, &w->task);
}

/* The seed crashed with suppress=True and no release function: the
 * deferred release found nothing to call. */
static void suppress_without_release_handler(void **state)
{
    (void)state;
    waiter_t w;
    start(true, M(PB_LONG) | M(PB_DOUBLE));
    press(110000);
    release(210000);
    dv_run_until(3000000);
    H_EXPECT(); /* nothing to report, and no crash */
    pb_stop(&pb);

    /* RELEASE enabled as an event only (no callback). */
    start(true, M(PB_LONG) | M(PB_DOUBLE));
    pb_enable(&pb, PB_RELEASE, NULL, NULL);
    spawn_waiter(&w, PB_RELEASE, 1);
    press(110000);
    release(210000);
    dv_run_until(3000000);
    H_EXPECT({550000, "w", PB_RELEASE});
    assert_int_equal(pb.count[PB_RELEASE], 1);
    pb_stop(&pb);
}

static void events_are_awaitable(void **state)
{
    (void)state;
    waiter_t wp, wl, wd;
    start(false, 0);
    for (int k = 0; k < PB_NKINDS; k++)
        pb_enable(&pb, (enum pb_kind)k, NULL, NULL);
    spawn_waiter(&wp, PB_PRESS, 3);
    spawn_waiter(&wl, PB_LONG, 1);
    spawn_waiter(&wd, PB_DOUBLE, 1);
    press(110000);
    release(210000);
    press(420000); /* double */
    release(480000);
    press(1010000); /* long at 2050000 */
    release(2510000);
    dv_run_until(4000000);
    H_EXPECT({150000, "w", PB_PRESS}, {450000, "w", PB_PRESS},
              {450000, "w", PB_DOUBLE}, {1050000, "w", PB_PRESS},
              {2050000, "w", PB_LONG});
    assert_true(ua_task_done(&wp.task) && ua_task_done(&wl.task) &&
                ua_task_done(&wd.task));
    /* Nobody waited for releases: the event is still set. */
    assert_true(ua_event_is_set(pb_event(&pb, PB_RELEASE)));
    pb_stop(&pb);
}

static void active_high_given_and_detected(void **state)
{
    (void)state;
    pb_config_t c = PB_CONFIG_DEFAULT;
    c.sense = PB_ACTIVE_HIGH;
    start_cfg(&c, 0, M(PB_PRESS) | M(PB_RELEASE));
    assert_int_equal(pin.mode, UA_PIN_INPUT_PULLDOWN);
    dv_pin_at(&pin, 120000, 1);
    dv_pin_at(&pin, 330000, 0);
    dv_run_until(1000000);
    H_EXPECT({150000, "press", 1}, {350000, "release", 1});
    pb_stop(&pb);

    /* AUTO: the level read at init (0) is "released"; pin left alone. */
    start_cfg(NULL, 0, M(PB_PRESS) | M(PB_RELEASE));
    assert_int_equal(pin.mode, -1);
    dv_pin_at(&pin, 120000, 1);
    dv_pin_at(&pin, 330000, 0);
    dv_run_until(1000000);
    H_EXPECT({150000, "press", 1}, {350000, "release", 1});
    pb_stop(&pb);

    /* Active low given, held at init: no press, its release reported. */
    c.sense = PB_ACTIVE_LOW;
    start_cfg(&c, 0, M(PB_PRESS) | M(PB_RELEASE) | M(PB_LONG));
    assert_int_equal(pin.mode, UA_PIN_INPUT_PULLUP);
    assert_true(pb_pressed(&pb));
    release(1330000);
    dv_run_until(3000000);
    H_EXPECT({1350000, "release", 1});
    pb_stop(&pb);
}

static void per_instance_timing(void **state)
{
    (void)state;
    pb_config_t c = {10, 300, 150, false, PB_ACTIVE_LOW};
    start_cfg(&c, 1, ALL);
    press(1005);   /* 10000 */
    release(20001); /* 30000 */
    press(140000); /* 150000 = 10000 + 140 ms: double (160000 would not be) */
    release(170000);
    press(500001); /* 510000, long at 810000 */
    release(900000);
    dv_run_until(2000000);
    H_EXPECT({10000, "press", 1}, {30000, "release", 1}, {150000, "press", 2},
              {150000, "double", 1}, {180000, "release", 2},
              {510000, "press", 3}, {810000, "long", 1},
              {910000, "release", 3}); /* edges on sample ticks: next sample */
    pb_stop(&pb);
}

static void bad_config_is_refused(void **state)
{
    (void)state;
    pb_config_t c = PB_CONFIG_DEFAULT;
    dv_setup(0);
    fake_pin_init(&pin, 1);
    c.double_ms = 1000; /* must be < long_ms */
    assert_int_equal(pb_init(&pb, &pin.pin, &c), PB_ECONFIG);
    c = (pb_config_t)PB_CONFIG_DEFAULT;
    c.debounce_ms = 0;
    assert_int_equal(pb_init(&pb, &pin.pin, &c), PB_ECONFIG);
    c = (pb_config_t)PB_CONFIG_DEFAULT;
    c.sense = 5;
    assert_int_equal(pb_init(&pb, &pin.pin, &c), PB_ECONFIG);
    assert_true(dv_loop_quiet());
}

/* Random gestures on a bouncing contact (seeded): one PRESS per physical
 * press, and with suppress exactly one RELEASE/LONG/DOUBLE per gesture. */
static void bouncy_gestures_report_once(void **state)
{
    (void)state;
    for (int suppress = 0; suppress <= 1; suppress++) {
        uint32_t rs = 777u + (uint32_t)suppress;
        start(suppress, ALL);
        uint64_t t = 100000;
        int presses = 0;
        for (int i = 0; i < 400; i++) {
            uint32_t hold = 60000 + dv_rand(&rs) % 1500000;
            if (dv_rand(&rs) % 2)
                hold = 60000 + dv_rand(&rs) % 200000; /* short clicks */
            uint32_t gap = 60000 + dv_rand(&rs) % 700000;
            dv_bounce_at(&pin, t, 0, 5000, dv_rand(&rs), NULL, 0);
            dv_bounce_at(&pin, t + hold, 1, 5000, dv_rand(&rs), NULL, 0);
            presses++;
            t += hold + gap;
        }
        dv_run_until(t + 2000000);
        assert_int_equal(pb.count[PB_PRESS], presses);
        uint32_t d = pb.count[PB_DOUBLE];
        assert_true(d > 20 && pb.count[PB_LONG] > 20);
        if (suppress)
            assert_int_equal(pb.count[PB_RELEASE] + pb.count[PB_LONG] + d,
                             presses - d);
        else
            assert_int_equal(pb.count[PB_RELEASE], presses);
        assert_false(pb_pressed(&pb));
        pb_stop(&pb);
    }
}

/* Samples, the long timer and the double window across the 32-bit wrap. */
static void timing_across_tick_wrap(void **state)
{
    (void)state;
    pb_config_t c = PB_CONFIG_DEFAULT;
    dv_setup(0xFFFFFFFFu - 1000000u); /* wraps 1 s in */
    fake_pin_init(&pin, 1);
    pb = (pushbutton_t){0};
    assert_int_equal(pb_init(&pb, &pin.pin, &c), 0);
    assert_int_equal(pb_start(&pb, &h_loop), 0);
    for (intptr_t k = 0; k < PB_NKINDS; k++)
        pb_enable(&pb, (enum pb_kind)k, on_report, (void *)k);
    press(810000);   /* P = 850000, window ends 1250000 after the wrap */
    release(910000); /* 950000 */
    press(1110000);  /* 1150000: double */
    release(1210000);
    press(1510000);  /* 1550000, long at 2550000 */
    release(2610000);
    dv_run_until(4000000);
    H_EXPECT({850000, "press", 1}, {950000, "release", 1},
              {1150000, "press", 2}, {1150000, "double", 1},
              {1250000, "release", 2}, {1550000, "press", 3},
              {2550000, "long", 1}, {2650000, "release", 3});
    pb_stop(&pb);
}

static void stop_leaves_nothing_scheduled(void **state)
{
    (void)state;
    waiter_t w;
    start(true, ALL);
    spawn_waiter(&w, PB_LONG, 2);
    press(110000); /* long armed for 1150000 */
    dv_run_until(200000);
    pb_stop(&pb);
    ua_ticks_t dl;
    assert_false(ua_loop_next_deadline(&h_loop, &dl));
    pb_stop(&pb);
    dv_run_until(200000);
    assert_true(pb_stopped(&pb));
    assert_true(dv_loop_quiet());
    uint32_t reads = pin.reads;
    release(300000);
    dv_run_until(3000000);
    assert_int_equal(pin.reads, reads);
    H_EXPECT({150000, "press", 1}, {200000, "w-err", PB_ESTOPPED},
              {200000, "w-err", PB_ESTOPPED});
}

static void on_press_stop(void *arg)
{
    (void)arg;
    h_log("press", 0);
    pb_stop(&pb);
}

static void stop_from_callback(void **state)
{
    (void)state;
    start(false, ALL);
    pb_enable(&pb, PB_PRESS, on_press_stop, NULL);
    press(110000);
    release(1500000);
    dv_run_until(3000000);
    H_EXPECT({150000, "press", 0}); /* no long, no double window left */
    assert_true(pb_stopped(&pb));
    assert_true(dv_loop_quiet());
}

/* The seed's rawstate(): the pin now, before the debounced state follows. */
static void rawstate_reads_the_pin(void **state)
{
    (void)state;
    start(false, M(PB_PRESS));
    press(120000);
    dv_run_until(130000);
    assert_true(pb_rawstate(&pb));
    assert_false(pb_pressed(&pb));
    dv_run_until(150000);
    assert_true(pb_pressed(&pb));
    release(160000);
    dv_run_until(170000);
    assert_false(pb_rawstate(&pb));
    assert_true(pb_pressed(&pb));
    pb_stop(&pb);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
} longtask_t;

static longtask_t lt;

static int longtask_fn(ua_task_t *self)
{
    UA_BEGIN(self, &lt.co);
    h_log("long-task", (int32_t)pb.count[PB_LONG]);
    UA_AWAIT(ua_sleep_ms(self, 2500));
    h_log("long-task-end", (int32_t)pb.count[PB_LONG]);
    UA_END();
}

/* The seed's launch: a report may start a task instead of a callback. */
static void report_launches_a_task(void **state)
{
    (void)state;
    start(false, 0);
    ua_task_init(&lt.task, longtask_fn);
    pb_enable_task(&pb, PB_LONG, &lt.task);
    press(120000);    /* P = 150000, LONG at 1150000 */
    release(1220000);
    press(1520000);   /* P = 1550000, LONG at 2550000: task still busy */
    release(2620000);
    press(4020000);   /* P = 4050000, LONG at 5050000: runs again */
    release(5120000);
    dv_run_until(9000000);
    H_EXPECT({1150000, "long-task", 1}, {3650000, "long-task-end", 2},
              {5050000, "long-task", 3}, {7550000, "long-task-end", 3});
    assert_int_equal(pb.launch_busy, 1);
    pb_stop(&pb);
}

/*
 * The lifecycle, 100 times with the button in use: every cycle starts at T
 * (samples at T + 50 k ms): a click at T + 120 .. 220 and a press at
 * T + 320 that arms the long timer (for T + 1350); the stop at T + 400
 * disarms it and fails the LONG waiter then.  The button is released at
 * T + 410.  Even cycles start again in the same instant, the old task still
 * finishing its cancellation, so the held button is the new initial state
 * and its release is reported at T + 450; odd ones start at T + 500 after
 * the loop was quiet, the release unsampled.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    waiter_t w;
    ua_ticks_t dl;
    uint64_t t = 0;
    int32_t p = 0, r = 0;
    pb_config_t c = PB_CONFIG_DEFAULT;

    c.sense = PB_ACTIVE_LOW; /* (AUTO would take a held button as idle) */
    start_cfg(&c, 1, M(PB_PRESS) | M(PB_RELEASE) | M(PB_LONG));
    for (int i = 0; i < 100; i++) {
        h_count = 0;
        spawn_waiter(&w, PB_LONG, 1);
        assert_int_equal(pb_start(&pb, &h_loop), UA_EBUSY);
        press(t + 120000);
        release(t + 220000);
        press(t + 320000);
        dv_run_until(t + 400000);
        assert_true(ua_loop_next_deadline(&h_loop, &dl));
        pb_stop(&pb);
        pb_stop(&pb); /* idempotent */
        assert_false(ua_loop_next_deadline(&h_loop, &dl));
        uint32_t reads = pin.reads;
        if (i % 2 == 0) {
            assert_true(ua_task_running(&pb.task)); /* still finishing */
            assert_false(pb_stopped(&pb));
            assert_int_equal(pb_start(&pb, &h_loop), 0);
            assert_int_equal(pin.reads, reads + 1);
            assert_true(pb_pressed(&pb)); /* the initial state: held */
            release(t + 410000);
            dv_run_until(t + 500000);
            H_EXPECT({t + 150000, "press", p + 1}, {t + 250000, "release", r + 1},
                     {t + 350000, "press", p + 2},
                     {t + 400000, "w-err", PB_ESTOPPED},
                     {t + 450000, "release", r + 2});
            r += 2;
        } else {
            release(t + 410000);
            dv_run_until(t + 500000);
            assert_true(pb_stopped(&pb));
            assert_true(dv_loop_quiet());
            assert_int_equal(pin.reads, reads);
            H_EXPECT({t + 150000, "press", p + 1}, {t + 250000, "release", r + 1},
                     {t + 350000, "press", p + 2},
                     {t + 400000, "w-err", PB_ESTOPPED});
            r += 1;
            assert_int_equal(pb_start(&pb, &h_loop), 0);
            assert_false(pb_pressed(&pb));
        }
        p += 2;
        assert_true(ua_task_done(&w.task));
        assert_int_equal(pb.count[PB_LONG], 0);
        t += 500000;
    }
    pb_stop(&pb);
    dv_run_until(t + 1000);
    assert_true(pb_stopped(&pb));
    assert_true(dv_loop_quiet());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(press_and_release_at_next_samples),
        cmocka_unit_test(long_press_at_press_sample_plus_1000ms),
        cmocka_unit_test(long_press_boundary),
        cmocka_unit_test(double_click_detected),
        cmocka_unit_test(double_window_excludes_its_end),
        cmocka_unit_test(rawstate_reads_the_pin),
        cmocka_unit_test(report_launches_a_task),
        cmocka_unit_test(start_stop_start_100_times),
        cmocka_unit_test(double_then_hold_gives_no_long),
        cmocka_unit_test(triple_click_is_a_double_then_a_first_press),
        cmocka_unit_test(suppress_click_reports_release_at_window_end),
        cmocka_unit_test(suppress_long_has_no_release),
        cmocka_unit_test(suppress_release_after_window_before_long),
        cmocka_unit_test(suppress_without_double_releases_at_once),
        cmocka_unit_test(suppress_without_release_handler),
        cmocka_unit_test(events_are_awaitable),
        cmocka_unit_test(active_high_given_and_detected),
        cmocka_unit_test(per_instance_timing),
        cmocka_unit_test(bad_config_is_refused),
        cmocka_unit_test(bouncy_gestures_report_once),
        cmocka_unit_test(timing_across_tick_wrap),
        cmocka_unit_test(stop_leaves_nothing_scheduled),
        cmocka_unit_test(stop_from_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
