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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
