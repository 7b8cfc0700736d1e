/* buttons: the Pushbutton driver's example firmware (see buttons_app.h). */
#include "buttons_app.h"

static const char *const kind_names[PB_NKINDS] = {
    [PB_PRESS] = "press",
    [PB_RELEASE] = "release",
    [PB_LONG] = "long",
    [PB_DOUBLE] = "double",
};

static void on_event(void *arg)
{
    buttons_slot_t *s = arg;
    s->app->counts[s->kind]++;
    app_notify(&s->app->notify, kind_names[s->kind], s->app->counts[s->kind], 0);
}

int buttons_app_start(buttons_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                      const pb_config_t *cfg, app_notify_t notify)
{
    int st = pb_init(&app->pb, pin, cfg);
    if (st != 0)
        return st;
    app->notify = notify;
    for (int k = 0; k < PB_NKINDS; k++) {
        app->slots[k].app = app;
        app->slots[k].kind = (enum pb_kind)k;
        pb_enable(&app->pb, (enum pb_kind)k, on_event, &app->slots[k]);
    }
    return pb_start(&app->pb, loop);
}
