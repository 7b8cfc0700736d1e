/* NMEA parser: each sentence type, every rejection reason, GSV assembly,
 * chunking, units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gps_nmea.h"

static gps_nmea_t p;

/* "$body*HH\r\n" with the right checksum (or `bad` added to it). */
static const char *nmea_bad(const char *body, int bad)
{
    static char out[256];
    uint8_t sum = 0;
    for (const char *c = body; *c; c++)
        sum ^= (uint8_t)*c;
    snprintf(out, sizeof out, "$%s*%02X\r\n", body, (uint8_t)(sum + bad));
    return out;
}

static const char *nmea(const char *body)
{
    return nmea_bad(body, 0);
}

static int last;
static void keep(void *arg, gps_nmea_t *q, int r)
{
    (void)arg;
    (void)q;
    last = r;
}

/* Feed text; returns the result of the last sentence that ended. */
static int feed(const char *s)
{
    last = 0;
    gps_nmea_feed(&p, s, strlen(s), keep, NULL);
    return last;
}

static bool same_time(const gps_datetime_t *a, const gps_datetime_t *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day &&
           a->hour == b->hour && a->minute == b->minute &&
           a->second == b->second && a->millisecond == b->millisecond;
}

/* The decoded state of two parsers is the same (padding aside). */
static void assert_same_state(const gps_nmea_t *a, const gps_nmea_t *b)
{
    assert_memory_equal(&a->count, &b->count, sizeof a->count);
    assert_int_equal(a->have, b->have);
    assert_int_equal(a->fix_seq, b->fix_seq);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->lat_e7min, b->lat_e7min);
    assert_int_equal(a->lon_e7min, b->lon_e7min);
    assert_int_equal(a->speed_mkn, b->speed_mkn);
    assert_int_equal(a->course_mdeg, b->course_mdeg);
    assert_int_equal(a->alt_mm, b->alt_mm);
    assert_int_equal(a->hdop_m, b->hdop_m);
    assert_true(same_time(&a->utc, &b->utc));
    assert_int_equal(a->n_used, b->n_used);
    assert_memory_equal(a->used_prn, b->used_prn, sizeof a->used_prn);
    assert_int_equal(a->n_sats, b->n_sats);
    assert_int_equal(a->sats_in_view, b->sats_in_view);
    for (unsigned i = 0; i < a->n_sats; i++) {
        assert_int_equal(a->sats[i].prn, b->sats[i].prn);
        assert_int_equal(a->sats[i].snr, b->sats[i].snr);
        assert_int_equal(a->sats[i].azimuth, b->sats[i].azimuth);
    }
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->buf, b->buf, a->len);
}

static int setup(void **s)
{
    (void)s;
    gps_nmea_init(&p);
    return 0;
}

static void rmc_good(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GPRMC,225308.25,A,4527.458,S,16709.165,E,"
                               "005.5,094.5,060601,024.1,E")),
                     GPS_RMC);
    assert_int_equal(p.count.clean, 1);
    assert_int_equal(p.count.parsed, 1);
    assert_int_equal(p.mode, GPS_MODE_2D);
    assert_true(gps_nmea_fix_valid(&p));
    assert_int_equal(p.fix_seq, 1);
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 274580000LL));
    assert_int_equal(p.lon_e7min, 167 * 600000000LL + 91650000LL);
    assert_true(gps_nmea_latitude(&p) == -45.457633333333333);
    assert_int_equal(gps_nmea_latitude_e7(&p), -454576333);
    assert_int_equal(gps_nmea_longitude_e7(&p), 1671527500);
    assert_int_equal(p.speed_mkn, 5500);
    assert_int_equal(p.course_mdeg, 94500);
    assert_true(same_time(&p.utc, &(gps_datetime_t){2001, 6, 6, 22, 53, 8, 250}));
    assert_int_equal(p.have & (GPS_HAVE_POS | GPS_HAVE_TIME | GPS_HAVE_DATE |
                               GPS_HAVE_SPEED | GPS_HAVE_COURSE),
                     GPS_HAVE_POS | GPS_HAVE_TIME | GPS_HAVE_DATE |
                         GPS_HAVE_SPEED | GPS_HAVE_COURSE);
}

static void rmc_void_and_faa_n_change_only_the_mode(void **s)
{
    (void)s;
    feed(nmea("GPRMC,225308,A,4527.458,S,16709.165,E,0.0,94.5,060601,,"));
    gps_datetime_t before = p.utc;
    assert_int_equal(feed(nmea("GPRMC,235948.00,V,0000.0000,N,00000.0000,E,,,"
                               "161206,,,N")),
                     GPS_RMC);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_false(gps_nmea_fix_valid(&p));
    assert_true(same_time(&p.utc, &before)); /* 2006 ignored */
    feed(nmea("GPRMC,225308,A,4527.458,S,16709.165,E,0.0,94.5,060601,,"));
    assert_int_equal(feed(nmea("GNRMC,225309,A,4527.458,S,16709.165,E,0.0,"
                               "94.5,060601,,,N")),
                     GPS_RMC);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_int_equal(p.fix_seq, 2);
    assert_int_equal(p.count.parsed, 4);
}

static void rmc_empty_and_bad_fields(void **s)
{
    (void)s;
    /* Status A without a position: nothing applied. */
    assert_int_equal(feed(nmea("GPRMC,225308,A,,,,,0.0,94.5,060601,,")),
                     GPS_EBADFIELD);
    /* Truncated (too few fields) and out-of-range values. */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,S")), GPS_EBADFIELD);
    assert_int_equal(feed(nmea("GPRMC,225308,A,4560.000,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* 60 minutes */
    assert_int_equal(feed(nmea("GPRMC,245308,A,4527.458,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* hour 24 */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,X,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* hemisphere */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,S,16709.165,E,0,361,"
                               "060601,,")),
                     GPS_EBADFIELD); /* course */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,S,16709.165,E,1e3,0,"
                               "060601,,")),
                     GPS_EBADFIELD);
    assert_int_equal(p.count.bad_field, 7);
    assert_int_equal(p.count.parsed, 0);
    assert_int_equal(p.have, 0);
    assert_int_equal(p.fix_seq, 0);
    /* Empty speed and course are allowed: flagged absent. */
    assert_int_equal(feed(nmea("GNRMC,003956.00,A,4552.65403,S,17030.00668,E,"
                               ",,120419,,,A,V")),
                     GPS_RMC);
    assert_int_equal(p.have & (GPS_HAVE_SPEED | GPS_HAVE_COURSE), 0);
    assert_int_equal(p.utc.year, 2019);
}

static void gga_fix_and_no_fix(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GPGGA,202640.000,4404.1306,N,12118.8515,W,2,"
                               "10,0.98,1127.7,M,-19.6,M,0000,0000")),
                     GPS_GGA);
    assert_int_equal(p.mode, GPS_MODE_3D);
    assert_int_equal(p.quality, 2);
    assert_int_equal(p.sats_used, 10);
    assert_int_equal(p.hdop_m, 980);
    assert_int_equal(p.alt_mm, 1127700);
    assert_int_equal(p.geoid_mm, -19600);
    assert_true(gps_nmea_altitude(&p) == 1127.7);
    assert_true(gps_nmea_longitude(&p) < -121.3141916 &&
                gps_nmea_longitude(&p) > -121.3141917);
    assert_int_equal(p.have & GPS_HAVE_DATE, 0); /* GGA has no date */
    assert_int_equal(p.utc.hour, 20);
    /* Quality 0 with empty fields: parsed, no fix, time kept. */
    assert_int_equal(feed(nmea("GPGGA,081421.000,,,,,0,0,,,M,,M,,")), GPS_GGA);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_int_equal(p.utc.hour, 8);
    assert_int_equal(p.sats_used, 0);
    assert_int_equal(p.alt_mm, 1127700); /* last value kept */
    /* A fix without altitude is 2D. */
    p.mode = GPS_MODE_NO_FIX;
    assert_int_equal(feed(nmea("GPGGA,081422,4404.1306,N,12118.8515,W,1,04,"
                               "1.5,,,,,,")),
                     GPS_GGA);
    assert_int_equal(p.mode, GPS_MODE_2D);
    assert_int_equal(p.have & GPS_HAVE_ALT, 0);
    /* Fix claimed but no position: rejected. */
    assert_int_equal(feed(nmea("GPGGA,081423,,,,,1,04,1.5,10,M,,,,")),
                     GPS_EBADFIELD);
    assert_int_equal(p.fix_seq, 2);
}

static void gll_states(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GNGLL,4552.65403,S,17030.00668,E,003956.00,A,"
                               "A")),
                     GPS_GLL);
    assert_int_equal(p.mode, GPS_MODE_2D);
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 526540300LL));
    assert_int_equal(feed(nmea("GPGLL,0000.0000,N,00000.0000,E,000429.00,V,N")),
                     GPS_GLL);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_int_equal(p.utc.minute, 4); /* time of day kept even so */
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 526540300LL));
    /* NMEA 1.5: position only. */
    assert_int_equal(feed(nmea("GPGLL,4916.45,N,12311.12,W")), GPS_GLL);
    assert_int_equal(p.mode, GPS_MODE_2D);
    assert_int_equal(p.fix_seq, 2);
    assert_int_equal(feed(nmea("GPGLL,4916.45,N,12311.12,W,225444,X")),
                     GPS_EBADFIELD);
}

static void vtg_and_speed_units(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GPVTG,054.7,T,034.4,M,010.0,N,018.5,K,A")),
                     GPS_VTG);
    assert_int_equal(p.course_mdeg, 54700);
    assert_int_equal(p.speed_mkn, 10000);
    assert_float_equal(gps_nmea_speed(&p, GPS_KNOT), 10.0, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_KPH), 18.52, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_MPH), 11.507794480235425, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_MPS), 5.144444444444445, 1e-12);
    /* Knots empty: derived from km/h (18.52 km/h = 10 kn). */
    assert_int_equal(feed(nmea("GNVTG,,T,,M,,N,18.52,K,D")), GPS_VTG);
    assert_int_equal(p.speed_mkn, 10000);
    assert_int_equal(p.have & GPS_HAVE_COURSE, 0);
    /* Mode N: the receiver says invalid; nothing applied. */
    assert_int_equal(feed(nmea("GPVTG,100.0,T,,M,99.0,N,,K,N")), GPS_VTG);
    assert_int_equal(p.speed_mkn, 10000);
    assert_int_equal(feed(nmea("GPVTG,100.0,T,,M")), GPS_EBADFIELD);
}

static void gsa_mode_dops_and_used_list(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GNGSA,A,3,13,16,21,15,10,29,27,20,,,,,1.05,"
                               "0.64,0.83,1")),
                     GPS_GSA);
    assert_int_equal(feed(nmea("GNGSA,A,3,82,66,81,,,,,,,,,,1.05,0.64,0.83,2")),
                     GPS_GSA);
    assert_int_equal(p.mode, GPS_MODE_3D);
    assert_int_equal(p.pdop_m, 1050);
    assert_int_equal(p.hdop_m, 640);
    assert_int_equal(p.vdop_m, 830);
    assert_true(gps_nmea_vdop(&p) == 0.83);
    assert_int_equal(p.n_used, 11); /* a run of GSA is one list */
    assert_int_equal(p.used_prn[8], 82);
    feed(nmea("GPVTG,054.7,T,034.4,M,010.0,N,018.5,K,A"));
    assert_int_equal(feed(nmea("GPGSA,A,1,,,,,,,,,,,,,,,")), GPS_GSA);
    assert_int_equal(p.n_used, 0);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_int_equal(p.have & GPS_HAVE_PDOP, 0);
    assert_int_equal(feed(nmea("GPGSA,A,4,,,,,,,,,,,,,,,")), GPS_EBADFIELD);
    assert_int_equal(feed(nmea("GPGSA,A,3,01")), GPS_EBADFIELD);
}

static const char *const gsv_gp[] = {
    "GPGSV,3,1,11,01,78,221,47,03,09,042,00,04,05,242,00,06,04,149,00",
    "GPGSV,3,2,11,13,37,235,48,20,41,333,46,22,65,081,46,24,02,205,00",
    "GPGSV,3,3,11,25,20,108,00,27,08,281,,28,17,339,39,,,,",
};

static void gsv_assembles_groups(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea(gsv_gp[0])), GPS_GSV);
    assert_int_equal(feed(nmea(gsv_gp[1])), GPS_GSV);
    assert_int_equal(p.n_sats, 0); /* published when complete */
    assert_int_equal(feed(nmea(gsv_gp[2])), GPS_GSV);
    assert_int_equal(p.n_sats, 11);
    assert_int_equal(p.sats_in_view, 11);
    assert_int_equal(p.sats_seq, 1);
    const gps_sat_t *sat = gps_nmea_sat(&p, GPS_SYS_GPS, 28);
    assert_non_null(sat);
    assert_int_equal(sat->elevation, 17);
    assert_int_equal(sat->azimuth, 339);
    assert_int_equal(sat->snr, 39);
    assert_int_equal(gps_nmea_sat(&p, GPS_SYS_GPS, 27)->snr, -1);
    /* GLONASS joins; its PRNs do not replace GPS ones. */
    feed(nmea("GLGSV,1,1,02,65,53,144,,66,,,32"));
    assert_int_equal(p.sats_in_view, 13);
    assert_int_equal(gps_nmea_sat(&p, GPS_SYS_GLONASS, 66)->elevation, -128);
    /* A group with a lost middle sentence is dropped: old table kept. */
    feed(nmea("GPGSV,2,1,05,01,78,221,47,03,09,042,00,04,05,242,00,06,04,149,00"));
    feed(nmea("GPGSV,3,3,11,25,20,108,00,27,08,281,,28,17,339,39,,,,"));
    assert_int_equal(p.count.gsv_sequence, 1);
    assert_int_equal(p.sats_in_view, 13);
    /* A new complete GPS group replaces the GPS entries only. */
    feed(nmea("GPGSV,1,1,01,07,10,010,20"));
    assert_int_equal(p.n_sats, 3);
    assert_null(gps_nmea_sat(&p, GPS_SYS_GPS, 1));
    assert_non_null(gps_nmea_sat(&p, GPS_SYS_GPS, 7));
    /* NMEA 4.11 signal ids: same satellites on L5 are counted once. */
    feed(nmea("GPGSV,1,1,01,07,10,010,25,8"));
    assert_int_equal(p.n_sats, 4);
    assert_int_equal(p.sats_in_view, 3);
    assert_int_equal(feed(nmea("GPGSV,1,1,01,07,91,010,25")), GPS_EBADFIELD);
    assert_int_equal(feed(nmea("GPGSV,1,2,01,07,10,010,25")), GPS_EBADFIELD);
    assert_int_equal(feed(nmea("GPGSV,1,1,01,07,10,010")), GPS_EBADFIELD);
}

static void checksum_rejections(void **s)
{
    (void)s;
    const char *good = nmea("GPGGA,081421.000,,,,,0,0,,,M,,M,,");
    char buf[128];
    assert_int_equal(feed(nmea_bad("GPGGA,081421.000,,,,,0,0,,,M,,M,,", 1)),
                     GPS_EBADCRC);
    strcpy(buf, good);
    strcpy(strchr(buf, '*') + 2, "\r\n"); /* one digit */
    assert_int_equal(feed(buf), GPS_EBADCRC);
    strcpy(buf, good);
    strcpy(strchr(buf, '*'), "\r\n"); /* none */
    assert_int_equal(feed(buf), GPS_ENOCHECKSUM);
    strcpy(buf, good);
    strchr(buf, '*')[1] = 'G';
    assert_int_equal(feed(buf), GPS_EBADCRC);
    assert_int_equal(feed("$*00\r\n"), GPS_OTHER); /* empty address */
    assert_int_equal(p.count.bad_checksum, 3);
    assert_int_equal(p.count.no_checksum, 1);
    assert_int_equal(p.count.unsupported, 1);
    assert_int_equal(p.count.parsed, 0);
    /* Lower-case hex digits are accepted. */
    strcpy(buf, nmea("GPGLL,4916.45,N,12311.12,W,225444,A"));
    for (char *c = strchr(buf, '*'); *c; c++)
        if (*c >= 'A' && *c <= 'F')
            *c = (char)(*c - 'A' + 'a');
    assert_int_equal(feed(buf), GPS_GLL);
}

static void bad_chars_and_length(void **s)
{
    (void)s;
    assert_int_equal(feed("$GPGGA,0814\x01" "21.000*00\r\n"), GPS_EBADCHAR);
    assert_int_equal(feed("$GPGGA,0814\xc3\xa9,*00\r\n"), GPS_EBADCHAR);
    assert_int_equal(p.count.bad_char, 2);
    /* The rest of a rejected line is skipped, the next line is fine. */
    assert_int_equal(feed(nmea("GPGLL,4916.45,N,12311.12,W,225444,A")), GPS_GLL);
    /* Exactly GPS_NMEA_MAX_LEN from '$' to the checksum is accepted. */
    char body[128];
    memset(body, 'A', sizeof body);
    memcpy(body, "PXXXX,", 6);
    body[GPS_NMEA_MAX_LEN - 4] = '\0';
    const char *s100 = nmea(body);
    assert_int_equal(strlen(s100), GPS_NMEA_MAX_LEN + 2);
    assert_int_equal(feed(s100), GPS_OTHER);
    body[GPS_NMEA_MAX_LEN - 4] = 'A';
    body[GPS_NMEA_MAX_LEN - 3] = '\0';
    assert_int_equal(feed(nmea(body)), GPS_ETOOLONG);
    assert_int_equal(p.count.too_long, 1);
    /* The 82-character MT3339 GGA (84 with CR LF, over NMEA's 82). */
    assert_int_equal(feed(nmea("GPGGA,202640.000,4404.1306,N,12118.8515,W,2,"
                               "10,0.98,1127.7,M,-19.6,M,0000,0000")),
                     GPS_GGA);
    assert_int_equal(p.count.clean, 3);
}

static void dollar_restarts_a_sentence(void **s)
{
    (void)s;
    /* Cut short: truncated, and the new sentence still parses. */
    char buf[300];
    strcpy(buf, "$GPRMC,000346.03,A,4808");
    strcat(buf, nmea("GPGLL,4916.45,N,12311.12,W,225444,A"));
    assert_int_equal(feed(buf), GPS_GLL);
    assert_int_equal(p.count.truncated, 1);
    /* CR LF lost after a complete checksum: both sentences count (gpsd). */
    strcpy(buf, nmea("GPGSA,A,1,,,,,,,,,,,,,,,"));
    strcpy(strchr(buf, '\r'), nmea("GPGLL,4916.45,N,12311.12,W,225445,A"));
    assert_int_equal(feed(buf), GPS_GLL);
    assert_int_equal(p.count.parsed, 3);
    assert_int_equal(p.mode, GPS_MODE_2D);
    /* Noise between sentences is ignored and not counted. */
    assert_int_equal(feed("noise \x01\xff\r\n\n"), 0);
    assert_int_equal(p.count.bad_char, 0);
}

static void unsupported_and_fields(void **s)
{
    (void)s;
    assert_int_equal(feed(nmea("GPZDA,202640.000,13,04,2015,,")), GPS_OTHER);
    assert_string_equal(gps_nmea_field(&p, 0), "GPZDA");
    assert_string_equal(gps_nmea_field(&p, 4), "2015");
    assert_null(gps_nmea_field(&p, 7));
    assert_int_equal(feed(nmea("IIRMC,225308,A,4527.458,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_OTHER); /* talker not a GNSS */
    assert_int_equal(feed(nmea("PGRME,9.1,M,15.0,M,12.0,M")), GPS_OTHER);
    assert_int_equal(p.count.unsupported, 3);
    assert_int_equal(p.count.clean, 3);
    assert_string_equal(gps_strerror(GPS_EBADCRC),
                        "checksum mismatch or malformed checksum");
    assert_string_equal(gps_strerror(UA_ETIMEDOUT), "timed out");
}

static void any_chunking_gives_the_same_state(void **s)
{
    (void)s;
    char stream[2048] = "";
    const char *bodies[] = {
        "GNRMC,003956.00,A,4552.6540312,S,17030.0066812,E,0.025,,120419,,,A,V",
        "GNVTG,,T,,M,0.025,N,0.045,K,A", gsv_gp[0], gsv_gp[1], gsv_gp[2],
        "GNGGA,003956.00,4552.65403,S,17030.00668,E,1,12,0.64,14.2,M,1.8,M,,",
        "GNGSA,A,3,13,16,21,15,10,29,27,20,,,,,1.05,0.64,0.83,1"};
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++)
        strcat(stream, nmea(bodies[i]));
    strcat(stream, "$GPGGA,trunc");
    static gps_nmea_t ref;
    gps_nmea_init(&ref);
    gps_nmea_feed(&ref, stream, strlen(stream), NULL, NULL);
    assert_int_equal(ref.count.parsed, 7);
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        gps_nmea_init(&p);
        for (size_t i = 0; i < strlen(stream); i += chunk) {
            size_t n = strlen(stream) - i < chunk ? strlen(stream) - i : chunk;
            gps_nmea_feed(&p, stream + i, n, NULL, NULL);
        }
        assert_same_state(&p, &ref);
    }
    assert_int_equal(ref.lat_e7min, -(45 * 600000000LL + 526540300LL));
    assert_int_equal(ref.n_sats, 11);
}

static void seven_decimal_minutes_are_exact(void **s)
{
    (void)s;
    feed(nmea("GNRMC,003956.00,A,4552.6540312,S,17030.0066812,E,0.025,,120419,"
              ",,A,V"));
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 526540312LL));
    assert_int_equal(p.lon_e7min, 170 * 600000000LL + 300066812LL);
    assert_float_equal(gps_nmea_latitude(&p), -45.877567186666667, 1e-15);
    /* An eighth decimal is rounded. */
    feed(nmea("GNGLL,4552.65403125,S,17030.00668,E,003957.00,A,A"));
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 526540313LL));
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(rmc_good),
        T(rmc_void_and_faa_n_change_only_the_mode),
        T(rmc_empty_and_bad_fields),
        T(gga_fix_and_no_fix),
        T(gll_states),
        T(vtg_and_speed_units),
        T(gsa_mode_dops_and_used_list),
        T(gsv_assembles_groups),
        T(checksum_rejections),
        T(bad_chars_and_length),
        T(dollar_restarts_a_sentence),
        T(unsupported_and_fields),
        T(any_chunking_gives_the_same_state),
        T(seven_decimal_minutes_are_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
