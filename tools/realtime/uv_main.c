/*
 * uasync-uv: firmware on the pure libuv port, no simulator: real time,
 * real file descriptors.  The buttons app (apps/buttons) reads its button
 * on pin 0, driven by commands on stdin (`pin 0 0` presses, `pin 0 1`
 * releases: pulled up, active low), and the GPS driver (devices/gps) reads
 * NMEA from a UART that is a pseudo-terminal (default; its path is printed,
 * e.g. `cat track.nmea > /dev/pts/7` or a GPS log replayer) or a TCP socket
 * on 127.0.0.1 (`--tcp PORT`, then `nc 127.0.0.1 PORT < track.nmea`).
 * Every app event and every fix is printed with its tick in ms.
 *
 *   uasync-uv [--tcp PORT] [--duration MS]
 *
 * Options are checked: an unknown one, a missing or non-numeric value is an
 * error (exit 2) rather than a run that never ends.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buttons_app.h"
#include "gps.h"
#include "ua_uvpins.h"
#include "ua_uvport.h"
#include "ua_uvuart.h"

static ua_uvport_t port;
static ua_loop_t loop;
static ua_uvpins_t pins;
static ua_uvuart_t uart;
static buttons_app_t buttons;
static gps_t gps;

static double now_ms(void)
{
    return (double)ua_uvport_elapsed_ns(&port) / 1e6;
}

static void on_event(void *ctx, const char *event, int32_t a, int32_t b)
{
    (void)ctx;
    printf("%10.3f ms  %s %ld %ld\n", now_ms(), event, (long)a, (long)b);
    fflush(stdout);
}

static void on_rmc(gps_t *g, unsigned type, void *arg)
{
    (void)type;
    (void)arg;
    if (gps_nmea_fix_valid(&g->nmea))
        printf("%10.3f ms  fix %.5f %.5f\n", now_ms(),
               gps_nmea_latitude_e7(&g->nmea) / 1e7,
               gps_nmea_longitude_e7(&g->nmea) / 1e7);
    else
        printf("%10.3f ms  no fix\n", now_ms());
    fflush(stdout);
}

/* Ends the run after --duration. */
typedef struct stopper {
    ua_task_t task;
    ua_co_t co;
    int32_t ms;
} stopper_t;

static int stopper_fn(ua_task_t *self)
{
    stopper_t *s = UA_CONTAINER_OF(self, stopper_t, task);
    UA_BEGIN(self, &s->co);
    UA_AWAIT(ua_sleep_ms(self, s->ms));
    ua_loop_stop(&loop);
    UA_END();
}

static const char usage[] =
    "usage: uasync-uv [--tcp PORT] [--duration MS]\n"
    "  Runs the buttons app and the GPS driver on the libuv port in real time.\n"
    "  --tcp PORT     the GPS UART is a TCP server on 127.0.0.1:PORT (1..65535;\n"
    "                 default: a pseudo-terminal, its path is printed)\n"
    "  --duration MS  stop after MS ms (1..2147483647; default: until Ctrl-C)\n"
    "  stdin: `pin 0 0` presses the button, `pin 0 1` releases it.\n";

/* A whole number in [lo, hi] for option `opt`, or -1 with a message. */
static long option_value(const char *opt, const char *v, long lo, long hi)
{
    char *end;
    errno = 0;
    long x = v != NULL ? strtol(v, &end, 10) : 0;
    if (v == NULL || end == v || *end != '\0' || errno == ERANGE || x < lo ||
        x > hi) {
        fprintf(stderr, "uasync-uv: %s %s: %s from %ld to %ld\n", opt,
                v != NULL ? v : "", v != NULL ? "not a whole number" : "needs a value",
                lo, hi);
        return -1;
    }
    return x;
}

int main(int argc, char **argv)
{
    static stopper_t stopper;
    long tcp = -1, duration = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--tcp") == 0) {
            if ((tcp = option_value(argv[i], v, 1, 65535)) < 0)
                return 2;
            i++;
        } else if (strcmp(argv[i], "--duration") == 0) {
            if ((duration = option_value(argv[i], v, 1, INT32_MAX)) < 0)
                return 2;
            i++;
        } else {
            fprintf(stderr, "uasync-uv: unknown option %s\n%s", argv[i], usage);
            return 2;
        }
    }
    if (ua_uvport_init(&port, &loop, NULL, 0) != 0)
        return 2;
    ua_uvpins_init(&pins, &port, stdout);
    int st = tcp >= 0 ? ua_uvuart_open_tcp(&uart, port.uv, 0, (uint16_t)tcp)
                      : ua_uvuart_open_pty(&uart, port.uv, 0);
    if (st != 0) {
        fprintf(stderr, "uasync-uv: cannot open the UART\n");
        return 2;
    }
    printf("uasync-uv: GPS UART on %s; button on pin 0 (stdin: pin 0 0 / "
           "pin 0 1)\n", ua_uvuart_path(&uart));
    fflush(stdout);

    ua_pin_t *button = ua_uvpins_pin(&pins, 0);
    ua_pin_configure(button, UA_PIN_INPUT_PULLUP);
    pb_config_t cfg = PB_CONFIG_DEFAULT;
    app_notify_t notify = {on_event, NULL};
    if (buttons_app_start(&buttons, &loop, button, &cfg, notify) != 0)
        return 2;
    if (gps_init(&gps, ua_uvuart_hw(&uart)) != 0)
        return 2;
    gps_set_callback(&gps, GPS_RMC, on_rmc, NULL);
    if (gps_start(&gps, &loop) != 0)
        return 2;
    ua_uvpins_listen(&pins, STDIN_FILENO);
    if (duration > 0) {
        stopper.ms = (int32_t)duration;
        ua_task_init(&stopper.task, stopper_fn);
        ua_spawn(&loop, &stopper.task);
    }
    ua_loop_run_forever(&loop);
    printf("uasync-uv: %u idles, %u early wake-ups, %lu GPS bytes, %u pin "
           "commands (%u bad)\n", port.idles, port.early,
           (unsigned long)gps.bytes, pins.commands, pins.errors);
    gps_stop(&gps);
    ua_uvpins_close(&pins);
    ua_uvuart_close(&uart);
    ua_uvport_close(&port);
    return 0;
}
