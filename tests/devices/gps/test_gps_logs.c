/*
 * Real receiver logs (the gpsd project's regression logs, see
 * tests/data/README.txt) streamed through the parser line by line
 * and through the driver task at 9600 baud on the virtual clock; every fix
 * gpsd printed is compared with our state after the same line.
 *
 * Where the two disagree, the comparison (expect.c) says which is right:
 * - dates: gpsd adds 1024 GPS weeks to three of the logs; the receivers
 *   were right (see exp_compare).
 * - fields gpsd reports as null (track after a GLL, alt in GLL-ended
 *   cycles) are not compared: gpsd clears what the last sentence of its
 *   cycle did not carry, we keep the last value received, flagged in
 *   `have`.  Neither is wrong; ours is the seed's behaviour.
 * Everything else -- mode, time of day, position, speed, track, altitude,
 * for all 119 fixes -- agrees within gpsd's printing precision.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "fake_uart.h"
#include "gps.h"
#include "ua_vport.h"

static const char *data_dir; /* argv[1]: tests/data */

typedef struct logdata {
    char *text;
    size_t len;
    exp_row_t rows[EXP_MAX];
    int nrows;
} logdata_t;

static bool load(const char *name, logdata_t *d)
{
    char path[512];
    snprintf(path, sizeof path, "%s/nmea/%s.nmea", data_dir, name);
    d->text = exp_slurp(path, &d->len);
    snprintf(path, sizeof path, "%s/nmea/%s.expect.json", data_dir, name);
    d->nrows = exp_load(path, d->rows);
    return d->text != NULL && d->nrows > 0;
}

/* Compare the rows printed after `line`; returns mismatches, counts rows. */
static int check_line(const gps_nmea_t *p, const logdata_t *d, int line,
                      int *checked, const char *what)
{
    int bad = 0;
    for (int k = 0; k < d->nrows; k++)
        if (d->rows[k].after == line) {
            bad += exp_compare(p, &d->rows[k], what);
            (*checked)++;
        }
    return bad;
}

static void parser_pass_opts(const char *name, int32_t pivot)
{
    logdata_t d;
    if (!load(name, &d)) { /* the logs are in the repo: a missing one is a bug */
        free(d.text);
        fail_msg("%s/nmea/%s: log or expectations missing", data_dir, name);
    }
    static gps_nmea_t p;
    gps_nmea_init(&p);
    p.opt.rollover_pivot = pivot;
    exp_exact_dates = pivot != 0;
    int line = 0, bad = 0, checked = 0;
    size_t start = 0, ended = 0;
    for (size_t i = 0; i < d.len; i++) {
        if (d.text[i] != '\n')
            continue;
        ended += gps_nmea_feed(&p, d.text + start, i + 1 - start, NULL, NULL);
        bad += check_line(&p, &d, line++, &checked, name);
        start = i + 1;
    }
    const gps_counters_t *c = &p.count;
    printf("# %s: %d lines, clean %u parsed %u unsupported %u bad_field %u "
           "crc %u nocrc %u char %u long %u trunc %u gsvseq %u unchecked %u "
           "field_errors %u rollover %u pruned %u, fixes %u%s\n",
           name, line, c->clean, c->parsed, c->unsupported, c->bad_field,
           c->bad_checksum, c->no_checksum, c->bad_char, c->too_long,
           c->truncated, c->gsv_sequence, c->unchecked, c->field_errors,
           c->rollover, c->gsv_pruned, p.fix_seq,
           pivot != 0 ? " (rollover pivot 2010-01-01)" : "");
    exp_exact_dates = 0;
    /* Every sentence that ended is counted exactly once. */
    assert_int_equal(ended, c->clean + c->bad_checksum + c->no_checksum +
                                c->bad_char + c->too_long + c->truncated);
    assert_int_equal(c->clean, c->parsed + c->unsupported + c->bad_field);
    assert_int_equal(checked, d.nrows);
    assert_int_equal(bad, 0);
    free(d.text);
}

static void parser_pass(const char *name)
{
    parser_pass_opts(name, 0);
}

/* The GPS-320FW has the week-rollover defect (its ZDA says 1999-08-22 on
 * 2019-04-07): with a pivot every date equals gpsd's exactly. */
static void gp320fw_coldboot_pivot(void **s)
{
    (void)s;
    parser_pass_opts("gp-320fw-2019-04-07-coldboot",
                     gps_days_from_civil(2010, 1, 1));
}

/* --- Through the driver, at 9600 baud --------------------------------- */

typedef struct watcher {
    ua_task_t task;
    ua_co_t co;
    gps_t *gps;
    uint32_t wakes;
    ua_ticks_t first;
} watcher_t;

static int watch(ua_task_t *self)
{
    watcher_t *w = UA_CONTAINER_OF(self, watcher_t, task);
    UA_BEGIN(self, &w->co);
    for (;;) {
        UA_AWAIT(gps_wait_fix(self, w->gps, UA_FOREVER));
        if (w->wakes++ == 0)
            w->first = ua_loop_now(ua_loop_current());
    }
    UA_END();
}

typedef struct run {
    logdata_t *d;
    gps_t *gps;
    int line, bad, checked;
    const char *name;
} run_t;

static void before_byte(void *arg, size_t i)
{
    run_t *r = arg;
    if (i > 0 && r->d->text[i - 1] == '\n')
        r->bad += check_line(&r->gps->nmea, r->d, r->line++, &r->checked,
                             r->name);
}

static void driver_pass(const char *name)
{
    static logdata_t d;
    if (!load(name, &d)) {
        free(d.text);
        fail_msg("%s/nmea/%s: log or expectations missing", data_dir, name);
    }
    /* Reference: the parser alone, and the byte that ends the first fix. */
    static gps_nmea_t ref;
    gps_nmea_init(&ref);
    size_t first_fix_byte = 0;
    for (size_t i = 0; i < d.len; i++) {
        gps_nmea_putc(&ref, (uint8_t)d.text[i]);
        if (ref.fix_seq == 1 && first_fix_byte == 0)
            first_fix_byte = i;
    }

    static ua_vport_t vp;
    static ua_loop_t loop;
    static fake_uart_t u;
    static gps_t gps;
    static feeder_t fd;
    static watcher_t w;
    ua_vport_init(&vp, &loop, 0, true);
    ua_loop_enter(&loop);
    fake_uart_init(&u);
    memset(&gps, 0, sizeof gps); /* a fresh loop: the last run's task is gone */
    assert_int_equal(gps_init(&gps, &u.uart), 0);
    assert_int_equal(gps_start(&gps, &loop), 0);
    memset(&w, 0, sizeof w);
    w.gps = &gps;
    ua_task_init(&w.task, watch);
    assert_int_equal(ua_spawn(&loop, &w.task), 0);
    run_t r = {&d, &gps, 0, 0, 0, name};
    feeder_init(&fd, &u, d.text, d.len, 9600);
    fd.before_byte = before_byte;
    fd.arg = &r;
    assert_int_equal(ua_loop_run_until_complete(&loop, &fd.task), 0);

    assert_int_equal(vp.now_us, feeder_byte_time(&fd, d.len));
    assert_int_equal(gps.bytes, d.len);
    assert_int_equal(u.overruns, 0);
    assert_int_equal(gps.fixes, ref.fix_seq);
    assert_int_equal(w.wakes, ref.fix_seq);
    /* The waiter runs at the exact virtual time of the fix's last byte. */
    assert_int_equal(w.first, feeder_byte_time(&fd, first_fix_byte));
    assert_memory_equal(&gps.nmea.count, &ref.count, sizeof ref.count);
    printf("# %s via UART: %u bytes in %llu us, %u fixes, first at %u us\n",
           name, gps.bytes, (unsigned long long)vp.now_us, gps.fixes,
           (unsigned)w.first);
    assert_int_equal(r.checked, d.nrows);
    assert_int_equal(r.bad, 0);
    gps_stop(&gps);
    free(d.text);
}

#define LOG_TESTS(fn, id)                                                      \
    static void fn##_parser(void **s)                                          \
    {                                                                          \
        (void)s;                                                               \
        parser_pass(id);                                                       \
    }                                                                          \
    static void fn##_driver(void **s)                                          \
    {                                                                          \
        (void)s;                                                               \
        driver_pass(id);                                                       \
    }

LOG_TESTS(ublox_zed_f9p, "ublox-zed-f9p-nmea")
LOG_TESTS(mt3339, "mt3339")
LOG_TESTS(garmin48, "garmin48")
LOG_TESTS(bu353_glonass, "bu353-glonass")
LOG_TESTS(gp320fw_coldboot, "gp-320fw-2019-04-07-coldboot")

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <tests/data>\n", argv[0]);
        return 2;
    }
    data_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ublox_zed_f9p_parser),
        cmocka_unit_test(ublox_zed_f9p_driver),
        cmocka_unit_test(mt3339_parser),
        cmocka_unit_test(mt3339_driver),
        cmocka_unit_test(garmin48_parser),
        cmocka_unit_test(garmin48_driver),
        cmocka_unit_test(bu353_glonass_parser),
        cmocka_unit_test(bu353_glonass_driver),
        cmocka_unit_test(gp320fw_coldboot_parser),
        cmocka_unit_test(gp320fw_coldboot_driver),
        cmocka_unit_test(gp320fw_coldboot_pivot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
