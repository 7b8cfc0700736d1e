/*
 * asi2c between two simulated boards (100 us CPU per task step, 10 us per
 * interrupt, I2C at 400 kHz): exchanges both ways with exact timing, flow
 * control, the buffer limit, the Responder absent, either board rebooting
 * mid-stream (with and without the reset wire), glitches on syn and ack,
 * and NACKs on the bus.  Every case checks that each record reported sent
 * arrived exactly once and in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "asi2c_rig.h"

static arig_t rig;

static void check_delivery(arig_end_t *e)
{
    arig_end_t *peer = arig_peer(&rig, e);
    assert_int_equal(peer->bad_order, 0);
    assert_true(peer->last_seq >= e->flushed);
    assert_true(peer->last_seq <= e->written);
    assert_int_equal(peer->got, peer->last_seq);
}

static void exchange_both_ways(void **state)
{
    (void)state;
    arig_init(&rig, 1, false);
    arig_start(&rig, &rig.ini, 10, 50);
    arig_start(&rig, &rig.resp, 10, 50);
    sim_run_until(rig.sim, 10 * SIM_S);
    assert_int_equal(rig.ini.flushed, 10);
    assert_int_equal(rig.resp.flushed, 10);
    check_delivery(&rig.ini);
    check_delivery(&rig.resp);
    assert_int_equal(rig.ini.link.nboots, 0);
    /* The Initiator sees ack low at its second poll (100 ms), settles
     * 1 s, waits t_poll (100 ms), then raises syn at 1200.1 ms (its task
     * step costs 100 us).  Its first frame after the wire check carries
     * no payload: it has no status from the Responder yet.  The
     * Responder reads that empty frame (2 bytes at 400 kHz), yields once
     * (its reader and writer steps, 100 us each), then writes its header
     * and record 1 (52 bytes); the Initiator's reader has it at
     * 1202.1175 ms.  The Initiator's record 1 goes in the second
     * exchange, and its reader's step there ends at 1303.7183 ms: the
     * record's read follows the header's after the I2C bus free time
     * (tBUF, 1.3 us at 400 kHz).  Then one record each way per exchange,
     * 103.116 ms apart (t_poll counted from the 1 us tick after the
     * exchange's 3.1163 ms; the yield adds 300 us to the protocol without
     * consumption acknowledgements, where record 1 arrived at 1203.0975 ms
     * and record 10 at 2128.4325 ms, before tBUF). */
    assert_int_equal(rig.resp.got_ns[1], 1303718300);
    assert_int_equal(rig.ini.got_ns[1], 1202117500);
    assert_int_equal(rig.resp.got_ns[10], 1303718300 + 9 * 103116000ull);
    assert_int_equal(rig.ini.got_ns[10], 2130261300);
    assert_int_equal(rig.ini.dups + rig.resp.dups, 0);
    assert_true(rig.ini.link.block_max < 3500);
    arig_free(&rig);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    asi2c_t *link;
    int st[2];
    uint64_t t[2];
} one_t;

static uint8_t big[ASI2C_RXBUF + 1];

static int big_fn(ua_task_t *self)
{
    one_t *o = UA_CONTAINER_OF(self, one_t, task);
    UA_BEGIN(self, &o->co);
    UA_AWAIT_STATUS(o->st[0], asi2c_write(self, o->link, big, sizeof big, 10));
    o->t[0] = sim_now(rig.sim);
    UA_AWAIT_STATUS(o->st[1], asi2c_write(self, o->link, big, 5, 10));
    UA_AWAIT_STATUS(o->st[1], asi2c_write(self, o->link, big, 5, 2500));
    o->t[1] = sim_now(rig.sim);
    UA_END();
}

static void too_big_and_responder_absent(void **state)
{
    (void)state;
    static one_t o;
    arig_init(&rig, 1, false);
    memset(&o, 0, sizeof o);
    memset(big, 'x', sizeof big);
    arig_start(&rig, &rig.ini, 0, 0);
    o.link = &rig.ini.link;
    ua_task_init(&o.task, big_fn);
    sim_spawn(rig.ini.board, &o.task, "big");
    sim_run_until(rig.sim, 5 * SIM_S + SIM_MS);
    assert_int_equal(o.st[0], ASI2C_ETOOBIG);
    /* At once: in big's first step (the third task, 100 us each). */
    assert_int_equal(o.t[0], 300 * SIM_US);
    /* The first 5-byte write is queued at once; the second waits for it
     * to be sent, which never happens: the link never synchronised. */
    assert_int_equal(o.st[1], ASI2C_ENOPEER);
    /* ... 2.5 s after the wait began at 300 us, plus the step's 100 us. */
    assert_int_equal(o.t[1], 2500400 * SIM_US);
    /* Nobody pulls ack low: a failure counted every eleven 100 ms polls,
     * at 1.0, 2.1, 3.2 and 4.3 s. */
    assert_int_equal(rig.ini.link.nboots, 4);
    assert_int_equal(rig.ini.link.exchanges, 0);
    arig_free(&rig);
}

static void run_checked(uint64_t until)
{
    sim_run_until(rig.sim, until);
    check_delivery(&rig.ini);
    check_delivery(&rig.resp);
}

static void responder_hangs_and_is_reset(void **state)
{
    (void)state;
    arig_init(&rig, 2, true);
    arig_start(&rig, &rig.ini, 30, 120);
    arig_start(&rig, &rig.resp, 30, 120);
    /* The Responder dies at 1.8 s and stays dead: only the Initiator's
     * reset pulse brings it back. */
    arig_reboot(&rig, &rig.resp, 1800 * SIM_MS + 1234 * SIM_US, 600 * SIM_S);
    run_checked(15 * SIM_S);
    assert_true(rig.ini.link.nboots >= 1);
    assert_true(rig.resp.boots >= 1);
    assert_int_equal(rig.ini.flushed, 30);
    assert_int_equal(rig.resp.flushed, 30);
    arig_free(&rig);
}

static void initiator_reboots_mid_stream(void **state)
{
    (void)state;
    arig_init(&rig, 3, false);
    arig_start(&rig, &rig.ini, 30, 120);
    arig_start(&rig, &rig.resp, 30, 120);
    arig_reboot(&rig, &rig.ini, 2 * SIM_S + 1500 * SIM_US, 300 * SIM_MS);
    run_checked(15 * SIM_S);
    assert_int_equal(rig.ini.boots, 1);
    assert_int_equal(rig.ini.flushed, 30);
    assert_int_equal(rig.resp.flushed, 30);
    assert_int_equal(rig.ini.got, 30);
    assert_int_equal(rig.resp.got, 30);
    arig_free(&rig);
}

/*
 * Regression (issue 8): a board reset after an exchange put a record in
 * its receive buffer but before its reader took it.  The link used to
 * count the record sent as soon as it was in the buffer, so the reset
 * lost it.  Record 1 reaches the Responder's buffer in its link step that
 * ends at 1202.9975 ms and its reader would take it at 1203.0975 ms; the
 * Initiator commits the Responder's record 1 at 1203.015 ms and its reader
 * would run at 1203.315 ms.  Each end is reset inside that window, and a
 * few microseconds either side of it.
 */
static void reset_before_the_reader_runs(arig_end_t *e, uint64_t at_ns,
                                         uint64_t down_ns, bool with_reset)
{
    arig_init(&rig, 7, with_reset);
    arig_start(&rig, &rig.ini, 10, 50);
    arig_start(&rig, &rig.resp, 10, 50);
    arig_reboot(&rig, e == &rig.ini ? &rig.ini : &rig.resp, at_ns, down_ns);
    run_checked(30 * SIM_S);
    assert_int_equal(rig.ini.flushed, 10);
    assert_int_equal(rig.resp.flushed, 10);
    assert_int_equal(rig.ini.last_seq, 10);
    assert_int_equal(rig.resp.last_seq, 10);
    assert_true(rig.ini.dups <= 1 && rig.resp.dups <= 1);
    arig_free(&rig);
}

static void responder_reset_before_its_reader_runs(void **state)
{
    (void)state;
    static const uint64_t at_us[] = {1202990, 1203000, 1203050, 1203090,
                                     1203100};
    for (unsigned i = 0; i < 5; i++) {
        reset_before_the_reader_runs(&rig.resp, at_us[i] * SIM_US,
                                     50 * SIM_MS, false);
        reset_before_the_reader_runs(&rig.resp, at_us[i] * SIM_US,
                                     600 * SIM_S, true);
    }
}

static void initiator_reset_before_its_reader_runs(void **state)
{
    (void)state;
    static const uint64_t at_us[] = {1203010, 1203020, 1203100, 1203300,
                                     1203320};
    for (unsigned i = 0; i < 5; i++)
        reset_before_the_reader_runs(&rig.ini, at_us[i] * SIM_US,
                                     300 * SIM_MS, false);
}

static void glitches_on_syn_and_ack(void **state)
{
    (void)state;
    arig_init(&rig, 4, true);
    arig_start(&rig, &rig.ini, 40, 60);
    arig_start(&rig, &rig.resp, 40, 60);
    sim_rng_t rng;
    sim_rng_stream(rig.sim, 99, &rng);
    sim_source_t *syn = sim_source_new(sim_board_pin(rig.ini.board, 0));
    sim_source_t *ack = sim_source_new(sim_board_pin(rig.resp.board, 0));
    for (int i = 0; i < 60; i++) {
        sim_source_t *s = i % 2 ? ack : syn;
        uint64_t t = sim_rng_range(&rng, 1100 * SIM_MS, 6 * SIM_S);
        int lvl = (int)sim_rng_range(&rng, 0, 1);
        sim_source_at(s, t, lvl);
        sim_source_at(s, t + 50 * SIM_US, SIM_Z);
    }
    run_checked(20 * SIM_S);
    assert_int_equal(rig.ini.flushed, 40);
    assert_int_equal(rig.resp.flushed, 40);
    printf("# glitches: nboots %u proto %u i2c %u\n", rig.ini.link.nboots,
           rig.ini.link.proto_errors, rig.resp.link.i2c_errors);
    arig_free(&rig);
}

static void nacks_on_the_bus(void **state)
{
    (void)state;
    arig_init(&rig, 5, true);
    arig_start(&rig, &rig.ini, 40, 60);
    arig_start(&rig, &rig.resp, 40, 60);
    sim_i2c_set_nack_prob(rig.bus, 0.2);
    run_checked(20 * SIM_S);
    assert_true(sim_i2c_failures(rig.bus) > 0);
    assert_int_equal(rig.ini.flushed, 40);
    assert_int_equal(rig.resp.flushed, 40);
    printf("# nacks: %u failed transfers, nboots %u\n",
           sim_i2c_failures(rig.bus), rig.ini.link.nboots);
    arig_free(&rig);
}

/* --- Hooks: go and fail tasks, ready(), reboot() -------------------------- */

typedef struct hook {
    ua_task_t task;
    ua_co_t co;
    asi2c_t *link;
    uint32_t runs;
    uint64_t t[8];   /* when each run started */
    uint64_t end[8]; /* ... and ended */
    int32_t hold_ms; /* how long a run lasts */
    int st;
} hook_t;

static hook_t go, fail, rdy_ini, rdy_resp, rebooter;

static int hook_fn(ua_task_t *self)
{
    hook_t *h = UA_CONTAINER_OF(self, hook_t, task);
    UA_BEGIN(self, &h->co);
    h->t[h->runs % 8] = sim_now(rig.sim);
    if (h->hold_ms > 0)
        UA_AWAIT(ua_sleep_ms(self, h->hold_ms));
    h->end[h->runs % 8] = sim_now(rig.sim);
    h->runs++;
    UA_END();
}

static int ready_fn(ua_task_t *self)
{
    hook_t *h = UA_CONTAINER_OF(self, hook_t, task);
    UA_BEGIN(self, &h->co);
    UA_AWAIT_STATUS(h->st, asi2c_ready(self, h->link, 5000));
    h->t[0] = sim_now(rig.sim);
    h->runs++;
    UA_END();
}

static void hook_init(hook_t *h, ua_task_fn fn, asi2c_t *link, int32_t hold)
{
    memset(h, 0, sizeof *h);
    h->link = link;
    h->hold_ms = hold;
    ua_task_init(&h->task, fn);
}

/*
 * The Initiator's wire check sees ack low at its 100 ms poll and arms the
 * 1 s settle at 100.2 ms (each step costs 100 us), so its step at
 * 1100.2 ms brings the link up at 1100.3 ms: the ready() waiter, woken
 * first, runs next (its step reads 1100.4 ms), then the go task it spawned
 * (1100.5 ms).  The Responder's ready() returns when its first exchange
 * completes (1201.325 ms).  The Responder dies at 2.5 s for good: the
 * Initiator raises syn at its next poll, 2522.622 ms, and 1 s later gives
 * up; the fail task runs at once (its step reads 3522.822 ms) and holds
 * the driver 50 ms (it ends at 3572.922 ms) before the 200 ms reset pulse,
 * which ends at 3773.122 ms and boots the Responder; after the next wire
 * check and settle the go task starts again at 4873.434 ms.
 */
static void go_fail_and_ready_hooks(void **state)
{
    (void)state;
    arig_init(&rig, 5, true);
    hook_init(&go, hook_fn, NULL, 0);
    hook_init(&fail, hook_fn, NULL, 50);
    rig.ini.cfg.go_task = &go.task;
    rig.ini.cfg.fail_task = &fail.task;
    arig_start(&rig, &rig.ini, 40, 20);
    arig_start(&rig, &rig.resp, 40, 20);
    hook_init(&rdy_ini, ready_fn, &rig.ini.link, 0);
    hook_init(&rdy_resp, ready_fn, &rig.resp.link, 0);
    sim_spawn(rig.ini.board, &rdy_ini.task, "ready_ini");
    sim_spawn(rig.resp.board, &rdy_resp.task, "ready_resp");
    arig_reboot(&rig, &rig.resp, 2500 * SIM_MS, 600 * SIM_S);
    run_checked(8 * SIM_S);
    assert_int_equal(rdy_ini.st, 0);
    assert_int_equal(rdy_ini.t[0], 1100400000);
    assert_int_equal(rdy_resp.st, 0);
    assert_int_equal(rdy_resp.t[0], 1201325000);
    assert_int_equal(go.runs, 2);
    assert_int_equal(rig.ini.link.go_starts, 2);
    assert_int_equal(go.t[0], 1100500000);
    assert_int_equal(go.t[1], 4873434000);
    assert_int_equal(fail.runs, 1);
    assert_int_equal(rig.ini.link.fail_runs, 1);
    assert_int_equal(fail.t[0], 3522834000);
    assert_int_equal(fail.end[0], 3572934000);
    assert_int_equal(rig.ini.link.nboots, 1);
    assert_int_equal(rig.resp.boots, 1);
    arig_free(&rig);
}

static int reboot_fn(ua_task_t *self)
{
    hook_t *h = UA_CONTAINER_OF(self, hook_t, task);
    UA_BEGIN(self, &h->co);
    UA_AWAIT(ua_sleep_ms(self, h->hold_ms));
    h->t[0] = sim_now(rig.sim);
    UA_AWAIT_STATUS(h->st, asi2c_reboot(self, h->link, 5000));
    h->end[0] = sim_now(rig.sim);
    h->runs++;
    UA_END();
}

/*
 * asi2c_reboot() at 3 s: the driver sees the request after its next poll
 * sleep, pulses the reset (200 ms), the Responder boots on the rising edge
 * and the wire check and 1 s settle follow; the call returns when the link
 * is up again.  A boot, not a failure: the fail task does not run; the go
 * task starts a second time.  Records written meanwhile all arrive.
 */
static void reboot_resets_and_resyncs(void **state)
{
    (void)state;
    arig_init(&rig, 6, true);
    hook_init(&go, hook_fn, NULL, 0);
    hook_init(&fail, hook_fn, NULL, 50);
    rig.ini.cfg.go_task = &go.task;
    rig.ini.cfg.fail_task = &fail.task;
    arig_start(&rig, &rig.ini, 40, 20);
    arig_start(&rig, &rig.resp, 40, 20);
    hook_init(&rebooter, reboot_fn, &rig.ini.link, 3000);
    sim_spawn(rig.ini.board, &rebooter.task, "rebooter");
    run_checked(12 * SIM_S);
    assert_int_equal(rebooter.st, 0);
    assert_int_equal(rebooter.t[0], 3000570000);   /* its call (in-step) */
    assert_int_equal(rebooter.end[0], 4331864000); /* link up again */
    assert_int_equal(go.runs, 2);
    assert_int_equal(go.t[0], 1100400000); /* no ready() waiter this time */
    assert_int_equal(go.t[1], 4331964000);
    assert_int_equal(fail.runs, 0);
    assert_int_equal(rig.ini.link.nboots, 1);
    assert_int_equal(rig.resp.boots, 1);
    assert_int_equal(rig.ini.flushed, 40);
    assert_int_equal(rig.resp.flushed, 40);
    /* refused where it cannot work */
    assert_int_equal(asi2c_reboot(&rebooter.task, &rig.resp.link, 10), UA_EINVAL);
    arig_free(&rig);
}

/* --- The lifecycle ------------------------------------------------------- */

#define LC_CYCLES 100

/* One end's application for the lifecycle test: a writer of numbered
 * records and a reader that checks them.  Unlike the rig's tasks they
 * live through stops: on ASI2C_ESTOPPED they note the time and wait for
 * the test to start the link again (an event: no timer of their own). */
typedef struct lc_end {
    sim_board_t *board;
    asi2c_t *link;
    ua_task_t wr, rd;
    ua_co_t wr_co, rd_co;
    ua_event_t wr_go, rd_go; /* set by each start */
    uint8_t wbuf[32], rbuf[ASI2C_RXBUF + 1];
    size_t wlen, rlen;
    int wst, rst;
    uint32_t to_send, queued; /* writes that returned 0 */
    uint32_t got, last_seq, bad;
    /* ESTOPPED per stop, and when; [LC_CYCLES]: the final stop */
    int wr_cycle[LC_CYCLES + 1], rd_cycle[LC_CYCLES + 1];
    uint64_t wr_t[LC_CYCLES + 1], rd_t[LC_CYCLES + 1];
    bool wr_done;
} lc_end_t;

static lc_end_t lc_ini, lc_resp;
static int lc_cycle = -1; /* the stop in progress */
static uint64_t lc_stop_t[LC_CYCLES];

static lc_end_t *lc_peer(lc_end_t *e)
{
    return e == &lc_ini ? &lc_resp : &lc_ini;
}

static int lc_writer(ua_task_t *self)
{
    lc_end_t *e = UA_CONTAINER_OF(self, lc_end_t, wr);
    UA_BEGIN(self, &e->wr_co);
    while (e->queued < e->to_send) {
        e->wlen = (size_t)snprintf((char *)e->wbuf, sizeof e->wbuf,
                                   "%u:record", (unsigned)(e->queued + 1));
        UA_AWAIT_STATUS(e->wst, asi2c_write(self, e->link, e->wbuf, e->wlen,
                                            UA_FOREVER));
        if (e->wst == 0) {
            e->queued++;
        } else {
            assert_int_equal(e->wst, ASI2C_ESTOPPED);
            assert_true(lc_cycle >= 0 && e->wr_cycle[lc_cycle] == 0);
            e->wr_cycle[lc_cycle]++;
            e->wr_t[lc_cycle] = sim_now(rig.sim);
            UA_AWAIT(ua_event_wait(self, &e->wr_go, UA_FOREVER));
        }
        ua_event_clear(&e->wr_go);
    }
    UA_AWAIT_STATUS(e->wst, asi2c_flush(self, e->link, UA_FOREVER));
    assert_int_equal(e->wst, 0);
    e->wr_done = true;
    UA_END();
}

static int lc_reader(ua_task_t *self)
{
    lc_end_t *e = UA_CONTAINER_OF(self, lc_end_t, rd);
    UA_BEGIN(self, &e->rd_co);
    for (;;) {
        UA_AWAIT_STATUS(e->rst, asi2c_read(self, e->link, e->rbuf,
                                           sizeof e->rbuf - 1, &e->rlen,
                                           UA_FOREVER));
        if (e->rst < 0) {
            assert_int_equal(e->rst, ASI2C_ESTOPPED);
            assert_true(lc_cycle >= 0 && e->rd_cycle[lc_cycle] == 0);
            e->rd_cycle[lc_cycle]++;
            e->rd_t[lc_cycle] = sim_now(rig.sim);
            UA_AWAIT(ua_event_wait(self, &e->rd_go, UA_FOREVER));
            ua_event_clear(&e->rd_go);
            continue;
        }
        e->rbuf[e->rlen] = 0;
        /* Exactly once, in order: record n follows record n - 1. */
        if (strtoul((const char *)e->rbuf, NULL, 10) != e->last_seq + 1u)
            e->bad++;
        e->last_seq++;
        e->got++;
    }
    UA_END();
}

static void lc_start(lc_end_t *e)
{
    ua_loop_t *loop = sim_board_loop(e->board);
    sim_board_enter(e->board);
    assert_int_equal(asi2c_start(e->link, loop), 0);
    assert_int_equal(asi2c_start(e->link, loop), UA_EBUSY);
    ua_event_set(&e->wr_go);
    ua_event_set(&e->rd_go);
}

static void lc_restart_ev(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    lc_end_t *e = arg;
    assert_true(asi2c_stopped(e->link)); /* its task has finished */
    lc_start(e);
}

/* Stop one end; even cycles start it again in the same instant, odd ones
 * 50 ms later. */
static void lc_stop_ev(sim_t *sim, void *arg, uint64_t cycle)
{
    lc_end_t *e = arg;
    ua_loop_t *loop = sim_board_loop(e->board);
    ua_ticks_t dl;

    sim_board_enter(e->board);
    assert_int_equal(asi2c_start(e->link, loop), UA_EBUSY);
    lc_cycle = (int)cycle;
    lc_stop_t[cycle] = sim_now(sim);
    /* The CPU is free (no I2C transfer in progress on the Responder's):
     * the waiters run in this instant. */
    assert_true(sim_board_busy_until(e->board) <= lc_stop_t[cycle]);
    /* Traffic flowed since the last stop (this cycle's share checked
     * below); the tasks wait in the driver. */
    assert_non_null(e->link->rd_owner);
    asi2c_stop(e->link);
    asi2c_stop(e->link); /* idempotent */
    /* Nothing of the driver is left armed: no timer (the application's
     * tasks wait without one), its flag unregistered. */
    assert_false(ua_loop_next_deadline(loop, &dl));
    assert_int_equal(ua_flag_init(&e->link->flag, loop), 0);
    ua_flag_deinit(&e->link->flag);
    assert_false(asi2c_stopped(e->link)); /* the task ends at the next pass */
    if (cycle % 2 == 0)
        lc_start(e);
    else
        sim_at(sim, sim_now(sim) + 50 * SIM_MS, lc_restart_ev, e, 0);
}

static void lc_end_init(lc_end_t *e, arig_end_t *re, enum asi2c_role role)
{
    memset(e, 0, sizeof *e);
    e->board = re->board;
    e->link = &re->link;
    e->to_send = UINT32_MAX; /* until the end of the cycles */
    ua_event_init(&e->wr_go);
    ua_event_init(&e->rd_go);
    sim_board_set_costs(e->board, 0, 0); /* waiters run at the stop's time */
    re->cfg.t_poll_ms = 10;
    assert_int_equal(asi2c_init(e->link, &re->cfg, role), 0);
    sim_board_enter(e->board);
    assert_int_equal(asi2c_start(e->link, sim_board_loop(e->board)), 0);
    ua_task_init(&e->wr, lc_writer);
    ua_task_init(&e->rd, lc_reader);
    sim_spawn(e->board, &e->rd, "reader");
    sim_spawn(e->board, &e->wr, "writer");
}

/*
 * The lifecycle, 100 times with records flowing both ways (t_poll 10 ms,
 * no reset wire, no CPU cost).  Every 3 s one end is stopped -- the
 * Initiator and the Responder in turn -- and started again at once (even
 * cycles: the link task, still finishing its cancellation, serves the new
 * start) or 50 ms later (odd ones).  Each stop leaves no timer and no
 * registered flag, a second start is refused with UA_EBUSY, and the
 * reader and the writer of the stopped end get ASI2C_ESTOPPED at the
 * stop's very time (the stops fall between exchanges: no CPU is busy).  The link resyncs after every
 * stop (the Initiator's wire check, or the Responder's missed exchange and
 * the resync after the 1 s timeout), records flow in every cycle, and
 * every record arrives exactly once and in order: the restart keeps the
 * pending write and both sequence bits.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    arig_init(&rig, 9, false);
    lc_cycle = -1;
    lc_end_init(&lc_ini, &rig.ini, ASI2C_INITIATOR);
    lc_end_init(&lc_resp, &rig.resp, ASI2C_RESPONDER);
    uint32_t seen[2] = {0, 0};
    for (int i = 0; i < LC_CYCLES; i++) {
        lc_end_t *e = i % 4 < 2 ? &lc_ini : &lc_resp;
        uint64_t t = (uint64_t)(i + 1) * 3 * SIM_S;
        sim_at(rig.sim, t, lc_stop_ev, e, (uint64_t)i);
        sim_run_until(rig.sim, t);
        assert_int_equal(lc_cycle, i);
        /* Records went both ways since the last stop. */
        assert_true(lc_ini.got > seen[0] && lc_resp.got > seen[1]);
        seen[0] = lc_ini.got;
        seen[1] = lc_resp.got;
        sim_run_until(rig.sim, t + 60 * SIM_MS);
        /* Both released by the stop, with ASI2C_ESTOPPED (asserted by the
         * tasks), at its exact time (also when started again at once: the
         * link task lets them run first). */
        assert_int_equal(e->rd_cycle[i], 1);
        assert_int_equal(e->rd_t[i], lc_stop_t[i]);
        assert_int_equal(e->wr_cycle[i], 1);
        assert_int_equal(e->wr_t[i], lc_stop_t[i]);
        assert_int_equal(lc_peer(e)->rd_cycle[i], 0);
        assert_int_equal(lc_peer(e)->wr_cycle[i], 0);
    }
    /* Both writers finish 20 more records, then flush: everything written
     * arrived once. */
    lc_ini.to_send = lc_ini.queued + 20;
    lc_resp.to_send = lc_resp.queued + 20;
    sim_run_until(rig.sim, sim_now(rig.sim) + 30 * SIM_S);
    assert_true(lc_ini.wr_done && lc_resp.wr_done);
    assert_int_equal(lc_resp.got, lc_ini.to_send);
    assert_int_equal(lc_ini.got, lc_resp.to_send);
    assert_int_equal(lc_ini.bad + lc_resp.bad, 0);
    assert_int_equal(rig.ini.link.duplicates + rig.resp.link.duplicates, 0);
    lc_cycle = LC_CYCLES;
    uint64_t t_end = sim_now(rig.sim);
    asi2c_stop(&rig.ini.link);
    asi2c_stop(&rig.resp.link);
    sim_run_until(rig.sim, t_end + SIM_MS);
    assert_true(asi2c_stopped(&rig.ini.link) && asi2c_stopped(&rig.resp.link));
    assert_int_equal(lc_ini.rd_t[LC_CYCLES], t_end);
    assert_int_equal(lc_resp.rd_t[LC_CYCLES], t_end);
    /* A first call on a stopped link is refused at once. */
    assert_int_equal(asi2c_ready(&lc_ini.wr, &rig.ini.link, 10),
                     ASI2C_ESTOPPED);
    print_message("# lifecycle: %u and %u records, %u Initiator resyncs\n",
                  (unsigned)lc_resp.got, (unsigned)lc_ini.got,
                  (unsigned)rig.ini.link.nboots);
    arig_free(&rig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exchange_both_ways),
        cmocka_unit_test(too_big_and_responder_absent),
        cmocka_unit_test(responder_hangs_and_is_reset),
        cmocka_unit_test(initiator_reboots_mid_stream),
        cmocka_unit_test(responder_reset_before_its_reader_runs),
        cmocka_unit_test(initiator_reset_before_its_reader_runs),
        cmocka_unit_test(glitches_on_syn_and_ack),
        cmocka_unit_test(nacks_on_the_bus),
        cmocka_unit_test(go_fail_and_ready_hooks),
        cmocka_unit_test(reboot_resets_and_resyncs),
        cmocka_unit_test(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
