/* NMEA framing, checks, counters and accessors (see gps_nmea.h). */
#include "gps_nmea.h"

#include <string.h>

enum { ST_IDLE = 0, ST_IN, ST_SKIP };

const char *gps_strerror(int status)
{
    return ua_strerror(status);
}

void gps_nmea_init(gps_nmea_t *p)
{
    memset(p, 0, sizeof *p);
}

void gps_nmea_abort_sentence(gps_nmea_t *p)
{
    p->state = ST_IDLE;
    p->len = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Does the buffer end in a complete "*hh"? */
static bool ends_in_checksum(const gps_nmea_t *p)
{
    return p->len >= 4 && p->buf[p->len - 3] == '*' &&
           hexval(p->buf[p->len - 2]) >= 0 && hexval(p->buf[p->len - 1]) >= 0;
}

/* Check the checksum, split the fields in place, decode. */
static int finish(gps_nmea_t *p)
{
    char *star = memchr(p->buf, '*', p->len);
    if (star == NULL) {
        if (p->opt.require_checksum) {
            p->count.no_checksum++;
            return GPS_ENOCHECKSUM;
        }
        /* NMEA 0183 before 2.0 made the checksum optional; the characters
         * and the fields are still checked. */
        p->count.unchecked++;
        star = p->buf + p->len;
        goto split;
    }
    size_t body = (size_t)(star - p->buf);
    int hi = body + 2 < p->len ? hexval(star[1]) : -1;
    int lo = body + 2 < p->len ? hexval(star[2]) : -1;
    if (body + 3 != p->len || hi < 0 || lo < 0) {
        p->count.bad_checksum++; /* digits missing, extra or not hex */
        return GPS_EBADCRC;
    }
    uint8_t sum = 0;
    for (size_t i = 1; i < body; i++)
        sum ^= (uint8_t)p->buf[i];
    if (sum != (uint8_t)(hi << 4 | lo)) {
        p->count.bad_checksum++;
        return GPS_EBADCRC;
    }
split:
    p->count.clean++;

    *star = '\0';
    p->nfields = 0;
    char *f = p->buf + 1;
    for (;;) {
        if (p->nfields == GPS_NMEA_MAX_FIELDS) {
            p->count.bad_field++;
            p->nfields = 0;
            return GPS_EBADFIELD;
        }
        p->field[p->nfields++] = f;
        char *comma = strchr(f, ',');
        if (comma == NULL)
            break;
        *comma = '\0';
        f = comma + 1;
    }
    bool is_gsv = p->nfields > 0 && strlen(p->field[0]) == 5 &&
                  strcmp(p->field[0] + 2, "GSV") == 0;
    if (p->prev_type == GPS_GSV && !is_gsv)
        gps__end_gsv_run(p);
    int r = gps__parse_sentence(p);
    if (r > 0 && r != GPS_OTHER)
        p->count.parsed++;
    else if (r == GPS_EUNSUPPORTED) {
        p->count.unsupported++;
        r = GPS_OTHER;
    } else if (r == GPS_EBADFIELD)
        p->count.bad_field++;
    p->prev_type = (uint8_t)(r > 0 ? r : 0);
    return r;
}

static void start(gps_nmea_t *p)
{
    p->state = ST_IN;
    p->buf[0] = '$';
    p->len = 1;
    p->nfields = 0;
}

int gps_nmea_putc(gps_nmea_t *p, uint8_t c)
{
    int r = 0;

    if (c == '$') {
        if (p->state == ST_IN) {
            if (ends_in_checksum(p)) {
                r = finish(p);
            } else {
                p->count.truncated++;
                r = GPS_ETRUNCATED;
            }
        }
        start(p);
        return r;
    }
    switch (p->state) {
    case ST_IN:
        if (c == '\r' || c == '\n') {
            p->state = ST_IDLE;
            return finish(p);
        }
        if (c < 0x20 || c > 0x7E) {
            p->state = ST_SKIP;
            p->count.bad_char++;
            return GPS_EBADCHAR;
        }
        if (p->len == GPS_NMEA_MAX_LEN) {
            p->state = ST_SKIP;
            p->count.too_long++;
            return GPS_ETOOLONG;
        }
        p->buf[p->len++] = (char)c;
        p->buf[p->len] = '\0';
        return 0;
    case ST_SKIP:
        /* The rejected sentence runs to the end of its line. */
        if (c == '\r' || c == '\n')
            p->state = ST_IDLE;
        return 0;
    default:
        return 0; /* noise between sentences */
    }
}

size_t gps_nmea_feed(gps_nmea_t *p, const void *data, size_t n,
                     void (*cb)(void *arg, gps_nmea_t *p, int result),
                     void *arg)
{
    const uint8_t *b = data;
    size_t ended = 0;

    for (size_t i = 0; i < n; i++) {
        int r = gps_nmea_putc(p, b[i]);
        if (r != 0) {
            ended++;
            if (cb != NULL)
                cb(arg, p, r);
        }
    }
    return ended;
}

const char *gps_nmea_field(const gps_nmea_t *p, unsigned i)
{
    return i < p->nfields ? p->field[i] : NULL;
}

/* --- Accessors ---------------------------------------------------------- */

bool gps_nmea_fix_valid(const gps_nmea_t *p)
{
    return (p->have & GPS_HAVE_POS) && p->mode >= GPS_MODE_2D;
}

double gps_nmea_latitude(const gps_nmea_t *p)
{
    return (double)p->lat_e7min / 6e8;
}

double gps_nmea_longitude(const gps_nmea_t *p)
{
    return (double)p->lon_e7min / 6e8;
}

/* e7min / 60 to the nearest integer, halves away from zero. */
static int32_t e7min_to_e7deg(int64_t v)
{
    return (int32_t)(v >= 0 ? (v + 30) / 60 : -((-v + 30) / 60));
}

int32_t gps_nmea_latitude_e7(const gps_nmea_t *p)
{
    return e7min_to_e7deg(p->lat_e7min);
}

int32_t gps_nmea_longitude_e7(const gps_nmea_t *p)
{
    return e7min_to_e7deg(p->lon_e7min);
}

double gps_nmea_speed(const gps_nmea_t *p, enum gps_speed_unit unit)
{
    double kn = (double)p->speed_ukn / 1e6;
    switch (unit) {
    case GPS_KPH:
        return kn * 1.852; /* a knot is exactly 1852 m/h */
    case GPS_MPH:
        return kn * 1852.0 / 1609.344;
    case GPS_MPS:
        return kn * 1852.0 / 3600.0;
    default:
        return kn;
    }
}

double gps_nmea_course(const gps_nmea_t *p)
{
    return p->course_udeg / 1e6;
}

double gps_nmea_magvar(const gps_nmea_t *p)
{
    return p->magvar_udeg / 1e6;
}

int32_t gps_days_from_civil(int y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil (public domain algorithm). */
    y -= m <= 2;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;
    int32_t doy = (int32_t)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

double gps_nmea_altitude(const gps_nmea_t *p)
{
    return p->alt_mm / 1000.0;
}

double gps_nmea_geoid(const gps_nmea_t *p)
{
    return p->geoid_mm / 1000.0;
}

double gps_nmea_hdop(const gps_nmea_t *p)
{
    return p->hdop_m / 1000.0;
}

double gps_nmea_vdop(const gps_nmea_t *p)
{
    return p->vdop_m / 1000.0;
}

double gps_nmea_pdop(const gps_nmea_t *p)
{
    return p->pdop_m / 1000.0;
}

const gps_sat_t *gps_nmea_sat(const gps_nmea_t *p, enum gps_system sys,
                              uint16_t prn)
{
    for (unsigned i = 0; i < p->n_sats; i++)
        if (p->sats[i].system == sys && p->sats[i].prn == prn)
            return &p->sats[i];
    return NULL;
}
