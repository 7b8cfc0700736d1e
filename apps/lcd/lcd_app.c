/* lcd: the HD44780 driver's example firmware (see lcd_app.h). */
#include <stdio.h>
#include <string.h>

#include "lcd_app.h"

const char *lcd_app_greeting(unsigned row, unsigned cols)
{
    static const char *const narrow[4] = {"Hello, uasync!", "HD44780 16 cols",
                                          "row three", "row four"};
    static const char *const wide[4] = {"Hello, uasync!", "HD44780 20x4 glass",
                                        "0x14: third row", "0x54: fourth row"};
    return row < 4 ? (cols >= 20 ? wide : narrow)[row] : "";
}

static void report(lcd_app_t *app)
{
    app_notify(&app->notify, "flushed", (int32_t)app->lcd.stats.bytes,
               (int32_t)app->lcd.stats.rows_written);
}

static int lcd_task(ua_task_t *self)
{
    lcd_app_t *app = UA_CONTAINER_OF(self, lcd_app_t, task);
    char line[HD44780_MAX_COLS + 1];
    UA_BEGIN(self, &app->co);
    for (unsigned r = 0; r < app->lcd.cfg.rows; r++)
        hd44780_write_row(&app->lcd, r, lcd_app_greeting(r, app->lcd.cfg.cols));
    UA_AWAIT(hd44780_wait_flushed(self, &app->lcd, UA_FOREVER));
    report(app);
    while (app->update_ms > 0) {
        UA_AWAIT(ua_sleep_ms(self, (int32_t)app->update_ms));
        snprintf(line, sizeof line, "count %lu", (unsigned long)++app->count);
        hd44780_write_row(&app->lcd, app->lcd.cfg.rows - 1u, line);
        UA_AWAIT(hd44780_wait_flushed(self, &app->lcd, UA_FOREVER));
        report(app);
    }
    UA_END();
}

int lcd_app_start(lcd_app_t *app, ua_loop_t *loop, const hd44780_pins_t *pins,
                  uint8_t cols, uint8_t rows, uint32_t update_ms,
                  app_notify_t notify)
{
    hd44780_config_t cfg;
    int st;

    app->notify = notify;
    app->update_ms = update_ms;
    hd44780_config_default(&cfg, cols, rows);
    if ((st = hd44780_init(&app->lcd, pins, &cfg)) != 0 ||
        (st = hd44780_start(&app->lcd, loop)) != 0)
        return st;
    ua_task_init(&app->task, lcd_task);
    memset(&app->co, 0, sizeof app->co);
    return ua_spawn(loop, &app->task);
}
