/*
 * thermostat: an example firmware that uses uasync from its own repository.
 *
 * An HTU21D on I2C is read every period_ms by the driver's periodic task; a
 * relay output heats while the temperature is below the setpoint minus the
 * hysteresis and stops once it is above the setpoint plus the hysteresis
 * (in between the relay keeps its state).  A pushbutton raises the setpoint
 * by step_centi on each press and resets it to the default on a long press.
 *
 * It knows nothing of where it runs: pins, the bus and the loop are given
 * to thermostat_start(), and it reports what it did through a notify
 * callback ("relay": a = 0/1, b = centi-degC; "setpoint": a = centi-degC).
 * No heap: everything is in thermostat_t, which the caller owns.
 */
#ifndef THERMOSTAT_H
#define THERMOSTAT_H

#include <stdint.h>

#include "htu21d.h"
#include "pushbutton.h"
#include "ua.h"

typedef void (*thermostat_notify_fn)(void *ctx, const char *event, int32_t a,
                                     int32_t b);

typedef struct thermostat_config {
    uint32_t period_ms;       /* between readings */
    int32_t setpoint_centi;   /* default setpoint, centi-degC */
    int32_t hysteresis_centi; /* each side of the setpoint */
    int32_t step_centi;       /* a press raises the setpoint by this */
} thermostat_config_t;

#define THERMOSTAT_CONFIG_DEFAULT {1000, 2100, 50, 100}

typedef struct thermostat {
    thermostat_config_t cfg;
    htu21d_t htu;
    pushbutton_t button;
    ua_pin_t *relay;
    thermostat_notify_fn notify;
    void *notify_ctx;
    ua_task_t control;
    ua_co_t co;
    int st;
    int32_t setpoint_centi;
    uint8_t relay_on;
    uint32_t readings, switches;
} thermostat_t;

/* Start on `loop`: 0 or the first error (a driver's). */
int thermostat_start(thermostat_t *t, ua_loop_t *loop, ua_i2c_t *bus,
                     ua_pin_t *button, ua_pin_t *relay,
                     const thermostat_config_t *cfg,
                     thermostat_notify_fn notify, void *notify_ctx);

#endif /* THERMOSTAT_H */
