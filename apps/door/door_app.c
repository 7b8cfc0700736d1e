/* door: the Switch driver's example firmware (see door_app.h). */
#include <string.h>

#include "door_app.h"

static void on_close(void *arg)
{
    door_app_t *app = arg;
    app_notify(&app->notify, "close", (int32_t)app->sw.count[SWITCH_CLOSE], 0);
}

static void on_open(void *arg)
{
    door_app_t *app = arg;
    app_notify(&app->notify, "open", (int32_t)app->sw.count[SWITCH_OPEN], 0);
}

static int waiter_task(ua_task_t *self)
{
    door_app_t *app = UA_CONTAINER_OF(self, door_app_t, waiter);
    UA_BEGIN(self, &app->co);
    for (;;) {
        UA_AWAIT_STATUS(app->st, switch_wait(self, &app->sw, SWITCH_CLOSE,
                                             UA_FOREVER));
        app_notify(&app->notify, "closed_wait", app->st, 0);
        if (app->st != 0)
            break;
    }
    UA_END();
}

int door_app_start(door_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                   uint16_t debounce_ms, app_notify_t notify)
{
    int st;

    app->notify = notify;
    if ((st = switch_init(&app->sw, pin, debounce_ms)) != 0)
        return st;
    switch_callback(&app->sw, SWITCH_CLOSE, on_close, app);
    switch_callback(&app->sw, SWITCH_OPEN, on_open, app);
    if ((st = switch_start(&app->sw, loop)) != 0)
        return st;
    ua_task_init(&app->waiter, waiter_task);
    memset(&app->co, 0, sizeof app->co);
    return ua_spawn(loop, &app->waiter);
}
