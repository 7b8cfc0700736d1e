/* Two boards joined by asi2c (see asi2c_rig.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asi2c_rig.h"

static arig_t *the_rig;

arig_end_t *arig_peer(arig_t *r, arig_end_t *e)
{
    return e == &r->ini ? &r->resp : &r->ini;
}

static int writer_fn(ua_task_t *self)
{
    arig_task_t *t = UA_CONTAINER_OF(self, arig_task_t, task);
    arig_end_t *e = t->end;
    UA_BEGIN(self, &t->co);
    while (e->written < e->to_send) {
        uint32_t seq = e->written + 1;
        int k = snprintf((char *)t->buf, sizeof t->buf, "%u:", (unsigned)seq);
        for (t->len = (size_t)k; t->len < e->payload; t->len++)
            t->buf[t->len] = (uint8_t)('a' + (seq + t->len) % 26);
        if (e->queued_ns[seq % 1024] == 0)
            e->queued_ns[seq % 1024] = sim_now(sim_board_sim(e->board));
        UA_AWAIT_STATUS(t->status, asi2c_write(self, &e->link, t->buf, t->len,
                                               (int32_t)e->write_timeout_ms));
        if (t->status == 0) {
            e->flushed = e->written;
            e->written++;
        } else {
            e->errors++;
            if (t->status != UA_ETIMEDOUT && t->status != ASI2C_ENOPEER)
                UA_THROW(t->status);
        }
    }
    UA_AWAIT_STATUS(t->status, asi2c_flush(self, &e->link, 60000));
    if (t->status == 0)
        e->flushed = e->written;
    UA_END();
}

static int reader_fn(ua_task_t *self)
{
    arig_task_t *t = UA_CONTAINER_OF(self, arig_task_t, task);
    arig_end_t *e = t->end;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT(asi2c_read(self, &e->link, t->buf, sizeof t->buf - 1,
                            &t->len, UA_FOREVER));
        t->buf[t->len] = 0;
        arig_end_t *peer = arig_peer(the_rig, e);
        unsigned long seq = strtoul((const char *)t->buf, NULL, 10);
        if (seq <= e->last_seq) {
            /* A copy: a board reset between our reader taking it and the
             * writer hearing so (see asi2c.h).  Dropped. */
            e->dups++;
            continue;
        }
        if (seq != e->last_seq + 1u) {
            e->bad_order++;
            if (getenv("RIG_DEBUG"))
                fprintf(stderr, "# %s got %lu after %u at %llu\n",
                        sim_board_name(e->board), seq, e->last_seq,
                        (unsigned long long)sim_now(sim_board_sim(e->board)));
        }
        e->last_seq = (uint32_t)seq;
        e->got++;
        uint64_t now = sim_now(sim_board_sim(e->board));
        e->got_ns[seq % 1024] = now;
        uint64_t lat = now - peer->queued_ns[seq % 1024];
        e->lat_sum_ns += lat;
        if (lat > e->lat_max_ns)
            e->lat_max_ns = lat;
    }
    UA_END();
}

static void start_tasks(arig_t *r, arig_end_t *e)
{
    ua_loop_t *loop = sim_board_loop(e->board);
    e->up = true;
    sim_board_enter(e->board);
    /* A (re)boot: a fresh driver, as the board's memory is. */
    asi2c_init(&e->link, &e->cfg,
               e->initiator ? ASI2C_INITIATOR : ASI2C_RESPONDER);
    asi2c_start(&e->link, loop);
    sim_task_name(r->sim, &e->link.task, "asi2c");
    memset(&e->wr, 0, sizeof e->wr);
    memset(&e->rd, 0, sizeof e->rd);
    e->wr.end = e;
    e->rd.end = e;
    ua_task_init(&e->rd.task, reader_fn);
    sim_spawn(e->board, &e->rd.task, "reader");
    if (e->to_send > 0) {
        ua_task_init(&e->wr.task, writer_fn);
        sim_spawn(e->board, &e->wr.task, "writer");
    }
}

static void crash(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    arig_end_t *e = arg;
    if (!e->up)
        return;
    e->up = false;
    sim_board_enter(e->board);
    asi2c_stop(&e->link);
    /* Then its tasks: the link task, cancelled first, runs first at the
     * next pass, and the scenarios\' times follow that order. */
    ua_task_cancel(&e->wr.task);
    ua_task_cancel(&e->rd.task);
}

static void boot(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    arig_end_t *e = arg;
    if (e->up || e->link.task.fn == NULL)
        return; /* running, or never started */
    e->boots++;
    /* What a reboot loses: a write still queued is written again. */
    if (e->link.tx_len != 0 && e->written > 0)
        e->written--;
    e->flushed = e->written;
    start_tasks(the_rig, e);
}

static void reset_watch(void *arg, int level, uint64_t t_ns)
{
    arig_end_t *e = arg;
    sim_at(sim_board_sim(e->board), t_ns, level ? boot : crash, e, 0);
}

void arig_init(arig_t *r, uint64_t seed, bool with_reset)
{
    memset(r, 0, sizeof *r);
    the_rig = r;
    r->sim = sim_new(seed);
    r->ini.board = sim_board_new(r->sim, "ini", 0);
    r->resp.board = sim_board_new(r->sim, "resp", 0);
    r->ini.initiator = true;
    r->bus = sim_board_i2c(r->resp.board, 0, 400000);
    r->slave = sim_board_i2c_slave(r->ini.board, 0, r->bus);
    arig_end_t *ends[2] = {&r->ini, &r->resp};
    for (int i = 0; i < 2; i++) {
        arig_end_t *e = ends[i];
        sim_board_set_costs(e->board, ARIG_STEP_NS, ARIG_IRQ_NS);
        e->cfg.own = sim_pin_hw(sim_board_pin(e->board, 0));
        e->cfg.peer = sim_pin_hw(sim_board_pin(e->board, 1));
        e->write_timeout_ms = 30000;
    }
    r->ini.cfg.slave = sim_i2cs_hw(r->slave);
    r->resp.cfg.master = sim_i2c_hw(r->bus);
    sim_wire(sim_board_pin(r->ini.board, 0), sim_board_pin(r->resp.board, 1));
    sim_wire(sim_board_pin(r->resp.board, 0), sim_board_pin(r->ini.board, 1));
    if (with_reset) {
        r->ini.cfg.reset = sim_pin_hw(sim_board_pin(r->ini.board, 4));
        r->ini.cfg.reset_level = 0;
        sim_wire(sim_board_pin(r->ini.board, 4), sim_board_pin(r->resp.board, 5));
        sim_pin_pull(sim_board_pin(r->resp.board, 5), 1);
        sim_pin_watch(sim_board_pin(r->resp.board, 5), reset_watch, &r->resp);
    }
}

void arig_free(arig_t *r)
{
    sim_free(r->sim);
    the_rig = NULL;
}

void arig_start(arig_t *r, arig_end_t *e, uint32_t count, uint32_t payload)
{
    e->to_send = count;
    e->payload = payload;
    start_tasks(r, e);
}

void arig_reboot(arig_t *r, arig_end_t *e, uint64_t at_ns, uint64_t down_ns)
{
    sim_at(r->sim, at_ns, crash, e, 0);
    sim_at(r->sim, at_ns + down_ns, boot, e, 0);
}
