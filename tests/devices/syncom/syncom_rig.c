/* Two boards joined by syncom (see syncom_rig.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syncom_rig.h"

static rig_t *the_rig; /* for the reboot events */

rig_end_t *rig_peer(rig_t *r, rig_end_t *e)
{
    return e == &r->a ? &r->b : &r->a;
}

static int sender_fn(ua_task_t *self)
{
    rig_sender_t *t = UA_CONTAINER_OF(self, rig_sender_t, task);
    rig_end_t *e = t->end;
    UA_BEGIN(self, &t->co);
    while (e->acked < e->to_send) {
        uint32_t seq = e->acked + 1;
        int k = snprintf((char *)t->msg, sizeof t->msg, "%u:", (unsigned)seq);
        for (t->len = (size_t)k; t->len < e->payload; t->len++)
            t->msg[t->len] = (uint8_t)('a' + (seq + t->len) % 26);
        if (e->queued_ns[seq % 1024] == 0)
            e->queued_ns[seq % 1024] = sim_now(sim_board_sim(e->board));
        UA_AWAIT_STATUS(t->status, syncom_send(self, &e->link, t->msg, t->len,
                                               (int32_t)e->send_timeout_ms));
        if (t->status == 0) {
            e->acked++;
            e->last_ack_ns = sim_now(sim_board_sim(e->board));
        } else {
            e->send_errors++;
            if (t->status != UA_ETIMEDOUT && t->status != SYNCOM_ENOPEER)
                UA_THROW(t->status);
        }
    }
    UA_END();
}

static int receiver_fn(ua_task_t *self)
{
    rig_receiver_t *t = UA_CONTAINER_OF(self, rig_receiver_t, task);
    rig_end_t *e = t->end;
    rig_end_t *peer;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT(syncom_recv(self, &e->link, t->buf, sizeof t->buf, &t->len,
                             UA_FOREVER));
        peer = rig_peer(the_rig, e);
        unsigned long seq = strtoul((const char *)t->buf, NULL, 10);
        if (seq <= e->last_seq) {
            /* A copy of one we have: the sender or we rebooted between our
             * taking it and its hearing so (see syncom.h).  Dropped, as an
             * application that numbers its messages does. */
            e->dups++;
            continue;
        }
        if (seq != e->last_seq + 1u) {
            e->bad_order++;
            if (getenv("RIG_DEBUG"))
                fprintf(stderr, "# %s got %lu after %u at %llu: %.*s\n",
                        sim_board_name(e->board), seq, e->last_seq,
                        (unsigned long long)sim_now(sim_board_sim(e->board)),
                        (int)t->len, (const char *)t->buf);
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

static void start_tasks(rig_end_t *e)
{
    sim_board_enter(e->board);
    /* A (re)boot: a fresh driver, as the board's memory is. */
    syncom_init(&e->link, &e->cfg);
    syncom_start(&e->link, sim_board_loop(e->board));
    sim_task_name(sim_board_sim(e->board), &e->link.task, "syncom");
    memset(&e->tx, 0, sizeof e->tx);
    memset(&e->rx, 0, sizeof e->rx);
    e->tx.end = e;
    e->rx.end = e;
    ua_task_init(&e->rx.task, receiver_fn);
    sim_spawn(e->board, &e->rx.task, "rx");
    if (e->to_send > 0) {
        ua_task_init(&e->tx.task, sender_fn);
        sim_spawn(e->board, &e->tx.task, "tx");
    }
}

static void crash(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    rig_end_t *e = arg;
    sim_board_enter(e->board);
    syncom_stop(&e->link);
    /* Then its tasks: the link task, cancelled first, runs first at the
     * next pass, and the scenarios\' times follow that order. */
    ua_task_cancel(&e->tx.task);
    ua_task_cancel(&e->rx.task);
}

static void boot(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    rig_end_t *e = arg;
    e->boots++;
    start_tasks(e);
}

/* b's reset input: held low = in reset, released = boots. */
static void reset_watch(void *arg, int level, uint64_t t_ns)
{
    rig_end_t *e = arg;
    sim_t *sim = sim_board_sim(e->board);
    if (level == 0)
        sim_at(sim, t_ns, crash, e, 0);
    else
        sim_at(sim, t_ns, boot, e, 0);
}

void rig_init(rig_t *r, uint64_t seed, bool with_reset)
{
    memset(r, 0, sizeof *r);
    the_rig = r;
    r->sim = sim_new(seed);
    r->a.board = sim_board_new(r->sim, "a", 0);
    r->b.board = sim_board_new(r->sim, "b", 0);
    rig_end_t *ends[2] = {&r->a, &r->b};
    for (int i = 0; i < 2; i++) {
        rig_end_t *e = ends[i];
        sim_board_t *bd = e->board;
        sim_board_set_costs(bd, RIG_STEP_NS, RIG_IRQ_NS);
        e->cfg.ckout = sim_pin_hw(sim_board_pin(bd, 0));
        e->cfg.ckin = sim_pin_hw(sim_board_pin(bd, 1));
        e->cfg.dout = sim_pin_hw(sim_board_pin(bd, 2));
        e->cfg.din = sim_pin_hw(sim_board_pin(bd, 3));
        e->cfg.active = i == 0;
        e->send_timeout_ms = 5000;
    }
    sim_wire(sim_board_pin(r->a.board, 0), sim_board_pin(r->b.board, 1));
    sim_wire(sim_board_pin(r->b.board, 0), sim_board_pin(r->a.board, 1));
    sim_wire(sim_board_pin(r->a.board, 2), sim_board_pin(r->b.board, 3));
    sim_wire(sim_board_pin(r->b.board, 2), sim_board_pin(r->a.board, 3));
    r->wires[0] = sim_board_pin(r->a.board, 0);
    r->wires[1] = sim_board_pin(r->b.board, 0);
    r->wires[2] = sim_board_pin(r->a.board, 2);
    r->wires[3] = sim_board_pin(r->b.board, 2);
    if (with_reset) {
        r->a.cfg.reset = sim_pin_hw(sim_board_pin(r->a.board, 4));
        sim_wire(sim_board_pin(r->a.board, 4), sim_board_pin(r->b.board, 5));
        sim_pin_pull(sim_board_pin(r->b.board, 5), 1);
        sim_pin_watch(sim_board_pin(r->b.board, 5), reset_watch, &r->b);
    }
}

void rig_free(rig_t *r)
{
    sim_free(r->sim);
    the_rig = NULL;
}

void rig_start(rig_t *r, rig_end_t *e, uint32_t count, uint32_t payload)
{
    (void)r;
    e->to_send = count;
    e->payload = payload;
    e->first_send_ns = sim_now(sim_board_sim(e->board));
    start_tasks(e);
}

void rig_reboot(rig_t *r, rig_end_t *e, uint64_t at_ns, uint64_t down_ns)
{
    sim_at(r->sim, at_ns, crash, e, 0);
    sim_at(r->sim, at_ns + down_ns, boot, e, 0);
}
