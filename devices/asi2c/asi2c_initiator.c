/*
 * asi2c Initiator: the I2C-slave end, which drives syn and paces the
 * exchanges (see asi2c.h).  Its I2C callbacks run in interrupt context and
 * only serve the frame or store the Responder's bytes.
 */
#include "asi2c_int.h"

/* --- I2C slave callbacks (interrupt context) --------------------------- */

static int on_start(void *arg, int is_read)
{
    asi2c_t *c = arg;
    if (!c->in_exchange)
        return 1; /* not now: the Responder learns we are resyncing */
    c->last_was_write = !is_read;
    if (is_read) {
        c->frame_pos = 0;
    } else {
        c->stage_len = 0;
        c->stage_done = 0;
        c->stage_bad = 0;
    }
    return 0;
}

static uint8_t on_tx(void *arg)
{
    asi2c_t *c = arg;
    return c->frame_pos < c->frame_len ? c->frame[c->frame_pos++] : 0xFF;
}

static int on_rx(void *arg, uint8_t byte)
{
    asi2c_t *c = arg;
    if (c->stage_len == sizeof c->stage) {
        c->stage_bad = 1;
        return 1;
    }
    c->stage[c->stage_len++] = byte;
    return 0;
}

static void on_stop(void *arg, ua_ticks_t when)
{
    asi2c_t *c = arg;
    (void)when;
    if (c->in_exchange && c->last_was_write) {
        c->stage_done = 1;
        ua_flag_set(&c->flag);
    }
}

const ua_i2c_slave_cbs_t asi2c__slave_cbs = {on_start, on_rx, on_tx, on_stop};

/* --- the task ------------------------------------------------------------ */

static ua_loop_t *loop_of(asi2c_t *c)
{
    return c->loop; /* not c->flag.loop: asi2c_stop clears that */
}

/* Microseconds left of the handshake timeout (0: expired). */
static int32_t left_us(asi2c_t *c)
{
    int32_t el = ua_ticks_diff(ua_loop_now(loop_of(c)), c->t0);
    int32_t left = ASI2C_TIMEOUT_MS * 1000 - el;
    return left > 0 ? left : 0;
}

static bool exchange_done(asi2c_t *c)
{
    return ua_pin_read(c->cfg.peer) == c->level && c->stage_done;
}

/* The Responder's frame is in stage: take it.  false if malformed. */
static bool finish_exchange(asi2c_t *c)
{
    uint32_t us = (uint32_t)ua_ticks_diff(ua_loop_now(loop_of(c)), c->t0);
    c->in_exchange = 0;
    if (c->stage_bad) {
        c->proto_errors++;
        return false;
    }
    if (asi2c__take_frame(c, c->stage, c->stage_len) < 0)
        return false;
    c->exchanges++;
    c->block_cnt++;
    c->block_sum += us;
    if (us > c->block_max)
        c->block_max = us;
    return true;
}

/* The link is up: say so, and start the application's go task unless it
 * still runs from the last time. */
static void link_up(asi2c_t *c)
{
    ua_event_set(&c->up);
    if (c->cfg.go_task != NULL && !ua_task_running(c->cfg.go_task) &&
        ua_spawn(loop_of(c), c->cfg.go_task) == 0)
        c->go_starts++;
}

int asi2c__initiator_run(ua_task_t *self, asi2c_t *c)
{
    int r = 0;
    UA_BEGIN(self, &c->run_co);
    for (;;) {
        /* Wire check: own low, wait for the Responder's low. */
        c->synced = 0;
        ua_event_clear(&c->up);
        c->in_exchange = 0;
        c->level = 0;
        ua_pin_write(c->cfg.own, 0);
        for (c->i = 0; ua_pin_read(c->cfg.peer) != 0; c->i++) {
            if (c->i == ASI2C_TIMEOUT_MS / 100) {
                c->i = 0;
                c->nboots++; /* nobody there: try resetting it */
                if (c->cfg.reset != NULL) {
                    ua_pin_write(c->cfg.reset, c->cfg.reset_level);
                    UA_AWAIT(ua_sleep_ms(self, c->cfg.reset_ms));
                    ua_pin_write(c->cfg.reset, !c->cfg.reset_level);
                }
            }
            UA_AWAIT(ua_sleep_ms(self, 100));
        }
        UA_AWAIT(ua_sleep_ms(self, 1000));
        c->synced = 1;
        c->peer_known = 0; /* no payload before the Responder's status */
        link_up(c);
        for (;;) {
            UA_AWAIT(ua_sleep_ms(self, c->cfg.t_poll_ms));
            if (c->reboot_req)
                break; /* asi2c_reboot: reset and resync now */
            asi2c__build_frame(c);
            c->stage_done = 0;
            c->stage_len = 0;
            c->in_exchange = 1;
            c->t0 = ua_loop_now(loop_of(c));
            c->level ^= 1;
            ua_pin_write(c->cfg.own, c->level);
            while (!exchange_done(c) && left_us(c) > 0) {
                UA_AWAIT_STATUS(r, ua_flag_wait_us(self, &c->flag, left_us(c)));
                if (r < 0 && r != UA_ETIMEDOUT)
                    UA_THROW(r);
            }
            if (!exchange_done(c) || !finish_exchange(c))
                break;
        }
        /* The Responder failed (seed: nboots, cr_fail, reboot), or the
         * application asked for a reboot. */
        c->in_exchange = 0;
        c->tx_inflight = 0; /* still pending: the status after the resync decides */
        c->synced = 0;
        ua_event_clear(&c->up);
        c->nboots++;
        if (!c->reboot_req && c->cfg.fail_task != NULL) {
            if (!ua_task_running(c->cfg.fail_task) &&
                ua_spawn(loop_of(c), c->cfg.fail_task) == 0)
                c->fail_runs++;
            UA_AWAIT_STATUS(r, ua_join(self, c->cfg.fail_task, UA_FOREVER));
            if (r == UA_ECANCELLED && ua_task_done(c->cfg.fail_task) == false)
                UA_THROW(r); /* we were cancelled (asi2c_stop) */
        }
        c->reboot_req = 0;
        if (c->cfg.reset != NULL) {
            ua_pin_write(c->cfg.reset, c->cfg.reset_level);
            UA_AWAIT(ua_sleep_ms(self, c->cfg.reset_ms));
            ua_pin_write(c->cfg.reset, !c->cfg.reset_level);
        }
    }
    UA_FINALLY
    c->in_exchange = 0;
    UA_END();
}
