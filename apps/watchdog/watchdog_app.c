/* watchdog: the Delay_ms driver's example firmware (see watchdog_app.h). */
#include <string.h>

#include "watchdog_app.h"

static void on_expiry(void *arg)
{
    watchdog_app_t *app = arg;
    app_notify(&app->notify, "expired", (int32_t)app->wd.expiries, 0);
}

/* Interrupt context: feed the watchdog from the edge's tick. */
static void on_heartbeat(void *arg, int level, ua_ticks_t when)
{
    watchdog_app_t *app = arg;
    (void)level;
    app->kicks++;
    delay_ms_trigger_at(&app->wd, when, 0);
}

static int waiter_task(ua_task_t *self)
{
    watchdog_app_t *app = UA_CONTAINER_OF(self, watchdog_app_t, waiter);
    UA_BEGIN(self, &app->co);
    for (;;) {
        UA_AWAIT_STATUS(app->st, delay_ms_wait(self, &app->wd, UA_FOREVER));
        app_notify(&app->notify, "expired_wait", app->st, 0);
        if (app->st != 0)
            break;
        delay_ms_clear(&app->wd);
    }
    UA_END();
}

int watchdog_app_kick(watchdog_app_t *app, int32_t duration_ms)
{
    app->kicks++;
    return delay_ms_trigger(&app->wd, duration_ms);
}

int watchdog_app_start(watchdog_app_t *app, ua_loop_t *loop,
                       ua_pin_t *heartbeat, int32_t timeout_ms,
                       app_notify_t notify)
{
    int st;

    app->notify = notify;
    app->heartbeat = heartbeat;
    if ((st = delay_ms_init(&app->wd, timeout_ms, on_expiry, app)) != 0 ||
        (st = delay_ms_start(&app->wd, loop)) != 0)
        return st;
    if ((st = ua_pin_configure(heartbeat, UA_PIN_INPUT_PULLUP)) != 0 ||
        (st = ua_pin_set_irq(heartbeat, UA_EDGE_FALLING, on_heartbeat, app)) != 0)
        return st;
    ua_task_init(&app->waiter, waiter_task);
    memset(&app->co, 0, sizeof app->co);
    return ua_spawn(loop, &app->waiter);
}
