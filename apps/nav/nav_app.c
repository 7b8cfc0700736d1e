/* nav: the GPS driver's example firmware (see nav_app.h). */
#include "nav_app.h"

/* Runs in the driver's task, after the state took the sentence in. */
static void on_sentence(gps_t *gps, unsigned type, void *arg)
{
    nav_app_t *app = arg;
    (void)type;
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
    gps_init(&app->gps, uart);
    gps_set_callback(&app->gps, GPS_RMC | GPS_GGA | GPS_GLL, on_sentence, app);
    return gps_start(&app->gps, loop);
}
