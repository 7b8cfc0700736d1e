/* nav: the GPS driver's example firmware (see nav_app.h). */
#include "nav_app.h"

#include <string.h>

/* Runs in the driver's task, after the state took the sentence in. */
static void on_sentence(gps_t *gps, unsigned type, void *arg)
{
    nav_app_t *app = arg;
    (void)type;
    if (app->timing && app->timer.lost != app->was_lost) {
        app->was_lost = app->timer.lost;
        app_notify(&app->notify, app->was_lost ? "pps_lost" : "pps_back",
                   (int32_t)app->timer.outages, 0);
    }
    if (gps->nmea.fix_seq == app->seen_seq)
        return;
    app->seen_seq = gps->nmea.fix_seq;
    app->fixes++;
    app_notify(&app->notify, "fix", gps_nmea_latitude_e7(&gps->nmea),
               gps_nmea_longitude_e7(&gps->nmea));
}

int nav_app_start(nav_app_t *app, ua_loop_t *loop, ua_uart_t *uart,
                  app_notify_t notify)
{
    app->notify = notify;
    int r = gps_init(&app->gps, uart);
    if (r < 0)
        return r;
    gps_set_callback(&app->gps, GPS_RMC | GPS_GGA | GPS_GLL | GPS_ZDA,
                     on_sentence, app);
    return gps_start(&app->gps, loop);
}

static int time_task(ua_task_t *self)
{
    nav_app_t *app = UA_CONTAINER_OF(self, nav_app_t, time_task);
    int64_t us;
    int st;
    UA_BEGIN(self, &app->time_co);
    UA_AWAIT_STATUS(app->st, gps_timer_calibrate(self, &app->timer,
                                                  app->calibrate_s,
                                                  (int32_t)app->calibrate_s * 1000 + 10000));
    app_notify(&app->notify, "calibrated", app->timer.ppb, app->st);
    for (;;) {
        UA_AWAIT(ua_sleep_ms(self, (int32_t)app->report_s * 1000));
        st = gps_timer_time_us(&app->timer, &us);
        if (st == 0)
            app_notify(&app->notify, "t", (int32_t)(us / 1000000 % 86400),
                       (int32_t)(us % 1000000));
        else
            app_notify(&app->notify, "t_err", st, (int32_t)(us % 1000000));
    }
    UA_END();
}

int nav_app_start_timing(nav_app_t *app, ua_pin_t *pps, uint32_t calibrate_s,
                         uint32_t report_s)
{
    int r = gps_timer_init(&app->timer, &app->gps, pps);
    if (r < 0 || (r = gps_timer_start(&app->timer)) < 0)
        return r;
    app->timing = true;
    app->calibrate_s = calibrate_s;
    app->report_s = report_s;
    ua_task_init(&app->time_task, time_task);
    return ua_spawn(app->gps.loop, &app->time_task);
}

static int cmd_task(ua_task_t *self)
{
    nav_app_t *app = UA_CONTAINER_OF(self, nav_app_t, cmd_task);
    static const gps_rw_rates_t rmc_gga = {.rmc = 1, .gga = 1};
    UA_BEGIN(self, &app->cmd_co);
    UA_AWAIT_STATUS(app->st, gps_rw_query_version(self, &app->rw, 1000));
    app_notify(&app->notify, "version", app->st,
               (int32_t)strlen(app->rw.version));
    UA_AWAIT_STATUS(app->st, gps_rw_query_antenna(self, &app->rw, 2000));
    app_notify(&app->notify, "antenna", app->st, app->rw.antenna);
    UA_AWAIT_STATUS(app->st, gps_rw_command(self, &app->rw, "PMTK999", 1000));
    app_notify(&app->notify, "unsupported", app->st, app->rw.last_flag);
    UA_AWAIT_STATUS(app->st, gps_rw_update_interval(self, &app->rw, 200, 1000));
    app_notify(&app->notify, "rate", app->st, 200);
    UA_AWAIT_STATUS(app->st, gps_rw_enable(self, &app->rw, &rmc_gga, 1000));
    app_notify(&app->notify, "enable", app->st, 0);
    UA_AWAIT(ua_sleep_ms(self, 2000));
    UA_AWAIT_STATUS(app->st, gps_rw_restart(self, &app->rw, GPS_HOT_START, 1000));
    app_notify(&app->notify, "restart", app->st, (int32_t)app->rw.startups);
    UA_AWAIT_STATUS(app->st, gps_rw_standby(self, &app->rw, 1000));
    app_notify(&app->notify, "standby", app->st, 0);
    UA_AWAIT(ua_sleep_ms(self, 2000));
    UA_AWAIT_STATUS(app->st, gps_rw_query_version(self, &app->rw, 1000));
    app_notify(&app->notify, "wake", app->st, 0);
    UA_AWAIT_STATUS(app->st, gps_rw_baudrate(self, &app->rw, 38400, 1000));
    app_notify(&app->notify, "baud", app->st, (int32_t)app->rw.baud);
    /* 50 ms: the driver refuses it (GPS_EBADARG); sent raw, the receiver
     * says "valid command, action failed". */
    app_notify(&app->notify, "bad_rate_arg",
               gps_rw_update_interval(self, &app->rw, 50, 1000), 50);
    UA_AWAIT_STATUS(app->st, gps_rw_command(self, &app->rw, "PMTK220,50", 1000));
    app_notify(&app->notify, "bad_rate", app->st, 50);
    UA_END();
}

int nav_app_start_commands(nav_app_t *app, uint32_t baud,
                           gps_set_baud_fn set_baud, void *arg)
{
    gps_rw_init(&app->rw, &app->gps, baud, set_baud, arg);
    ua_task_init(&app->cmd_task, cmd_task);
    return ua_spawn(app->gps.loop, &app->cmd_task);
}
