/*
 * nav: the GPS driver's example firmware.  It reads NMEA from a UART and
 * reports "fix" (a = latitude, b = longitude, both in 1e-7 degrees) the
 * moment a sentence delivers a position (RMC with status A, GGA with a fix,
 * GLL with status A): the driver's sentence callback runs in its task as
 * soon as the sentence's end has been received.
 *
 * Optional parts:
 * - timing (nav_app_start_timing): PPS on a pin; calibrates against
 *   `calibrate_s` seconds of PPS ("calibrated", a = ppb, b = status), then
 *   every `report_s` seconds of its own clock reports "t" (a = UTC second
 *   of the day, b = microseconds) or "t_err" (a = status, b = us); "pps_lost"
 *   / "pps_back" (a = outages) when the pulses stop and come back.
 * - commands (nav_app_start_commands): one after another, each reported
 *   with its status as a: "version" (b = length of the version string),
 *   "antenna" (b = antenna status), "unsupported" (PMTK999), "rate" (200
 *   ms), "enable" (RMC and GGA only), "restart" (hot start), "standby",
 *   "wake" (version query after standby), "baud" (38400; b = new baud),
 *   "bad_rate_arg" (50 ms refused by the driver: GPS_EBADARG), "bad_rate"
 *   (the same sent raw: the receiver's flag 2, GPS_ECMDFAILED).
 */
#ifndef NAV_APP_H
#define NAV_APP_H

#include "app_notify.h"
#include "gps.h"
#include "gps_rw.h"
#include "gps_timer.h"

typedef struct nav_app {
    gps_t gps;
    app_notify_t notify;
    uint32_t seen_seq; /* fix_seq of the last reported fix */
    uint32_t fixes;
    /* timing */
    gps_timer_t timer;
    ua_task_t time_task;
    ua_co_t time_co;
    uint32_t calibrate_s, report_s;
    bool timing, was_lost;
    int st;
    /* commands */
    gps_rw_t rw;
    ua_task_t cmd_task;
    ua_co_t cmd_co;
    uint32_t new_baud;
} nav_app_t;

int nav_app_start(nav_app_t *app, ua_loop_t *loop, ua_uart_t *uart,
                  app_notify_t notify);

/* PPS on `pps`: calibrate, then report the time (see above). */
int nav_app_start_timing(nav_app_t *app, ua_pin_t *pps, uint32_t calibrate_s,
                         uint32_t report_s);

/* Run the command sequence (the UART is at `baud`; set_baud may be NULL). */
int nav_app_start_commands(nav_app_t *app, uint32_t baud,
                           gps_set_baud_fn set_baud, void *arg);

#endif /* NAV_APP_H */
