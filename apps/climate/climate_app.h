/*
 * climate: the HTU21D driver's example firmware.  The driver's periodic
 * task measures temperature then humidity every period_ms; at the end of
 * each cycle the app reports "reading" (a = centi-degC, b = centi-%RH) when
 * the cycle succeeded, or "stale" (a = the error, b = the errors counted so
 * far) when it failed -- the values then keep the last good reading, flagged
 * stale.
 */
#ifndef CLIMATE_APP_H
#define CLIMATE_APP_H

#include "app_notify.h"
#include "htu21d.h"

typedef struct climate_app {
    htu21d_t htu;
    app_notify_t notify;
    ua_task_t watch;
    ua_co_t co;
    int st;
    uint32_t readings, failures;
} climate_app_t;

/* Errors the driver has counted, all kinds. */
uint32_t climate_app_errors(const climate_app_t *app);

int climate_app_start(climate_app_t *app, ua_loop_t *loop, ua_i2c_t *bus,
                      uint32_t period_ms, app_notify_t notify);

#endif /* CLIMATE_APP_H */
