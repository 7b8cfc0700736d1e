/* climate: the HTU21D driver's example firmware (see climate_app.h). */
#include <string.h>

#include "climate_app.h"

uint32_t climate_app_errors(const climate_app_t *app)
{
    const htu21d_stats_t *s = &app->htu.stats;
    return s->nack + s->not_ready + s->crc + s->status + s->bus;
}

static int watch_task(ua_task_t *self)
{
    climate_app_t *app = UA_CONTAINER_OF(self, climate_app_t, watch);
    UA_BEGIN(self, &app->co);
    for (;;) {
        UA_AWAIT_STATUS(app->st, htu21d_wait_update(self, &app->htu, UA_FOREVER));
        if (app->st != 0)
            continue;
        if (htu21d_last_status(&app->htu) == 0) {
            app->readings++;
            app_notify(&app->notify, "reading", htu21d_temperature(&app->htu)->centi,
                       htu21d_humidity(&app->htu)->centi);
        } else {
            app->failures++;
            app_notify(&app->notify, "stale", htu21d_last_status(&app->htu),
                       (int32_t)climate_app_errors(app));
        }
    }
    UA_END();
}

int climate_app_start(climate_app_t *app, ua_loop_t *loop, ua_i2c_t *bus,
                      uint32_t period_ms, app_notify_t notify)
{
    htu21d_config_t cfg;
    int st;

    app->notify = notify;
    htu21d_config_default(&cfg);
    cfg.period_ms = period_ms;
    if ((st = htu21d_init(&app->htu, bus, &cfg)) != 0)
        return st;
    ua_task_init(&app->watch, watch_task);
    memset(&app->co, 0, sizeof app->co);
    if ((st = ua_spawn(loop, &app->watch)) != 0)
        return st;
    return htu21d_start(&app->htu, loop);
}
