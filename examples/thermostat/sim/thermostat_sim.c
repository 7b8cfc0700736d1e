/*
 * The thermostat's simulator glue: the app scenarios start by name.
 *
 * Hardware: an HTU21D model at 0x40 on I2C bus 0 (100 kHz), a pushbutton on
 * pin 0 (active low, pulled up), the relay on pin 1.
 * args: period= (ms), setpoint= (centi-degC).
 * Objects: button (button), relay (pin), i2c (i2c).
 * Probes: relay, setpoint, readings, switches.
 * Setters: temperature (centi-degC the sensor measures).
 * Trace notes: relay (a = 0/1, b = centi-degC), setpoint (a = centi-degC).
 */
#include <stdint.h>

#include "htu21d_model.h"
#include "sim_glue.h"
#include "thermostat.h"

typedef struct thermostat_sim {
    thermostat_t fw;
    htu21d_sim_model_t htu;
    app_notify_t notify;
} thermostat_sim_t;

SIM_GLUE_PROBE(thermostat_sim_t, s, relay, s->fw.relay_on)
SIM_GLUE_PROBE(thermostat_sim_t, s, setpoint, s->fw.setpoint_centi)
SIM_GLUE_PROBE(thermostat_sim_t, s, readings, s->fw.readings)
SIM_GLUE_PROBE(thermostat_sim_t, s, switches, s->fw.switches)

static void set_temperature(void *ctx, int64_t v)
{
    ((thermostat_sim_t *)ctx)->htu.model.temp_centi = (int32_t)v;
}

/* The firmware's reports become trace notes (sim_glue_notify). */
static void notify(void *ctx, const char *event, int32_t a, int32_t b)
{
    app_notify(&((thermostat_sim_t *)ctx)->notify, event, a, b);
}

/* [doc:setup] */
static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    thermostat_sim_t *s = sim_app_alloc(app, sizeof *s);
    thermostat_config_t cfg = THERMOSTAT_CONFIG_DEFAULT;
    sim_i2c_t *bus = sim_board_i2c(board, 0, 100000);
    sim_pin_t *button = sim_board_pin(board, 0);
    sim_pin_t *relay = sim_board_pin(board, 1);

    cfg.period_ms = (uint32_t)sim_app_arg_in(args, "period", 1000, 10, 60000);
    cfg.setpoint_centi =
        (int32_t)sim_app_arg_in(args, "setpoint", 2100, -4000, 12500);
    if (htu21d_model_attach(&s->htu, sim_board_sim(board), bus, 0x40) != 0)
        return sim_app_fail(app, "HTU21D address taken");
    sim_pin_set_name(button, "button");
    sim_pin_pull(button, +1);
    sim_pin_set_name(relay, "relay");
    sim_app_add_button(app, "button", sim_button_new(button, 0));
    sim_app_add_pin(app, "relay", relay);
    sim_app_add_i2c(app, "i2c", bus);
    sim_app_add_probe(app, "relay", probe_relay, s);
    sim_app_add_probe(app, "setpoint", probe_setpoint, s);
    sim_app_add_probe(app, "readings", probe_readings, s);
    sim_app_add_probe(app, "switches", probe_switches, s);
    sim_app_add_setter(app, "temperature", set_temperature, s);
    s->notify = sim_glue_notify(app);
    int st = thermostat_start(&s->fw, sim_board_loop(board), sim_i2c_hw(bus),
                              sim_pin_hw(button), sim_pin_hw(relay), &cfg,
                              notify, s);
    if (st != 0)
        return sim_app_fail(app, "thermostat_start: %d", st);
    sim_app_add_task(app, &s->fw.htu.task, "htu21d");
    sim_app_add_task(app, &s->fw.button.task, "pushbutton");
    sim_app_add_task(app, &s->fw.control, "control");
    return 0;
}

const sim_app_def_t sim_app_thermostat = {
    "thermostat", "HTU21D, a pushbutton and a relay: heats below the setpoint",
    setup};
SIM_APP_REGISTER(sim_app_thermostat)
/* [/doc:setup] */
