/* thermostat: see thermostat.h. */
#include <string.h>

#include "thermostat.h"

static void report(thermostat_t *t, const char *event, int32_t a, int32_t b)
{
    if (t->notify != NULL)
        t->notify(t->notify_ctx, event, a, b);
}

static void set_relay(thermostat_t *t, int on, int32_t centi)
{
    if (t->relay_on == on)
        return;
    t->relay_on = (uint8_t)on;
    t->switches++;
    ua_pin_write(t->relay, on);
    report(t, "relay", on, centi);
}

/* Decide on each fresh reading; a failed cycle leaves the relay alone
 * (the driver keeps the last good value, flagged stale). */
static int control_task(ua_task_t *self)
{
    thermostat_t *t = UA_CONTAINER_OF(self, thermostat_t, control);
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT_STATUS(t->st, htu21d_wait_update(self, &t->htu, UA_FOREVER));
        if (t->st != 0 || htu21d_last_status(&t->htu) != 0)
            continue;
        t->readings++;
        int32_t c = htu21d_temperature(&t->htu)->centi;
        if (c < t->setpoint_centi - t->cfg.hysteresis_centi)
            set_relay(t, 1, c);
        else if (c > t->setpoint_centi + t->cfg.hysteresis_centi)
            set_relay(t, 0, c);
    }
    UA_END();
}

static void on_press(void *arg)
{
    thermostat_t *t = arg;
    t->setpoint_centi += t->cfg.step_centi;
    report(t, "setpoint", t->setpoint_centi, 0);
}

static void on_long(void *arg)
{
    thermostat_t *t = arg;
    t->setpoint_centi = t->cfg.setpoint_centi;
    report(t, "setpoint", t->setpoint_centi, 0);
}

int thermostat_start(thermostat_t *t, ua_loop_t *loop, ua_i2c_t *bus,
                     ua_pin_t *button, ua_pin_t *relay,
                     const thermostat_config_t *cfg,
                     thermostat_notify_fn notify, void *notify_ctx)
{
    htu21d_config_t hc;
    int st;

    t->cfg = *cfg;
    t->setpoint_centi = cfg->setpoint_centi;
    t->relay = relay;
    t->notify = notify;
    t->notify_ctx = notify_ctx;
    ua_pin_configure(relay, UA_PIN_OUTPUT);
    ua_pin_write(relay, 0);
    ua_pin_configure(button, UA_PIN_INPUT);
    if ((st = pb_init(&t->button, button, NULL)) != 0)
        return st;
    pb_enable(&t->button, PB_PRESS, on_press, t);
    pb_enable(&t->button, PB_LONG, on_long, t);
    if ((st = pb_start(&t->button, loop)) != 0)
        return st;
    htu21d_config_default(&hc);
    hc.period_ms = cfg->period_ms;
    if ((st = htu21d_init(&t->htu, bus, &hc)) != 0)
        return st;
    ua_task_init(&t->control, control_task);
    memset(&t->co, 0, sizeof t->co);
    if ((st = ua_spawn(loop, &t->control)) != 0)
        return st;
    return htu21d_start(&t->htu, loop);
}
