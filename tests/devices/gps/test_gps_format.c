/* Presentation (gps_format.h): every format, unit and date form, exact
 * digits, truncation into small buffers, values not received. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gps_format.h"

static gps_nmea_t p;

static void feed(const char *body)
{
    char line[160];
    uint8_t sum = 0;
    for (const char *c = body; *c; c++)
        sum ^= (uint8_t)*c;
    snprintf(line, sizeof line, "$%s*%02X\r\n", body, sum);
    gps_nmea_feed(&p, line, strlen(line), NULL, NULL);
}

static int setup(void **s)
{
    (void)s;
    gps_nmea_init(&p);
    /* Greenwich: 51 deg 28.674' N, 0 deg 0.084' W, 5.5 kn at 22.5 deg. */
    feed("GPRMC,225308.25,A,5128.674,N,00000.084,W,5.5,22.5,060601,,");
    return 0;
}

static void latitude_and_longitude_formats(void **s)
{
    (void)s;
    char b[40];
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, sizeof b), 12);
    assert_string_equal(b, "51.477900\xc2\xb0N");
    assert_int_equal(gps_lat_string(&p, GPS_DMS, b, sizeof b), 14);
    assert_string_equal(b, "51\xc2\xb0" "28'40.44\"N");
    gps_lat_string(&p, GPS_DM, b, sizeof b);
    assert_string_equal(b, "51\xc2\xb0" "28.6740'N");
    gps_lat_string(&p, GPS_KML, b, sizeof b);
    assert_string_equal(b, "51.477900");
    gps_lon_string(&p, GPS_DD, b, sizeof b);
    assert_string_equal(b, "0.001400\xc2\xb0W");
    gps_lon_string(&p, GPS_DMS | GPS_ASCII, b, sizeof b);
    assert_string_equal(b, "0d00'05.04\"W");
    gps_lon_string(&p, GPS_DM | GPS_ASCII, b, sizeof b);
    assert_string_equal(b, "0d00.0840'W");
    gps_lon_string(&p, GPS_KML, b, sizeof b);
    assert_string_equal(b, "-0.001400");
    /* KML order: lon,lat[,alt]; altitude once a GGA gave one. */
    assert_int_equal(gps_kml_string(&p, b, sizeof b), 19);
    assert_string_equal(b, "-0.001400,51.477900");
    feed("GPGGA,225309,5128.674,N,00000.084,W,1,08,0.9,35.04,M,46.9,M,,");
    gps_kml_string(&p, b, sizeof b);
    assert_string_equal(b, "-0.001400,51.477900,35.0");
    /* Rounding on the last digit: 59.99999' is 60' = the next degree. */
    feed("GPGLL,4559.9999999,S,17959.9999999,E,003956.00,A,A");
    gps_lat_string(&p, GPS_DM, b, sizeof b);
    assert_string_equal(b, "46\xc2\xb0" "00.0000'S");
    gps_lon_string(&p, GPS_DMS, b, sizeof b);
    assert_string_equal(b, "180\xc2\xb0" "00'00.00\"E");
    assert_int_equal(gps_lat_string(&p, 7, b, sizeof b), GPS_EBADARG);
}

static void strings_are_truncated_and_reported(void **s)
{
    (void)s;
    char b[16];
    memset(b, 'x', sizeof b);
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, 5), GPS_ETRUNC);
    assert_string_equal(b, "51.4");
    assert_int_equal(b[5], 'x'); /* nothing written past size */
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, 12), GPS_ETRUNC);
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, 13), 12);
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, 0), GPS_ETRUNC);
    assert_int_equal(gps_time_string(&p, false, b, 8), GPS_ETRUNC);
    assert_string_equal(b, "22:53:0");
    assert_int_equal(gps_date_string(&p, false, GPS_LONG, b, 6), GPS_ETRUNC);
    assert_string_equal(b, "June ");
}

static void nothing_received(void **s)
{
    (void)s;
    char b[16] = "junk";
    int64_t e;
    gps_datetime_t t;
    gps_nmea_init(&p);
    assert_int_equal(gps_lat_string(&p, GPS_DD, b, sizeof b), GPS_ENODATA);
    assert_string_equal(b, "");
    assert_int_equal(gps_kml_string(&p, b, sizeof b), GPS_ENODATA);
    assert_int_equal(gps_speed_string(&p, GPS_KPH, b, sizeof b), GPS_ENODATA);
    assert_null(gps_compass_direction(&p));
    assert_int_equal(gps_time_string(&p, true, b, sizeof b), GPS_ENODATA);
    assert_int_equal(gps_date_string(&p, true, GPS_MDY, b, sizeof b),
                     GPS_ENODATA);
    assert_int_equal(gps_utc_epoch(&p, &e), GPS_ENODATA);
    assert_int_equal(gps_get_time(&p, false, &t), GPS_ENODATA);
    assert_int_equal(gps_sats_used(&p), -1);
    /* A time of day (GGA) but no date yet: time yes, date and epoch no. */
    feed("GPGGA,081421.000,,,,,0,0,,,M,,M,,");
    assert_int_equal(gps_time_string(&p, false, b, sizeof b), 8);
    assert_int_equal(gps_utc_epoch(&p, &e), GPS_ENODATA);
}

static void speed_units(void **s)
{
    (void)s;
    char b[24];
    gps_speed_string(&p, GPS_KNOT, b, sizeof b);
    assert_string_equal(b, "5.500 knots");
    gps_speed_string(&p, GPS_KPH, b, sizeof b);
    assert_string_equal(b, "10.186 km/h");
    gps_speed_string(&p, GPS_MPH, b, sizeof b); /* 6.32928696... */
    assert_string_equal(b, "6.329 mph");
    gps_speed_string(&p, GPS_MPS, b, sizeof b); /* 2.82944... */
    assert_string_equal(b, "2.829 m/s");
    assert_float_equal(gps_nmea_speed(&p, GPS_MPH), 6.3292869641294836, 1e-12);
    assert_int_equal(gps_speed_string(&p, 99, b, sizeof b), GPS_EBADARG);
    /* Full precision: 0.039560 kn. */
    feed("GPVTG,,T,,M,0.039560,N,,K,A");
    gps_speed_string(&p, GPS_KPH, b, sizeof b); /* 0.07326512 */
    assert_string_equal(b, "0.073 km/h");
    gps_speed_string(&p, GPS_KNOT, b, sizeof b);
    assert_string_equal(b, "0.040 knots");
}

static void compass_points(void **s)
{
    (void)s;
    static const struct {
        const char *course, *point;
    } cases[] = {{"0", "N"},          {"11.249999", "N"}, {"11.25", "NNE"},
                 {"22.5", "NNE"},     {"45", "NE"},       {"90", "E"},
                 {"191.25", "SSW"},   {"270", "W"},       {"348.749999", "NNW"},
                 {"348.75", "N"},     {"360", "N"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char body[64];
        snprintf(body, sizeof body, "GPVTG,%s,T,,M,1.0,N,,K,A", cases[i].course);
        feed(body);
        assert_string_equal(gps_compass_direction(&p), cases[i].point);
    }
}

static void time_date_local_and_epoch(void **s)
{
    (void)s;
    char b[32];
    int64_t e;
    gps_time_string(&p, false, b, sizeof b);
    assert_string_equal(b, "22:53:08");
    gps_date_string(&p, false, GPS_MDY, b, sizeof b);
    assert_string_equal(b, "06/06/01");
    gps_date_string(&p, false, GPS_DMY, b, sizeof b);
    assert_string_equal(b, "06/06/01");
    gps_date_string(&p, false, GPS_LONG, b, sizeof b);
    assert_string_equal(b, "June 6th, 2001");
    assert_int_equal(gps_utc_epoch(&p, &e), 0);
    assert_int_equal(e, 991867988); /* date -u -d 2001-06-06T22:53:08 +%s */
    /* Local time two hours ahead crosses midnight. */
    p.opt.local_offset_min = 120;
    gps_time_string(&p, true, b, sizeof b);
    assert_string_equal(b, "00:53:08");
    gps_date_string(&p, true, GPS_DMY, b, sizeof b);
    assert_string_equal(b, "07/06/01");
    gps_date_string(&p, true, GPS_MDY, b, sizeof b);
    assert_string_equal(b, "06/07/01");
    gps_time_string(&p, false, b, sizeof b);
    assert_string_equal(b, "22:53:08");
    /* Back across a leap day and a year end. */
    feed("GPZDA,003000.00,01,03,2024,,");
    p.opt.local_offset_min = -60;
    gps_date_string(&p, true, GPS_LONG, b, sizeof b);
    assert_string_equal(b, "February 29th, 2024");
    feed("GPZDA,233000.00,31,12,2023,,");
    p.opt.local_offset_min = 60 + 30;
    gps_date_string(&p, true, GPS_LONG, b, sizeof b);
    assert_string_equal(b, "January 1st, 2024");
    gps_time_string(&p, true, b, sizeof b);
    assert_string_equal(b, "01:00:00");
    static const struct {
        int day;
        const char *text;
    } sfx[] = {{2, "January 2nd, 2024"},   {3, "January 3rd, 2024"},
               {11, "January 11th, 2024"}, {12, "January 12th, 2024"},
               {13, "January 13th, 2024"}, {21, "January 21st, 2024"},
               {22, "January 22nd, 2024"}, {23, "January 23rd, 2024"},
               {31, "January 31st, 2024"}};
    p.opt.local_offset_min = 0;
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        char body[64];
        snprintf(body, sizeof body, "GPZDA,120000.00,%02d,01,2024,,", sfx[i].day);
        feed(body);
        gps_date_string(&p, true, GPS_LONG, b, sizeof b);
        assert_string_equal(b, sfx[i].text);
    }
    assert_int_equal(gps_date_string(&p, true, 5, b, sizeof b), GPS_EBADARG);
}

static void satellites_and_magvar(void **s)
{
    (void)s;
    feed("GPRMC,225308.25,A,5128.674,N,00000.084,W,5.5,22.5,060601,3.1,W");
    assert_true(gps_nmea_magvar(&p) == -3.1);
    feed("GNGSA,A,3,13,16,21,,,,,,,,,,1.05,0.64,0.83,1");
    assert_int_equal(gps_sats_used(&p), 3);
    feed("GPGGA,225309,5128.674,N,00000.084,W,1,08,0.9,35.04,M,46.9,M,,");
    assert_int_equal(gps_sats_used(&p), 8);
    feed("GPGSV,1,1,02,13,78,221,47,16,09,042,");
    assert_int_equal(p.sats_in_view, 2);
    const gps_sat_t *sat = gps_nmea_sat(&p, GPS_SYS_GPS, 13);
    assert_int_equal(sat->elevation, 78);
    assert_int_equal(sat->azimuth, 221);
    assert_int_equal(sat->snr, 47);
    assert_int_equal(gps_nmea_sat(&p, GPS_SYS_GPS, 16)->snr, -1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(latitude_and_longitude_formats),
        T(strings_are_truncated_and_reported),
        T(nothing_received),
        T(speed_units),
        T(compass_points),
        T(time_date_local_and_epoch),
        T(satellites_and_magvar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
