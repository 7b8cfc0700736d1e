/*
 * Fuzz entry point of the NMEA parser (libFuzzer's signature; also run by
 * fuzz_regress.c under the normal build).  The first input byte picks the
 * chunk size, so chunking paths are fuzzed too; invariants that must hold
 * after any input abort the run when broken.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gps_format.h"
#include "gps_nmea.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const gps_nmea_t *p, size_t ended)
{
    const gps_counters_t *c = &p->count;
    if (p->len > GPS_NMEA_MAX_LEN || p->nfields > GPS_NMEA_MAX_FIELDS ||
        p->n_sats > GPS_MAX_SATS || p->sats_in_view > p->n_sats ||
        p->n_used > GPS_MAX_USED || p->gsv_n > GPS_GSV_MAX ||
        p->mode > GPS_MODE_3D)
        abort();
    if (ended != c->clean + c->bad_checksum + c->no_checksum + c->bad_char +
                     c->too_long + c->truncated ||
        c->clean != c->parsed + c->unsupported + c->bad_field ||
        c->unchecked > c->clean)
        abort();
    if ((p->have & GPS_HAVE_SPEED) &&
        (p->speed_ukn < 0 || p->speed_ukn > INT64_C(2000000000000)))
        abort();
    if ((p->have & GPS_HAVE_DATE) &&
        (p->utc.month < 1 || p->utc.month > 12 || p->utc.day < 1 ||
         p->utc.day > 31))
        abort();
    if ((p->have & GPS_HAVE_ZONE) && (p->zone_min < -13 * 60 - 59 ||
                                      p->zone_min > 13 * 60 + 59))
        abort();
    if ((p->have & GPS_HAVE_POS) &&
        (p->lat_e7min > INT64_C(54000000000) ||
         p->lat_e7min < -INT64_C(54000000000) ||
         p->lon_e7min > INT64_C(108000000000) ||
         p->lon_e7min < -INT64_C(108000000000)))
        abort();
    if ((p->have & GPS_HAVE_COURSE) &&
        (p->course_udeg < 0 || p->course_udeg > 360000000))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gps_nmea_t p;
    gps_nmea_init(&p);
    if (size == 0)
        return 0;
    /* First byte: chunk size (bits 0-3), options (bits 4-5). */
    size_t chunk = (size_t)(data[0] % 16) + 1;
    p.opt.require_checksum = (data[0] & 16) != 0;
    p.opt.rollover_pivot = (data[0] & 32) ? gps_days_from_civil(2010, 1, 1) : 0;
    size_t ended = 0;
    for (size_t i = 1; i < size; i += chunk) {
        size_t n = size - i < chunk ? size - i : chunk;
        ended += gps_nmea_feed(&p, data + i, n, NULL, NULL);
        for (unsigned f = 0; gps_nmea_field(&p, f) != NULL; f++)
            if (strlen(gps_nmea_field(&p, f)) > GPS_NMEA_MAX_LEN)
                abort();
    }
    check(&p, ended);
    volatile double sink = gps_nmea_latitude(&p) + gps_nmea_longitude(&p) +
                           gps_nmea_speed(&p, GPS_MPH) +
                           gps_nmea_latitude_e7(&p) + gps_nmea_magvar(&p) +
                           gps_nmea_course(&p);
    (void)sink;
    /* Presentation of whatever state the input left: never past size. */
    char b[24];
    int64_t e;
    for (unsigned f = GPS_DD; f <= GPS_KML; f++) {
        if (gps_lat_string(&p, f, b, sizeof b) >= (int)sizeof b ||
            gps_lon_string(&p, f | GPS_ASCII, b, sizeof b) >= (int)sizeof b)
            abort();
    }
    p.opt.local_offset_min = (int16_t)((data[0] * 37) % 1500 - 750);
    (void)gps_kml_string(&p, b, sizeof b);
    (void)gps_speed_string(&p, GPS_MPH, b, sizeof b);
    (void)gps_time_string(&p, true, b, sizeof b);
    (void)gps_date_string(&p, true, GPS_LONG, b, sizeof b);
    (void)gps_utc_epoch(&p, &e);
    (void)gps_compass_direction(&p);
    return 0;
}
