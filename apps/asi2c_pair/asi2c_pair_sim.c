/*
 * Simulator glue of asi2c_pair (see asi2c_pair_app.h): two boards, the I2C
 * bus and the wires between them, built by one app.
 *
 * The app is started on the Initiator board ("ini", an I2C slave at 0x12);
 * the glue creates the Responder board ("resp", named "<ini's name>_peer",
 * the I2C master on its bus 0) on the same simulation, wires the two and
 * boots the same firmware on both.  Pin 0 of each board is its own wire
 * (syn on ini, ack on resp), pin 1 reads the other's; ini's pin 4 drives
 * resp's pin 5, resp's reset input (active low, pulled up): held low, resp
 * is in reset (its firmware stopped); released, it boots.  Both boards are
 * charged step_us of CPU per task step and irq_us per interrupt.
 *
 * args: count= (10) and payload= (50) for ini, peer_count= and
 * peer_payload= for resp (default: ini's), t_poll= (100 ms),
 * write_timeout= (30000 ms), i2c_hz= (400000), step_us= (100), irq_us=
 * (10), reset= (1: the reset wire), peer= (1; 0: no Responder at all).
 * Objects: syn, ack (the wires, as pins to drive glitches onto), reset
 * (resp's reset input), i2c (the bus: inject NACKs, read counters).
 * Probes "ini.<name>" and "resp.<name>": sent, queued, last_got, got,
 * dups, gaps, corrupt, write_errors, read_errors, boots (the firmware's);
 * nboots, exchanges, bytes_sent, bytes_received, i2c_errors,
 * proto_errors, block_max, synced (the link's, since the last boot).
 * Setters reset_ini, reset_resp: reset that board now; it boots again
 * after `value` ms (0: stays in reset until the reset wire is released).
 */
#include <stdio.h>
#include <string.h>

#include "asi2c_pair_app.h"
#include "sim_glue.h"
#include "sim_hw.h"
#include "sim_i2cs.h"

typedef struct end {
    char name[8]; /* "ini" or "resp" */
    asi2c_pair_app_t fw;
    asi2c_pair_hw_t hw;
    asi2c_pair_config_t cfg;
    sim_board_t *board;
    app_notify_t notify;
    sim_glue_power_t power;
} end_t;

typedef struct pair {
    end_t ini, resp;
} pair_t;

static int start_end(void *arg)
{
    end_t *e = arg;
    return asi2c_pair_app_start(&e->fw, sim_board_loop(e->board), &e->hw, &e->cfg,
                           e->notify);
}

static void stop_end(void *arg)
{
    asi2c_pair_app_stop(&((end_t *)arg)->fw);
}

static void set_reset_ini(void *ctx, int64_t v)
{
    sim_glue_power_reset(&((pair_t *)ctx)->ini.power, v);
}

static void set_reset_resp(void *ctx, int64_t v)
{
    sim_glue_power_reset(&((pair_t *)ctx)->resp.power, v);
}

static void add_probes(sim_app_t *app, end_t *e)
{
    const sim_glue_counter_t u32[] = {
        {"sent", &e->fw.sent},
        {"queued", &e->fw.queued},
        {"last_got", &e->fw.inbox.last_got},
        {"got", &e->fw.inbox.got},
        {"dups", &e->fw.inbox.dups},
        {"gaps", &e->fw.inbox.gaps},
        {"corrupt", &e->fw.inbox.corrupt},
        {"write_errors", &e->fw.write_errors},
        {"read_errors", &e->fw.read_errors},
        {"boots", &e->fw.boots},
        {"nboots", &e->fw.link.nboots},
        {"exchanges", &e->fw.link.exchanges},
        {"bytes_sent", &e->fw.link.bytes_sent},
        {"bytes_received", &e->fw.link.bytes_received},
        {"i2c_errors", &e->fw.link.i2c_errors},
        {"proto_errors", &e->fw.link.proto_errors},
        {"block_max", &e->fw.link.block_max},
    };
    char name[32];
    sim_glue_add_counters(app, e->name, u32, sizeof u32 / sizeof u32[0]);
    snprintf(name, sizeof name, "%s.synced", e->name);
    sim_app_add_probe(app, name, sim_glue_probe_u8, &e->fw.link.synced);
}

/* Pins 0 and 1 of one board: its own wire and the peer's. */
static void build_end(end_t *e, sim_board_t *board, uint64_t step_ns,
                      uint64_t irq_ns)
{
    const char *own = e->cfg.initiator ? "syn" : "ack";
    const char *peer = e->cfg.initiator ? "ack" : "syn";
    char name[32];
    e->board = board;
    sim_board_set_costs(board, step_ns, irq_ns);
    snprintf(name, sizeof name, "%s.%s", e->name, own);
    sim_pin_set_name(sim_board_pin(board, 0), name);
    snprintf(name, sizeof name, "%s.%s", e->name, peer);
    sim_pin_set_name(sim_board_pin(board, 1), name);
    e->hw.own = sim_pin_hw(sim_board_pin(board, 0));
    e->hw.peer = sim_pin_hw(sim_board_pin(board, 1));
    e->notify = sim_glue_notify_board(board);
    e->power = (sim_glue_power_t){board, start_end, stop_end, e, &e->fw.boots,
                                  e->notify, false};
}

static void add_tasks(sim_app_t *app, end_t *e)
{
    char name[32];
    snprintf(name, sizeof name, "%s.asi2c", e->name);
    sim_app_add_task(app, &e->fw.link.task, name);
    snprintf(name, sizeof name, "%s.reader", e->name);
    sim_app_add_task(app, &e->fw.rd.task, name);
    if (e->cfg.count > 0) {
        snprintf(name, sizeof name, "%s.writer", e->name);
        sim_app_add_task(app, &e->fw.wr.task, name);
    }
}

/* The bus (resp's master, ini's slave) and the wires. */
static void wire_boards(sim_app_t *app, pair_t *d, uint32_t i2c_hz,
                        bool with_reset)
{
    sim_board_t *ini = d->ini.board, *resp = d->resp.board;
    sim_i2c_t *bus = sim_board_i2c(resp, 0, i2c_hz);
    d->resp.hw.master = sim_i2c_hw(bus);
    d->ini.hw.slave = sim_i2cs_hw(sim_board_i2c_slave(ini, 0, bus));
    sim_app_add_i2c(app, "i2c", bus);
    sim_wire(sim_board_pin(ini, 0), sim_board_pin(resp, 1));
    sim_wire(sim_board_pin(resp, 0), sim_board_pin(ini, 1));
    sim_app_add_pin(app, "syn", sim_board_pin(ini, 0));
    sim_app_add_pin(app, "ack", sim_board_pin(resp, 0));
    if (!with_reset)
        return;
    sim_pin_t *out = sim_board_pin(ini, 4), *in = sim_board_pin(resp, 5);
    sim_pin_set_name(out, "ini.reset_out");
    sim_pin_set_name(in, "resp.reset");
    sim_wire(out, in);
    sim_pin_pull(in, +1);
    sim_glue_power_follow(&d->resp.power, in);
    sim_app_add_pin(app, "reset", in);
    d->ini.hw.reset = sim_pin_hw(out);
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    pair_t *d = sim_app_alloc(app, sizeof *d);
    sim_t *sim = sim_board_sim(board);
    asi2c_pair_config_t cfg = ASI2C_PAIR_CONFIG_DEFAULT;
    uint64_t step_ns =
        (uint64_t)sim_app_arg_in(args, "step_us", 100, 0, 1000000) * SIM_US;
    uint64_t irq_ns = (uint64_t)sim_app_arg_in(args, "irq_us", 10, 0, 1000000) * SIM_US;
    bool with_peer = sim_app_arg_in(args, "peer", 1, 0, 1) != 0;
    /* read whether or not there is a peer: they are accepted keys */
    uint32_t i2c_hz = (uint32_t)sim_app_arg_in(args, "i2c_hz", 400000, 1000, 5000000);
    bool reset = sim_app_arg_in(args, "reset", 1, 0, 1) != 0;
    char name[64];

    cfg.t_poll_ms =
        (uint16_t)sim_app_arg_in(args, "t_poll", ASI2C_T_POLL_MS, 1, UINT16_MAX);
    cfg.write_timeout_ms =
        (int32_t)sim_app_arg_in(args, "write_timeout", 30000, -1, INT32_MAX);
    cfg.count = (uint32_t)sim_app_arg_in(args, "count", 10, 0, (long)UINT32_MAX);
    cfg.payload = (uint32_t)sim_app_arg_in(args, "payload", 50, 0, (long)UINT32_MAX);
    d->ini.cfg = cfg;
    d->resp.cfg = cfg;
    d->resp.cfg.initiator = false;
    d->resp.cfg.count = (uint32_t)sim_app_arg_in(args, "peer_count", (long)cfg.count, 0,
                                                 (long)UINT32_MAX);
    d->resp.cfg.payload = (uint32_t)sim_app_arg_in(args, "peer_payload",
                                                (long)cfg.payload, 0, (long)UINT32_MAX);
    if (cfg.payload == 0 || cfg.payload > ASI2C_RXBUF ||
        d->resp.cfg.payload == 0 || d->resp.cfg.payload > ASI2C_RXBUF)
        return sim_app_fail(app, "payloads must be 1..%d", ASI2C_RXBUF);

    strcpy(d->ini.name, "ini");
    strcpy(d->resp.name, "resp");
    build_end(&d->ini, board, step_ns, irq_ns);
    add_probes(app, &d->ini);
    sim_app_add_setter(app, "reset_ini", set_reset_ini, d);
    if (with_peer) {
        snprintf(name, sizeof name, "%s_peer", sim_board_name(board));
        build_end(&d->resp, sim_board_new(sim, name, 0), step_ns, irq_ns);
        wire_boards(app, d, i2c_hz, reset);
        add_probes(app, &d->resp);
        sim_app_add_setter(app, "reset_resp", set_reset_resp, d);
    } else {
        /* A slave peripheral on a bus with no master: nobody calls. */
        sim_i2c_t *bus = sim_board_i2c(board, 1, 400000);
        d->ini.hw.slave = sim_i2cs_hw(sim_board_i2c_slave(board, 0, bus));
    }

    /* Boot both now; ini last, so its board stays the entered one. */
    int st = with_peer ? sim_glue_power_on(&d->resp.power) : 0;
    if (st == 0)
        st = sim_glue_power_on(&d->ini.power);
    if (st != 0)
        return sim_app_fail(app, "asi2c_pair_app_start: %s", ua_err_name(st));
    if (with_peer)
        add_tasks(app, &d->resp);
    add_tasks(app, &d->ini);
    return 0;
}

const sim_app_def_t sim_app_asi2c_pair = {
    "asi2c_pair",
    "two boards joined by asi2c (I2C slave/master, syn/ack, reset): records both ways",
    setup};
