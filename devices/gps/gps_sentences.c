/*
 * Field decoding of RMC, GGA, GLL, VTG, GSA and GSV (see gps_nmea.h).
 *
 * Each decoder validates every field it uses into locals first and touches
 * the state only once the whole sentence is known good, so a bad field
 * never leaves half a sentence applied.  Field helpers return 0 for a
 * value, 1 for an empty field and -1 for garbage.
 */
#include "gps_nmea.h"

#include <string.h>

#define F(i) (p->field[(i)])
#define HAS(i) ((i) < p->nfields && p->field[(i)][0] != '\0')

/*
 * Unsigned or signed decimal "[-]ddd[.ddd]" scaled by 10^scale, rounded
 * half up on the first dropped digit.  The integer part is limited to 10
 * digits so nothing overflows int64.
 */
static int decimal(const char *s, int scale, bool sign_ok, int64_t *out)
{
    bool neg = false;
    int64_t v = 0;
    int idigits = 0, fdigits = 0;

    if (*s == '\0')
        return 1;
    if (*s == '-' || *s == '+') {
        if (!sign_ok)
            return -1;
        neg = *s++ == '-';
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++idigits > 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        for (; *s >= '0' && *s <= '9'; s++, fdigits++) {
            if (fdigits < scale)
                v = v * 10 + (*s - '0');
            else if (fdigits == scale && *s >= '5')
                v++;
        }
    }
    if (*s != '\0' || idigits + fdigits == 0)
        return -1;
    for (int i = fdigits; i < scale; i++)
        v *= 10;
    *out = neg ? -v : v;
    return 0;
}

/* Thousandths within [lo, hi]. */
static int milli(const char *s, int32_t lo, int32_t hi, int32_t *out)
{
    int64_t v;
    int r = decimal(s, 3, lo < 0, &v);
    if (r != 0)
        return r;
    if (v < lo || v > hi)
        return -1;
    *out = (int32_t)v;
    return 0;
}

static int uint_field(const char *s, unsigned max, unsigned *out)
{
    unsigned v = 0;
    if (*s == '\0')
        return 1;
    for (int n = 0; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 6)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* "ddmm.mmmm" / "dddmm.mmmm" plus hemisphere into 1e-7 arc-minutes. */
static int coord(const char *v, const char *hemi, bool lat, int64_t *out)
{
    int64_t x;
    int r = decimal(v, 7, false, &x);
    if (r == 1 && hemi[0] == '\0')
        return 1;
    if (r != 0 || hemi[1] != '\0')
        return -1;
    int64_t deg = x / 1000000000;
    int64_t min = x % 1000000000;
    if (min >= 600000000 || deg > (lat ? 90 : 180))
        return -1;
    x = deg * 600000000 + min;
    if (x > (lat ? 90 : 180) * INT64_C(600000000))
        return -1;
    if (hemi[0] == (lat ? 'S' : 'W'))
        x = -x;
    else if (hemi[0] != (lat ? 'N' : 'E'))
        return -1;
    *out = x;
    return 0;
}

/* "hhmmss[.sss]" */
static int utc_time(const char *s, gps_datetime_t *t)
{
    int64_t x;
    const char *dot = strchr(s, '.');
    size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
    int r = decimal(s, 3, false, &x);
    if (r != 0)
        return r;
    if (ilen != 6)
        return -1;
    unsigned ms = (unsigned)(x % 1000), hms = (unsigned)(x / 1000);
    unsigned h = hms / 10000, m = hms / 100 % 100, sec = hms % 100;
    if (h > 23 || m > 59 || sec > 60)
        return -1; /* 60: a leap second */
    t->hour = (uint8_t)h;
    t->minute = (uint8_t)m;
    t->second = (uint8_t)sec;
    t->millisecond = (uint16_t)ms;
    return 0;
}

/* "ddmmyy" */
static int utc_date(const char *s, gps_datetime_t *t)
{
    unsigned v;
    int r = uint_field(s, 999999, &v);
    if (r != 0)
        return r;
    if (strlen(s) != 6)
        return -1;
    unsigned d = v / 10000, m = v / 100 % 100, y = v % 100;
    if (d < 1 || d > 31 || m < 1 || m > 12)
        return -1;
    t->day = (uint8_t)d;
    t->month = (uint8_t)m;
    t->year = (uint16_t)(y < 80 ? 2000 + y : 1900 + y);
    return 0;
}

static void no_fix(gps_nmea_t *p)
{
    p->mode = GPS_MODE_NO_FIX;
}

static void raise_2d(gps_nmea_t *p)
{
    if (p->mode < GPS_MODE_2D)
        p->mode = GPS_MODE_2D;
}

static void set_pos(gps_nmea_t *p, int64_t lat, int64_t lon)
{
    p->lat_e7min = lat;
    p->lon_e7min = lon;
    p->have |= GPS_HAVE_POS;
    p->fix_seq++;
}

/* Optional value: applied and flagged, or (empty) flagged absent. */
static void set_opt(gps_nmea_t *p, int r, int32_t *dst, int32_t v, uint32_t bit)
{
    if (r == 0) {
        *dst = v;
        p->have |= bit;
    } else {
        p->have &= ~bit;
    }
}

static int rmc(gps_nmea_t *p)
{
    gps_datetime_t t = p->utc;
    int64_t lat, lon;
    int32_t spd = 0, crs = 0;

    if (p->nfields < 10)
        return GPS_EBADFIELD;
    bool faa_n = p->nfields > 12 && strcmp(F(12), "N") == 0;
    if (strcmp(F(2), "V") == 0 || (strcmp(F(2), "A") == 0 && faa_n)) {
        no_fix(p);
        return GPS_RMC;
    }
    if (strcmp(F(2), "A") != 0 || utc_time(F(1), &t) != 0 ||
        utc_date(F(9), &t) != 0 || coord(F(3), F(4), true, &lat) != 0 ||
        coord(F(5), F(6), false, &lon) != 0)
        return GPS_EBADFIELD;
    int rs = milli(F(7), 0, 2000000000, &spd);
    int rc = milli(F(8), 0, 360000, &crs);
    if (rs < 0 || rc < 0)
        return GPS_EBADFIELD;
    p->utc = t;
    p->have |= GPS_HAVE_TIME | GPS_HAVE_DATE;
    set_opt(p, rs, &p->speed_mkn, spd, GPS_HAVE_SPEED);
    set_opt(p, rc, &p->course_mdeg, crs, GPS_HAVE_COURSE);
    raise_2d(p);
    set_pos(p, lat, lon);
    return GPS_RMC;
}

static int gga(gps_nmea_t *p)
{
    gps_datetime_t t = p->utc;
    unsigned q, used = 0;
    int64_t lat = 0, lon = 0;
    int32_t hdop = 0, alt = 0, geoid = 0;

    if (p->nfields < 10 || uint_field(F(6), 9, &q) != 0)
        return GPS_EBADFIELD;
    int rt = utc_time(F(1), &t);
    int ru = uint_field(F(7), 99, &used);
    int rh = milli(F(8), 0, 999999, &hdop);
    int ra = milli(F(9), -100000000, 100000000, &alt);
    int rg = HAS(11) ? milli(F(11), -1000000, 1000000, &geoid) : 1;
    if (rt < 0 || ru < 0 || rh < 0 || ra < 0 || rg < 0)
        return GPS_EBADFIELD;
    if (q != 0 && (coord(F(2), F(3), true, &lat) != 0 ||
                   coord(F(4), F(5), false, &lon) != 0))
        return GPS_EBADFIELD;
    if (rt == 0) {
        p->utc = t;
        p->have |= GPS_HAVE_TIME;
    }
    p->quality = (uint8_t)q;
    if (ru == 0) {
        p->sats_used = (uint8_t)used;
        p->have |= GPS_HAVE_SATS_USED;
    }
    if (rh == 0) {
        p->hdop_m = hdop;
        p->have |= GPS_HAVE_HDOP;
    }
    if (q == 0) {
        no_fix(p);
        return GPS_GGA;
    }
    set_opt(p, ra, &p->alt_mm, alt, GPS_HAVE_ALT);
    set_opt(p, rg, &p->geoid_mm, geoid, GPS_HAVE_GEOID);
    if (ra == 0)
        p->mode = GPS_MODE_3D;
    else
        raise_2d(p);
    set_pos(p, lat, lon);
    return GPS_GGA;
}

static int gll(gps_nmea_t *p)
{
    gps_datetime_t t = p->utc;
    int64_t lat, lon;

    if (p->nfields < 5)
        return GPS_EBADFIELD;
    /* NMEA 1.5 GLL has no time and status: the position alone. */
    const char *status = p->nfields > 6 ? F(6) : "A";
    bool faa_n = p->nfields > 7 && strcmp(F(7), "N") == 0;
    bool valid = strcmp(status, "A") == 0 && !faa_n;
    int rt = p->nfields > 5 ? utc_time(F(5), &t) : 1;
    if (rt < 0 || (!valid && strcmp(status, "V") != 0 && !faa_n))
        return GPS_EBADFIELD;
    if (valid && (coord(F(1), F(2), true, &lat) != 0 ||
                  coord(F(3), F(4), false, &lon) != 0))
        return GPS_EBADFIELD;
    /* The time of day is the receiver's even without a fix (as in GGA). */
    if (rt == 0) {
        p->utc = t;
        p->have |= GPS_HAVE_TIME;
    }
    if (!valid) {
        no_fix(p);
        return GPS_GLL;
    }
    raise_2d(p);
    set_pos(p, lat, lon);
    return GPS_GLL;
}

static int vtg(gps_nmea_t *p)
{
    int32_t crs = 0, kn = 0, kmh = 0;

    if (p->nfields < 9)
        return GPS_EBADFIELD;
    int rc = milli(F(1), 0, 360000, &crs);
    int rn = milli(F(5), 0, 2000000000, &kn);
    int rk = milli(F(7), 0, 2000000000, &kmh);
    if (rc < 0 || rn < 0 || rk < 0)
        return GPS_EBADFIELD;
    if (p->nfields > 9 && strcmp(F(9), "N") == 0)
        return GPS_VTG; /* the receiver says the data is not valid */
    if (rn != 0 && rk == 0) {
        kn = (int32_t)(((int64_t)kmh * 1000 + 926) / 1852);
        rn = 0;
    }
    set_opt(p, rc, &p->course_mdeg, crs, GPS_HAVE_COURSE);
    set_opt(p, rn, &p->speed_mkn, kn, GPS_HAVE_SPEED);
    return GPS_VTG;
}

static int gsa(gps_nmea_t *p)
{
    unsigned mode, prn[12];
    int rp[12];
    int32_t dop[3] = {0, 0, 0};
    int rd[3];

    if (p->nfields < 18 || uint_field(F(2), 3, &mode) != 0 || mode < 1)
        return GPS_EBADFIELD;
    for (int i = 0; i < 12; i++)
        if ((rp[i] = uint_field(F(3 + i), 999, &prn[i])) < 0)
            return GPS_EBADFIELD;
    for (int i = 0; i < 3; i++)
        if ((rd[i] = milli(F(15 + i), 0, 999999, &dop[i])) < 0)
            return GPS_EBADFIELD;
    p->mode = (uint8_t)mode;
    /* Receivers send one GSA per constellation in a row: a run of GSA
     * sentences makes up one list of satellites in use. */
    if (p->prev_type != GPS_GSA)
        p->n_used = 0;
    for (int i = 0; i < 12; i++)
        if (rp[i] == 0 && p->n_used < GPS_MAX_USED)
            p->used_prn[p->n_used++] = (uint16_t)prn[i];
    set_opt(p, rd[0], &p->pdop_m, dop[0], GPS_HAVE_PDOP);
    set_opt(p, rd[1], &p->hdop_m, dop[1], GPS_HAVE_HDOP);
    set_opt(p, rd[2], &p->vdop_m, dop[2], GPS_HAVE_VDOP);
    return GPS_GSA;
}

/* Replace the satellites of the finished group's (system, signal). */
static void gsv_commit(gps_nmea_t *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->n_sats; i++)
        if (p->sats[i].system != p->gsv_system ||
            p->sats[i].signal != p->gsv_signal)
            p->sats[n++] = p->sats[i];
    for (unsigned i = 0; i < p->gsv_n && n < GPS_MAX_SATS; i++)
        p->sats[n++] = p->gsv[i];
    p->n_sats = (uint8_t)n;
    unsigned distinct = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned j = 0;
        while (j < i && (p->sats[j].system != p->sats[i].system ||
                         p->sats[j].prn != p->sats[i].prn))
            j++;
        distinct += j == i;
    }
    p->sats_in_view = (uint8_t)distinct;
    p->sats_seq++;
}

static int gsv(gps_nmea_t *p, uint8_t system)
{
    unsigned total, num, inview, sig = 0;
    gps_sat_t s[4];
    unsigned ns = 0;

    if (p->nfields < 4 || uint_field(F(1), 9, &total) != 0 || total < 1 ||
        uint_field(F(2), total, &num) != 0 || num < 1 ||
        uint_field(F(3), 255, &inview) != 0)
        return GPS_EBADFIELD;
    unsigned rest = p->nfields - 4u;
    if (rest % 4 > 1 || rest / 4 > 4 ||
        (rest % 4 == 1 && uint_field(F(p->nfields - 1), 15, &sig) < 0))
        return GPS_EBADFIELD;
    for (unsigned g = 0; g < rest / 4; g++) {
        const char *const *f = &p->field[4 + 4 * g];
        unsigned prn = 0, el = 0, az = 0, snr = 0;
        int r = uint_field(f[0], 999, &prn);
        int re = uint_field(f[1], 90, &el);
        int rz = uint_field(f[2], 360, &az);
        int rs = uint_field(f[3], 99, &snr);
        if (r == 1 && re == 1 && rz == 1 && rs == 1)
            continue; /* padding of the last sentence */
        if (r != 0 || re < 0 || rz < 0 || rs < 0)
            return GPS_EBADFIELD;
        s[ns++] = (gps_sat_t){.prn = (uint16_t)prn,
                              .elevation = (int8_t)(re == 0 ? (int)el : -128),
                              .azimuth = (int16_t)(rz == 0 ? (int)az : -1),
                              .snr = (int8_t)(rs == 0 ? (int)snr : -1),
                              .system = system,
                              .signal = (uint8_t)sig};
    }
    if (num == 1) {
        p->gsv_n = 0;
        p->gsv_total = (uint8_t)total;
        p->gsv_next = 1;
        p->gsv_system = system;
        p->gsv_signal = (uint8_t)sig;
    }
    if (num != p->gsv_next || total != p->gsv_total ||
        system != p->gsv_system || sig != p->gsv_signal) {
        p->count.gsv_sequence++; /* a sentence of the group was lost */
        p->gsv_next = 0;
        return GPS_GSV;
    }
    for (unsigned i = 0; i < ns && p->gsv_n < GPS_GSV_MAX; i++)
        p->gsv[p->gsv_n++] = s[i];
    p->gsv_next++;
    if (num == total) {
        gsv_commit(p);
        p->gsv_next = 0;
    }
    return GPS_GSV;
}

static int talker_system(const char *a)
{
    static const char names[][3] = {"GN", "GP", "GL", "GA", "GB", "GQ", "BD"};
    static const uint8_t sys[] = {GPS_SYS_MIXED,   GPS_SYS_GPS,
                                  GPS_SYS_GLONASS, GPS_SYS_GALILEO,
                                  GPS_SYS_BEIDOU,  GPS_SYS_QZSS,
                                  GPS_SYS_BEIDOU};
    for (unsigned i = 0; i < sizeof sys; i++)
        if (a[0] == names[i][0] && a[1] == names[i][1])
            return sys[i];
    return -1;
}

int gps__parse_sentence(gps_nmea_t *p)
{
    const char *a = F(0);
    if (strlen(a) != 5)
        return GPS_EUNSUPPORTED;
    int sys = talker_system(a);
    if (sys < 0)
        return GPS_EUNSUPPORTED;
    const char *t = a + 2;
    if (strcmp(t, "RMC") == 0)
        return rmc(p);
    if (strcmp(t, "GGA") == 0)
        return gga(p);
    if (strcmp(t, "GLL") == 0)
        return gll(p);
    if (strcmp(t, "VTG") == 0)
        return vtg(p);
    if (strcmp(t, "GSA") == 0)
        return gsa(p);
    if (strcmp(t, "GSV") == 0)
        return gsv(p, (uint8_t)sys);
    return GPS_EUNSUPPORTED;
}
