/*
 * Field decoding of RMC, GGA, GLL, VTG, GSA, GSV, ZDA and PGRMZ (see
 * gps_nmea.h).
 *
 * Each decoder validates every field it uses into locals first.  When an
 * essential field is bad (status, the position of a position sentence) it
 * returns GPS_EBADFIELD before touching the state, so half a sentence is
 * never applied.  A bad optional field (date, speed, altitude...) is
 * counted by bad() and treated as absent; the rest is applied.  Field
 * helpers return 0 for a value, 1 for an empty field and -1 for garbage.
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
    if (r != 0 || hemi[0] == '\0' || hemi[1] != '\0')
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

/* A bad optional field: counted, and then treated as empty. */
static int bad(gps_nmea_t *p, int r)
{
    if (r < 0) {
        p->count.field_errors++;
        return 1;
    }
    return r;
}

/* Field i, or "" past the end (short sentences of older receivers). */
static const char *fld(const gps_nmea_t *p, unsigned i)
{
    return i < p->nfields ? p->field[i] : "";
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

/* Time of day applied (or, garbage, flagged invalid). */
static void set_time(gps_nmea_t *p, int r, const gps_datetime_t *t)
{
    if (r == 0) {
        p->utc.hour = t->hour;
        p->utc.minute = t->minute;
        p->utc.second = t->second;
        p->utc.millisecond = t->millisecond;
        p->have |= GPS_HAVE_TIME;
    } else if (r < 0) {
        p->have &= ~GPS_HAVE_TIME;
    }
}

/* Date applied after the rollover pivot (or flagged invalid). */
static void set_date(gps_nmea_t *p, int r, const gps_datetime_t *t)
{
    if (r < 0)
        p->have &= ~GPS_HAVE_DATE;
    if (r != 0)
        return;
    unsigned y = t->year, m = t->month, d = t->day;
    if (p->opt.rollover_pivot != 0) {
        int32_t days = gps_days_from_civil((int)y, m, d);
        if (days < p->opt.rollover_pivot) {
            while (days < p->opt.rollover_pivot)
                days += 7168; /* 1024 GPS weeks */
            p->count.rollover++;
            /* civil_from_days (Hinnant) */
            int32_t z = days + 719468;
            int32_t era = (z >= 0 ? z : z - 146096) / 146097;
            int32_t doe = z - era * 146097;
            int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            int32_t mp = (5 * doy + 2) / 153;
            d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
            m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
            y = (unsigned)(yoe + era * 400 + (m <= 2));
        }
    }
    p->utc.year = (uint16_t)y;
    p->utc.month = (uint8_t)m;
    p->utc.day = (uint8_t)d;
    p->have |= GPS_HAVE_DATE;
    p->date_seq++;
}

/* Speed (micro-knots) and course (micro-degrees) results applied. */
static void set_motion(gps_nmea_t *p, int rs, int64_t spd, int rc, int32_t crs)
{
    if (rs == 0) {
        p->speed_ukn = spd;
        p->have |= GPS_HAVE_SPEED;
    } else {
        p->have &= ~GPS_HAVE_SPEED;
    }
    set_opt(p, rc, &p->course_udeg, crs, GPS_HAVE_COURSE);
    if (rs == 0 || rc == 0)
        p->course_seq++;
}

static int speed_field(const char *s, int64_t *out)
{
    int r = decimal(s, 6, false, out);
    if (r == 0 && *out > INT64_C(2000000000000)) /* 2,000,000 kn */
        return -1;
    return r;
}

static int course_field(const char *s, int32_t *out)
{
    int64_t v;
    int r = decimal(s, 6, false, &v);
    if (r != 0)
        return r;
    if (v > 360000000)
        return -1;
    *out = (int32_t)v;
    return 0;
}

/* Magnetic variation "ddd.d" + E/W into signed micro-degrees. */
static int magvar_field(const char *v, const char *ew, int32_t *out)
{
    int32_t x;
    int r = course_field(v, &x);
    if (r == 1 && ew[0] == '\0')
        return 1;
    if (r != 0 || x > 180000000 || (ew[0] != 'E' && ew[0] != 'W') ||
        ew[1] != '\0')
        return -1;
    *out = ew[0] == 'W' ? -x : x;
    return 0;
}

static int rmc(gps_nmea_t *p)
{
    gps_datetime_t t = p->utc;
    int64_t lat, lon, spd = 0;
    int32_t crs = 0, mv = 0;

    if (p->nfields < 10)
        return GPS_EBADFIELD;
    bool faa_n = p->nfields > 12 && strcmp(F(12), "N") == 0;
    if (strcmp(F(2), "V") == 0 || (strcmp(F(2), "A") == 0 && faa_n)) {
        no_fix(p);
        return GPS_RMC;
    }
    if (strcmp(F(2), "A") != 0 || coord(F(3), F(4), true, &lat) != 0 ||
        coord(F(5), F(6), false, &lon) != 0)
        return GPS_EBADFIELD;
    int rt = utc_time(F(1), &t);
    if (rt < 0)
        p->count.field_errors++;
    int rd = utc_date(F(9), &t);
    if (rd < 0)
        p->count.field_errors++;
    int rs = bad(p, speed_field(F(7), &spd));
    int rc = bad(p, course_field(F(8), &crs));
    int rm = bad(p, magvar_field(fld(p, 10), fld(p, 11), &mv));
    set_time(p, rt, &t);
    set_date(p, rd, &t);
    set_motion(p, rs, spd, rc, crs);
    set_opt(p, rm, &p->magvar_udeg, mv, GPS_HAVE_MAGVAR);
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
    if (q != 0 && (coord(F(2), F(3), true, &lat) != 0 ||
                   coord(F(4), F(5), false, &lon) != 0))
        return GPS_EBADFIELD;
    int rt = utc_time(F(1), &t);
    if (rt < 0)
        p->count.field_errors++;
    int ru = bad(p, uint_field(F(7), 99, &used));
    int rh = bad(p, milli(F(8), 0, 999999, &hdop));
    int ra = bad(p, milli(F(9), -100000000, 100000000, &alt));
    int rg = HAS(11) ? bad(p, milli(F(11), -1000000, 1000000, &geoid)) : 1;
    set_time(p, rt, &t);
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
        p->alt_seq++;
    /* gpsd: a position is 2D; with an altitude and 4+ satellites in use
     * 3D; with fewer than 3 satellites in use no fix at all. */
    if (ru == 0 && used < 3)
        no_fix(p);
    else if (ra == 0 && (ru != 0 || used >= 4))
        p->mode = GPS_MODE_3D;
    else
        p->mode = GPS_MODE_2D;
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
    if (!valid && strcmp(status, "V") != 0 && !faa_n)
        return GPS_EBADFIELD;
    if (valid && (coord(F(1), F(2), true, &lat) != 0 ||
                  coord(F(3), F(4), false, &lon) != 0))
        return GPS_EBADFIELD;
    int rt = p->nfields > 5 ? utc_time(F(5), &t) : 1;
    if (rt < 0)
        p->count.field_errors++;
    /* The time of day is the receiver's even without a fix (as in GGA). */
    set_time(p, rt, &t);
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
    int64_t kn = 0, kmh = 0;
    int32_t crs = 0;

    if (p->nfields < 9)
        return GPS_EBADFIELD;
    if (p->nfields > 9 && strcmp(F(9), "N") == 0)
        return GPS_VTG; /* the receiver says the data is not valid */
    int rc = bad(p, course_field(F(1), &crs));
    int rn = bad(p, speed_field(F(5), &kn));
    int rk = bad(p, speed_field(F(7), &kmh));
    if (rn != 0 && rk == 0) {
        kn = (kmh * 1000 + 926) / 1852; /* a knot is 1.852 km/h exactly */
        rn = 0;
    }
    set_motion(p, rn, kn, rc, crs);
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
        rp[i] = bad(p, uint_field(F(3 + i), 999, &prn[i]));
    for (int i = 0; i < 3; i++)
        rd[i] = bad(p, milli(F(15 + i), 0, 999999, &dop[i]));
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

static void count_in_view(gps_nmea_t *p)
{
    unsigned distinct = 0;
    for (unsigned i = 0; i < p->n_sats; i++) {
        unsigned j = 0;
        while (j < i && (p->sats[j].system != p->sats[i].system ||
                         p->sats[j].prn != p->sats[i].prn))
            j++;
        distinct += j == i;
    }
    p->sats_in_view = (uint8_t)distinct;
}

/* Replace the satellites of the finished group's (system, signal). */
static void gsv_commit(gps_nmea_t *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->n_sats; i++)
        if (p->sats[i].system != p->gsv_system ||
            p->sats[i].signal != p->gsv_signal)
            p->sats[n++] = p->sats[i];
    for (unsigned i = 0; i < p->gsv_n && n < GPS_MAX_SATS; i++) {
        p->sats[n] = p->gsv[i];
        p->sats[n++].run = p->gsv_run;
    }
    p->n_sats = (uint8_t)n;
    count_in_view(p);
    p->sats_seq++;
}

void gps__end_gsv_run(gps_nmea_t *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->n_sats; i++)
        if (p->sats[i].run == p->gsv_run)
            p->sats[n++] = p->sats[i];
        else
            p->count.gsv_pruned++;
    if (n != p->n_sats) {
        p->n_sats = (uint8_t)n;
        count_in_view(p);
        p->sats_seq++;
    }
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
    if (p->prev_type != GPS_GSV)
        p->gsv_run++; /* a new report of the sky */
    for (unsigned g = 0; g < rest / 4; g++) {
        const char *const *f = &p->field[4 + 4 * g];
        unsigned prn = 0, el = 0, az = 0, snr = 0;
        int r = uint_field(f[0], 999, &prn);
        int re = uint_field(f[1], 90, &el);
        int rz = uint_field(f[2], 360, &az);
        int rs = uint_field(f[3], 99, &snr);
        if (r == 1 && re == 1 && rz == 1 && rs == 1)
            continue; /* padding of the last sentence */
        if (r != 0) {
            p->count.field_errors++; /* no PRN: the entry is unusable */
            continue;
        }
        re = bad(p, re);
        rz = bad(p, rz);
        rs = bad(p, rs);
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
        /* Reported in this run, even if a later sentence is lost. */
        for (unsigned i = 0; i < p->n_sats; i++)
            if (p->sats[i].system == system && p->sats[i].signal == sig)
                p->sats[i].run = p->gsv_run;
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

/* "hhmmss.ss,dd,mm,yyyy,zh,zm": UTC date and time, local zone. */
static int zda(gps_nmea_t *p)
{
    gps_datetime_t t = p->utc;
    unsigned d = 0, m = 0, y = 0, zm = 0;
    int64_t zh = 0;

    if (p->nfields < 5)
        return GPS_EBADFIELD;
    int rt = utc_time(F(1), &t);
    if (rt < 0)
        p->count.field_errors++;
    int rd = uint_field(F(2), 31, &d);
    int rm = uint_field(F(3), 12, &m);
    int ry = uint_field(F(4), 9999, &y);
    int rdate;
    if (rd == 1 && rm == 1 && ry == 1)
        rdate = 1; /* no date yet (receivers before their first fix) */
    else if (rd != 0 || rm != 0 || ry != 0 || d < 1 || m < 1 || y < 1980 ||
             strlen(F(4)) != 4)
        rdate = -1;
    else
        rdate = 0;
    if (rdate < 0)
        p->count.field_errors++;
    t.day = (uint8_t)d;
    t.month = (uint8_t)m;
    t.year = (uint16_t)y;
    /* Zone hours -13..+13 (sign on the hours), minutes 0..59 of the same
     * sign (NMEA 0183: local = UTC + zone). */
    int rzh = bad(p, decimal(fld(p, 5), 0, true, &zh));
    int rzm = bad(p, uint_field(fld(p, 6), 59, &zm));
    if (rzh == 0 && (zh < -13 || zh > 13)) {
        p->count.field_errors++;
        rzh = 1;
    }
    set_time(p, rt, &t);
    set_date(p, rdate, &t);
    if (rzh == 0) {
        bool neg = fld(p, 5)[0] == '-';
        int z = (int)zh * 60 + (rzm == 0 ? (neg ? -(int)zm : (int)zm) : 0);
        p->zone_min = (int16_t)z;
        p->have |= GPS_HAVE_ZONE;
    }
    return GPS_ZDA;
}

/* Garmin "$PGRMZ,246,f,3": altitude (MSL) in feet, fix mode (Garmin
 * 190-00684-00; gpsd applies the same). */
static int pgrmz(gps_nmea_t *p)
{
    int64_t v;
    unsigned mode;

    if (p->nfields < 3)
        return GPS_EBADFIELD;
    int ra = decimal(F(1), 3, true, &v);
    if (ra == 0 && strcmp(F(2), "f") != 0 && strcmp(F(2), "F") != 0 &&
        strcmp(F(2), "m") != 0 && strcmp(F(2), "M") != 0)
        ra = -1;
    if (ra == 0 && (v > INT64_C(300000000) || v < -INT64_C(300000000)))
        ra = -1;
    ra = bad(p, ra);
    int rm = bad(p, uint_field(fld(p, 3), 3, &mode));
    if (ra == 0) {
        /* thousandths of a foot x 0.3048 = millimetres x 1000 / 1000 */
        bool feet = F(2)[0] == 'f' || F(2)[0] == 'F';
        int64_t mm = feet ? (v * 3048 + (v >= 0 ? 5000 : -5000)) / 10000 : v;
        p->alt_mm = (int32_t)mm;
        p->have |= GPS_HAVE_ALT;
        p->alt_seq++;
    }
    if (rm == 0 && mode >= 1)
        p->mode = (uint8_t)mode;
    return GPS_PGRMZ;
}

static bool upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static uint8_t talker_system(const char *a)
{
    static const char names[][3] = {"GP", "GL", "GA", "GB", "BD",
                                    "PQ", "GQ", "QZ"};
    static const uint8_t sys[] = {GPS_SYS_GPS,    GPS_SYS_GLONASS,
                                  GPS_SYS_GALILEO, GPS_SYS_BEIDOU,
                                  GPS_SYS_BEIDOU, GPS_SYS_BEIDOU,
                                  GPS_SYS_QZSS,   GPS_SYS_QZSS};
    for (unsigned i = 0; i < sizeof sys; i++)
        if (a[0] == names[i][0] && a[1] == names[i][1])
            return sys[i];
    return GPS_SYS_MIXED; /* GN, or a talker that is not a GNSS */
}

int gps__parse_sentence(gps_nmea_t *p)
{
    const char *a = F(0);
    if (strcmp(a, "PGRMZ") == 0)
        return pgrmz(p);
    if (strlen(a) != 5 || !upper(a[0]) || !upper(a[1]))
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
        return gsv(p, talker_system(a));
    if (strcmp(t, "ZDA") == 0)
        return zda(p);
    return GPS_EUNSUPPORTED;
}
