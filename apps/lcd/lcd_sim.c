/*
 * Simulator glue of the lcd app: an HD44780 model behind pins 0..5 (RS, E,
 * D4..D7).  args: cols= (16), rows= (2), update= (ms, 0: none).
 * Probes: violations, bytes, ready.  Text: lcd (rows joined by '\n').
 */
#include <string.h>

#include "hd44780_model.h"
#include "lcd_app.h"
#include "sim_glue.h"
#include "sim_hw.h"

typedef struct lcd_sim {
    lcd_app_t fw;
    hd44780_sim_model_t model;
} lcd_sim_t;

static int64_t probe_violations(void *ctx)
{
    return ((lcd_sim_t *)ctx)->model.model.violations_total;
}

static int64_t probe_bytes(void *ctx)
{
    return ((lcd_sim_t *)ctx)->fw.lcd.stats.bytes;
}

static int64_t probe_ready(void *ctx)
{
    return hd44780_ready(&((lcd_sim_t *)ctx)->fw.lcd);
}

static const char *lcd_text(void *ctx, char *buf, size_t n)
{
    const hd44780_model_t *m = &((lcd_sim_t *)ctx)->model.model;
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned r = 0; r < m->rows && used + m->cols + 2 <= n; r++) {
        if (r > 0)
            buf[used++] = '\n';
        used += hd44780_model_row(m, r, buf + used, n - used);
    }
    return buf;
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    lcd_sim_t *l = sim_app_alloc(app, sizeof *l);
    static const char *const names[6] = {"lcd_rs", "lcd_e", "lcd_d4",
                                         "lcd_d5", "lcd_d6", "lcd_d7"};
    sim_pin_t *pins[6];
    long cols = sim_app_arg_in(args, "cols", 16, 1, HD44780_MAX_COLS);
    long rows = sim_app_arg_in(args, "rows", 2, 1, HD44780_MAX_ROWS);

    if (cols < 1 || cols > HD44780_MAX_COLS || rows < 1 || rows > HD44780_MAX_ROWS)
        return sim_app_fail(app, "bad geometry %ldx%ld", cols, rows);
    for (unsigned i = 0; i < 6; i++) {
        pins[i] = sim_board_pin(board, i);
        sim_pin_set_name(pins[i], names[i]);
    }
    hd44780_pins_t hw = {sim_pin_hw(pins[0]), sim_pin_hw(pins[1]),
                         sim_pin_hw(pins[2]), sim_pin_hw(pins[3]),
                         sim_pin_hw(pins[4]), sim_pin_hw(pins[5])};
    hd44780_model_attach(&l->model, sim_board_sim(board), pins, (uint8_t)cols,
                         (uint8_t)rows);
    sim_app_add_probe(app, "violations", probe_violations, l);
    sim_app_add_probe(app, "bytes", probe_bytes, l);
    sim_app_add_probe(app, "ready", probe_ready, l);
    sim_app_add_text(app, "lcd", lcd_text, l);
    int st =
        lcd_app_start(&l->fw, sim_board_loop(board), &hw, (uint8_t)cols, (uint8_t)rows,
                      (uint32_t)sim_app_arg_in(args, "update", 0, 0, (long)UINT32_MAX),
                      sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "lcd_app_start: %d", st);
    sim_app_add_task(app, &l->fw.lcd.task, "hd44780");
    sim_app_add_task(app, &l->fw.task, "writer");
    return 0;
}

const sim_app_def_t sim_app_lcd = {
    "lcd", "HD44780 LCD (any geometry) showing a greeting, then a counter",
    setup};
