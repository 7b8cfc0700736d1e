/* demo: the reference board's firmware (see demo_app.h). */
#include <stdio.h>
#include <string.h>

#include "demo_app.h"

enum { PAGE_GPS = 0, PAGE_CLIMATE = 1, NPAGES = 2 };
enum { KEY_PAGE0 = 0x10 };

static void set_page(demo_app_t *app, unsigned page)
{
    app->page = (uint8_t)(page % NPAGES);
    app_notify(&app->notify, "page", app->page, 0);
    ua_event_set(&app->dirty);
}

/* Pushbutton callbacks run in the pushbutton's task. */
static void on_click(void *arg)
{
    demo_app_t *app = arg;
    set_page(app, app->page + 1u);
}

static void on_long(void *arg)
{
    demo_app_t *app = arg;
    app->dimmed = !app->dimmed;
    ua_pin_write(app->hw->backlight, !app->dimmed);
    app_notify(&app->notify, "dim", app->dimmed, 0);
}

/* NEC callback: runs in the decoder's task. */
static void on_ir(int data, uint16_t addr, void *ctx)
{
    demo_app_t *app = ctx;
    app->ir_frames++;
    app_notify(&app->notify, "ir", addr, data);
    if (data >= KEY_PAGE0 && data < KEY_PAGE0 + NPAGES)
        set_page(app, (unsigned)(data - KEY_PAGE0));
}

/* Rows are cut to the glass: format wide, then keep what fits. */
static void fit(char *out, size_t n, const char *wide)
{
    snprintf(out, n, "%.*s", (int)(n - 1), wide);
}

static void format_e5(char *out, size_t n, const char *label, int32_t e7,
                      char pos, char neg)
{
    char wide[64];
    int32_t e5 = (e7 >= 0 ? e7 + 50 : e7 - 50) / 100;
    int32_t mag = e5 < 0 ? -e5 : e5;
    snprintf(wide, sizeof wide, "%s %3ld.%05ld %c", label, (long)(mag / 100000),
             (long)(mag % 100000), e5 < 0 ? neg : pos);
    fit(out, n, wide);
}

static void format_centi(char *out, size_t n, const char *label,
                         const htu21d_value_t *v, const char *unit)
{
    if (!v->valid) {
        snprintf(out, n, "%s  --.-- %s", label, unit);
        return;
    }
    char wide[64];
    int32_t c = v->centi, mag = c < 0 ? -c : c;
    snprintf(wide, sizeof wide, "%s %c%2ld.%02ld %s%s", label, c < 0 ? '-' : ' ',
             (long)(mag / 100), (long)(mag % 100), unit, v->stale ? "?" : "");
    fit(out, n, wide);
}

void demo_app_render(const demo_app_t *app, char row0[17], char row1[17])
{
    if (app->page == PAGE_CLIMATE) {
        format_centi(row0, 17, "Temp", htu21d_temperature(&app->climate), "C");
        format_centi(row1, 17, "RH  ", htu21d_humidity(&app->climate), "%");
    } else if (!gps_nmea_fix_valid(&app->gps.nmea)) {
        snprintf(row0, 17, "GPS: no fix");
        snprintf(row1, 17, "sentences %5lu",
                 (unsigned long)(app->gps.nmea.count.parsed % 100000u));
    } else {
        format_e5(row0, 17, "Lat", gps_nmea_latitude_e7(&app->gps.nmea), 'N', 'S');
        format_e5(row1, 17, "Lon", gps_nmea_longitude_e7(&app->gps.nmea), 'E', 'W');
    }
}

/* Redraw when something changed, and at least once a second. */
static int display_task(ua_task_t *self)
{
    demo_task_t *t = UA_CONTAINER_OF(self, demo_task_t, task);
    demo_app_t *app = t->app;
    char row0[17], row1[17];
    UA_BEGIN(self, &t->co);
    for (;;) {
        ua_event_clear(&app->dirty);
        demo_app_render(app, row0, row1);
        hd44780_write_row(&app->lcd, 0, row0);
        hd44780_write_row(&app->lcd, 1, row1);
        UA_AWAIT_STATUS(t->st, ua_event_wait(self, &app->dirty, 1000));
    }
    UA_END();
}

static int climate_task(ua_task_t *self)
{
    demo_task_t *t = UA_CONTAINER_OF(self, demo_task_t, task);
    demo_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT_STATUS(t->st, htu21d_wait_update(self, &app->climate, UA_FOREVER));
        app->readings++;
        app_notify(&app->notify, "reading",
                   htu21d_temperature(&app->climate)->centi,
                   htu21d_humidity(&app->climate)->centi);
        if (app->page == PAGE_CLIMATE)
            ua_event_set(&app->dirty);
    }
    UA_END();
}

static int gps_task(ua_task_t *self)
{
    demo_task_t *t = UA_CONTAINER_OF(self, demo_task_t, task);
    demo_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT_STATUS(t->st, gps_wait_fix(self, &app->gps, UA_FOREVER));
        if (t->st != 0)
            continue;
        app->fixes++;
        app_notify(&app->notify, "fix", gps_nmea_latitude_e7(&app->gps.nmea) / 100,
                   gps_nmea_longitude_e7(&app->gps.nmea) / 100);
        if (app->page == PAGE_GPS)
            ua_event_set(&app->dirty);
    }
    UA_END();
}

/* Blocks the CPU on purpose: the same as a long computation on a board. */
static int hog_task(ua_task_t *self)
{
    demo_task_t *t = UA_CONTAINER_OF(self, demo_task_t, task);
    demo_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, app->cfg.hog_at_ms));
    app_notify(&app->notify, "hog", app->cfg.hog_busy_ms, 0);
    for (;;) {
        ua_delay_us((uint32_t)app->cfg.hog_busy_ms * 1000u);
        UA_AWAIT(ua_sleep_ms(self, app->cfg.hog_every_ms - app->cfg.hog_busy_ms));
    }
    UA_END();
}

static int spawn(demo_app_t *app, ua_loop_t *loop, demo_task_t *t, ua_task_fn fn)
{
    ua_task_init(&t->task, fn);
    memset(&t->co, 0, sizeof t->co);
    t->app = app;
    return ua_spawn(loop, &t->task);
}

int demo_app_start(demo_app_t *app, ua_loop_t *loop, const demo_hw_t *hw,
                   const demo_config_t *cfg, app_notify_t notify)
{
    pb_config_t pb_cfg = PB_CONFIG_DEFAULT;
    nec_ir_config_t ir_cfg = nec_ir_config_default();
    hd44780_config_t lcd_cfg;
    htu21d_config_t htu_cfg;
    int st;

    app->cfg = *cfg;
    app->hw = hw;
    app->notify = notify;
    ua_event_init(&app->dirty);
    ua_pin_configure(hw->backlight, UA_PIN_OUTPUT);
    ua_pin_write(hw->backlight, 1);

    pb_cfg.suppress = true; /* a long press is not also a click */
    pb_cfg.sense = PB_ACTIVE_LOW;
    if ((st = pb_init(&app->button, hw->button, &pb_cfg)) != 0)
        return st;
    pb_enable(&app->button, PB_RELEASE, on_click, app);
    pb_enable(&app->button, PB_LONG, on_long, app);
    if ((st = pb_start(&app->button, loop)) != 0)
        return st;

    ir_cfg.cb = on_ir;
    ir_cfg.ctx = app;
    if ((st = nec_ir_init(&app->ir, hw->ir, &ir_cfg)) != 0 ||
        (st = nec_ir_start(&app->ir, loop)) != 0)
        return st;

    hd44780_config_default(&lcd_cfg, 16, 2);
    if ((st = hd44780_init(&app->lcd, &hw->lcd, &lcd_cfg)) != 0 ||
        (st = hd44780_start(&app->lcd, loop)) != 0)
        return st;

    htu21d_config_default(&htu_cfg);
    htu_cfg.period_ms = cfg->climate_period_ms;
    if ((st = htu21d_init(&app->climate, hw->i2c, &htu_cfg)) != 0 ||
        (st = htu21d_start(&app->climate, loop)) != 0)
        return st;

    if ((st = gps_init(&app->gps, hw->gps_uart)) != 0 ||
        (st = gps_start(&app->gps, loop)) != 0)
        return st;

    if ((st = spawn(app, loop, &app->display, display_task)) != 0 ||
        (st = spawn(app, loop, &app->climate_watch, climate_task)) != 0 ||
        (st = spawn(app, loop, &app->gps_watch, gps_task)) != 0)
        return st;
    if (cfg->hog_at_ms >= 0 && cfg->hog_busy_ms > 0 &&
        cfg->hog_every_ms > cfg->hog_busy_ms)
        st = spawn(app, loop, &app->hog, hog_task);
    return st;
}
