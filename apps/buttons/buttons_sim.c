/*
 * Simulator glue of the buttons app: a pushbutton to ground on pin 0 with
 * the board's pull-up, contact bounce from the seed.
 * args: suppress=1, active_high=1, debounce=, long=, double= (ms).
 */
#include "buttons_app.h"
#include "sim_glue.h"
#include "sim_hw.h"
#include "sim_models.h"

static int64_t probe_pressed(void *ctx)
{
    return pb_pressed(&((buttons_app_t *)ctx)->pb);
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    buttons_app_t *fw = sim_app_alloc(app, sizeof *fw);
    pb_config_t cfg = PB_CONFIG_DEFAULT;
    int active_high = (int)sim_app_arg_in(args, "active_high", 0, 0, 1);
    sim_pin_t *pin = sim_board_pin(board, 0);

    cfg.suppress = sim_app_arg_in(args, "suppress", 0, 0, 1) != 0;
    cfg.debounce_ms =
        (uint16_t)sim_app_arg_in(args, "debounce", PB_DEBOUNCE_MS, 0, UINT16_MAX);
    cfg.long_ms = (uint16_t)sim_app_arg_in(args, "long", PB_LONG_MS, 0, UINT16_MAX);
    cfg.double_ms = (uint16_t)sim_app_arg_in(args, "double", PB_DOUBLE_MS, 0, UINT16_MAX);
    sim_pin_set_name(pin, "button");
    sim_pin_pull(pin, active_high ? -1 : +1);
    sim_button_t *button = sim_button_new(pin, active_high ? 1 : 0);
    sim_app_add_button(app, "button", button);
    sim_app_add_pin(app, "pin", pin);
    sim_app_add_probe(app, "pressed", probe_pressed, fw);
    ua_pin_configure(sim_pin_hw(pin), UA_PIN_INPUT);
    int st = buttons_app_start(fw, sim_board_loop(board), sim_pin_hw(pin), &cfg,
                               sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "buttons_app_start: %d", st);
    sim_task_name(sim_board_sim(board), &fw->pb.task, "pushbutton");
    return 0;
}

const sim_app_def_t sim_app_buttons = {
    "buttons", "one debounced pushbutton reporting press/release/long/double",
    setup};
