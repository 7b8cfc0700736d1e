/*
 * asi2c: what both ends share -- buffers, frames, and the read/write
 * awaitables (see asi2c.h).
 */
#include <stddef.h>
#include <string.h>

#include "asi2c_int.h"
#include "ua_driver.h"

static void peer_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((asi2c_t *)arg)->flag);
}

int asi2c_init(asi2c_t *c, const asi2c_cfg_t *cfg, enum asi2c_role role)
{
    if (c->state == ASI2C_ST_STARTED)
        return UA_EBUSY;
    if (cfg == NULL || cfg->own == NULL || cfg->peer == NULL ||
        (role == ASI2C_INITIATOR && cfg->slave == NULL) ||
        (role == ASI2C_RESPONDER && cfg->master == NULL) ||
        (role != ASI2C_INITIATOR && role != ASI2C_RESPONDER))
        return UA_EINVAL;
    /* The task and the lifecycle fields before cfg survive: a task still
     * finishing a stop is linked in the loop (see Lifecycle). */
    memset(&c->cfg, 0, sizeof *c - offsetof(asi2c_t, cfg));
    c->cfg = *cfg;
    c->initiator = role == ASI2C_INITIATOR;
    c->rx_last = 0xFF;
    c->peer_last = 0xFF;
    if (c->cfg.addr == 0)
        c->cfg.addr = ASI2C_ADDR;
    if (c->cfg.t_poll_ms == 0)
        c->cfg.t_poll_ms = ASI2C_T_POLL_MS;
    if (c->cfg.reset_ms == 0)
        c->cfg.reset_ms = 200;
    ua_event_init(&c->rx_ready);
    ua_event_init(&c->tx_free);
    ua_event_init(&c->up);
    ua_event_set(&c->tx_free);
    return 0;
}

/*
 * One task serves every start: asi2c_stop cancels it, which ends the
 * role's run; if asi2c_start came before the task had finished (the next
 * pass), it runs the role again for the new start instead of ending.
 */
static int link_task(ua_task_t *self)
{
    asi2c_t *c = UA_CONTAINER_OF(self, asi2c_t, task);
    int st = 0;
    UA_BEGIN(self, &c->co);
    c->task_up = 1;
    while (c->state == ASI2C_ST_STARTED) {
        UA_AWAIT_STATUS(st, c->initiator ? asi2c__initiator_run(self, c)
                                         : asi2c__responder_run(self, c));
        if (st != UA_ECANCELLED)
            UA_THROW(st); /* a primitive failed: the link is dead */
        /* Started again before this task ended: the waiters the stop
         * released run first, before the new start's traffic. */
        if (c->state == ASI2C_ST_STARTED)
            UA_AWAIT_STATUS(st, ua_yield(self));
    }
    UA_END();
}

/* What a start begins from: the wire check, no exchange in progress.
 * What the link carries (payloads, sequence bits) stays. */
static void link_reset(asi2c_t *c)
{
    c->synced = 0;
    c->stalled = 0;
    c->in_exchange = 0;
    c->last_was_write = 0;
    c->tx_inflight = 0;
    c->peer_known = 0;
    c->peer_hold = 0;
    c->stage_len = 0;
    c->stage_done = 0;
    c->stage_bad = 0;
    c->reboot_req = 0;
    ua_event_clear(&c->up);
}

int asi2c_start(asi2c_t *c, ua_loop_t *loop)
{
    const asi2c_cfg_t *cfg = &c->cfg;
    int r;

    if (c->state == ASI2C_ST_STARTED)
        return UA_EBUSY;
    if (cfg->own == NULL || loop == NULL)
        return UA_EINVAL; /* never initialised */
    /* Registered here and unregistered by asi2c_stop, so that a restart
     * never links a flag that is still registered (into itself). */
    if ((r = ua_flag_init(&c->flag, loop)) < 0)
        return r;
    c->loop = loop;
    link_reset(c);
    /* Own wire: output, initially 1 (latched first: no glitch). */
    ua_pin_write(cfg->own, 1);
    ua_pin_configure(cfg->own, UA_PIN_OUTPUT);
    c->level = 1;
    ua_pin_configure(cfg->peer, UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(cfg->peer, UA_EDGE_BOTH, peer_isr, c);
    if (cfg->reset != NULL) {
        ua_pin_write(cfg->reset, !cfg->reset_level);
        ua_pin_configure(cfg->reset, UA_PIN_OUTPUT);
    }
    if (c->initiator &&
        (r = ua_i2c_slave_listen(cfg->slave, cfg->addr, &asi2c__slave_cbs,
                                 c)) < 0)
        goto fail;
    if (!ua_task_running(&c->task)) {
        ua_task_init(&c->task, link_task);
        c->co = (ua_co_t){0};
        c->run_co = (ua_co_t){0};
        c->task_up = 0;
        if ((r = ua_spawn(loop, &c->task)) < 0) {
            if (c->initiator)
                ua_i2c_slave_unlisten(cfg->slave);
            goto fail;
        }
    }
    c->state = ASI2C_ST_STARTED;
    return 0;
fail:
    ua_pin_set_irq(cfg->peer, 0, NULL, NULL);
    ua_flag_deinit(&c->flag);
    return r;
}

void asi2c_stop(asi2c_t *c)
{
    if (c->state != ASI2C_ST_STARTED)
        return;
    c->state = ASI2C_ST_STOPPED;
    ua_pin_set_irq(c->cfg.peer, 0, NULL, NULL);
    if (c->initiator)
        ua_i2c_slave_unlisten(c->cfg.slave);
    ua_flag_deinit(&c->flag);
    /* A task that has not run yet is left alone: cancelled, it would
     * finish without running and a start before the next pass would have
     * no task; run, it sees the state and ends (or serves the new
     * start).  The hook tasks are the application's: not cancelled. */
    if (c->task_up)
        ua_task_cancel(&c->task);
    ua_pin_write(c->cfg.own, 1);
    c->synced = 0;
    c->in_exchange = 0;
    ua_event_fail_waiters(&c->rx_ready, ASI2C_ESTOPPED);
    ua_event_fail_waiters(&c->tx_free, ASI2C_ESTOPPED);
    ua_event_fail_waiters(&c->up, ASI2C_ESTOPPED);
    ua_event_clear(&c->up);
}

bool asi2c_stopped(const asi2c_t *c)
{
    return c->state != ASI2C_ST_STARTED && !ua_task_running(&c->task);
}

int asi2c_ready(ua_task_t *self, asi2c_t *c, int32_t timeout_ms)
{
    /* A first call on a stopped link would wait for ever; a resumed call
     * must reach ua_event_wait to collect its outcome. */
    if (c->state != ASI2C_ST_STARTED && ua_await_is_first(self))
        return ASI2C_ESTOPPED;
    return ua_event_wait(self, &c->up, timeout_ms);
}

int asi2c_reboot(ua_task_t *self, asi2c_t *c, int32_t timeout_ms)
{
    int r = 0;
    if (!c->initiator || c->cfg.reset == NULL)
        return UA_EINVAL;
    if (c->rb_owner != NULL && c->rb_owner != self)
        return ASI2C_EBUSY;
    UA_BEGIN(self, &c->rb_co);
    if (c->state != ASI2C_ST_STARTED)
        UA_THROW(ASI2C_ESTOPPED);
    c->rb_owner = self;
    c->reboot_req = 1;
    ua_event_clear(&c->up); /* up again once the driver resynced */
    UA_AWAIT_STATUS(r, ua_event_wait(self, &c->up, timeout_ms));
    if (r < 0)
        UA_THROW(r);
    UA_FINALLY
    c->rb_owner = NULL;
    UA_END();
}

int asi2c__header_len(const uint8_t *h, size_t limit)
{
    size_t n = (size_t)h[0] | (size_t)(h[1] & ASI2C_LEN_HI) << 8;
    return n > limit ? ASI2C_EPROTO : (int)n;
}

size_t asi2c__build_frame(asi2c_t *c)
{
    /* The pending payload goes if the peer can take it and has not got
     * it already; its sequence bit is the one after the peer's LAST. */
    bool go = c->tx_len > 0 && c->peer_known && !c->peer_hold &&
              !(c->tx_onwire && c->peer_last == c->tx_seq);
    size_t n = go ? c->tx_len : 0;
    uint8_t b1 = (uint8_t)((n >> 8) & ASI2C_LEN_HI);
    if (go) {
        c->tx_seq = c->peer_last == 0xFF ? 0 : (uint8_t)(c->peer_last ^ 1u);
        c->tx_onwire = 1;
        if (c->tx_seq)
            b1 |= ASI2C_SEQ;
    }
    if (c->rx_len > c->rx_pos)
        b1 |= ASI2C_HOLD;
    if (c->rx_last != 0xFF)
        b1 |= (uint8_t)(ASI2C_HAVE | (c->rx_last ? ASI2C_LAST : 0));
    c->frame[0] = (uint8_t)(n & 0xFFu);
    c->frame[1] = b1;
    memcpy(c->frame + 2, c->tx, n);
    c->tx_inflight = n;
    c->frame_len = 2 + n;
    c->frame_pos = 0;
    return c->frame_len;
}

/* The peer's status: has it consumed our pending payload? */
static void take_status(asi2c_t *c, uint8_t b1)
{
    c->peer_known = 1;
    c->peer_hold = (b1 & ASI2C_HOLD) != 0;
    c->peer_last = (b1 & ASI2C_HAVE) ? ((b1 & ASI2C_LAST) ? 1 : 0) : 0xFF;
    if (c->tx_len > 0 && c->tx_onwire && c->peer_last == c->tx_seq &&
        !c->peer_hold) {
        c->bytes_sent += (uint32_t)c->tx_len;
        c->tx_len = 0;
        c->tx_onwire = 0;
        ua_event_set(&c->tx_free);
    }
}

int asi2c__take_frame(asi2c_t *c, const uint8_t *f, size_t len)
{
    int n = len >= 2 ? asi2c__header_len(f, ASI2C_RXBUF) : ASI2C_EPROTO;
    if (n < 0 || len != 2 + (size_t)n) {
        c->proto_errors++;
        return ASI2C_EPROTO;
    }
    uint8_t seq = (f[1] & ASI2C_SEQ) ? 1 : 0;
    if (n > 0 && seq != c->rx_last && c->rx_len > c->rx_pos) {
        c->proto_errors++; /* sent although we held off */
        return ASI2C_EPROTO;
    }
    take_status(c, f[1]);
    if (n == 0)
        return 0;
    if (seq == c->rx_last) {
        c->duplicates++; /* sent again after a failed exchange */
        return 0;
    }
    memcpy(c->rx, f + 2, (size_t)n);
    c->rx_len = (size_t)n;
    c->rx_pos = 0;
    c->rx_last = seq;
    c->bytes_received += (uint32_t)n;
    ua_event_set(&c->rx_ready);
    return 0;
}

int asi2c_write(ua_task_t *self, asi2c_t *c, const uint8_t *buf, size_t n,
                int32_t timeout_ms)
{
    int r = 0;
    if (c->wr_owner != NULL && c->wr_owner != self)
        return ASI2C_EBUSY;
    UA_BEGIN(self, &c->wr_co);
    if (n > ASI2C_RXBUF)
        UA_THROW(ASI2C_ETOOBIG);
    if (n == 0 || buf == NULL)
        UA_THROW(UA_EINVAL);
    if (c->state != ASI2C_ST_STARTED)
        UA_THROW(ASI2C_ESTOPPED);
    c->wr_owner = self;
    UA_AWAIT_STATUS(r, ua_event_wait(self, &c->tx_free, timeout_ms));
    if (r < 0)
        UA_THROW(r == UA_ETIMEDOUT && !c->synced ? ASI2C_ENOPEER : r);
    memcpy(c->tx, buf, n);
    c->tx_len = n;
    c->tx_onwire = 0;
    ua_event_clear(&c->tx_free);
    UA_FINALLY
    c->wr_owner = NULL;
    UA_END();
}

int asi2c_flush(ua_task_t *self, asi2c_t *c, int32_t timeout_ms)
{
    int r = 0;
    if (c->wr_owner != NULL && c->wr_owner != self)
        return ASI2C_EBUSY;
    UA_BEGIN(self, &c->wr_co);
    if (c->state != ASI2C_ST_STARTED)
        UA_THROW(ASI2C_ESTOPPED);
    c->wr_owner = self;
    UA_AWAIT_STATUS(r, ua_event_wait(self, &c->tx_free, timeout_ms));
    if (r < 0)
        UA_THROW(r == UA_ETIMEDOUT && !c->synced ? ASI2C_ENOPEER : r);
    UA_FINALLY
    c->wr_owner = NULL;
    UA_END();
}

int asi2c_read(ua_task_t *self, asi2c_t *c, uint8_t *buf, size_t cap,
               size_t *got, int32_t timeout_ms)
{
    size_t n;
    if (c->rd_owner != NULL && c->rd_owner != self)
        return ASI2C_EBUSY;
    UA_BEGIN(self, &c->rd_co);
    if (c->state != ASI2C_ST_STARTED && !ua_event_is_set(&c->rx_ready))
        UA_THROW(ASI2C_ESTOPPED); /* what came before the stop is read */
    c->rd_owner = self;
    UA_AWAIT(ua_event_wait(self, &c->rx_ready, timeout_ms));
    n = c->rx_len - c->rx_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, c->rx + c->rx_pos, n);
    *got = n;
    c->rx_pos += n;
    if (c->rx_pos == c->rx_len) {
        c->rx_len = c->rx_pos = 0;
        ua_event_clear(&c->rx_ready);
    }
    UA_FINALLY
    c->rd_owner = NULL;
    UA_END();
}
