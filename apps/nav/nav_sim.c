/*
 * Simulator glue of the nav app: the GPS on UART 0 at 9600 baud (args:
 * baud=).  Scenarios feed it a recorded log (object gps_uart), or start the
 * GPS receiver model (sim/models/gps_model.h) on a straight track:
 * model_at= (ms; default -1: no model), lat=, lon= (1e-7 degrees at track
 * time 0), dlat=, dlon= (1e-7 degrees per second), seconds= (track length).
 * Probes: fixes, mode, parsed, bad_checksum, uart_errors, epochs.  Setter
 * burst_ms picks the track time whose NMEA burst the text "burst" shows.
 *
 * Timing (args): ppb= the board's crystal error (parts per billion),
 * pps=1 wires the model's PPS to board pin 1 (cal= seconds of calibration,
 * report= seconds between "t" reports, pps_off=, pps_on= track ms of an
 * outage).  Commands: commands=1 wires the board's TX to the model and runs
 * the command sequence of nav_app.h.  mask= the model's sentence set
 * (GPS_MODEL_* bits).  Probes: pulses, outages, ppb,
 * model_period, model_mask, model_baud, model_commands, acked, refused.
 */
#include "gps_model.h"
#include "nav_app.h"
#include "sim_glue.h"
#include "sim_hw.h"

typedef struct nav_sim {
    nav_app_t fw;
    gps_model_t model;
    gps_model_point_t track[2];
    uint32_t burst_ms;
} nav_sim_t;

#define PROBE(name, expr) SIM_GLUE_PROBE(nav_sim_t, n, name, expr)
/* The driver's set_baud hook: the board's UART follows the receiver to
 * the rate PMTK251 asked for (the model switched on receiving it). */
static int follow_baud(void *arg, uint32_t baud)
{
    return sim_uart_set_baud(arg, baud);
}

PROBE(fixes, n->fw.fixes)
PROBE(mode, n->fw.gps.nmea.mode)
PROBE(parsed, n->fw.gps.nmea.count.parsed)
PROBE(bad_checksum, n->fw.gps.nmea.count.bad_checksum)
PROBE(uart_errors, n->fw.gps.uart_errors)
PROBE(epochs, n->model.epochs)
PROBE(pulses, n->model.pulses)
PROBE(outages, n->fw.timer.outages)
PROBE(ppb, n->fw.timer.ppb)
PROBE(paired, n->fw.timer.paired)
PROBE(model_period, n->model.period_ms)
PROBE(model_mask, n->model.mask)
PROBE(model_baud, n->model.baud)
PROBE(model_commands, n->model.commands)
PROBE(acked, n->fw.rw.acked)
PROBE(refused, n->fw.rw.refused)

static void set_burst_ms(void *ctx, int64_t v)
{
    ((nav_sim_t *)ctx)->burst_ms = (uint32_t)v;
}

static const char *burst(void *ctx, char *buf, size_t n)
{
    nav_sim_t *s = ctx;
    gps_model_format(&s->model, s->burst_ms, buf, n);
    return buf;
}

static void model_track(nav_sim_t *n, const char *args)
{
    long seconds = sim_app_arg_in(args, "seconds", 10, 0, 1000000);
    double lat = sim_app_arg_in(args, "lat", 514779000, -900000000, 900000000) * 1e-7;
    double lon = sim_app_arg_in(args, "lon", -14000, -1800000000, 1800000000) * 1e-7;
    double dlat = sim_app_arg_in(args, "dlat", 0, -10000000, 10000000) * 1e-7;
    double dlon = sim_app_arg_in(args, "dlon", 0, -10000000, 10000000) * 1e-7;

    n->track[0] = (gps_model_point_t){0, lat, lon, 35.0, 1.5, 45.0};
    n->track[1] = (gps_model_point_t){(uint32_t)(seconds * 1000), lat + dlat * seconds,
                                      lon + dlon * seconds, 35.0, 1.5, 45.0};
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    nav_sim_t *n = sim_app_alloc(app, sizeof *n);
    sim_uart_t *uart = sim_board_uart(
        board, 0, (uint32_t)sim_app_arg_in(args, "baud", 9600, 1, 10000000));
    long model_at = sim_app_arg_in(args, "model_at", -1, -1, INT32_MAX);

    sim_uart_set_fifo(uart, 256, 64);
    sim_app_add_uart(app, "gps_uart", uart);
    model_track(n, args);
    gps_model_init(&n->model, sim_board_sim(board), uart, n->track, 2);
    sim_app_add_probe(app, "fixes", probe_fixes, n);
    sim_app_add_probe(app, "mode", probe_mode, n);
    sim_app_add_probe(app, "parsed", probe_parsed, n);
    sim_app_add_probe(app, "bad_checksum", probe_bad_checksum, n);
    sim_app_add_probe(app, "uart_errors", probe_uart_errors, n);
    sim_app_add_probe(app, "epochs", probe_epochs, n);
    sim_app_add_probe(app, "pulses", probe_pulses, n);
    sim_app_add_probe(app, "outages", probe_outages, n);
    sim_app_add_probe(app, "ppb", probe_ppb, n);
    sim_app_add_probe(app, "paired", probe_paired, n);
    sim_app_add_probe(app, "model_period", probe_model_period, n);
    sim_app_add_probe(app, "model_mask", probe_model_mask, n);
    sim_app_add_probe(app, "model_baud", probe_model_baud, n);
    sim_app_add_probe(app, "model_commands", probe_model_commands, n);
    sim_app_add_probe(app, "acked", probe_acked, n);
    sim_app_add_probe(app, "refused", probe_refused, n);
    sim_board_set_crystal_ppb(board, (int32_t)sim_app_arg(args, "ppb", 0));
    if (sim_app_arg(args, "pps", 0)) {
        sim_pin_t *pin = sim_pin_new(sim_board_sim(board), "pps");
        sim_pin_t *in = sim_board_pin(board, 1);
        sim_pin_set_name(in, "pps");
        sim_wire(pin, in);
        gps_model_set_pps(&n->model, pin, 100);
        n->model.pps_off_from_ms = (uint32_t)sim_app_arg(args, "pps_off", -1);
        n->model.pps_off_to_ms = (uint32_t)sim_app_arg(args, "pps_on", -1);
        n->model.mask |= GPS_MODEL_ZDA;
    }
    if (sim_app_arg(args, "mask", 0))
        n->model.mask = (uint32_t)sim_app_arg(args, "mask", 0);
    if (sim_app_arg(args, "commands", 0))
        gps_model_listen(&n->model, uart);
    if (model_at >= 0) /* after the PPS pin is known */
        gps_model_start(&n->model, (uint64_t)model_at * SIM_MS);
    sim_app_add_setter(app, "burst_ms", set_burst_ms, n);
    sim_app_add_text(app, "burst", burst, n);
    int st = nav_app_start(&n->fw, sim_board_loop(board), sim_uart_hw(uart),
                           sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "nav_app_start: %s", ua_err_name(st));
    sim_app_add_task(app, &n->fw.gps.task, "gps");
    if (sim_app_arg(args, "pps", 0)) {
        st = nav_app_start_timing(&n->fw, sim_pin_hw(sim_board_pin(board, 1)),
                                  (uint32_t)sim_app_arg(args, "cal", 60),
                                  (uint32_t)sim_app_arg(args, "report", 60));
        if (st != 0)
            return sim_app_fail(app, "nav_app_start_timing: %s", ua_err_name(st));
        sim_app_add_task(app, &n->fw.time_task, "gpstime");
    }
    if (sim_app_arg(args, "commands", 0)) {
        st = nav_app_start_commands(&n->fw, (uint32_t)sim_app_arg(args, "baud", 9600),
                                    follow_baud, uart);
        if (st != 0)
            return sim_app_fail(app, "nav_app_start_commands: %s", ua_err_name(st));
        sim_app_add_task(app, &n->fw.cmd_task, "gpscmd");
    }
    return 0;
}

const sim_app_def_t sim_app_nav = {
    "nav", "GPS on a 9600-baud UART reporting each fix; recorded log or receiver model",
    setup};
