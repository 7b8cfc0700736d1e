/*
 * Simulator glue of syncom_pair (see syncom_pair_app.h): two boards and the
 * wires between them, built by one app.
 *
 * The app is started on the active board ("a"); the glue creates the
 * passive board ("b", named "<a's name>_peer") on the same simulation,
 * wires the two and boots the same firmware on both.  Pins on each board:
 * 0 ckout, 1 ckin, 2 dout, 3 din, crossed between the boards; a's pin 4
 * drives b's pin 5, b's reset input (active low, pulled up): held low, b
 * is in reset (its firmware stopped); released, b boots.  Both boards are
 * charged step_us of CPU per task step and irq_us per interrupt -- by
 * default about what a MicroPython board spends, which sets the speed of
 * a bit-banged link.
 *
 * args: count= (10) and payload= (20) for a, peer_count= and
 * peer_payload= for b (default: a's), timeout= (syncom T, 50 ms),
 * send_timeout= (5000 ms), step_us= (300), irq_us= (25), reset= (1: the
 * reset wire), peer= (1; 0: no board b, the peer is absent).
 * Objects: the nets, as pins to drive noise onto -- ck_ab, ck_ba (a's and
 * b's clock out), d_ab, d_ba (data out), reset (b's reset input).
 * Probes "a.<name>" and "b.<name>": acked, last_got, got, dups, gaps,
 * corrupt, send_errors, recv_errors, boots (the firmware's); restarts,
 * timeouts, rx_errors, duplicates, nboots, running (the link's, since the
 * last boot).
 * Setters reset_a, reset_b: reset that board now; it boots again after
 * `value` ms (0: stays in reset until the reset wire is released).
 */
#include <stdio.h>
#include <string.h>

#include "sim_glue.h"
#include "sim_hw.h"
#include "syncom_pair_app.h"

typedef struct end {
    char name[2]; /* "a" or "b" */
    syncom_pair_app_t fw;
    syncom_pair_hw_t hw;
    syncom_pair_config_t cfg;
    sim_board_t *board;
    app_notify_t notify;
    sim_glue_power_t power;
} end_t;

typedef struct pair {
    end_t a, b;
} pair_t;

static int start_end(void *arg)
{
    end_t *e = arg;
    return syncom_pair_app_start(&e->fw, sim_board_loop(e->board), &e->hw, &e->cfg,
                           e->notify);
}

static void stop_end(void *arg)
{
    syncom_pair_app_stop(&((end_t *)arg)->fw);
}

static void set_reset_a(void *ctx, int64_t v)
{
    sim_glue_power_reset(&((pair_t *)ctx)->a.power, v);
}

static void set_reset_b(void *ctx, int64_t v)
{
    sim_glue_power_reset(&((pair_t *)ctx)->b.power, v);
}

static void add_probes(sim_app_t *app, end_t *e)
{
    const sim_glue_counter_t u32[] = {
        {"acked", &e->fw.acked},           {"last_got", &e->fw.inbox.last_got},
        {"got", &e->fw.inbox.got},               {"dups", &e->fw.inbox.dups},
        {"gaps", &e->fw.inbox.gaps},             {"corrupt", &e->fw.inbox.corrupt},
        {"send_errors", &e->fw.send_errors}, {"recv_errors", &e->fw.recv_errors},
        {"boots", &e->fw.boots},           {"restarts", &e->fw.link.restarts},
        {"timeouts", &e->fw.link.timeouts}, {"rx_errors", &e->fw.link.rx_errors},
        {"duplicates", &e->fw.link.duplicates}, {"nboots", &e->fw.link.nboots},
    };
    char name[32];
    sim_glue_add_counters(app, e->name, u32, sizeof u32 / sizeof u32[0]);
    snprintf(name, sizeof name, "%s.running", e->name);
    sim_app_add_probe(app, name, sim_glue_probe_u8, &e->fw.link.link_up);
}

/* Pins 0..3 of one board, named "<end>.ckout" etc. */
static void build_end(end_t *e, sim_board_t *board, uint64_t step_ns,
                      uint64_t irq_ns)
{
    static const char *const roles[4] = {"ckout", "ckin", "dout", "din"};
    ua_pin_t *hw[4];
    char name[32];
    e->board = board;
    sim_board_set_costs(board, step_ns, irq_ns);
    for (unsigned i = 0; i < 4; i++) {
        sim_pin_t *p = sim_board_pin(board, i);
        snprintf(name, sizeof name, "%s.%s", e->name, roles[i]);
        sim_pin_set_name(p, name);
        hw[i] = sim_pin_hw(p);
    }
    e->hw = (syncom_pair_hw_t){hw[0], hw[1], hw[2], hw[3], NULL};
    e->notify = sim_glue_notify_board(board);
    e->power = (sim_glue_power_t){board, start_end, stop_end, e, &e->fw.boots,
                                  e->notify, false};
}

/* Name the tasks of one end for traces and statistics. */
static void add_tasks(sim_app_t *app, end_t *e)
{
    char name[32];
    snprintf(name, sizeof name, "%s.syncom", e->name);
    sim_app_add_task(app, &e->fw.link.task, name);
    snprintf(name, sizeof name, "%s.rx", e->name);
    sim_app_add_task(app, &e->fw.rx.task, name);
    if (e->cfg.count > 0) {
        snprintf(name, sizeof name, "%s.tx", e->name);
        sim_app_add_task(app, &e->fw.tx.task, name);
    }
}

static void wire_boards(sim_app_t *app, pair_t *d, bool with_reset)
{
    sim_board_t *a = d->a.board, *b = d->b.board;
    sim_wire(sim_board_pin(a, 0), sim_board_pin(b, 1));
    sim_wire(sim_board_pin(b, 0), sim_board_pin(a, 1));
    sim_wire(sim_board_pin(a, 2), sim_board_pin(b, 3));
    sim_wire(sim_board_pin(b, 2), sim_board_pin(a, 3));
    sim_app_add_pin(app, "ck_ab", sim_board_pin(a, 0));
    sim_app_add_pin(app, "ck_ba", sim_board_pin(b, 0));
    sim_app_add_pin(app, "d_ab", sim_board_pin(a, 2));
    sim_app_add_pin(app, "d_ba", sim_board_pin(b, 2));
    if (!with_reset)
        return;
    sim_pin_t *out = sim_board_pin(a, 4), *in = sim_board_pin(b, 5);
    sim_pin_set_name(out, "a.reset_out");
    sim_pin_set_name(in, "b.reset");
    sim_wire(out, in);
    sim_pin_pull(in, +1);
    sim_glue_power_follow(&d->b.power, in);
    sim_app_add_pin(app, "reset", in);
    d->a.hw.reset = sim_pin_hw(out);
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    pair_t *d = sim_app_alloc(app, sizeof *d);
    sim_t *sim = sim_board_sim(board);
    syncom_pair_config_t cfg = SYNCOM_PAIR_CONFIG_DEFAULT;
    uint64_t step_ns =
        (uint64_t)sim_app_arg_in(args, "step_us", 300, 0, 1000000) * SIM_US;
    uint64_t irq_ns = (uint64_t)sim_app_arg_in(args, "irq_us", 25, 0, 1000000) * SIM_US;
    bool with_peer = sim_app_arg_in(args, "peer", 1, 0, 1) != 0;
    bool reset = sim_app_arg_in(args, "reset", 1, 0, 1) != 0; /* peer or not */
    char name[64];

    cfg.link_timeout_ms = (uint16_t)sim_app_arg_in(args, "timeout", 50, 1, UINT16_MAX);
    cfg.send_timeout_ms =
        (int32_t)sim_app_arg_in(args, "send_timeout", 5000, -1, INT32_MAX);
    cfg.count = (uint32_t)sim_app_arg_in(args, "count", 10, 0, (long)UINT32_MAX);
    cfg.payload = (uint32_t)sim_app_arg_in(args, "payload", 20, 0, (long)UINT32_MAX);
    if (cfg.payload == 0 || cfg.payload > SYNCOM_MAX_MSG)
        return sim_app_fail(app, "payload must be 1..%d", SYNCOM_MAX_MSG);
    d->a.cfg = cfg;
    d->b.cfg = cfg;
    d->b.cfg.active = false;
    d->b.cfg.count = (uint32_t)sim_app_arg_in(args, "peer_count", (long)cfg.count, 0,
                                              (long)UINT32_MAX);
    d->b.cfg.payload = (uint32_t)sim_app_arg_in(args, "peer_payload",
                                             (long)cfg.payload, 0, (long)UINT32_MAX);
    if (d->b.cfg.payload == 0 || d->b.cfg.payload > SYNCOM_MAX_MSG)
        return sim_app_fail(app, "peer_payload must be 1..%d", SYNCOM_MAX_MSG);

    strcpy(d->a.name, "a");
    strcpy(d->b.name, "b");
    build_end(&d->a, board, step_ns, irq_ns);
    add_probes(app, &d->a);
    sim_app_add_setter(app, "reset_a", set_reset_a, d);
    if (with_peer) {
        snprintf(name, sizeof name, "%s_peer", sim_board_name(board));
        build_end(&d->b, sim_board_new(sim, name, 0), step_ns, irq_ns);
        wire_boards(app, d, reset);
        add_probes(app, &d->b);
        sim_app_add_setter(app, "reset_b", set_reset_b, d);
    }

    /* Boot both now; a last, so its board stays the entered one. */
    int st = with_peer ? sim_glue_power_on(&d->b.power) : 0;
    if (st == 0)
        st = sim_glue_power_on(&d->a.power);
    if (st != 0)
        return sim_app_fail(app, "syncom_pair_app_start: %s", ua_err_name(st));
    if (with_peer)
        add_tasks(app, &d->b);
    add_tasks(app, &d->a);
    return 0;
}

const sim_app_def_t sim_app_syncom_pair = {
    "syncom_pair",
    "two boards joined by syncom (4 wires + reset): numbered messages both ways",
    setup};
