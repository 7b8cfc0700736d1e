/*
 * Simulator glue of the demo board (see demo_app.h).  Pins: 0 button,
 * 1 IR receiver, 2..7 LCD RS, E, D4..D7, 8 backlight; UART 0 at 9600 baud
 * for the GPS; I2C 0 at 100 kHz with an HTU21D.
 * args: climate_period=, hog_at=, hog_busy=, hog_every= (ms).
 * Objects: button, ir_remote, gps_uart, i2c, backlight.  Probes: page,
 * dimmed, readings, fixes, ir_frames, backlight, lcd_violations.  Setters:
 * temperature, humidity (centi-units), htu21d_nack (count).  Text: lcd.
 */
#include <stdio.h>
#include <string.h>

#include "demo_app.h"
#include "hd44780_model.h"
#include "htu21d_model.h"
#include "sim_glue.h"
#include "sim_hw.h"
#include "sim_models.h"

typedef struct demo_sim {
    demo_app_t fw;
    demo_hw_t hw;
    hd44780_sim_model_t lcd;
    htu21d_sim_model_t htu;
    sim_pin_t *backlight;
} demo_sim_t;

#define PROBE(name, expr) SIM_GLUE_PROBE(demo_sim_t, d, name, expr)
PROBE(page, d->fw.page)
PROBE(dimmed, d->fw.dimmed)
PROBE(readings, d->fw.readings)
PROBE(fixes, d->fw.fixes)
PROBE(ir_frames, d->fw.ir_frames)
PROBE(backlight, sim_pin_level(d->backlight))
PROBE(lcd_violations, d->lcd.model.violations_total)

static void set_temperature(void *ctx, int64_t v)
{
    ((demo_sim_t *)ctx)->htu.model.temp_centi = (int32_t)v;
}

static void set_humidity(void *ctx, int64_t v)
{
    ((demo_sim_t *)ctx)->htu.model.rh_centi = (int32_t)v;
}

static void set_htu_nack(void *ctx, int64_t v)
{
    ((demo_sim_t *)ctx)->htu.model.fault_nack = (int32_t)v;
}

static const char *lcd_text(void *ctx, char *buf, size_t n)
{
    const demo_sim_t *d = ctx;
    char row0[41], row1[41];
    hd44780_model_row(&d->lcd.model, 0, row0, sizeof row0);
    hd44780_model_row(&d->lcd.model, 1, row1, sizeof row1);
    snprintf(buf, n, "%s\n%s", row0, row1);
    return buf;
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    demo_sim_t *d = sim_app_alloc(app, sizeof *d);
    sim_t *sim = sim_board_sim(board);
    demo_config_t cfg = DEMO_CONFIG_DEFAULT;
    static const char *const lcd_names[6] = {"lcd_rs", "lcd_e", "lcd_d4",
                                             "lcd_d5", "lcd_d6", "lcd_d7"};
    sim_pin_t *lcd_pins[6];

    cfg.climate_period_ms =
        (uint32_t)sim_app_arg_in(args, "climate_period", 2000, 1, (long)UINT32_MAX);
    cfg.hog_at_ms = (int32_t)sim_app_arg_in(args, "hog_at", -1, -1, INT32_MAX);
    cfg.hog_busy_ms = (int32_t)sim_app_arg_in(args, "hog_busy", 30, 0, INT32_MAX);
    cfg.hog_every_ms = (int32_t)sim_app_arg_in(args, "hog_every", 100, 1, INT32_MAX);

    sim_pin_t *button = sim_board_pin(board, 0);
    sim_pin_set_name(button, "button");
    sim_pin_pull(button, +1);
    sim_app_add_button(app, "button", sim_button_new(button, 0));
    d->hw.button = sim_pin_hw(button);
    ua_pin_configure(d->hw.button, UA_PIN_INPUT_PULLUP);

    sim_pin_t *ir = sim_board_pin(board, 1);
    sim_pin_set_name(ir, "ir");
    sim_pin_pull(ir, +1);
    sim_app_add_nec(app, "ir_remote", sim_nec_new(ir));
    d->hw.ir = sim_pin_hw(ir);
    ua_pin_configure(d->hw.ir, UA_PIN_INPUT_PULLUP);

    for (unsigned i = 0; i < 6; i++) {
        lcd_pins[i] = sim_board_pin(board, 2 + i);
        sim_pin_set_name(lcd_pins[i], lcd_names[i]);
    }
    d->hw.lcd = (hd44780_pins_t){sim_pin_hw(lcd_pins[0]), sim_pin_hw(lcd_pins[1]),
                                 sim_pin_hw(lcd_pins[2]), sim_pin_hw(lcd_pins[3]),
                                 sim_pin_hw(lcd_pins[4]), sim_pin_hw(lcd_pins[5])};
    hd44780_model_attach(&d->lcd, sim, lcd_pins, 16, 2);

    d->backlight = sim_board_pin(board, 8);
    sim_pin_set_name(d->backlight, "backlight");
    d->hw.backlight = sim_pin_hw(d->backlight);
    /* the LED backlight of a 16x2 module, switched by this pin: 20 mA on
     * (docs/low-power.md); the supply current the energy summary reports */
    sim_power_pin_load(board, d->backlight, "backlight", 0.0, 20.0);

    sim_i2c_t *bus = sim_board_i2c(board, 0, 100000);
    if (htu21d_model_attach(&d->htu, sim, bus, 0x40) != 0)
        return sim_app_fail(app, "HTU21D address taken");
    d->hw.i2c = sim_i2c_hw(bus);
    sim_app_add_i2c(app, "i2c", bus);

    sim_uart_t *uart = sim_board_uart(board, 0, 9600);
    sim_uart_set_fifo(uart, 256, 64);
    d->hw.gps_uart = sim_uart_hw(uart);
    sim_app_add_uart(app, "gps_uart", uart);

    sim_app_add_probe(app, "page", probe_page, d);
    sim_app_add_probe(app, "dimmed", probe_dimmed, d);
    sim_app_add_probe(app, "readings", probe_readings, d);
    sim_app_add_probe(app, "fixes", probe_fixes, d);
    sim_app_add_probe(app, "ir_frames", probe_ir_frames, d);
    sim_app_add_probe(app, "backlight", probe_backlight, d);
    sim_app_add_probe(app, "lcd_violations", probe_lcd_violations, d);
    sim_app_add_setter(app, "temperature", set_temperature, d);
    sim_app_add_setter(app, "humidity", set_humidity, d);
    sim_app_add_setter(app, "htu21d_nack", set_htu_nack, d);
    sim_app_add_text(app, "lcd", lcd_text, d);

    int st = demo_app_start(&d->fw, sim_board_loop(board), &d->hw, &cfg,
                            sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "demo_app_start: %s", ua_err_name(st));
    sim_app_add_task(app, &d->fw.button.task, "pushbutton");
    sim_app_add_task(app, &d->fw.ir.task, "nec_ir");
    sim_app_add_task(app, &d->fw.lcd.task, "lcd");
    sim_app_add_task(app, &d->fw.climate.task, "htu21d");
    sim_app_add_task(app, &d->fw.gps.task, "gps");
    sim_app_add_task(app, &d->fw.display.task, "display");
    sim_app_add_task(app, &d->fw.climate_watch.task, "climate");
    sim_app_add_task(app, &d->fw.gps_watch.task, "gps_watch");
    if (cfg.hog_at_ms >= 0)
        sim_app_add_task(app, &d->fw.hog.task, "cpu_hog");
    return 0;
}

const sim_app_def_t sim_app_demo = {
    "demo",
    "reference board: button, IR, 16x2 LCD, HTU21D, GPS; pages, dimming, CPU hog",
    setup};
