/* asi2c_pair: numbered records both ways over asi2c (see asi2c_pair_app.h). */
#include <string.h>

#include "asi2c_pair_app.h"

/* The record queued before is out of the link's buffer: it was sent. */
static void confirm(asi2c_pair_app_t *app)
{
    if (app->queued == 0)
        return;
    app->sent = app->queued;
    app->queued = 0;
    app_notify(&app->notify, "sent", (int32_t)app->sent, 0);
}

static int writer_fn(ua_task_t *self)
{
    asi2c_pair_task_t *t = UA_CONTAINER_OF(self, asi2c_pair_task_t, task);
    asi2c_pair_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        t->n = (app->queued != 0 ? app->queued : app->sent) + 1;
        if (t->n > app->cfg.count)
            break;
        t->len = numbered_format(t->n, app->cfg.payload, t->buf, sizeof t->buf);
        UA_AWAIT_STATUS(t->st, asi2c_write(self, &app->link, t->buf, t->len,
                                           app->cfg.write_timeout_ms));
        if (t->st == 0) {
            confirm(app);
            app->queued = t->n;
            app_notify(&app->notify, "queued", (int32_t)t->n, 0);
            continue;
        }
        if (t->st == UA_ECANCELLED) /* reset: not an error of the link */
            UA_THROW(t->st);
        app->write_errors++;
        app_notify(&app->notify, "write_err", (int32_t)t->n, t->st);
        if (t->st != UA_ETIMEDOUT && t->st != ASI2C_ENOPEER)
            UA_THROW(t->st);
    }
    /* Drain: the last record counts as sent once it left the buffer. */
    while (app->queued != 0) {
        UA_AWAIT_STATUS(t->st, asi2c_flush(self, &app->link,
                                           app->cfg.write_timeout_ms));
        if (t->st == 0)
            confirm(app);
        else if (t->st == UA_ECANCELLED)
            UA_THROW(t->st);
        else
            app_notify(&app->notify, "write_err", (int32_t)app->queued, t->st);
    }
    UA_END();
}

static int reader_fn(ua_task_t *self)
{
    asi2c_pair_task_t *t = UA_CONTAINER_OF(self, asi2c_pair_task_t, task);
    asi2c_pair_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT_STATUS(t->st, asi2c_read(self, &app->link, t->buf,
                                          sizeof t->buf, &t->len, UA_FOREVER));
        if (t->st == UA_ECANCELLED)
            UA_THROW(t->st);
        if (t->st < 0) {
            app->read_errors++;
            app_notify(&app->notify, "read_err", t->st, 0);
            continue;
        }
        numbered_take(&app->inbox, &app->notify, t->buf, t->len);
    }
    UA_END();
}

static int spawn(asi2c_pair_app_t *app, ua_loop_t *loop, asi2c_pair_task_t *t,
                 ua_task_fn fn)
{
    memset(t, 0, sizeof *t);
    t->app = app;
    ua_task_init(&t->task, fn);
    return ua_spawn(loop, &t->task);
}

int asi2c_pair_app_start(asi2c_pair_app_t *app, ua_loop_t *loop,
                         const asi2c_pair_hw_t *hw,
                         const asi2c_pair_config_t *cfg, app_notify_t notify)
{
    asi2c_cfg_t link_cfg;
    int st;

    if (cfg->payload == 0 || cfg->payload > ASI2C_RXBUF)
        return UA_EINVAL;
    memset(&link_cfg, 0, sizeof link_cfg);
    link_cfg.own = hw->own;
    link_cfg.peer = hw->peer;
    link_cfg.reset = hw->reset;
    link_cfg.reset_level = 0;
    link_cfg.t_poll_ms = cfg->t_poll_ms;
    link_cfg.slave = hw->slave;
    link_cfg.master = hw->master;
    app->cfg = *cfg;
    app->notify = notify;
    app->queued = 0; /* lost with the link's buffer */
    app->boots++;
    app_notify(&app->notify, "boot", (int32_t)app->boots, 0);
    /* A boot: a fresh driver, as the board's memory is. */
    st = asi2c_init(&app->link, &link_cfg,
                    cfg->initiator ? ASI2C_INITIATOR : ASI2C_RESPONDER);
    if (st == 0)
        st = asi2c_start(&app->link, loop);
    if (st != 0 || (st = spawn(app, loop, &app->rd, reader_fn)) != 0)
        return st;
    if (cfg->count > 0)
        st = spawn(app, loop, &app->wr, writer_fn);
    return st;
}

void asi2c_pair_app_stop(asi2c_pair_app_t *app)
{
    asi2c_stop(&app->link);
    /* Then its tasks: the link task, cancelled first, runs first at the
     * next pass, and the scenarios\' times follow that order. */
    ua_task_cancel(&app->wr.task);
    ua_task_cancel(&app->rd.task);
}
