/*
 * Presentation of the GPS state (the seed's as_GPS accessors): position
 * strings in four formats, speed in three units, a 16-point compass, time
 * and date strings, local time, UTC epoch seconds.
 *
 * No heap and no floating point: every string is printed from the parser's
 * fixed-point state (gps_nmea.h) with integer arithmetic, so it is exact
 * (rounded half up on the last printed digit) and costs no libm or printf.
 * Strings go into a caller's buffer `buf` of `size` bytes, always
 * NUL-terminated when size > 0.  Each function returns the length written,
 * or:
 *   GPS_ETRUNC   the text did not fit; buf holds its first size-1 chars;
 *   GPS_ENODATA  the value has not been received (buf is "");
 * Degree signs are UTF-8 (U+00B0, two bytes), as in the seed; GPS_ASCII
 * or'ed into a coordinate format prints "d" instead (an HD44780 has no
 * UTF-8).
 *
 *     char s[32];
 *     gps_lat_string(&gps.nmea, GPS_DMS, s, sizeof s);  // 51°28'40.44"N
 *     gps_speed_string(&gps.nmea, GPS_KPH, s, sizeof s); // 12.345 km/h
 *
 * Formats (the seed's constants): GPS_DD 1 "51.477900°N" (6 decimals,
 * 0.11 m), GPS_DMS 2 "51°28'40.44"N" (1/100 s, 0.3 m), GPS_DM 3
 * "51°28.6740'N" (1e-4 minute, 0.19 m), GPS_KML 4 "51.477900" (signed
 * decimal degrees; gps_kml_string gives KML's "lon,lat,alt" order).  Date
 * formats GPS_MDY 20 "04/07/19", GPS_DMY 21 "07/04/19", GPS_LONG 22 "April
 * 7th, 2019".
 */
#ifndef GPS_FORMAT_H
#define GPS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "gps_nmea.h"

enum gps_coord_format { GPS_DD = 1, GPS_DMS = 2, GPS_DM = 3, GPS_KML = 4,
                        GPS_ASCII = 0x100 };
enum gps_date_format { GPS_MDY = 20, GPS_DMY = 21, GPS_LONG = 22 };

/* Latitude / longitude in `format` (enum gps_coord_format, optionally |
 * GPS_ASCII).  GPS_ENODATA without a position, GPS_EBADARG for an unknown
 * format. */
int gps_lat_string(const gps_nmea_t *p, unsigned format, char *buf,
                   size_t size);
int gps_lon_string(const gps_nmea_t *p, unsigned format, char *buf,
                   size_t size);

/* KML coordinate order "lon,lat,alt" (alt omitted when not received):
 * "-0.001400,51.477900,35.0". */
int gps_kml_string(const gps_nmea_t *p, char *buf, size_t size);

/* Speed with 3 decimals and its unit: "12.345 km/h", "7.668 mph", "6.666
 * knots", "3.429 m/s". */
int gps_speed_string(const gps_nmea_t *p, enum gps_speed_unit unit,
                     char *buf, size_t size);

/* Course as one of the 16 compass points ("N", "NNE", ... "NNW"); NULL if
 * no course has been received. */
const char *gps_compass_direction(const gps_nmea_t *p);

/* UTC (local = false) or local time (UTC + opt.local_offset_min, which
 * may change the date) of the last time received. */
int gps_get_time(const gps_nmea_t *p, bool local, gps_datetime_t *out);

/* "hh:mm:ss" of gps_get_time. */
int gps_time_string(const gps_nmea_t *p, bool local, char *buf, size_t size);

/* Date of gps_get_time in `format` (enum gps_date_format). */
int gps_date_string(const gps_nmea_t *p, bool local,
                    enum gps_date_format format, char *buf, size_t size);

/* UTC seconds since 1970-01-01 (Unix time; leap seconds not counted, as
 * in POSIX) of the last date and time received; 0 or GPS_ENODATA. */
int gps_utc_epoch(const gps_nmea_t *p, int64_t *seconds);

/* Satellites in use: GGA's count, else the GSA list's length; -1 if
 * neither has been received. */
int gps_sats_used(const gps_nmea_t *p);

#endif /* GPS_FORMAT_H */
