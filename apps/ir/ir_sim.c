/*
 * Simulator glue of the ir app: an IR receiver module (active low, pulled
 * up) on pin 0, driven by an NEC transmitter model; recordings can be
 * replayed onto the same pin.
 * args: extended=1, jitter= (us), hog_busy=, hog_every= (ms).
 * Objects: ir_remote, ir (the pin).  Probes: frames, repeats, errors,
 * glitches, overruns.
 */
#include "ir_app.h"
#include "sim_glue.h"
#include "sim_hw.h"
#include "sim_models.h"

#define PROBE(name, expr) SIM_GLUE_PROBE(ir_app_t, a, name, expr)
PROBE(frames, a->frames)
PROBE(repeats, a->repeats)
PROBE(errors, a->errors)
PROBE(glitches, nec_ir_stats(&a->nec)->glitches)
PROBE(overruns, nec_ir_error_count(&a->nec, NEC_OVERRUN))

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    ir_app_t *fw = sim_app_alloc(app, sizeof *fw);
    ir_config_t cfg = {0};
    sim_pin_t *pin = sim_board_pin(board, 0);

    cfg.extended = sim_app_arg_in(args, "extended", 0, 0, 1) != 0;
    cfg.hog_busy_ms = (int32_t)sim_app_arg_in(args, "hog_busy", 0, 0, INT32_MAX);
    cfg.hog_every_ms = (int32_t)sim_app_arg_in(args, "hog_every", 0, 0, INT32_MAX);
    sim_pin_set_name(pin, "ir");
    sim_pin_pull(pin, +1);
    sim_nec_t *remote = sim_nec_new(pin);
    sim_nec_set_jitter(remote, (uint64_t)sim_app_arg_in(args, "jitter", 0, 0, 1000000) *
                                   SIM_US);
    sim_app_add_nec(app, "ir_remote", remote);
    sim_app_add_pin(app, "ir", pin);
    sim_app_add_probe(app, "frames", probe_frames, fw);
    sim_app_add_probe(app, "repeats", probe_repeats, fw);
    sim_app_add_probe(app, "errors", probe_errors, fw);
    sim_app_add_probe(app, "glitches", probe_glitches, fw);
    sim_app_add_probe(app, "overruns", probe_overruns, fw);
    int st = ir_app_start(fw, sim_board_loop(board), sim_pin_hw(pin), &cfg,
                          sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "ir_app_start: %s", nec_ir_err_name(st));
    sim_app_add_task(app, &fw->nec.task, "nec_ir");
    if (cfg.hog_busy_ms > 0)
        sim_app_add_task(app, &fw->hog, "cpu_hog");
    return 0;
}

const sim_app_def_t sim_app_ir = {
    "ir", "NEC IR receiver reporting frames, repeats and errors; optional CPU hog",
    setup};
