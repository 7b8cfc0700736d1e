/*
 * HD44780 driver against the HD44780 controller model, on the virtual-clock
 * port.  The six pins are test-local fakes whose write() hands the new level
 * to the model at the current virtual time; ua_delay_us advances that time,
 * so the model sees the waveform the driver's delays produce.
 */
#include <string.h>

#include "harness.h"
#include "hd44780.h"
#include "hd44780_model.h"

typedef struct {
    unsigned idx; /* enum hd44780_model_pin (D4 + n) */
    int level;
    enum ua_pin_mode mode;
} fake_pin_t;

static hd44780_model_t model;
static fake_pin_t fpins[6];
static ua_pin_t pins[6];
static hd44780_t lcd;

static int fp_configure(ua_pin_t *p, enum ua_pin_mode mode)
{
    ((fake_pin_t *)p->ctx)->mode = mode;
    return 0;
}

static int fp_read(ua_pin_t *p)
{
    return ((fake_pin_t *)p->ctx)->level;
}

static void fp_write(ua_pin_t *p, int level)
{
    fake_pin_t *f = p->ctx;
    f->level = level;
    hd44780_model_set_pin(&model, h_vp.now_us * 1000, f->idx, level);
}

static int fp_set_irq(ua_pin_t *p, unsigned edges, ua_pin_irq_cb cb, void *arg)
{
    (void)p, (void)edges, (void)cb, (void)arg;
    return UA_EINVAL;
}

static const struct ua_pin_ops fp_ops = {fp_configure, fp_read, fp_write,
                                         fp_set_irq};

static void setup_lcd(hd44780_config_t *cfg, uint8_t cols, uint8_t rows)
{
    h_setup(0);
    lcd = (hd44780_t){0}; /* a fresh loop: the last test's task is gone */
    hd44780_model_init(&model, cols, rows, 0);
    for (unsigned i = 0; i < 6; i++) {
        fpins[i] = (fake_pin_t){.idx = i, .level = 0, .mode = UA_PIN_INPUT};
        pins[i] = (ua_pin_t){.ops = &fp_ops, .ctx = &fpins[i], .id = i};
    }
    hd44780_config_default(cfg, cols, rows);
}

static int init_lcd(const hd44780_config_t *cfg)
{
    hd44780_pins_t p = {&pins[0], &pins[1], &pins[2], &pins[3], &pins[4],
                        &pins[5]};
    return hd44780_init(&lcd, &p, cfg);
}

/* Waits until the screen is up to date, logs it, runs a hook, n times. */
typedef struct {
    ua_task_t task;
    ua_co_t co;
    int n, i, st;
    void (*hook)(int i);
} waiter_t;

static int waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < w->n; w->i++) {
        UA_AWAIT_STATUS(w->st, hd44780_wait_flushed(self, &lcd, 1000));
        h_log("flushed", w->st);
        if (w->hook != NULL)
            w->hook(w->i);
        if (w->i + 1 < w->n)
            UA_AWAIT(ua_sleep_ms(self, 1));
    }
    hd44780_stop(&lcd);
    UA_END();
}

static void run_lcd(int n, void (*hook)(int))
{
    waiter_t w = {.n = n, .hook = hook};
    assert_int_equal(hd44780_start(&lcd, &h_loop), 0);
    assert_int_equal(hd44780_start(&lcd, &h_loop), UA_EBUSY);
    ua_task_init(&w.task, waiter);
    assert_int_equal(h_run(&w.task), 0);
    assert_int_equal(h_run(&lcd.task), UA_ECANCELLED);
}

static void assert_screen_row(unsigned row, const char *want)
{
    char got[HD44780_MAX_COLS + 1];
    hd44780_model_row(&model, row, got, sizeof got);
    assert_string_equal(got, want);
}

static void assert_no_violation(void)
{
    if (model.violations_total != 0)
        fail_msg("model reported %u violations, last: %s",
                 (unsigned)model.violations_total,
                 hd44780_model_violation_name(model.last_violation));
}

/*
 * Init with the defaults: sleep 50 ms; 0x3 (E falls at 50002), sleep 5 ms;
 * 0x3 (55004), 200 us; 0x3 (55206), 50 us; 0x2 (55258), 50 us; then 0x28,
 * 0x0C, 0x06, 0x01 at 54 us a byte (4 us of E pulses + 50 us), and the rest
 * of the clear's 2100 us: ready at 57574 us.
 */
static void init_sequence_accepted(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    assert_int_equal(init_lcd(&cfg), 0);
    for (unsigned i = 0; i < 6; i++) /* init touches no pin */
        assert_int_equal(fpins[i].mode, UA_PIN_INPUT);
    run_lcd(1, NULL);
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(fpins[i].mode, UA_PIN_OUTPUT);
    H_EXPECT({57574, "flushed", 0});
    assert_no_violation();
    assert_true(hd44780_ready(&lcd));
    assert_true(model.four_bit && model.two_lines && model.display_on);
    assert_false(model.cursor_on || model.blink_on);
    assert_true(model.increment);
    assert_int_equal(model.init_step, 4);
    assert_int_equal(model.instructions, 8); /* 3 x 0x3, 0x2, 4 bytes */
    assert_int_equal(model.nibbles, 12);
    assert_int_equal(model.data_writes, 0);
    assert_screen_row(0, "                ");
    assert_int_equal(lcd.stats.bytes, 4);
}

/* Rows written before start: after init (57574) each row costs an address
 * byte and 16 characters, 17 x 54 us = 918 us. */
static void text_on_screen_16x2(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    assert_int_equal(init_lcd(&cfg), 0);
    assert_int_equal(hd44780_write_row(&lcd, 0, "Hello, world!"), 1);
    assert_int_equal(hd44780_write_row(&lcd, 1, "uasync HD44780 driver"), 1);
    assert_int_equal(hd44780_write_row(&lcd, 2, "no such row"), HD44780_EROW);
    assert_string_equal(hd44780_row(&lcd, 0), "Hello, world!   ");
    assert_string_equal(hd44780_row(&lcd, 1), "uasync HD44780 d");
    assert_null(hd44780_row(&lcd, 2));
    run_lcd(1, NULL);
    H_EXPECT({59410, "flushed", 0});
    assert_no_violation();
    assert_screen_row(0, "Hello, world!   ");
    assert_screen_row(1, "uasync HD44780 d");
    assert_int_equal(model.data_writes, 32);
    assert_int_equal(lcd.stats.rows_written, 2);
}

/* 20x4: rows 2 and 3 live at 0x14 and 0x54, after rows 0 and 1. */
static void text_on_screen_20x4(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 20, 4);
    assert_int_equal(init_lcd(&cfg), 0);
    const char *rows[4] = {"Row zero", "Row one: 20 chars ok", "Row two",
                           "Row three is longer than twenty"};
    for (unsigned r = 0; r < 4; r++)
        assert_int_equal(hd44780_write_row(&lcd, r, rows[r]), 1);
    assert_int_equal(hd44780_row_address(&lcd, 2), 0x14);
    assert_int_equal(hd44780_row_address(&lcd, 3), 0x54);
    run_lcd(1, NULL);
    /* 4 rows x 21 bytes x 54 us after 57574. */
    H_EXPECT({57574 + 4 * 21 * 54, "flushed", 0});
    assert_no_violation();
    assert_screen_row(0, "Row zero            ");
    assert_screen_row(1, "Row one: 20 chars ok");
    assert_screen_row(2, "Row two             ");
    assert_screen_row(3, "Row three is longer ");
    assert_int_equal(model.ddram[0x14], 'R');
    assert_int_equal(model.ddram[0x54 + 10], 'i');
}

static void rewrite_one_row(int i)
{
    if (i == 0) {
        assert_int_equal(hd44780_write_row(&lcd, 0, "Same"), 0);
        assert_int_equal(hd44780_write_row(&lcd, 1, "Changed"), 1);
        assert_int_equal(hd44780_write_row(&lcd, 1, "Changed"), 0);
        assert_int_equal(model.data_writes, 32);
    }
}

/* After the first flush (59410) only row 1 changes; the refresh task next
 * wakes at 59410 + 20 ms and writes that row alone (918 us). */
static void only_dirty_rows_rewritten(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_write_row(&lcd, 0, "Same");
    hd44780_write_row(&lcd, 1, "Before");
    run_lcd(2, rewrite_one_row);
    H_EXPECT({59410, "flushed", 0}, {79410 + 918, "flushed", 0});
    assert_no_violation();
    assert_int_equal(model.data_writes, 48);
    assert_int_equal(lcd.stats.rows_written, 3);
    assert_int_equal(lcd.stats.skipped, 2);
    assert_screen_row(0, "Same            ");
    assert_screen_row(1, "Changed         ");
}

/* With no delays the E pulse lasts 0 ns: the model counts every nibble as a
 * violation and latches none, so the display never turns on. */
static void too_fast_e_pulse_reported(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    cfg.setup_us = 0;
    cfg.pulse_us = 0;
    assert_int_equal(init_lcd(&cfg), 0);
    run_lcd(1, NULL);
    assert_int_equal(model.violations[HD44780_V_E_PULSE], 12);
    assert_int_equal(model.last_violation, HD44780_V_E_PULSE);
    assert_int_equal(model.nibbles, 0);
    assert_false(model.display_on);
    assert_false(model.four_bit);
}

/* 10 us between bytes is shorter than the 37 us an instruction takes. */
static void command_while_busy_reported(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    cfg.exec_us = 10;
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_write_row(&lcd, 0, "lost");
    run_lcd(1, NULL);
    assert_true(model.violations[HD44780_V_BUSY] > 0);
    assert_int_equal(model.last_violation, HD44780_V_BUSY);
    char row[17];
    hd44780_model_row(&model, 0, row, sizeof row);
    assert_string_not_equal(row, "lost            ");
}

/* The 50 us default covers an oscillator down to 200 kHz (37 us becomes
 * 49.95 us, and bytes are 52 us apart), not 190 kHz (52.6 us). */
static void exec_margin_matches_slow_oscillator(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    model.fosc_khz = 200;
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_write_row(&lcd, 0, "200 kHz ok");
    run_lcd(1, NULL);
    assert_no_violation();
    assert_screen_row(0, "200 kHz ok      ");

    setup_lcd(&cfg, 16, 2);
    model.fosc_khz = 190;
    assert_int_equal(init_lcd(&cfg), 0);
    run_lcd(1, NULL);
    assert_true(model.violations[HD44780_V_BUSY] > 0);
}

/* Starting 10 ms after power-on is too early (40 ms): reported once; the
 * controller still follows the rest, as a real one often would. */
static void early_init_reported(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 2);
    cfg.power_on_ms = 10;
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_write_row(&lcd, 0, "early");
    run_lcd(1, NULL);
    assert_int_equal(model.violations[HD44780_V_INIT], 1);
    assert_int_equal(model.violations_total, 1);
    assert_int_equal(model.last_violation_ns, 10002 * 1000ull);
    assert_screen_row(0, "early           ");
}

/* Skipping the 0x3 steps (sending 0x2 first) is a bad init sequence. */
static void model_flags_skipped_init_steps(void **state)
{
    (void)state;
    hd44780_model_init(&model, 16, 2, 0);
    uint64_t t = 50 * 1000000ull;
    hd44780_model_on_pins(&model, t, 0, 0, 0x2);
    hd44780_model_on_pins(&model, t + 1000, 0, 1, 0x2);
    hd44780_model_on_pins(&model, t + 1500, 0, 0, 0x2);
    assert_int_equal(model.violations[HD44780_V_INIT], 1);
    assert_true(model.four_bit);
    /* E rising again 900 ns after the previous rise: E cycle too short. */
    hd44780_model_on_pins(&model, t + 1900, 0, 1, 0x2);
    assert_int_equal(model.violations[HD44780_V_E_CYCLE], 1);
    assert_string_equal(hd44780_model_violation_name(HD44780_V_E_CYCLE),
                        "E cycle too short");
}

static void geometry_checked(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    setup_lcd(&cfg, 16, 3);
    assert_int_equal(init_lcd(&cfg), HD44780_EGEOMETRY);
    hd44780_config_default(&cfg, 40, 4);
    assert_int_equal(init_lcd(&cfg), HD44780_EGEOMETRY);
    hd44780_config_default(&cfg, 0, 2);
    assert_int_equal(init_lcd(&cfg), HD44780_EGEOMETRY);
    hd44780_config_default(&cfg, 40, 2);
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_config_default(&cfg, 16, 4);
    assert_int_equal(init_lcd(&cfg), 0);
    assert_int_equal(hd44780_row_address(&lcd, 2), 0x10);
    assert_int_equal(hd44780_row_address(&lcd, 3), 0x50);
}

/* Until the screen is flushed, then until the next flush (which the stop
 * fails); each logged. */
static int flush_waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < 2; w->i++) {
        UA_AWAIT_STATUS(w->st, hd44780_wait_flushed(self, &lcd, UA_FOREVER));
        h_log("flushed", w->st);
        if (w->i == 0)
            hd44780_write_row(&lcd, 1, w->n % 2 ? "odd" : "even");
    }
    UA_END();
}

static waiter_t cycle_w;

/*
 * Every start runs the init sequence (ready at T + 57574 us) and writes
 * the rows that are not blank; the waiter then writes row 1, still
 * pending when the stop comes at T + 60 ms.  Even
 * cycles start again in that instant (the task, still finishing its
 * cancellation, runs the new init sequence); odd ones 10 ms later with the
 * task finished.
 */
static int lcd_restarter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    ua_ticks_t dl;
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < 100; w->i++) {
        w->st = (int)h_now(); /* this cycle's start */
        assert_int_equal(hd44780_start(&lcd, &h_loop), 0);
        assert_int_equal(hd44780_start(&lcd, &h_loop), UA_EBUSY);
        cycle_w = (waiter_t){.n = w->i};
        ua_task_init(&cycle_w.task, flush_waiter);
        ua_spawn(&h_loop, &cycle_w.task);
        UA_AWAIT(ua_sleep_us(self, w->st + 60000 - (int)h_now()));
        hd44780_stop(&lcd);
        hd44780_stop(&lcd); /* idempotent */
        assert_false(ua_loop_next_deadline(&h_loop, &dl));
        if (w->i % 2 == 0) {
            assert_true(ua_task_running(&lcd.task)); /* still finishing */
            assert_false(hd44780_stopped(&lcd));
        } else {
            UA_AWAIT(ua_sleep_ms(self, 10));
            assert_true(hd44780_stopped(&lcd));
        }
        UA_AWAIT(ua_join(self, &cycle_w.task, UA_FOREVER));
    }
    UA_END();
}

/* The lifecycle, 100 times with bytes going to the controller: the model
 * sees a complete, valid init sequence at every start, row 0 written each
 * time, the waiters released at the stop's microsecond. */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    hd44780_config_t cfg;
    waiter_t r = {0};
    uint64_t t = 0;

    setup_lcd(&cfg, 16, 2);
    assert_int_equal(init_lcd(&cfg), 0);
    hd44780_write_row(&lcd, 0, "restart");
    ua_task_init(&r.task, lcd_restarter);
    assert_int_equal(h_run(&r.task), 0);
    assert_true(hd44780_stopped(&lcd));
    assert_int_equal(h_count, 200);
    for (int i = 0; i < 100; i++) {
        assert_string_equal(h_events[2 * i].tag, "flushed");
        assert_int_equal(h_events[2 * i].value, 0);
        /* Ready, then per row that is not blank the address byte and 16
         * characters, 54 us each: row 0, and from the second start on
         * row 1 too, written by the last cycle's waiter. */
        int rows = i == 0 ? 1 : 2;
        assert_int_equal(h_events[2 * i].t_us, t + 57574 + rows * 17 * 54);
        assert_int_equal(h_events[2 * i + 1].value, HD44780_ESTOPPED);
        assert_int_equal(h_events[2 * i + 1].t_us, t + 60000);
        t += i % 2 == 0 ? 60000 : 70000;
    }
    assert_no_violation();
    assert_int_equal(model.init_step, 4);
    assert_screen_row(0, "restart         ");
    /* The last waiter's "odd" came after the last refresh. */
    assert_screen_row(1, "even            ");
    assert_string_equal(hd44780_row(&lcd, 1), "odd             ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_sequence_accepted),
        cmocka_unit_test(text_on_screen_16x2),
        cmocka_unit_test(text_on_screen_20x4),
        cmocka_unit_test(only_dirty_rows_rewritten),
        cmocka_unit_test(too_fast_e_pulse_reported),
        cmocka_unit_test(command_while_busy_reported),
        cmocka_unit_test(exec_margin_matches_slow_oscillator),
        cmocka_unit_test(early_init_reported),
        cmocka_unit_test(model_flags_skipped_init_steps),
        cmocka_unit_test(geometry_checked),
        cmocka_unit_test(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
