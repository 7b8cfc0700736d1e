/*
 * syncom: the link task (clocking, timeouts, restarts) and the send/receive
 * awaitables.  See syncom.h for the protocol.
 */
#include <stddef.h>
#include <string.h>

#include "syncom_int.h"
#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

static void ck_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((syncom_t *)arg)->ck_flag);
}

static int32_t timeout_ms(const syncom_t *s)
{
    return s->cfg.timeout_ms ? s->cfg.timeout_ms : 50;
}

/* How long to wait for the peer's clock: T while running; for the first
 * bit 4T on the active side (the peer may still be quiet after its own
 * restart) and forever on the passive side (it follows the active one). */
static int32_t wait_ms(const syncom_t *s)
{
    if (s->cfg.active)
        return s->step <= 1 ? 4 * timeout_ms(s) : timeout_ms(s);
    return s->step == 0 ? UA_FOREVER : timeout_ms(s);
}

static void pins_low(syncom_t *s)
{
    ua_pin_write(s->cfg.dout, 0);
    ua_pin_write(s->cfg.ckout, 0);
    s->ck = 0;
}

/* One bit each way: sample din (except on the active side's very first
 * action, which has nothing to sample), drive dout, move our clock. */
static int do_bit(syncom_t *s, int ckin)
{
    int r = 0;
    if (!(s->cfg.active && s->step == 0))
        r = syncom__rx_bit(s, ua_pin_read(s->cfg.din));
    if (r < 0)
        return r;
    ua_pin_write(s->cfg.dout, syncom__tx_bit(s));
    s->ck = s->cfg.active ? (uint8_t)!s->ck : (uint8_t)ckin;
    ua_pin_write(s->cfg.ckout, s->ck);
    s->step++;
    return 0;
}

/* One start's run of the link, a sub-coroutine of the link task (frame
 * s->run_co).  Returns only with an error: UA_ECANCELLED at a stop. */
static int link_run(ua_task_t *self, syncom_t *s)
{
    int r = 0;
    UA_BEGIN(self, &s->run_co);
    s->quiet = 0; /* a start begins at once, as the first one */
    for (;;) {
        s->link_up = 0;
        s->restart = 0;
        syncom__chars_reset(s);
        if (s->quiet) {
            /* Hold the clock where it is while quiet: dropping it now
             * would look like an answer to the peer. */
            if (s->cfg.reset != NULL) {
                ua_pin_write(s->cfg.reset, 0);
                s->nboots++;
                UA_AWAIT(ua_sleep_ms(self, SYNCOM_RESET_MS));
                ua_pin_write(s->cfg.reset, 1);
            }
            UA_AWAIT(ua_sleep_ms(self, 2 * timeout_ms(s)));
        }
        s->step = 0;
        pins_low(s);
        ua_flag_clear(&s->ck_flag);
        for (;;) {
            int ckin = ua_pin_read(s->cfg.ckin);
            if (s->restart)
                break;
            if (s->cfg.active ? ckin == s->ck : ckin != s->ck) {
                if (do_bit(s, ckin) < 0)
                    break;
                continue;
            }
            UA_AWAIT_STATUS(r, ua_flag_wait(self, &s->ck_flag, wait_ms(s)));
            if (r == UA_ETIMEDOUT) {
                s->timeouts++;
                break;
            }
            if (r < 0)
                UA_THROW(r);
        }
        s->restarts++;
        s->quiet = 1;
    }
    UA_FINALLY
    pins_low(s);
    s->link_up = 0;
    UA_END();
}

/*
 * One task serves every start: syncom_stop cancels it, which ends the
 * run; if syncom_start came before the task had finished (the next pass),
 * it runs the link again for the new start instead of ending.
 */
static int link_task(ua_task_t *self)
{
    syncom_t *s = UA_CONTAINER_OF(self, syncom_t, task);
    int st = 0;
    UA_BEGIN(self, &s->co);
    s->task_up = 1;
    while (s->state == ST_STARTED) {
        UA_AWAIT_STATUS(st, link_run(self, s));
        if (st != UA_ECANCELLED)
            UA_THROW(st); /* a primitive failed: the link is dead */
        /* Started again before this task ended: the waiters the stop
         * released run first, before the new start's traffic. */
        if (s->state == ST_STARTED)
            UA_AWAIT_STATUS(st, ua_yield(self));
    }
    UA_END();
}

int syncom_init(syncom_t *s, const syncom_cfg_t *cfg)
{
    if (s->state == ST_STARTED)
        return UA_EBUSY;
    if (cfg == NULL || cfg->ckin == NULL || cfg->ckout == NULL ||
        cfg->din == NULL || cfg->dout == NULL)
        return UA_EINVAL;
    /* The task and the lifecycle fields before cfg survive: a task still
     * finishing a stop is linked in the loop (see Lifecycle). */
    memset(&s->cfg, 0, sizeof *s - offsetof(syncom_t, cfg));
    s->cfg = *cfg;
    s->rx_last_seq = 0xFF;
    s->peer_last = 0xFF;
    ua_event_init(&s->tx_done);
    ua_event_init(&s->rx_ready);
    return 0;
}

int syncom_start(syncom_t *s, ua_loop_t *loop)
{
    const syncom_cfg_t *cfg = &s->cfg;
    int r;

    if (s->state == ST_STARTED)
        return UA_EBUSY;
    if (cfg->ckin == NULL || loop == NULL)
        return UA_EINVAL; /* never initialised */
    /* Registered here and unregistered by syncom_stop, so that a restart
     * never links a flag that is still registered (into itself). */
    if ((r = ua_flag_init(&s->ck_flag, loop)) < 0)
        return r;
    s->loop = loop;
    s->link_up = 0;
    /* Latch the level before enabling the output, so no edge escapes. */
    ua_pin_write(cfg->ckout, 0);
    ua_pin_write(cfg->dout, 0);
    ua_pin_configure(cfg->ckout, UA_PIN_OUTPUT);
    ua_pin_configure(cfg->dout, UA_PIN_OUTPUT);
    ua_pin_configure(cfg->ckin, UA_PIN_INPUT);
    ua_pin_configure(cfg->din, UA_PIN_INPUT);
    if (cfg->reset != NULL) {
        ua_pin_write(cfg->reset, 1);
        ua_pin_configure(cfg->reset, UA_PIN_OUTPUT);
    }
    if ((r = ua_pin_set_irq(cfg->ckin, UA_EDGE_BOTH, ck_isr, s)) < 0)
        goto fail;
    if (!ua_task_running(&s->task)) {
        ua_task_init(&s->task, link_task);
        s->co = (ua_co_t){0};
        s->run_co = (ua_co_t){0};
        s->task_up = 0;
        if ((r = ua_spawn(loop, &s->task)) < 0) {
            ua_pin_set_irq(cfg->ckin, 0, NULL, NULL);
            goto fail;
        }
    }
    s->state = ST_STARTED;
    return 0;
fail:
    ua_flag_deinit(&s->ck_flag);
    return r;
}

void syncom_stop(syncom_t *s)
{
    if (s->state != ST_STARTED)
        return;
    s->state = ST_STOPPED;
    ua_pin_set_irq(s->cfg.ckin, 0, NULL, NULL);
    ua_flag_deinit(&s->ck_flag);
    /* A task that has not run yet is left alone: cancelled, it would
     * finish without running and a start before the next pass would have
     * no task; run, it sees the state and ends (or serves the new
     * start).  The user task is the application's: not cancelled. */
    if (s->task_up)
        ua_task_cancel(&s->task);
    pins_low(s);
    s->link_up = 0;
    ua_event_fail_waiters(&s->tx_done, SYNCOM_ESTOPPED);
    ua_event_fail_waiters(&s->rx_ready, SYNCOM_ESTOPPED);
}

bool syncom_stopped(const syncom_t *s)
{
    return s->state != ST_STARTED && !ua_task_running(&s->task);
}

void syncom__link_up(syncom_t *s)
{
    s->link_up = 1;
    ua_task_t *t = s->cfg.user_task;
    if (t != NULL && !ua_task_running(t) && ua_spawn(s->loop, t) == 0)
        s->user_starts++;
}

size_t syncom_any(const syncom_t *s)
{
    return s->rx_full ? 1u : 0u;
}

bool syncom_running(const syncom_t *s)
{
    return s->link_up != 0;
}

static int check_message(const uint8_t *buf, size_t n)
{
    if (n == 0 || n > SYNCOM_MAX_MSG || buf == NULL)
        return SYNCOM_ETOOLONG;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0 || buf[i] > 127)
            return SYNCOM_EBYTE;
    return 0;
}

int syncom_send(ua_task_t *self, syncom_t *s, const uint8_t *buf, size_t n,
                int32_t timeout_ms)
{
    int r = 0;
    if (s->tx_owner != NULL && s->tx_owner != self)
        return SYNCOM_EBUSY;
    UA_BEGIN(self, &s->tx_co);
    if ((r = check_message(buf, n)) < 0)
        UA_THROW(r);
    if (s->state != ST_STARTED)
        UA_THROW(SYNCOM_ESTOPPED);
    s->tx_owner = self;
    s->tx_msg = buf;
    s->tx_len = n;
    ua_event_clear(&s->tx_done);
    s->tx_onwire = 0;
    s->tx_state = SYNCOM_TX_QUEUED;
    UA_AWAIT_STATUS(r, ua_event_wait(self, &s->tx_done, timeout_ms));
    if (r < 0) {
        /* Withdrawn after it went out: restart, so the receiver drops a
         * part and the next sequence bit comes from a fresh status. */
        if (s->tx_state != SYNCOM_TX_NONE && s->tx_onwire)
            s->restart = 1;
        s->tx_state = SYNCOM_TX_NONE;
        s->tx_onwire = 0;
        UA_THROW(r == UA_ETIMEDOUT && !s->link_up ? SYNCOM_ENOPEER : r);
    }
    UA_FINALLY
    s->tx_owner = NULL;
    UA_END();
}

int syncom_recv(ua_task_t *self, syncom_t *s, uint8_t *buf, size_t cap,
                size_t *len, int32_t timeout_ms)
{
    if (s->rx_owner != NULL && s->rx_owner != self)
        return SYNCOM_EBUSY;
    UA_BEGIN(self, &s->rx_co);
    if (s->state != ST_STARTED && !s->rx_full)
        UA_THROW(SYNCOM_ESTOPPED); /* what came before the stop is taken */
    s->rx_owner = self;
    UA_AWAIT(ua_event_wait(self, &s->rx_ready, timeout_ms));
    if (s->msg_len > cap)
        UA_THROW(SYNCOM_ETOOLONG);
    memcpy(buf, s->msg, s->msg_len);
    *len = s->msg_len;
    s->rx_full = 0;
    s->tx_st_due = 1; /* collected: tell the sender (the acknowledgement) */
    ua_event_clear(&s->rx_ready);
    UA_FINALLY
    s->rx_owner = NULL;
    UA_END();
}
