/* Presentation of the GPS state (see gps_format.h). */
#include "gps_format.h"

#include <string.h>

/* A bounded string being built: counts what it would need. */
typedef struct out {
    char *buf;
    size_t size, len;
} out_t;

static out_t out_init(char *buf, size_t size)
{
    if (size > 0)
        buf[0] = '\0';
    return (out_t){buf, size, 0};
}

static void put_c(out_t *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_s(out_t *o, const char *s)
{
    while (*s)
        put_c(o, *s++);
}

/* Unsigned decimal, zero-padded to `width` digits. */
static void put_u(out_t *o, uint64_t v, int width)
{
    char d[24];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width)
        d[n++] = '0';
    while (n > 0)
        put_c(o, d[--n]);
}

/* v / 10^dec with `dec` decimals ("12.345"). */
static void put_fixed(out_t *o, int64_t v, int dec)
{
    uint64_t scale = 1;
    for (int i = 0; i < dec; i++)
        scale *= 10;
    if (v < 0) {
        put_c(o, '-');
        v = -v;
    }
    put_u(o, (uint64_t)v / scale, 1);
    if (dec > 0) {
        put_c(o, '.');
        put_u(o, (uint64_t)v % scale, dec);
    }
}

static int finish(out_t *o)
{
    if (o->size == 0)
        return GPS_ETRUNC;
    if (o->len >= o->size) {
        o->buf[o->size - 1] = '\0';
        return GPS_ETRUNC;
    }
    o->buf[o->len] = '\0';
    return (int)o->len;
}

static int nodata(char *buf, size_t size)
{
    if (size > 0)
        buf[0] = '\0';
    return GPS_ENODATA;
}

/* Rounded half up: a / b for a >= 0. */
static uint64_t rdiv(uint64_t a, uint64_t b)
{
    return (a + b / 2) / b;
}

static void put_deg(out_t *o, bool ascii)
{
    put_s(o, ascii ? "d" : "\xc2\xb0");
}

/* e7min: 1e-7 arc-minutes. */
static int coord(const gps_nmea_t *p, int64_t e7min, bool lat, unsigned fmt,
                 char *buf, size_t size)
{
    out_t o = out_init(buf, size);
    bool ascii = (fmt & GPS_ASCII) != 0;
    fmt &= ~(unsigned)GPS_ASCII;
    if (fmt < GPS_DD || fmt > GPS_KML) {
        (void)finish(&o);
        return GPS_EBADARG;
    }
    if (!(p->have & GPS_HAVE_POS))
        return nodata(buf, size);
    uint64_t v = (uint64_t)(e7min < 0 ? -e7min : e7min);
    char hemi = lat ? (e7min < 0 ? 'S' : 'N') : (e7min < 0 ? 'W' : 'E');
    switch (fmt) {
    case GPS_DD: {
        uint64_t udeg = rdiv(v, 600); /* 1e-6 degrees */
        put_fixed(&o, (int64_t)udeg, 6);
        put_deg(&o, ascii);
        put_c(&o, hemi);
        break;
    }
    case GPS_DMS: {
        uint64_t cs = rdiv(v * 6, 10000); /* 1/100 arc-second */
        put_u(&o, cs / 360000, 1);
        put_deg(&o, ascii);
        put_u(&o, cs / 6000 % 60, 2);
        put_c(&o, '\'');
        put_u(&o, cs % 6000 / 100, 2);
        put_c(&o, '.');
        put_u(&o, cs % 100, 2);
        put_c(&o, '"');
        put_c(&o, hemi);
        break;
    }
    case GPS_DM: {
        uint64_t e4 = rdiv(v, 1000); /* 1e-4 arc-minutes */
        put_u(&o, e4 / 600000, 1);
        put_deg(&o, ascii);
        put_u(&o, e4 % 600000 / 10000, 2);
        put_c(&o, '.');
        put_u(&o, e4 % 10000, 4);
        put_c(&o, '\'');
        put_c(&o, hemi);
        break;
    }
    default: { /* GPS_KML: signed decimal degrees */
        int64_t udeg = (int64_t)rdiv(v, 600);
        put_fixed(&o, e7min < 0 ? -udeg : udeg, 6);
        break;
    }
    }
    return finish(&o);
}

int gps_lat_string(const gps_nmea_t *p, unsigned format, char *buf,
                   size_t size)
{
    return coord(p, p->lat_e7min, true, format, buf, size);
}

int gps_lon_string(const gps_nmea_t *p, unsigned format, char *buf,
                   size_t size)
{
    return coord(p, p->lon_e7min, false, format, buf, size);
}

int gps_kml_string(const gps_nmea_t *p, char *buf, size_t size)
{
    char lat[24], lon[24];
    if (gps_lon_string(p, GPS_KML, lon, sizeof lon) < 0)
        return nodata(buf, size);
    (void)gps_lat_string(p, GPS_KML, lat, sizeof lat);
    out_t o = out_init(buf, size);
    put_s(&o, lon);
    put_c(&o, ',');
    put_s(&o, lat);
    if (p->have & GPS_HAVE_ALT) {
        put_c(&o, ',');
        /* millimetres to 0.1 m, half away from zero */
        int64_t dm = p->alt_mm >= 0 ? (p->alt_mm + 50) / 100
                                    : -((-(int64_t)p->alt_mm + 50) / 100);
        put_fixed(&o, dm, 1);
    }
    return finish(&o);
}

int gps_speed_string(const gps_nmea_t *p, enum gps_speed_unit unit,
                     char *buf, size_t size)
{
    if (!(p->have & GPS_HAVE_SPEED))
        return nodata(buf, size);
    uint64_t ukn = (uint64_t)p->speed_ukn, milli;
    const char *name;
    switch (unit) {
    case GPS_KNOT:
        milli = rdiv(ukn, 1000);
        name = " knots";
        break;
    case GPS_KPH: /* a knot is 1.852 km/h */
        milli = rdiv(ukn * 1852, 1000000);
        name = " km/h";
        break;
    case GPS_MPH: /* 1852 m / 1609.344 m */
        milli = rdiv(rdiv(ukn * 1852000, 1609344), 1000);
        name = " mph";
        break;
    case GPS_MPS: /* 1852 m / 3600 s */
        milli = rdiv(ukn * 1852, 3600000);
        name = " m/s";
        break;
    default:
        if (size > 0)
            buf[0] = '\0';
        return GPS_EBADARG;
    }
    out_t o = out_init(buf, size);
    put_fixed(&o, (int64_t)milli, 3);
    put_s(&o, name);
    return finish(&o);
}

const char *gps_compass_direction(const gps_nmea_t *p)
{
    static const char *const points[16] = {
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
        "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    if (!(p->have & GPS_HAVE_COURSE))
        return NULL;
    /* Each point covers 22.5 degrees centred on it. */
    uint32_t i = ((uint32_t)p->course_udeg + 11250000u) / 22500000u;
    return points[i % 16];
}

static int32_t days_in_month(int y, int m)
{
    static const uint8_t d[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d[m - 1] + (m == 2 && leap);
}

int gps_get_time(const gps_nmea_t *p, bool local, gps_datetime_t *out)
{
    if (!(p->have & GPS_HAVE_TIME))
        return GPS_ENODATA;
    *out = p->utc;
    if (!local || p->opt.local_offset_min == 0)
        return 0;
    int32_t min = out->hour * 60 + out->minute + p->opt.local_offset_min;
    int32_t dday = 0;
    while (min < 0) {
        min += 1440;
        dday--;
    }
    while (min >= 1440) {
        min -= 1440;
        dday++;
    }
    out->hour = (uint8_t)(min / 60);
    out->minute = (uint8_t)(min % 60);
    if (dday != 0 && (p->have & GPS_HAVE_DATE)) {
        int y = out->year, m = out->month, d = out->day + dday;
        if (d < 1) {
            if (--m < 1) {
                m = 12;
                y--;
            }
            d = days_in_month(y, m);
        } else if (d > days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        out->year = (uint16_t)y;
        out->month = (uint8_t)m;
        out->day = (uint8_t)d;
    }
    return 0;
}

int gps_time_string(const gps_nmea_t *p, bool local, char *buf, size_t size)
{
    gps_datetime_t t;
    if (gps_get_time(p, local, &t) != 0)
        return nodata(buf, size);
    out_t o = out_init(buf, size);
    put_u(&o, t.hour, 2);
    put_c(&o, ':');
    put_u(&o, t.minute, 2);
    put_c(&o, ':');
    put_u(&o, t.second, 2);
    return finish(&o);
}

int gps_date_string(const gps_nmea_t *p, bool local,
                    enum gps_date_format format, char *buf, size_t size)
{
    static const char *const months[12] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    gps_datetime_t t;
    if (format < GPS_MDY || format > GPS_LONG) {
        if (size > 0)
            buf[0] = '\0';
        return GPS_EBADARG;
    }
    if (!(p->have & GPS_HAVE_DATE) || gps_get_time(p, local, &t) != 0)
        return nodata(buf, size);
    out_t o = out_init(buf, size);
    if (format == GPS_LONG) {
        const char *suffix = "th";
        if (t.day % 10 == 1 && t.day != 11)
            suffix = "st";
        else if (t.day % 10 == 2 && t.day != 12)
            suffix = "nd";
        else if (t.day % 10 == 3 && t.day != 13)
            suffix = "rd";
        put_s(&o, months[t.month - 1]);
        put_c(&o, ' ');
        put_u(&o, t.day, 1);
        put_s(&o, suffix);
        put_s(&o, ", ");
        put_u(&o, t.year, 4);
    } else {
        put_u(&o, format == GPS_MDY ? t.month : t.day, 2);
        put_c(&o, '/');
        put_u(&o, format == GPS_MDY ? t.day : t.month, 2);
        put_c(&o, '/');
        put_u(&o, t.year % 100u, 2);
    }
    return finish(&o);
}

int gps_utc_epoch(const gps_nmea_t *p, int64_t *seconds)
{
    const uint32_t need = GPS_HAVE_DATE | GPS_HAVE_TIME;
    if ((p->have & need) != need)
        return GPS_ENODATA;
    const gps_datetime_t *t = &p->utc;
    int64_t days = gps_days_from_civil(t->year, t->month, t->day);
    *seconds = days * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
    return 0;
}

int gps_sats_used(const gps_nmea_t *p)
{
    if (p->have & GPS_HAVE_SATS_USED)
        return p->sats_used;
    return p->n_used > 0 ? p->n_used : -1;
}
