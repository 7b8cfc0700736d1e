/*
 * gpsd's expected fixes (NAME.expect.json from tests/data/nmea) read
 * into a table, and the comparison of one of them with the parser's state.
 * The JSON is a flat array of flat objects (strings without escapes,
 * numbers, null), so a 60-line reader does instead of a JSON library.
 */
#ifndef GPS_EXPECT_H
#define GPS_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "gps_nmea.h"

#define EXP_MAX 64

typedef struct exp_row {
    int after; /* 0-based line index in NAME.nmea */
    int mode;
    bool has_time, has_lat, has_lon, has_alt, has_speed, has_track;
    int year, month, day, hour, minute;
    double second; /* with milliseconds */
    double lat, lon, alt, speed, track;
    char sentence[128];
} exp_row_t;

/* Read up to EXP_MAX rows; returns the count, -1 if the file is absent. */
int exp_load(const char *path, exp_row_t *rows);

/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL if
 * absent. */
char *exp_slurp(const char *path, size_t *len);

/*
 * Compare the parser state with gpsd's row; returns the number of
 * mismatches and prints each (as a TAP comment) with `what`.
 */
int exp_compare(const gps_nmea_t *p, const exp_row_t *r, const char *what);

/* When set, dates must equal gpsd's exactly (no 1024-week allowance):
 * for a run with the parser's rollover pivot on. */
extern int exp_exact_dates;

#endif
