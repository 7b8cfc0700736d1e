/*
 * asi2c: what both ends share -- buffers, frames, and the read/write
 * awaitables (see asi2c.h).
 */
#include <string.h>

#include "asi2c.h"

static void peer_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((asi2c_t *)arg)->flag);
}

void asi2c__common_init(asi2c_t *c, const asi2c_cfg_t *cfg, ua_loop_t *loop)
{
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    c->loop = loop;
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
    ua_flag_init(&c->flag, loop);
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
}

void asi2c_stop(asi2c_t *c)
{
    ua_pin_set_irq(c->cfg.peer, 0, NULL, NULL);
    if (c->cfg.slave != NULL)
        ua_i2c_slave_unlisten(c->cfg.slave);
    ua_flag_deinit(&c->flag);
    ua_task_cancel(&c->task);
    ua_pin_write(c->cfg.own, 1);
    c->synced = 0;
    ua_event_clear(&c->up);
}

int asi2c_ready(ua_task_t *self, asi2c_t *c, int32_t timeout_ms)
{
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
