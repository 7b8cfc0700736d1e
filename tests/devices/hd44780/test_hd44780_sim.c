/*
 * HD44780 driver on a simulated board: six board pins wired to the
 * controller model's inputs, which decodes the waveform into its DDRAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hd44780.h"
#include "hd44780_model.h"
#include "sim.h"
#include "sim_hw.h"

typedef struct {
    ua_task_t task;
    ua_co_t co;
    hd44780_t *lcd;
    sim_t *sim;
    uint64_t flushed_at;
    int st;
} waiter_t;

static int waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT_STATUS(w->st, hd44780_wait_flushed(self, w->lcd, 1000));
    w->flushed_at = sim_now(w->sim);
    UA_END();
}

static void row_is(const hd44780_model_t *m, unsigned row, const char *want)
{
    char got[HD44780_MAX_COLS + 1];
    hd44780_model_row(m, row, got, sizeof got);
    assert_string_equal(got, want);
}

/* Same waveform as on the virtual port: flushed at 57574 us (init) plus
 * 4 rows x 21 bytes x 54 us. */
static void text_on_screen_20x4_on_sim(void **state)
{
    (void)state;
    static hd44780_sim_model_t glass;
    static hd44780_t lcd;
    static waiter_t w;
    hd44780_config_t cfg;
    sim_t *sim = sim_new(3);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_pin_t *bp[6];
    for (unsigned i = 0; i < 6; i++)
        bp[i] = sim_board_pin(b, i);
    hd44780_model_attach(&glass, sim, bp, 20, 4);

    hd44780_pins_t pins = {sim_pin_hw(bp[0]), sim_pin_hw(bp[1]),
                           sim_pin_hw(bp[2]), sim_pin_hw(bp[3]),
                           sim_pin_hw(bp[4]), sim_pin_hw(bp[5])};
    hd44780_config_default(&cfg, 20, 4);
    sim_board_enter(b);
    assert_int_equal(hd44780_init(&lcd, &pins, &cfg), 0);
    hd44780_write_row(&lcd, 0, "uasync on a board");
    hd44780_write_row(&lcd, 1, "HD44780 20x4");
    hd44780_write_row(&lcd, 2, "row 2 at 0x14");
    hd44780_write_row(&lcd, 3, "row 3 at 0x54");
    assert_int_equal(hd44780_start(&lcd, sim_board_loop(b)), 0);
    w = (waiter_t){.lcd = &lcd, .sim = sim};
    ua_task_init(&w.task, waiter);
    assert_int_equal(sim_spawn(b, &w.task, "waiter"), 0);
    assert_int_equal(sim_run_until_done(sim, &w.task, SIM_S), 0);

    assert_int_equal(w.st, 0);
    assert_int_equal(w.flushed_at, (57574ull + 4 * 21 * 54) * SIM_US);
    assert_int_equal(glass.model.violations_total, 0);
    row_is(&glass.model, 0, "uasync on a board   ");
    row_is(&glass.model, 1, "HD44780 20x4        ");
    row_is(&glass.model, 2, "row 2 at 0x14       ");
    row_is(&glass.model, 3, "row 3 at 0x54       ");
    hd44780_stop(&lcd);
    sim_run_for(sim, SIM_MS);
    assert_true(ua_task_done(&lcd.task));
    sim_free(sim);
}

/* A too-short E pulse on the simulated wires is reported by the model. */
static void short_e_pulse_reported_on_sim(void **state)
{
    (void)state;
    static hd44780_sim_model_t glass;
    static hd44780_t lcd;
    hd44780_config_t cfg;
    sim_t *sim = sim_new(4);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_pin_t *bp[6];
    for (unsigned i = 0; i < 6; i++)
        bp[i] = sim_board_pin(b, 10 + i);
    hd44780_model_attach(&glass, sim, bp, 16, 2);
    hd44780_pins_t pins = {sim_pin_hw(bp[0]), sim_pin_hw(bp[1]),
                           sim_pin_hw(bp[2]), sim_pin_hw(bp[3]),
                           sim_pin_hw(bp[4]), sim_pin_hw(bp[5])};
    hd44780_config_default(&cfg, 16, 2);
    cfg.pulse_us = 0;
    sim_board_enter(b);
    assert_int_equal(hd44780_init(&lcd, &pins, &cfg), 0);
    assert_int_equal(hd44780_start(&lcd, sim_board_loop(b)), 0);
    sim_run_until(sim, 100 * SIM_MS);
    assert_int_equal(glass.model.violations[HD44780_V_E_PULSE], 12);
    assert_false(glass.model.display_on);
    hd44780_stop(&lcd);
    sim_run_for(sim, SIM_MS);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_on_screen_20x4_on_sim),
        cmocka_unit_test(short_e_pulse_reported_on_sim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
