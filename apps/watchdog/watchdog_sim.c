/*
 * Simulator glue of the watchdog app: the heartbeat input is pin 0 (pulled
 * up; a scenario drives it low to feed the watchdog).  args: timeout= (ms,
 * default 500).  Objects: heartbeat (the pin).  Probes: running, expiries,
 * kicks.  Setters: kick (retrigger for N ms, 0: the timeout), stop (cancel
 * the pending expiry: delay_ms_cancel, the seed's stop()).
 */
#include "sim_glue.h"
#include "sim_hw.h"
#include "watchdog_app.h"

typedef struct watchdog_sim {
    watchdog_app_t fw;
    sim_board_t *board;
} watchdog_sim_t;

#define PROBE(name, expr) SIM_GLUE_PROBE(watchdog_sim_t, w, name, expr)
PROBE(running, delay_ms_running(&w->fw.wd))
PROBE(expiries, w->fw.wd.expiries)
PROBE(kicks, w->fw.kicks)

/* Setters run between simulation steps: as the application would, on the
 * board's loop at the current time. */
static void set_kick(void *ctx, int64_t v)
{
    watchdog_sim_t *w = ctx;
    sim_board_enter(w->board);
    watchdog_app_kick(&w->fw, (int32_t)v);
}

static void set_stop(void *ctx, int64_t v)
{
    watchdog_sim_t *w = ctx;
    (void)v;
    sim_board_enter(w->board);
    delay_ms_cancel(&w->fw.wd);
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    watchdog_sim_t *w = sim_app_alloc(app, sizeof *w);
    sim_pin_t *pin = sim_board_pin(board, 0);

    w->board = board;
    sim_pin_set_name(pin, "heartbeat");
    sim_pin_pull(pin, +1);
    sim_app_add_pin(app, "heartbeat", pin);
    sim_app_add_probe(app, "running", probe_running, w);
    sim_app_add_probe(app, "expiries", probe_expiries, w);
    sim_app_add_probe(app, "kicks", probe_kicks, w);
    sim_app_add_setter(app, "kick", set_kick, w);
    sim_app_add_setter(app, "stop", set_stop, w);
    int st =
        watchdog_app_start(&w->fw, sim_board_loop(board), sim_pin_hw(pin),
                           (int32_t)sim_app_arg_in(args, "timeout", 500, 1, INT32_MAX),
                           sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "watchdog_app_start: %d", st);
    sim_app_add_task(app, &w->fw.wd.task, "delay_ms");
    sim_app_add_task(app, &w->fw.waiter, "wd_waiter");
    return 0;
}

const sim_app_def_t sim_app_watchdog = {
    "watchdog", "Delay_ms watchdog fed by a heartbeat pin or the app; expiry reports",
    setup};
