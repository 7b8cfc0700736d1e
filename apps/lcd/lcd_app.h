/*
 * lcd: the HD44780 driver's example firmware.  It writes a greeting on
 * every row of a cols x rows display, waits until the screen shows it and
 * reports "flushed" (a = bytes sent so far, b = rows written so far); then,
 * every update_ms, it rewrites the last row as "count N" and reports
 * "flushed" again once that is on the glass.
 */
#ifndef LCD_APP_H
#define LCD_APP_H

#include "app_notify.h"
#include "hd44780.h"

typedef struct lcd_app {
    hd44780_t lcd;
    app_notify_t notify;
    ua_task_t task;
    ua_co_t co;
    uint32_t update_ms;
    uint32_t count;
    int st;
} lcd_app_t;

/* The greeting on row `row` of a display `cols` wide (static text). */
const char *lcd_app_greeting(unsigned row, unsigned cols);

int lcd_app_start(lcd_app_t *app, ua_loop_t *loop, const hd44780_pins_t *pins,
                  uint8_t cols, uint8_t rows, uint32_t update_ms,
                  app_notify_t notify);

#endif /* LCD_APP_H */
