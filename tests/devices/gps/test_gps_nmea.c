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
    assert_int_equal(a->speed_ukn, b->speed_ukn);
    assert_int_equal(a->course_udeg, b->course_udeg);
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
    assert_int_equal(p.speed_ukn, 5500000);
    assert_int_equal(p.course_udeg, 94500000);
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
    /* Truncated (too few fields), a bad position or status: nothing. */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,S")), GPS_EBADFIELD);
    assert_int_equal(feed(nmea("GPRMC,225308,A,4560.000,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* 60 minutes */
    assert_int_equal(feed(nmea("GPRMC,225308,A,4527.458,X,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* hemisphere */
    assert_int_equal(feed(nmea("GPRMC,225308,X,4527.458,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_EBADFIELD); /* status */
    assert_int_equal(p.count.bad_field, 5);
    assert_int_equal(p.count.parsed, 0);
    assert_int_equal(p.have, 0);
    assert_int_equal(p.fix_seq, 0);
    /* Empty speed and course are allowed: flagged absent. */
    assert_int_equal(feed(nmea("GNRMC,003956.00,A,4552.65403,S,17030.00668,E,"
                               ",,120419,,,A,V")),
                     GPS_RMC);
    assert_int_equal(p.have & (GPS_HAVE_SPEED | GPS_HAVE_COURSE), 0);
    assert_int_equal(p.utc.year, 2019);
    assert_int_equal(p.count.field_errors, 0);
}

/* One bad field does not drop the sentence: it is counted and left
 * invalid, the rest applied (gpsd reads each field on its own too). */
static void rmc_one_bad_field_keeps_the_rest(void **s)
{
    (void)s;
    feed(nmea("GPRMC,225308,A,4527.458,S,16709.165,E,5.5,94.5,060601,,"));
    /* A garbage date (the example, hand-written): position and time
     * applied, the date flagged invalid. */
    assert_int_equal(feed(nmea("GPRMC,225309.00,A,4527.500,S,16709.165,E,"
                               "0.1,94.5,2208-1,,")),
                     GPS_RMC);
    assert_int_equal(p.count.parsed, 2);
    assert_int_equal(p.count.field_errors, 1);
    assert_int_equal(p.fix_seq, 2);
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 275000000LL));
    assert_int_equal(p.utc.second, 9);
    assert_true(p.have & GPS_HAVE_TIME);
    assert_false(p.have & GPS_HAVE_DATE);
    assert_int_equal(p.speed_ukn, 100000);
    /* Hour 24, course 361, speed "1e3": each counted, position kept. */
    assert_int_equal(feed(nmea("GPRMC,245308,A,4527.600,S,16709.165,E,1e3,361,"
                               "060601,,")),
                     GPS_RMC);
    assert_int_equal(p.count.field_errors, 4);
    assert_int_equal(p.have & (GPS_HAVE_TIME | GPS_HAVE_SPEED | GPS_HAVE_COURSE),
                     0);
    assert_true(p.have & GPS_HAVE_DATE);
    assert_int_equal(p.lat_e7min, -(45 * 600000000LL + 276000000LL));
    assert_int_equal(p.count.bad_field, 0);
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
    assert_int_equal(p.course_udeg, 54700000);
    assert_int_equal(p.speed_ukn, 10000000);
    assert_float_equal(gps_nmea_speed(&p, GPS_KNOT), 10.0, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_KPH), 18.52, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_MPH), 11.507794480235425, 1e-12);
    assert_float_equal(gps_nmea_speed(&p, GPS_MPS), 5.144444444444445, 1e-12);
    /* Knots empty: derived from km/h (18.52 km/h = 10 kn). */
    assert_int_equal(feed(nmea("GNVTG,,T,,M,,N,18.52,K,D")), GPS_VTG);
    assert_int_equal(p.speed_ukn, 10000000);
    assert_int_equal(p.have & GPS_HAVE_COURSE, 0);
    /* Mode N: the receiver says invalid; nothing applied. */
    assert_int_equal(feed(nmea("GPVTG,100.0,T,,M,99.0,N,,K,N")), GPS_VTG);
    assert_int_equal(p.speed_ukn, 10000000);
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
    /* Elevation 91: the entry is kept without it, the error counted. */
    assert_int_equal(feed(nmea("GPGSV,1,1,01,07,91,010,25")), GPS_GSV);
    assert_int_equal(p.count.field_errors, 1);
    unsigned found = 0;
    for (unsigned i = 0; i < p.n_sats; i++)
        if (p.sats[i].prn == 7 && p.sats[i].signal == 0) {
            assert_int_equal(p.sats[i].elevation, -128);
            assert_int_equal(p.sats[i].snr, 25);
            found++;
        }
    assert_int_equal(found, 1);
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
    strcpy(strchr(buf, '*'), "\r\n"); /* none: accepted, counted */
    assert_int_equal(feed(buf), GPS_GGA);
    assert_int_equal(p.count.unchecked, 1);
    p.opt.require_checksum = true; /* unless refused */
    assert_int_equal(feed(buf), GPS_ENOCHECKSUM);
    p.opt.require_checksum = false;
    strcpy(buf, good);
    strchr(buf, '*')[1] = 'G';
    assert_int_equal(feed(buf), GPS_EBADCRC);
    assert_int_equal(feed("$*00\r\n"), GPS_OTHER); /* empty address */
    assert_int_equal(p.count.bad_checksum, 3);
    assert_int_equal(p.count.no_checksum, 1);
    assert_int_equal(p.count.unsupported, 1);
    assert_int_equal(p.count.parsed, 1);
    assert_int_equal(p.count.clean, 2);
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
    assert_int_equal(feed(nmea("GPGST,202640.000,13,04,2015,,")), GPS_OTHER);
    assert_string_equal(gps_nmea_field(&p, 0), "GPGST");
    assert_string_equal(gps_nmea_field(&p, 4), "2015");
    assert_null(gps_nmea_field(&p, 7));
    assert_int_equal(feed(nmea("PGRME,9.1,M,15.0,M,12.0,M")), GPS_OTHER);
    assert_int_equal(feed(nmea("gprmc,225308,A,4527.458,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_OTHER); /* a talker is two capitals */
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

/* Any talker: the type is what counts (NMEA 0183: the address is a
 * two-letter talker plus a three-letter formatter). */
static void any_talker_id(void **s)
{
    (void)s;
    /* An echo sounder passing its position on (talker EC). */
    assert_int_equal(feed(nmea("ECGLL,4916.45,N,12311.12,W,225444,A")),
                     GPS_GLL);
    assert_int_equal(p.mode, GPS_MODE_2D);
    /* Integrated instrumentation (II) and navigation (IN) systems. */
    assert_int_equal(feed(nmea("IIRMC,225308,A,4527.458,S,16709.165,E,0,0,"
                               "060601,,")),
                     GPS_RMC);
    assert_int_equal(feed(nmea("INGGA,202640.000,4404.1306,N,12118.8515,W,1,"
                               "08,0.98,1127.7,M,-19.6,M,,")),
                     GPS_GGA);
    assert_int_equal(p.alt_mm, 1127700);
    assert_int_equal(feed(nmea("GLGGA,202641.000,4404.1306,N,12118.8515,W,1,"
                               "08,0.98,1127.8,M,-19.6,M,,")),
                     GPS_GGA);
    assert_int_equal(feed(nmea("GAVTG,054.7,T,034.4,M,010.0,N,018.5,K,A")),
                     GPS_VTG);
    assert_int_equal(feed(nmea("GBGSA,A,3,13,16,,,,,,,,,,,1.05,0.64,0.83")),
                     GPS_GSA);
    assert_int_equal(feed(nmea("GQZDA,202640.000,13,04,2015,,")), GPS_ZDA);
    assert_int_equal(p.count.parsed, 7);
    /* Satellites of a BeiDou (BD, GB), Galileo (GA), QZSS (GQ) talker. */
    feed(nmea("BDGSV,1,1,01,214,55,153,40"));
    assert_non_null(gps_nmea_sat(&p, GPS_SYS_BEIDOU, 214));
    /* GB is BeiDou too: its group replaces BD's (one receiver uses one). */
    feed(nmea("GBGSV,1,1,01,208,01,299,"));
    feed(nmea("GAGSV,1,1,01,02,00,179,"));
    feed(nmea("GQGSV,1,1,01,193,11,307,"));
    assert_null(gps_nmea_sat(&p, GPS_SYS_BEIDOU, 214));
    assert_non_null(gps_nmea_sat(&p, GPS_SYS_BEIDOU, 208));
    assert_non_null(gps_nmea_sat(&p, GPS_SYS_GALILEO, 2));
    assert_non_null(gps_nmea_sat(&p, GPS_SYS_QZSS, 193));
    assert_int_equal(p.sats_in_view, 3);
}

/* ZDA (NMEA 0183: UTC, day, month, year, local zone hours and minutes). */
static void zda_gives_date_and_zone(void **s)
{
    (void)s;
    /* A receiver that sends ZDA and GGA but no RMC (mt3339's ZDA line). */
    assert_int_equal(feed(nmea("GPZDA,202640.000,13,04,2015,,")), GPS_ZDA);
    assert_true(same_time(&p.utc, &(gps_datetime_t){2015, 4, 13, 20, 26, 40, 0}));
    assert_int_equal(p.have & (GPS_HAVE_TIME | GPS_HAVE_DATE | GPS_HAVE_ZONE),
                     GPS_HAVE_TIME | GPS_HAVE_DATE);
    assert_int_equal(p.date_seq, 1);
    /* Local zone: UTC-05:30 is hours -05, minutes 30 of the same sign. */
    assert_int_equal(feed(nmea("GPZDA,202641.00,13,04,2015,-05,30")), GPS_ZDA);
    assert_int_equal(p.zone_min, -330);
    assert_true(p.have & GPS_HAVE_ZONE);
    assert_int_equal(feed(nmea("GNZDA,003956.00,12,04,2019,01,00")), GPS_ZDA);
    assert_int_equal(p.zone_min, 60);
    /* No date yet (time only): the old date stays, nothing counted. */
    assert_int_equal(feed(nmea("GPZDA,000001.00,,,,,")), GPS_ZDA);
    assert_int_equal(p.utc.year, 2019);
    assert_int_equal(p.count.field_errors, 0);
    /* Garbage month: counted, date flagged invalid, time applied. */
    assert_int_equal(feed(nmea("GPZDA,000002.00,12,13,2019,,")), GPS_ZDA);
    assert_int_equal(p.count.field_errors, 1);
    assert_false(p.have & GPS_HAVE_DATE);
    assert_int_equal(p.utc.second, 2);
    assert_int_equal(feed(nmea("GPZDA")), GPS_EBADFIELD);
}

/* Garmin PGRMZ: altitude in feet (the garmin48 log's line), mode. */
static void pgrmz_altitude_in_feet(void **s)
{
    (void)s;
    assert_int_equal(feed("$PGRMZ,48,f,3*27\r\n"), GPS_PGRMZ);
    assert_int_equal(p.alt_mm, 14630); /* 48 ft = 14.6304 m */
    assert_true(p.have & GPS_HAVE_ALT);
    assert_int_equal(p.mode, GPS_MODE_3D);
    assert_int_equal(p.alt_seq, 1);
    assert_int_equal(feed(nmea("PGRMZ,-12.5,f,2")), GPS_PGRMZ);
    assert_int_equal(p.alt_mm, -3810);
    assert_int_equal(p.mode, GPS_MODE_2D);
    assert_int_equal(feed(nmea("PGRMZ,93,x,3")), GPS_PGRMZ); /* unit */
    assert_int_equal(p.count.field_errors, 1);
    assert_int_equal(p.alt_mm, -3810);
}

/* No checksum: NMEA 0183 before 2.0 made it optional (NMEA 1.5 GLL). */
static void sentences_without_checksum(void **s)
{
    (void)s;
    assert_int_equal(feed("$GPGLL,4916.45,N,12311.12,W\r\n"), GPS_GLL);
    assert_int_equal(p.count.unchecked, 1);
    assert_int_equal(p.count.clean, 1);
    assert_int_equal(p.fix_seq, 1);
    /* Their fields are still checked. */
    assert_int_equal(feed("$GPGLL,4916.45,N,12311\r\n"), GPS_EBADFIELD);
    /* A bad checksum is still rejected. */
    assert_int_equal(feed("$GPGLL,4916.45,N,12311.12,W*00\r\n"), GPS_EBADCRC);
    /* And cut short by a '$', it is truncated: nothing tells it ended. */
    assert_int_equal(feed("$GPGLL,4916.45,N,12311.12,W$GPGLL,4916.45,N,"
                          "12311.12,W\r\n"),
                     GPS_GLL);
    assert_int_equal(p.count.truncated, 1);
    p.opt.require_checksum = true;
    assert_int_equal(feed("$GPGLL,4916.45,N,12311.12,W\r\n"), GPS_ENOCHECKSUM);
    assert_int_equal(p.count.no_checksum, 1);
    assert_int_equal(p.count.unchecked, 3);
}

/* Fix mode when GSA and GGA disagree (gpsd's rules, see gps_nmea.h). */
static void fix_mode_rules(void **s)
{
    (void)s;
    /* GGA with 2 satellites in use: no fix whatever the quality says. */
    assert_int_equal(feed(nmea("GPGGA,081422,4404.1306,N,12118.8515,W,1,02,"
                               "1.5,100.0,M,,,,")),
                     GPS_GGA);
    assert_int_equal(p.mode, GPS_MODE_NO_FIX);
    assert_false(gps_nmea_fix_valid(&p));
    /* 3 in use with an altitude: 2D (no 3D from 3 satellites). */
    feed(nmea("GPGGA,081423,4404.1306,N,12118.8515,W,1,03,1.5,100.0,M,,,,"));
    assert_int_equal(p.mode, GPS_MODE_2D);
    /* GSA says 2D, then the cycle's GGA has an altitude and 5 in use. */
    feed(nmea("GPGSA,A,2,01,02,03,04,05,,,,,,,,2.0,1.5,1.2"));
    assert_int_equal(p.mode, GPS_MODE_2D);
    feed(nmea("GPGGA,081424,4404.1306,N,12118.8515,W,1,05,1.5,100.0,M,,,,"));
    assert_int_equal(p.mode, GPS_MODE_3D);
    /* GGA first, then GSA 2D: the receiver's statement comes last. */
    feed(nmea("GPGSA,A,2,01,02,03,04,05,,,,,,,,2.0,1.5,1.2"));
    assert_int_equal(p.mode, GPS_MODE_2D);
    /* Empty satellite count: not held against the fix. */
    feed(nmea("GPGGA,081425,4404.1306,N,12118.8515,W,1,,1.5,100.0,M,,,,"));
    assert_int_equal(p.mode, GPS_MODE_3D);
}

/* Speed and course to the receiver's precision (6 decimals). */
static void full_precision_speed_and_course(void **s)
{
    (void)s;
    feed(nmea("GNRMC,003956.00,A,4552.65403,S,17030.00668,E,0.039560,"
              "123.456789,120419,11.5,W,A,V"));
    assert_int_equal(p.speed_ukn, 39560);
    assert_float_equal(gps_nmea_speed(&p, GPS_MPS), 0.039560 * 1852 / 3600,
                       1e-15);
    assert_int_equal(p.course_udeg, 123456789);
    assert_int_equal(p.magvar_udeg, -11500000);
    assert_true(gps_nmea_magvar(&p) == -11.5);
    assert_int_equal(p.course_seq, 1);
    /* km/h only: converted exactly (1.852 km/h per knot). */
    feed(nmea("GNVTG,,T,,M,,N,0.073265,K,D"));
    assert_int_equal(p.speed_ukn, 39560);
    /* A 90-character u-blox high-precision GGA (over NMEA's 82). */
    const char *hp = nmea("GNGGA,003956.00,4552.6540312,S,17030.0066812,E,4,"
                          "12,0.64,14.2431,M,1.8123,M,1.0,0000");
    assert_true(strlen(hp) > 82);
    assert_int_equal(feed(hp), GPS_GGA);
    assert_int_equal(p.alt_mm, 14243);
}

/* GPS week rollover: the GPS-320FW's ZDA says 1999-08-22 on 2019-04-07. */
static void week_rollover_pivot(void **s)
{
    (void)s;
    assert_int_equal(feed("$GPZDA,000427.00,22,08,1999,,*67\r\n"), GPS_ZDA);
    assert_int_equal(p.utc.year, 1999); /* off by default */
    assert_int_equal(gps_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(gps_days_from_civil(2019, 4, 7) -
                         gps_days_from_civil(1999, 8, 22),
                     7168);
    p.opt.rollover_pivot = gps_days_from_civil(2010, 1, 1);
    assert_int_equal(feed("$GPZDA,000427.00,22,08,1999,,*67\r\n"), GPS_ZDA);
    assert_true(same_time(&p.utc, &(gps_datetime_t){2019, 4, 7, 0, 4, 27, 0}));
    assert_int_equal(p.count.rollover, 1);
    /* RMC too; a date after the pivot is left alone. */
    feed(nmea("GPRMC,000428,A,4527.458,S,16709.165,E,0,0,220899,,"));
    assert_int_equal(p.utc.year, 2019);
    assert_int_equal(p.utc.month, 4);
    assert_int_equal(p.utc.day, 7);
    feed(nmea("GPRMC,000428,A,4527.458,S,16709.165,E,0,0,070419,,"));
    assert_int_equal(p.count.rollover, 2);
    /* Two rollovers behind (1980-01-06 + 2 x 1024 weeks = 2019-04-07). */
    feed(nmea("GPZDA,000000.00,06,01,1980,,"));
    assert_int_equal(p.utc.year, 2019);
    assert_int_equal(p.utc.day, 7);
}

/* GSV: a constellation the receiver stops reporting is pruned when the
 * next run of GSV sentences ends. */
static void gsv_prunes_satellites_no_longer_reported(void **s)
{
    (void)s;
    char rmc[128]; /* nmea() returns a static buffer */
    strcpy(rmc, nmea("GPRMC,225308,A,4527.458,S,16709.165,E,0,0,060601,,"));
    feed(nmea("GPGSV,1,1,02,01,78,221,47,03,09,042,30"));
    feed(nmea("GLGSV,1,1,02,65,53,144,20,66,10,100,32"));
    feed(rmc);
    assert_int_equal(p.sats_in_view, 4);
    feed(nmea("GPGSV,1,1,02,01,78,221,47,03,09,042,30"));
    assert_int_equal(p.sats_in_view, 4); /* the run is not over yet */
    feed(rmc);
    assert_int_equal(p.sats_in_view, 2);
    assert_null(gps_nmea_sat(&p, GPS_SYS_GLONASS, 65));
    assert_int_equal(p.count.gsv_pruned, 2);
    /* A group broken off keeps its old entries (reported, just lost). */
    feed(nmea("GPGSV,2,1,05,01,78,221,47,03,09,042,00,04,05,242,00,06,04,149,00"));
    feed(rmc);
    assert_int_equal(p.sats_in_view, 2);
    assert_int_equal(p.count.gsv_pruned, 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(rmc_good),
        T(rmc_void_and_faa_n_change_only_the_mode),
        T(rmc_empty_and_bad_fields),
        T(rmc_one_bad_field_keeps_the_rest),
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
        T(any_talker_id),
        T(zda_gives_date_and_zone),
        T(pgrmz_altitude_in_feet),
        T(sentences_without_checksum),
        T(fix_mode_rules),
        T(full_precision_speed_and_course),
        T(week_rollover_pivot),
        T(gsv_prunes_satellites_no_longer_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
