/*
 * Pushbutton on the simulator: a board running the driver, its pin wired to
 * sim/'s pushbutton model, whose contact bounces (0.5..3 ms, up to 4 chatter
 * pairs, seeded).  Every report is asserted at its exact virtual time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pushbutton.h"
#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"

static sim_t *sim;
static sim_board_t *board;
static sim_button_t *button;
static pushbutton_t pb;

#define MAXLOG 256
static struct {
    uint64_t t_us;
    int kind;
} logv[MAXLOG];
static int nlog;

static void on_report(void *arg)
{
    assert_true(nlog < MAXLOG);
    logv[nlog].t_us = sim_now(sim) / 1000;
    logv[nlog].kind = (int)(intptr_t)arg;
    nlog++;
}

static void setup(uint64_t seed, bool suppress)
{
    pb_config_t c = PB_CONFIG_DEFAULT;
    c.suppress = suppress;
    c.sense = PB_ACTIVE_LOW;
    sim = sim_new(seed);
    board = sim_board_new(sim, "b0", 0);
    sim_pin_t *pin = sim_board_pin(board, 3);
    button = sim_button_new(pin, 0);
    sim_board_enter(board);
    pb = (pushbutton_t){0};
    assert_int_equal(pb_init(&pb, sim_pin_hw(pin), &c), 0);
    assert_int_equal(pb_start(&pb, sim_board_loop(board)), 0);
    for (intptr_t k = 0; k < PB_NKINDS; k++)
        pb_enable(&pb, (enum pb_kind)k, on_report, (void *)k);
    nlog = 0;
}

static void teardown(void)
{
    sim_board_enter(board);
    pb_stop(&pb);
    sim_run_for(sim, SIM_MS);
    assert_true(pb_stopped(&pb));
    sim_free(sim);
}

static void expect(int i, uint64_t t_us, enum pb_kind k)
{
    assert_true(i < nlog);
    if (logv[i].t_us != t_us || logv[i].kind != (int)k)
        fail_msg("report %d: got kind %d at %llu us, want kind %d at %llu us",
                 i, logv[i].kind, (unsigned long long)logv[i].t_us, (int)k,
                 (unsigned long long)t_us);
}

/* Edges 10 ms after a sample: the bounce (<= 3 ms) has settled before the
 * next sample, so every time is exact whatever the seed. */
static void bouncing_gestures_exact_times(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        setup(seed, true);
        /* click: P = 150 ms, release deferred to the window end */
        sim_button_click(button, 110 * SIM_MS, 100 * SIM_MS);
        /* double: P = 1050 ms, second press at 1350 ms */
        sim_button_click(button, 1010 * SIM_MS, 100 * SIM_MS);
        sim_button_click(button, 1310 * SIM_MS, 100 * SIM_MS);
        /* long: P = 2050, long at 3050, release not reported */
        sim_button_click(button, 2010 * SIM_MS, 1500 * SIM_MS);
        sim_run_until(sim, 5 * SIM_S);
        assert_int_equal(nlog, 7);
        expect(0, 150000, PB_PRESS);
        expect(1, 550000, PB_RELEASE);
        expect(2, 1050000, PB_PRESS);
        expect(3, 1350000, PB_PRESS);
        expect(4, 1350000, PB_DOUBLE);
        expect(5, 2050000, PB_PRESS);
        expect(6, 3050000, PB_LONG);
        teardown();
    }
}

/* Presses that start 1 ms before a sample: the sample lands in the bounce
 * and may read either level; still exactly one press per press, at that
 * sample or the next. */
static void bounce_across_a_sample_gives_one_press(void **state)
{
    (void)state;
    int early = 0;
    for (uint64_t seed = 1; seed <= 50; seed++) {
        setup(seed, false);
        sim_button_click(button, 149 * SIM_MS, 300 * SIM_MS); /* sample 150 */
        sim_run_until(sim, 2 * SIM_S);
        assert_int_equal(nlog, 2);
        assert_int_equal(logv[0].kind, PB_PRESS);
        assert_true(logv[0].t_us == 150000 || logv[0].t_us == 200000);
        early += logv[0].t_us == 150000;
        /* release starts at 449 ms, sample at 450 ms likewise */
        assert_int_equal(logv[1].kind, PB_RELEASE);
        assert_true(logv[1].t_us == 450000 || logv[1].t_us == 500000);
        teardown();
    }
    /* Both outcomes occur over the seeds (the model really bounces). */
    assert_true(early > 0 && early < 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bouncing_gestures_exact_times),
        cmocka_unit_test(bounce_across_a_sample_gives_one_press),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
