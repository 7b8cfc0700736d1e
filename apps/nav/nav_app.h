/*
 * nav: the GPS driver's example firmware.  It reads NMEA from a UART and
 * reports "fix" (a = latitude, b = longitude, both in 1e-7 degrees) the
 * moment a sentence delivers a position (RMC with status A, GGA with a fix,
 * GLL with status A): the driver's sentence callback runs in its task as
 * soon as the sentence's end has been received.
 */
#ifndef NAV_APP_H
#define NAV_APP_H

#include "app_notify.h"
#include "gps.h"

typedef struct nav_app {
    gps_t gps;
    app_notify_t notify;
    uint32_t seen_seq; /* fix_seq of the last reported fix */
    uint32_t fixes;
} nav_app_t;

int nav_app_start(nav_app_t *app, ua_loop_t *loop, ua_uart_t *uart,
                  app_notify_t notify);

#endif /* NAV_APP_H */
