/*
 * demo: the reference board.  A pushbutton, an NEC IR receiver, a 16x2
 * HD44780 LCD with a backlight pin, an HTU21D on I2C and a GPS on a UART.
 *
 * The LCD shows one of two pages: 0 the GPS position, 1 temperature and
 * humidity.  A click (press and release, no long press) toggles the page; a
 * long press toggles the backlight between full and dim; IR keys 0x10 and
 * 0x11 select page 0 and 1, any other key is only reported.  A CPU hog
 * (a task that busy-waits hog_busy_ms every hog_every_ms, from hog_at_ms on)
 * shows what a blocking task does to everybody else's latency.
 *
 * Events reported through app_notify: "page" (a = page), "dim" (a = 1 when
 * dimmed), "ir" (a = address, b = command or NEC error), "reading" (a =
 * centi-degC, b = centi-%RH), "fix" (a = latitude, b = longitude, both in
 * 1e-5 degrees), "hog" (a = busy ms, when it starts).
 *
 * Firmware only: it uses core/ and devices/, so the same source builds for
 * a board; apps/demo/demo_sim.c wires it to simulated hardware.
 */
#ifndef DEMO_APP_H
#define DEMO_APP_H

#include "app_notify.h"
#include "gps.h"
#include "hd44780.h"
#include "htu21d.h"
#include "nec_ir.h"
#include "pushbutton.h"

typedef struct demo_hw {
    ua_pin_t *button; /* to ground, pulled up */
    ua_pin_t *ir;     /* IR receiver module output, active low */
    hd44780_pins_t lcd;
    ua_pin_t *backlight;
    ua_i2c_t *i2c;
    ua_uart_t *gps_uart;
} demo_hw_t;

typedef struct demo_config {
    uint32_t climate_period_ms; /* HTU21D reading period */
    int32_t hog_at_ms;          /* < 0: no CPU hog */
    int32_t hog_busy_ms;
    int32_t hog_every_ms;
} demo_config_t;

#define DEMO_CONFIG_DEFAULT {2000, -1, 30, 100}

/* A task of the app with its frame. */
typedef struct demo_task {
    ua_task_t task;
    ua_co_t co;
    struct demo_app *app;
    int st;
} demo_task_t;

typedef struct demo_app {
    demo_config_t cfg;
    const demo_hw_t *hw;
    app_notify_t notify;
    pushbutton_t button;
    nec_ir_t ir;
    hd44780_t lcd;
    htu21d_t climate;
    gps_t gps;
    ua_event_t dirty; /* something on the screen may have changed */
    demo_task_t display, climate_watch, gps_watch, hog;
    uint8_t page;
    uint8_t dimmed;
    uint32_t readings, fixes, ir_frames;
} demo_app_t;

/* Start every driver and task on `loop`.  0 or the first failing status. */
int demo_app_start(demo_app_t *app, ua_loop_t *loop, const demo_hw_t *hw,
                   const demo_config_t *cfg, app_notify_t notify);

/* Format the rows the current page shows (cols+1 bytes each). */
void demo_app_render(const demo_app_t *app, char row0[17], char row1[17]);

#endif /* DEMO_APP_H */
