/* syncom_pair: numbered messages both ways over syncom (see syncom_pair_app.h). */
#include <string.h>

#include "syncom_pair_app.h"

static int sender_fn(ua_task_t *self)
{
    syncom_pair_task_t *t = UA_CONTAINER_OF(self, syncom_pair_task_t, task);
    syncom_pair_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    while (app->acked < app->cfg.count) {
        t->len = numbered_format(app->acked + 1, app->cfg.payload, t->buf, sizeof t->buf);
        UA_AWAIT_STATUS(t->st, syncom_send(self, &app->link, t->buf, t->len,
                                           app->cfg.send_timeout_ms));
        if (t->st == 0) {
            app->acked++;
            app_notify(&app->notify, "sent", (int32_t)app->acked, 0);
            continue;
        }
        if (t->st == UA_ECANCELLED) /* reset: not an error of the link */
            UA_THROW(t->st);
        app->send_errors++;
        app_notify(&app->notify, "send_err", (int32_t)(app->acked + 1), t->st);
        /* A timeout or a missing peer is worth retrying; a refused
         * message (bad byte, too long) would be refused again. */
        if (t->st != UA_ETIMEDOUT && t->st != SYNCOM_ENOPEER)
            UA_THROW(t->st);
    }
    UA_END();
}

static int receiver_fn(ua_task_t *self)
{
    syncom_pair_task_t *t = UA_CONTAINER_OF(self, syncom_pair_task_t, task);
    syncom_pair_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT_STATUS(t->st, syncom_recv(self, &app->link, t->buf,
                                           sizeof t->buf, &t->len, UA_FOREVER));
        if (t->st == UA_ECANCELLED)
            UA_THROW(t->st);
        if (t->st < 0) {
            /* an overrun: we were too slow; the gap check will say
             * which message it cost. */
            app->recv_errors++;
            app_notify(&app->notify, "recv_err", t->st, 0);
            continue;
        }
        numbered_take(&app->inbox, &app->notify, t->buf, t->len);
    }
    UA_END();
}

static int spawn(syncom_pair_app_t *app, ua_loop_t *loop, syncom_pair_task_t *t,
                 ua_task_fn fn)
{
    memset(t, 0, sizeof *t);
    t->app = app;
    ua_task_init(&t->task, fn);
    return ua_spawn(loop, &t->task);
}

int syncom_pair_app_start(syncom_pair_app_t *app, ua_loop_t *loop,
                          const syncom_pair_hw_t *hw,
                          const syncom_pair_config_t *cfg,
                          app_notify_t notify)
{
    syncom_cfg_t link_cfg = {.ckin = hw->ckin, .ckout = hw->ckout,
                             .din = hw->din, .dout = hw->dout,
                             .reset = hw->reset, .active = cfg->active,
                             .timeout_ms = cfg->link_timeout_ms};
    int st;

    if (cfg->payload == 0 || cfg->payload > SYNCOM_MAX_MSG)
        return UA_EINVAL;
    app->cfg = *cfg;
    app->notify = notify;
    app->boots++;
    app_notify(&app->notify, "boot", (int32_t)app->boots, 0);
    /* A boot: a fresh driver, as the board's memory is. */
    if ((st = syncom_init(&app->link, &link_cfg)) != 0 ||
        (st = syncom_start(&app->link, loop)) != 0 ||
        (st = spawn(app, loop, &app->rx, receiver_fn)) != 0)
        return st;
    if (cfg->count > 0)
        st = spawn(app, loop, &app->tx, sender_fn);
    return st;
}

void syncom_pair_app_stop(syncom_pair_app_t *app)
{
    syncom_stop(&app->link);
    /* Then its tasks: the link task, cancelled first, runs first at the
     * next pass, and the scenarios\' times follow that order. */
    ua_task_cancel(&app->tx.task);
    ua_task_cancel(&app->rx.task);
}
