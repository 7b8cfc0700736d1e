/* ir: the NEC receiver driver's example firmware (see ir_app.h). */
#include <string.h>

#include "ir_app.h"

/* Runs in the decoder's task. */
static void on_burst(int data, uint16_t addr, void *ctx)
{
    ir_app_t *app = ctx;
    if (data >= 0) {
        app->frames++;
        app_notify(&app->notify, "ir", addr, data);
    } else if (data == NEC_REPEAT) {
        app->repeats++;
        app_notify(&app->notify, "ir_repeat", addr,
                   nec_ir_result(&app->nec)->cmd);
    } else {
        app->errors++;
        app_notify(&app->notify, "ir_error", data, 0);
    }
}

/* Blocks the CPU on purpose, as a long computation would on a board. */
static int hog_task(ua_task_t *self)
{
    ir_app_t *app = UA_CONTAINER_OF(self, ir_app_t, hog);
    UA_BEGIN(self, &app->hog_co);
    for (;;) {
        ua_delay_us((uint32_t)app->cfg.hog_busy_ms * 1000u);
        UA_AWAIT(ua_sleep_ms(self, app->cfg.hog_every_ms - app->cfg.hog_busy_ms));
    }
    UA_END();
}

int ir_app_start(ir_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                 const ir_config_t *cfg, app_notify_t notify)
{
    nec_ir_config_t nec_cfg = nec_ir_config_default();
    int st;

    app->cfg = *cfg;
    app->notify = notify;
    nec_cfg.extended = cfg->extended;
    nec_cfg.cb = on_burst;
    nec_cfg.ctx = app;
    if ((st = nec_ir_init(&app->nec, pin, &nec_cfg)) != 0 ||
        (st = nec_ir_start(&app->nec, loop)) != 0)
        return st;
    if (cfg->hog_busy_ms > 0 && cfg->hog_every_ms > cfg->hog_busy_ms) {
        ua_task_init(&app->hog, hog_task);
        memset(&app->hog_co, 0, sizeof app->hog_co);
        st = ua_spawn(loop, &app->hog);
    }
    return st;
}
