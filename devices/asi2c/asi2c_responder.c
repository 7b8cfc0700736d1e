/*
 * asi2c Responder: the I2C-master end, which answers each syn edge with
 * one exchange and acknowledges it on ack (see asi2c.h).
 */
#include "asi2c_int.h"

#define TRIES 3
#define DELAY_US 20 /* seed: _DELAY, time for the Initiator to get ready */

static int read_hdr(asi2c_t *c)
{
    int r = UA_EIO;
    for (int i = 0; i < TRIES && r < 0; i++)
        r = ua_i2c_read(c->cfg.master, c->cfg.addr, c->stage, 2);
    return r;
}

/* The first half of an exchange: read the Initiator's frame and take it
 * (its status, then its payload).  The I2C master blocks for the bus
 * time, as the seed's readfrom_into does.  0 to go on. */
static int exchange_read(asi2c_t *c)
{
    int r = read_hdr(c);
    if (r < 0) {
        c->i2c_errors++;
        return r;
    }
    int n = asi2c__header_len(c->stage, ASI2C_RXBUF);
    if (n < 0) {
        c->proto_errors++;
        return ASI2C_EPROTO;
    }
    if (n > 0) {
        r = UA_EIO;
        for (int i = 0; i < TRIES && r < 0; i++)
            r = ua_i2c_read(c->cfg.master, c->cfg.addr, c->stage,
                            2 + (size_t)n);
        if (r < 0) {
            c->i2c_errors++;
            return r;
        }
    }
    return asi2c__take_frame(c, c->stage, 2 + (size_t)n);
}

/* The second half: write our frame, whose header says whether our reader
 * took the payload just received.  0 when ack may be toggled. */
static int exchange_write(asi2c_t *c)
{
    int r = UA_EIO;
    asi2c__build_frame(c);
    for (int i = 0; i < TRIES && r < 0; i++)
        r = ua_i2c_write(c->cfg.master, c->cfg.addr, c->frame, c->frame_len);
    c->tx_inflight = 0;
    if (r < 0) {
        c->i2c_errors++;
        return r;
    }
    c->exchanges++;
    return 0;
}

static void exchange_end(asi2c_t *c, int r)
{
    if (r == 0) {
        ua_event_set(&c->up); /* an exchange completed: the link is up */
        c->level ^= 1;
        uint32_t us = (uint32_t)ua_ticks_diff(ua_loop_now(c->loop), c->t0);
        c->block_cnt++;
        c->block_sum += us;
        if (us > c->block_max)
            c->block_max = us;
    } else {
        /* The Initiator is resyncing, or the bus failed: go back to idle
         * and wait for its next edge. */
        c->level = 0;
        c->stalled = 1;
        ua_event_clear(&c->up);
    }
    ua_pin_write(c->cfg.own, c->level);
}

int asi2c__responder_run(ua_task_t *self, asi2c_t *c)
{
    int r = 0;
    UA_BEGIN(self, &c->run_co);
    c->level = 0;
    ua_pin_write(c->cfg.own, 0);
    c->synced = 1;
    for (;;) {
        if (!c->stalled && ua_pin_read(c->cfg.peer) != c->level) {
            c->t0 = ua_loop_now(c->loop);
            ua_delay_us(DELAY_US);
            c->st = exchange_read(c);
            if (c->st == 0) {
                /* Let the reader take what just came and the writer queue
                 * the next, so our header reports both this time. */
                UA_YIELD();
                c->st = exchange_write(c);
            }
            exchange_end(c, c->st);
            continue;
        }
        UA_AWAIT_STATUS(r, ua_flag_wait(self, &c->flag, UA_FOREVER));
        if (r < 0)
            UA_THROW(r);
        c->stalled = 0;
    }
    UA_END();
}
