/* GPS driver task: callbacks by mask, awaitable fixes, UART errors,
 * draining in chunks -- on the virtual clock, to the microsecond. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_uart.h"
#include "gps.h"
#include "ua_vport.h"

static ua_vport_t vp;
static ua_loop_t loop;
static fake_uart_t u;
static gps_t gps;
static feeder_t fd;

typedef struct logent {
    uint32_t t;
    int what;
} logent_t;
static logent_t lg[64];
static int nlog;

static void log_at(int what)
{
    if (nlog < 64)
        lg[nlog++] = (logent_t){ua_loop_now(&loop), what};
}

static void on_sentence(gps_t *g, unsigned type, void *arg)
{
    assert_ptr_equal(g, &gps);
    assert_ptr_equal(arg, &u);
    log_at((int)type);
}

static int setup(void **s)
{
    (void)s;
    ua_vport_init(&vp, &loop, 0, true);
    ua_loop_enter(&loop);
    fake_uart_init(&u);
    memset(&gps, 0, sizeof gps); /* a fresh loop: the last test's task is gone */
    assert_int_equal(gps_init(&gps, &u.uart), 0);
    nlog = 0;
    return 0;
}

static char cycle[1024];
static const char *cycle_bodies[] = {
    "GNRMC,003956.00,A,4552.65403,S,17030.00668,E,0.025,,120419,,,A,V",
    "GNVTG,,T,,M,0.025,N,0.045,K,A",
    "GNGGA,003956.00,4552.65403,S,17030.00668,E,1,12,0.64,14.2,M,1.8,M,,",
    "GNGSA,A,3,13,16,21,15,10,29,27,20,,,,,1.05,0.64,0.83,1",
    "GPGSV,1,1,02,05,06,110,19,10,24,284,34",
    "GPZDA,003956.00,12,04,2019,00,00",
};

/* Build the cycle; returns the byte index of sentence k's CR in ends[k]. */
static size_t build_cycle(size_t *ends)
{
    cycle[0] = '\0';
    for (size_t k = 0; k < 6; k++) {
        uint8_t sum = 0;
        for (const char *c = cycle_bodies[k]; *c; c++)
            sum ^= (uint8_t)*c;
        size_t at = strlen(cycle);
        snprintf(cycle + at, sizeof cycle - at, "$%s*%02X\r\n",
                 cycle_bodies[k], sum);
        ends[k] = strlen(cycle) - 2;
    }
    return strlen(cycle);
}

static void callbacks_follow_the_mask_at_byte_times(void **s)
{
    (void)s;
    size_t ends[6];
    size_t n = build_cycle(ends);
    gps_set_callback(&gps, GPS_RMC | GPS_GGA | GPS_ZDA, on_sentence, &u);
    assert_int_equal(gps_start(&gps, &loop), 0);
    feeder_init(&fd, &u, cycle, n, 9600);
    assert_int_equal(ua_loop_run_until_complete(&loop, &fd.task), 0);
    /* Each callback runs when the sentence's CR has arrived. */
    assert_int_equal(nlog, 3);
    assert_int_equal(lg[0].what, GPS_RMC);
    assert_int_equal(lg[0].t, feeder_byte_time(&fd, ends[0]));
    assert_int_equal(lg[0].t, 70833); /* byte 68 at 9600 baud */
    assert_int_equal(lg[1].what, GPS_GGA);
    assert_int_equal(lg[1].t, feeder_byte_time(&fd, ends[2]));
    assert_int_equal(lg[2].what, GPS_ZDA);
    assert_int_equal(lg[2].t, feeder_byte_time(&fd, ends[5]));
    assert_int_equal(gps.nmea.count.parsed, 6);
    assert_int_equal(gps.fixes, 2);
    assert_int_equal(gps.bytes, n);
    assert_int_equal(gps.nmea.sats_in_view, 2);
    /* The feeder ends one byte time after the last byte. */
    assert_int_equal(vp.now_us, feeder_byte_time(&fd, n));
    int32_t age = (int32_t)((feeder_byte_time(&fd, n) -
                             feeder_byte_time(&fd, ends[2])) / 1000);
    assert_int_equal(gps_time_since_fix_ms(&gps), age);
    /* 40 minutes on: past half the 32-bit tick period, where a 32-bit age
     * would turn negative; the 64-bit clock keeps it right. */
    ua_vport_advance(&vp, 40ull * 60 * 1000000);
    assert_int_equal(gps_time_since_fix_ms(&gps), age + 40 * 60 * 1000);
    /* and 60 more: 100 minutes, across a 32-bit wrap (the loop's clock is
     * looked at every < 71.6 min, as ua_loop_now64 requires) */
    ua_vport_advance(&vp, 60ull * 60 * 1000000);
    assert_int_equal(gps_time_since_fix_ms(&gps), age + 100 * 60 * 1000);
    gps_stop(&gps);
}

typedef struct waiter {
    ua_task_t task;
    ua_co_t co;
    int32_t timeout[3];
    int st[3];
    uint32_t t[3];
    int i;
} waiter_t;

static int wait_fixes(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < 3; w->i++) {
        UA_AWAIT_STATUS(w->st[w->i], gps_wait_fix(self, &gps, w->timeout[w->i]));
        w->t[w->i] = ua_loop_now(&loop);
    }
    UA_END();
}

static void wait_fix_wakes_every_waiter_and_times_out(void **s)
{
    (void)s;
    size_t ends[6];
    size_t n = build_cycle(ends);
    static waiter_t a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    for (int i = 0; i < 3; i++) {
        a.timeout[i] = UA_FOREVER;
        b.timeout[i] = 1000;
    }
    b.timeout[0] = 40; /* ms: shorter than the first sentence (70.8 ms) */
    ua_task_init(&a.task, wait_fixes);
    ua_task_init(&b.task, wait_fixes);
    assert_int_equal(gps_start(&gps, &loop), 0);
    assert_int_equal(gps_time_since_fix_ms(&gps), -1);
    ua_spawn(&loop, &a.task);
    ua_spawn(&loop, &b.task);
    feeder_init(&fd, &u, cycle, n, 9600);
    ua_spawn(&loop, &fd.task);
    assert_int_equal(ua_loop_run_until_complete(&loop, &b.task), 0);
    /* b: timed out at 40 ms, then the RMC and GGA fixes. */
    assert_int_equal(b.st[0], UA_ETIMEDOUT);
    assert_int_equal(b.t[0], 40000);
    assert_int_equal(b.st[1], 0);
    assert_int_equal(b.t[1], feeder_byte_time(&fd, ends[0]));
    assert_int_equal(b.st[2], 0);
    assert_int_equal(b.t[2], feeder_byte_time(&fd, ends[2]));
    /* a saw the same two fixes at the same instants; the third wait is
     * still pending (the VTG, GSA, GSV and ZDA are not fixes). */
    assert_int_equal(a.st[0], 0);
    assert_int_equal(a.t[0], b.t[1]);
    assert_int_equal(a.t[1], b.t[2]);
    assert_false(ua_task_done(&a.task));
    ua_task_cancel(&a.task);
    gps_stop(&gps);
}

typedef struct datawait {
    ua_task_t task;
    ua_co_t co;
    gps_wait_t w;
    uint32_t what;
    int32_t timeout;
    int st;
    uint32_t t;
} datawait_t;

static int wait_data(ua_task_t *self)
{
    datawait_t *d = UA_CONTAINER_OF(self, datawait_t, task);
    UA_BEGIN(self, &d->co);
    UA_AWAIT_STATUS(d->st, gps_wait_data(self, &gps, &d->w, d->what, d->timeout));
    d->t = ua_loop_now(&loop);
    UA_END();
}

/* The seed's data_received: each item separately, all of a mask. */
static void wait_data_for_each_item(void **s)
{
    (void)s;
    size_t ends[6];
    size_t n = build_cycle(ends);
    static datawait_t d[5];
    const struct {
        uint32_t what;
        int32_t timeout;
    } cfg[5] = {{GPS_DATA_COURSE, UA_FOREVER},
                {GPS_DATA_POSITION | GPS_DATA_DATE | GPS_DATA_ALTITUDE, 1000},
                {GPS_DATA_SATELLITES, 40},
                {GPS_DATA_SATELLITES, 2000},
                {64, 10}};
    assert_int_equal(gps_start(&gps, &loop), 0);
    for (int i = 0; i < 5; i++) {
        memset(&d[i], 0, sizeof d[i]);
        d[i].what = cfg[i].what;
        d[i].timeout = cfg[i].timeout;
        ua_task_init(&d[i].task, wait_data);
        ua_spawn(&loop, &d[i].task);
    }
    feeder_init(&fd, &u, cycle, n, 9600);
    assert_int_equal(ua_loop_run_until_complete(&loop, &fd.task), 0);
    for (int i = 0; i < 5; i++)
        assert_true(ua_task_done(&d[i].task));
    /* RMC brings course (and position and date); GGA the altitude. */
    assert_int_equal(d[0].st, 0);
    assert_int_equal(d[0].t, feeder_byte_time(&fd, ends[0]));
    assert_int_equal(d[1].st, 0);
    assert_int_equal(d[1].t, feeder_byte_time(&fd, ends[2]));
    /* The GSV group (sentence 4) completes after 40 ms: timed out. */
    assert_int_equal(d[2].st, UA_ETIMEDOUT);
    assert_int_equal(d[2].t, 40000);
    assert_int_equal(d[3].st, 0);
    assert_int_equal(d[3].t, feeder_byte_time(&fd, ends[4]));
    assert_int_equal(d[4].st, GPS_EBADARG);
    assert_int_equal(d[4].t, 0);
    gps_stop(&gps);
}

static void uart_error_drops_the_sentence_in_progress(void **s)
{
    (void)s;
    size_t ends[6];
    build_cycle(ends);
    assert_int_equal(gps_start(&gps, &loop), 0);
    for (size_t i = 0; i < 20; i++)
        fake_uart_rx(&u, (uint8_t)cycle[i]);
    while (ua_loop_has_work(&loop))
        ua_loop_step(&loop);
    assert_int_equal(gps.bytes, 20);
    fake_uart_error(&u); /* framing error: bytes 20..29 were lost */
    for (size_t i = 30; i <= ends[1] + 1; i++)
        fake_uart_rx(&u, (uint8_t)cycle[i]);
    while (ua_loop_has_work(&loop))
        ua_loop_step(&loop);
    assert_int_equal(gps.uart_errors, 1);
    assert_int_equal(gps.nmea.count.parsed, 1); /* the VTG only */
    assert_int_equal(gps.nmea.count.bad_checksum + gps.nmea.count.truncated +
                         gps.nmea.count.no_checksum,
                     0);
    assert_int_equal(gps.fixes, 0);
    gps_stop(&gps);
}

typedef struct spy {
    ua_task_t task;
    ua_co_t co;
    uint32_t seen[4];
    int i;
} spy_t;

static int spy_fn(ua_task_t *self)
{
    spy_t *sp = UA_CONTAINER_OF(self, spy_t, task);
    UA_BEGIN(self, &sp->co);
    for (sp->i = 0; sp->i < 4; sp->i++) {
        sp->seen[sp->i] = gps.bytes;
        UA_YIELD();
    }
    UA_END();
}

static void a_burst_is_drained_in_chunks_with_yields(void **s)
{
    (void)s;
    size_t ends[6];
    build_cycle(ends);
    static spy_t sp;
    memset(&sp, 0, sizeof sp);
    ua_task_init(&sp.task, spy_fn);
    /* 200 bytes already waiting when the driver starts (115200-baud
     * receivers fill a FIFO between two scheduling passes). */
    for (size_t i = 0; i < 200; i++)
        fake_uart_rx(&u, (uint8_t)cycle[i]);
    assert_int_equal(gps_start(&gps, &loop), 0);
    ua_spawn(&loop, &sp.task);
    assert_int_equal(ua_loop_run_until_complete(&loop, &sp.task), 0);
    /* The spy ran between the driver's 64-byte chunks. */
    assert_int_equal(sp.seen[0], 64);
    assert_int_equal(sp.seen[1], 128);
    assert_int_equal(sp.seen[2], 192);
    assert_int_equal(sp.seen[3], 200);
    assert_int_equal(vp.now_us, 0);
    assert_int_equal(gps.nmea.count.parsed, 3); /* RMC, VTG, GGA */
    assert_true(ends[2] < 200 && ends[3] > 200);
    gps_stop(&gps);
}

static void stop_disables_the_interrupt(void **s)
{
    (void)s;
    assert_int_equal(gps_start(&gps, &loop), 0);
    ua_loop_step(&loop);
    gps_stop(&gps);
    ua_loop_step(&loop);
    assert_true(ua_task_done(&gps.task));
    assert_null(u.cb);
    fake_uart_rx(&u, '$');
    assert_int_equal(gps.bytes, 0);
}

/* No flag of the driver is still registered with the loop: ua_flag_init
 * refuses a registered flag (UA_EBUSY). */
static bool flags_released(void)
{
    if (ua_flag_init(&gps.rx_flag, &loop) != 0 ||
        ua_flag_init(&gps.tx_flag, &loop) != 0)
        return false;
    ua_flag_deinit(&gps.rx_flag);
    ua_flag_deinit(&gps.tx_flag);
    return true;
}

/*
 * The lifecycle, 100 times with NMEA flowing (issue 13: gps_start after
 * gps_stop linked its ISR flag into itself, and the next byte hung the
 * loop).  Each cycle feeds the six-sentence burst at 9600 baud; a waiter
 * gets the two fixes at the byte times of the RMC's and the GGA's last
 * byte, and its third wait fails with GPS_ESTOPPED at the stop, which
 * comes one byte time after the burst.  Even cycles start again in the
 * same instant (the task, still finishing its cancellation, serves the
 * new start); odd ones once the task has finished, with two bytes received
 * while stopped (read at the restart, as bytes before a first start are).
 */
static void start_stop_start_100_times(void **s)
{
    (void)s;
    size_t ends[6];
    size_t n = build_cycle(ends);
    static waiter_t w;
    uint32_t extra = 0;
    ua_ticks_t dl;

    assert_int_equal(gps_start(&gps, &loop), 0);
    for (int i = 0; i < 100; i++) {
        memset(&w, 0, sizeof w);
        w.timeout[0] = w.timeout[1] = w.timeout[2] = UA_FOREVER;
        ua_task_init(&w.task, wait_fixes);
        ua_spawn(&loop, &w.task);
        assert_int_equal(gps_start(&gps, &loop), UA_EBUSY);
        feeder_init(&fd, &u, cycle, n, 9600);
        assert_int_equal(ua_loop_run_until_complete(&loop, &fd.task), 0);
        uint32_t t0 = fd.t0, stop_t = ua_loop_now(&loop);
        assert_int_equal(stop_t, t0 + feeder_byte_time(&fd, n));
        gps_stop(&gps);
        gps_stop(&gps); /* idempotent */
        assert_null(u.cb);
        assert_true(flags_released());
        assert_false(ua_loop_next_deadline(&loop, &dl));
        if (i % 2 == 0) {
            assert_true(ua_task_running(&gps.task)); /* still finishing */
            assert_false(gps_stopped(&gps));
            assert_int_equal(gps_start(&gps, &loop), 0);
            assert_int_equal(ua_loop_run_until_complete(&loop, &w.task), 0);
        } else {
            assert_int_equal(ua_loop_run_until_complete(&loop, &w.task), 0);
            while (ua_loop_step(&loop))
                ;
            assert_true(gps_stopped(&gps));
            fake_uart_rx(&u, '\r');
            fake_uart_rx(&u, '\n');
            extra += 2;
            assert_int_equal(gps.bytes, (i + 1) * n + extra - 2);
            assert_int_equal(gps_start(&gps, &loop), 0);
        }
        assert_int_equal(w.st[0], 0);
        assert_int_equal(w.t[0], t0 + feeder_byte_time(&fd, ends[0]));
        assert_int_equal(w.st[1], 0);
        assert_int_equal(w.t[1], t0 + feeder_byte_time(&fd, ends[2]));
        assert_int_equal(w.st[2], GPS_ESTOPPED);
        assert_int_equal(w.t[2], stop_t);
        assert_int_equal(ua_loop_now(&loop), stop_t);
        assert_int_equal(gps.fixes, 2u * (uint32_t)(i + 1));
        assert_int_equal(gps.nmea.count.parsed, 6u * (uint32_t)(i + 1));
    }
    while (ua_loop_step(&loop))
        ;
    assert_int_equal(gps.bytes, 100 * n + extra);
    gps_stop(&gps);
    while (ua_loop_step(&loop))
        ;
    assert_true(gps_stopped(&gps));
    assert_true(flags_released());
    assert_int_equal(gps_wait_fix(&w.task, &gps, UA_FOREVER), GPS_ESTOPPED);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(callbacks_follow_the_mask_at_byte_times),
        T(wait_fix_wakes_every_waiter_and_times_out),
        T(wait_data_for_each_item),
        T(uart_error_drops_the_sentence_in_progress),
        T(a_burst_is_drained_in_chunks_with_yields),
        T(stop_disables_the_interrupt),
        T(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
