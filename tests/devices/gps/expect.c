/* gpsd expectations: reader and comparison (see expect.h). */
#include "expect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *exp_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(b);
        return NULL;
    }
    fclose(f);
    b[n] = '\0';
    if (len)
        *len = (size_t)n;
    return b;
}

/* One "key": value of the object starting at s; value copied into v. */
static bool field(const char *obj, const char *end, const char *key, char *v,
                  size_t vn)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *k = strstr(obj, pat);
    if (k == NULL || k > end)
        return false;
    k += strlen(pat);
    while (*k == ' ')
        k++;
    size_t i = 0;
    if (*k == '"') {
        for (k++; *k && *k != '"' && i + 1 < vn; k++)
            v[i++] = *k;
    } else {
        for (; *k && *k != ',' && *k != '\n' && *k != '}' && i + 1 < vn; k++)
            v[i++] = *k;
    }
    v[i] = '\0';
    return strcmp(v, "null") != 0;
}

int exp_load(const char *path, exp_row_t *rows)
{
    char *text = exp_slurp(path, NULL);
    if (text == NULL)
        return -1;
    int n = 0;
    char v[128];
    for (char *o = strchr(text, '{'); o != NULL && n < EXP_MAX;
         o = strchr(o + 1, '{')) {
        char *end = strchr(o, '}');
        exp_row_t *r = &rows[n++];
        memset(r, 0, sizeof *r);
        if (field(o, end, "after", v, sizeof v))
            r->after = atoi(v);
        if (field(o, end, "mode", v, sizeof v))
            r->mode = atoi(v);
        if (field(o, end, "sentence", r->sentence, sizeof r->sentence)) {
        }
        if ((r->has_time = field(o, end, "time", v, sizeof v)))
            sscanf(v, "%d-%d-%dT%d:%d:%lfZ", &r->year, &r->month, &r->day,
                   &r->hour, &r->minute, &r->second);
        if ((r->has_lat = field(o, end, "lat", v, sizeof v)))
            r->lat = strtod(v, NULL);
        if ((r->has_lon = field(o, end, "lon", v, sizeof v)))
            r->lon = strtod(v, NULL);
        if ((r->has_alt = field(o, end, "alt", v, sizeof v)))
            r->alt = strtod(v, NULL);
        if ((r->has_speed = field(o, end, "speed", v, sizeof v)))
            r->speed = strtod(v, NULL);
        if ((r->has_track = field(o, end, "track", v, sizeof v)))
            r->track = strtod(v, NULL);
        o = end;
    }
    free(text);
    return n;
}

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

#define MISMATCH(...)                                                          \
    do {                                                                       \
        printf("# %s line %d: ", what, r->after);                              \
        printf(__VA_ARGS__);                                                   \
        printf("\n");                                                          \
        bad++;                                                                 \
    } while (0)

/*
 * Tolerances.  gpsd prints lat/lon with 9 decimals, speed (m/s) with 3,
 * track and alt with up to 4: both sides compute from the same digits of
 * the same sentence, so the only difference allowed is gpsd's printing
 * rounding (plus 1e-12 for binary fractions) -- far inside the sentence's
 * own precision (4 decimals of minutes = 1.7e-6 degrees).
 */
int exp_exact_dates;

int exp_compare(const gps_nmea_t *p, const exp_row_t *r, const char *what)
{
    int bad = 0;

    if (p->mode != r->mode)
        MISMATCH("mode %d, gpsd %d", p->mode, r->mode);
    if (r->has_time) {
        const gps_datetime_t *t = &p->utc;
        if (!(p->have & GPS_HAVE_DATE) || !(p->have & GPS_HAVE_TIME))
            MISMATCH("no date/time, gpsd has one");
        double s = t->second + t->millisecond / 1000.0;
        if (t->hour != r->hour || t->minute != r->minute ||
            fabs(s - r->second) > 1e-6)
            MISMATCH("time %02d:%02d:%06.3f, gpsd %02d:%02d:%06.3f", t->hour,
                     t->minute, s, r->hour, r->minute, r->second);
        /*
         * gpsd wrong: for three logs (recorded 2001, 2014, 2015) gpsd
         * reports the date exactly 1024 GPS weeks (7168 days) later.  Its
         * GPS-week-rollover heuristic moves any receiver date older than
         * its own build date forward by 1024 weeks, which is right for a
         * receiver with the rollover bug but not for these: the RMC dates
         * agree with the ZDA sentences of the same logs (bu353: ZDA
         * 26,05,2014), so the receiver was right and we keep its date.
         */
        long dd = days_from_civil(r->year, r->month, r->day) -
                  days_from_civil(t->year, t->month, t->day);
        if (dd != 0 && (dd != 7168 || exp_exact_dates))
            MISMATCH("date %04d-%02d-%02d, gpsd %04d-%02d-%02d", t->year,
                     t->month, t->day, r->year, r->month, r->day);
    } else if (p->have & GPS_HAVE_DATE) {
        /* gpsd reports no time until it has a date. */
        MISMATCH("we have a date, gpsd reports no time");
    }
    if (r->has_lat || r->has_lon) {
        if (!gps_nmea_fix_valid(p))
            MISMATCH("no valid fix, gpsd has a position");
        if (fabs(gps_nmea_latitude(p) - r->lat) > 5e-10 + 1e-12)
            MISMATCH("lat %.10f, gpsd %.9f", gps_nmea_latitude(p), r->lat);
        if (fabs(gps_nmea_longitude(p) - r->lon) > 5e-10 + 1e-12)
            MISMATCH("lon %.10f, gpsd %.9f", gps_nmea_longitude(p), r->lon);
    } else if (r->mode >= 2 && gps_nmea_fix_valid(p)) {
        /* gpsd has a mode but no position yet (bu353 starts with GSA). */
        MISMATCH("we have a position, gpsd none");
    }
    if (r->has_alt && (!(p->have & GPS_HAVE_ALT) ||
                       fabs(gps_nmea_altitude(p) - r->alt) > 5e-4 + 1e-12))
        MISMATCH("alt %.4f, gpsd %.4f", gps_nmea_altitude(p), r->alt);
    if (r->has_speed &&
        (!(p->have & GPS_HAVE_SPEED) ||
         fabs(gps_nmea_speed(p, GPS_MPS) - r->speed) > 5e-4 + 1e-12))
        MISMATCH("speed %.5f m/s, gpsd %.3f", gps_nmea_speed(p, GPS_MPS),
                 r->speed);
    if (r->has_track && (!(p->have & GPS_HAVE_COURSE) ||
                         fabs(gps_nmea_course(p) - r->track) > 5e-5 + 1e-12))
        MISMATCH("track %.4f, gpsd %.4f", gps_nmea_course(p), r->track);
    return bad;
}
