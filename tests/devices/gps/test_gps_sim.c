/* The GPS driver on a simulated board, fed by the GPS receiver model
 * (sim/models/gps_model.h) through the simulated UART at 9600 baud. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gps.h"
#include "gps_model.h"
#include "sim.h"
#include "sim_hw.h"

/* North at 10 m/s for 10 s, climbing 1 m/s. */
static const gps_model_point_t track[] = {
    {0, 47.0, 8.0, 400.0, 10.0, 0.0},
    {10000, 47.0 + 100.0 / 111320.0, 8.0, 410.0, 10.0, 0.0},
};

static sim_t *sim;
static sim_board_t *board;
static sim_uart_t *uart;
static gps_t gps;
static gps_model_t model;

typedef struct watcher {
    ua_task_t task;
    ua_co_t co;
    uint32_t n;
    ua_ticks_t first;
} watcher_t;
static watcher_t w;

static int watch(ua_task_t *self)
{
    watcher_t *wt = UA_CONTAINER_OF(self, watcher_t, task);
    UA_BEGIN(self, &wt->co);
    for (;;) {
        UA_AWAIT(gps_wait_fix(self, &gps, UA_FOREVER));
        if (wt->n++ == 0)
            wt->first = ua_loop_now(sim_board_loop(board));
    }
    UA_END();
}

static int setup(void **s)
{
    (void)s;
    sim = sim_new(1);
    board = sim_board_new(sim, "b0", 0);
    uart = sim_board_uart(board, 0, 9600);
    memset(&gps, 0, sizeof gps); /* a fresh board: the last test's task is gone */
    assert_int_equal(gps_init(&gps, sim_uart_hw(uart)), 0);
    assert_int_equal(gps_start(&gps, sim_board_loop(board)), 0);
    memset(&w, 0, sizeof w);
    ua_task_init(&w.task, watch);
    assert_int_equal(sim_spawn(board, &w.task, "watch"), 0);
    gps_model_init(&model, sim, uart, track, 2);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    gps_stop(&gps);
    ua_task_cancel(&w.task);
    sim_run_for(sim, SIM_MS);
    sim_free(sim);
    return 0;
}

static void track_is_followed_at_1hz(void **s)
{
    (void)s;
    char burst[1024];
    gps_model_t probe = model;
    gps_model_format(&probe, 0, burst, sizeof burst);
    size_t rmc_len = (size_t)(strchr(burst, '\n') - burst) + 1;
    gps_model_start(&model, 5 * SIM_MS);
    sim_run_for(sim, 11 * SIM_S);
    assert_int_equal(model.epochs, 11);
    assert_int_equal(gps.fixes, 22); /* RMC and GGA of each epoch */
    assert_int_equal(w.n, 22);
    /* The first fix wakes the waiter when the RMC's CR has arrived. */
    uint64_t cr_ns = 5 * SIM_MS + sim_uart_bits_ns(uart, 10 * (rmc_len - 1));
    printf("# first fix at %u us, CR received at %llu ns\n", (unsigned)w.first,
           (unsigned long long)cr_ns);
    assert_int_equal(w.first, cr_ns / 1000);
    const gps_nmea_t *p = &gps.nmea;
    assert_int_equal(p->count.bad_checksum + p->count.bad_field, 0);
    assert_int_equal(p->mode, GPS_MODE_3D);
    assert_int_equal(p->utc.hour * 3600 + p->utc.minute * 60 + p->utc.second,
                     12 * 3600 + 10);
    /* 5 decimals of minutes: half a unit is 8.3e-8 degrees. */
    assert_float_equal(gps_nmea_latitude(p), track[1].lat, 8.4e-8);
    assert_float_equal(gps_nmea_longitude(p), 8.0, 1e-12);
    assert_float_equal(gps_nmea_altitude(p), 410.0, 0.05);
    assert_float_equal(gps_nmea_speed(p, GPS_MPS), 10.0, 0.0005 * 0.5145);
    assert_float_equal(gps_nmea_course(p), 0.0, 0.005);
    assert_int_equal(p->sats_in_view, 8);
    assert_int_equal(p->n_used, 8);
    assert_int_equal(sim_uart_overruns(uart), 0);
}

static void faults_and_fix_loss_are_reported(void **s)
{
    (void)s;
    model.corrupt_next = 1; /* the first RMC */
    model.fix_lost_ms = 5000;
    gps_model_start(&model, 0);
    sim_run_for(sim, 11 * SIM_S);
    const gps_nmea_t *p = &gps.nmea;
    assert_int_equal(p->count.bad_checksum, 1);
    assert_int_equal(gps.fixes, 9); /* epochs 0..4, less the corrupt RMC */
    assert_int_equal(p->mode, GPS_MODE_NO_FIX);
    assert_false(gps_nmea_fix_valid(p));
    assert_int_equal(p->utc.second, 10); /* GGA keeps the time coming */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(track_is_followed_at_1hz, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(faults_and_fix_loss_are_reported,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
