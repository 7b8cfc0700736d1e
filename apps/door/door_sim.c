/*
 * Simulator glue of the door app: a bouncing contact to ground on pin 0
 * (the driver turns the pull-up on).  args: debounce= (ms, default 50).
 * Objects: contact (a pushbutton model: press closes the door contact).
 * Probes: level (debounced: 0 closed), closes, opens.
 */
#include "door_app.h"
#include "sim_glue.h"
#include "sim_hw.h"
#include "sim_models.h"

#define PROBE(name, expr) SIM_GLUE_PROBE(door_app_t, d, name, expr)
PROBE(level, switch_level(&d->sw))
PROBE(closes, d->sw.count[SWITCH_CLOSE])
PROBE(opens, d->sw.count[SWITCH_OPEN])

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    door_app_t *fw = sim_app_alloc(app, sizeof *fw);
    sim_pin_t *pin = sim_board_pin(board, 0);

    sim_pin_set_name(pin, "door");
    sim_pin_pull(pin, +1);
    sim_app_add_button(app, "contact", sim_button_new(pin, 0));
    sim_app_add_probe(app, "level", probe_level, fw);
    sim_app_add_probe(app, "closes", probe_closes, fw);
    sim_app_add_probe(app, "opens", probe_opens, fw);
    int st = door_app_start(fw, sim_board_loop(board), sim_pin_hw(pin),
                            (uint16_t)sim_app_arg_in(args, "debounce", 50, 0, UINT16_MAX),
                            sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "door_app_start: %d", st);
    sim_app_add_task(app, &fw->sw.task, "switch");
    sim_app_add_task(app, &fw->waiter, "door_waiter");
    return 0;
}

const sim_app_def_t sim_app_door = {
    "door", "a debounced door contact (Switch) reporting close/open", setup};
