/*
 * Incremental NMEA 0183 parser: bytes in, checked sentences and a merged
 * receiver state out.  No heap, no floating point inside the parser, no
 * dependency on the scheduler: the driver (gps.h) feeds it from a UART, a
 * test or a fuzzer feeds it from memory, in any chunking.
 *
 * Framing.  A sentence starts at '$' and ends at CR or LF.  Between them
 * every character must be printable ASCII (0x20..0x7E) and the text from
 * '$' to the last checksum digit may be at most GPS_NMEA_MAX_LEN
 * characters.  When it has a '*', the two hex digits after it must equal
 * the XOR of the characters between '$' and '*' (else GPS_EBADCRC).  A
 * sentence with no '*' at all (older receivers, many marine instruments:
 * NMEA 0183 makes the checksum optional for most sentences before 2.0) is
 * accepted and counted in count.unchecked, unless opt.require_checksum is
 * set (then GPS_ENOCHECKSUM).  A '$' inside a sentence starts a new one
 * (receivers that drop bytes lose the CR LF); the interrupted sentence is
 * still processed if it already ends in a complete "*hh" (gpsd does the
 * same, and the checksum protects it), else it counts as truncated.  Bytes
 * outside a sentence are ignored.
 *
 * Every sentence that ends is counted exactly once: either as rejected for
 * one reason (count.bad_char, too_long, no_checksum, bad_checksum,
 * truncated) or as clean; a clean one is then unsupported, bad_field (a
 * decoded sentence whose essential fields -- its status, the position of a
 * position sentence, the header of a GSV -- do not parse: nothing of it is
 * applied) or parsed.  A parsed sentence may still have had bad optional
 * fields (a garbage date, a speed of "1e3"): each is counted in
 * count.field_errors and left invalid (its `have` bit cleared), and the
 * rest of the sentence is applied.
 *
 * Talkers.  The sentence type is the last three letters of a five-letter
 * address, whatever the talker: GP, GL, GA, GB/BD, GQ/QZ, GN, but also an
 * echo sounder's EC, an integrated system's IN/II, Quectel's PQ.  The
 * talker names the satellite system of GSV entries (GP GPS, GL GLONASS, GA
 * Galileo, GB/BD/PQ BeiDou, GQ/QZ QZSS, anything else mixed).  The only
 * proprietary sentence decoded is Garmin's PGRMZ (altitude in feet).
 *
 * State.  Parsed sentences update one merged state, as a receiver's output
 * cycle is meant to be read: RMC, GGA and GLL the position and UTC time, RMC
 * and ZDA the date (ZDA also the local zone), RMC and VTG speed and course,
 * RMC the magnetic variation, GGA and PGRMZ the altitude, GGA geoid height,
 * satellites in use and HDOP, GSA the fix mode, used PRNs and the DOPs, GSV
 * the satellites in view.
 *
 * Fix mode (gpsd's rules, driver_nmea0183.c): the last sentence of the
 * cycle that says something about the mode wins, as in gpsd, which merges
 * a cycle's sentences in order.  GSA sets it (1/2/3) as the receiver's own
 * statement.  GGA quality 0, RMC status V (or FAA mode N) and GLL status V
 * drop it to GPS_MODE_NO_FIX.  GGA with a fix gives 2D, or 3D when it
 * carries an altitude and 4 or more satellites are in use; with 0, 1 or 2
 * satellites in use it gives NO_FIX whatever its quality says (gpsd: "3 >
 * satellites_visible"); an empty count is not held against it.  So a GSA
 * saying 2D followed by a GGA with an altitude and 5 satellites is 3D, and
 * a GGA followed by a GSA saying 2D is 2D.  RMC A and GLL A raise the mode
 * to at least 2D.  PGRMZ's mode field (1/2/3) sets it too.
 *
 * Time.  GGA and GLL give the time of day even without a fix (gpsd does the
 * same; the receiver keeps time once it has seen a satellite), but an RMC
 * with status V updates nothing but the mode: receivers fill its date from
 * a stale clock (the cold-booted GPS-320FW in the gpsd logs says 1999 and
 * 2006), so the date comes only from RMC with status A, or from ZDA (which
 * has no status: a receiver that sends ZDA but no RMC still gives a date).
 * GPS week rollover: receivers with the defect report dates 1024 weeks
 * (7168 days) early (that GPS-320FW's ZDA says 1999-08-22 on 2019-04-07).
 * opt.rollover_pivot (days since 1970-01-01; 0, the default, is off) is
 * the earliest plausible date: an RMC or ZDA date before it gains 1024
 * weeks (as often as needed), counted in count.rollover.
 *
 * Satellites.  A group of GSV sentences (1 of n .. n of n) replaces the
 * entries of its (system, signal) when complete.  A run of consecutive GSV
 * sentences is one report of the sky: when the run ends (the next clean
 * sentence of another type), entries whose (system, signal) the run did
 * not mention are pruned -- a constellation the receiver stopped reporting
 * does not linger.
 *
 * Numbers are kept in fixed point, exactly as the sentence gave them:
 * coordinates in 1e-7 arc-minutes (int64: NMEA prints minutes, and a
 * ZED-F9P in high-precision mode prints 7 decimals of them, 2 mm -- a 1e-7
 * degree int32 would round that away), speed in micro-knots and course and
 * magnetic variation in micro-degrees (receivers print up to 6 decimals of
 * a knot: 0.039560 kn), everything else in thousandths (millimetres, DOP x
 * 1000).  So the parser is integer-only (fast on cores without an FPU, and
 * nothing for the fuzzer to find in float conversions); the accessors
 * convert to double on demand, which a Cortex-M4F does in software in a few
 * microseconds.
 */
#ifndef GPS_NMEA_H
#define GPS_NMEA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ua_err.h"

/*
 * NMEA 0183 says 82 characters including '$' and CR LF, i.e. 79 from '$' to
 * the last checksum digit.  Real receivers exceed it: the MT3339 in the
 * gpsd test logs sends 82-character GGA (84 with CR LF), and u-blox
 * receivers in NMEA 4.11 or high-precision mode send longer RMC/GGA/GNS.
 * gpsd accepts up to NMEA_MAX = 102 bytes including CR LF; so do we: 100
 * from '$' to the checksum.  (The seed's 76 rejected valid sentences.)
 */
#define GPS_NMEA_MAX_LEN 100
#define GPS_NMEA_MAX_FIELDS 32 /* a GSV has 21, a GSA 19 */
#define GPS_MAX_SATS 64        /* satellites in view, all constellations */
#define GPS_GSV_MAX 36         /* one GSV group: 9 sentences x 4 */
#define GPS_MAX_USED 32        /* PRNs in use (several GSA per cycle) */

/* Sentence types: the seed's bitmask constants, plus OTHER for clean
 * sentences this parser does not decode (for a raw callback). */
enum gps_sentence {
    GPS_RMC = 1,
    GPS_GLL = 2,
    GPS_VTG = 4,
    GPS_GGA = 8,
    GPS_GSA = 16,
    GPS_GSV = 32,
    GPS_OTHER = 64,
    GPS_ZDA = 128,
    GPS_PGRMZ = 256,
    GPS_ALL = 511
};

/* Why a sentence was rejected, and the other GPS codes: the GPS_E* entries
 * of UA_ERR_DRIVER_MAP in ua_err.h (module UA_MOD_GPS). */

/* Text of a gps_err (falls back to ua_strerror). */
const char *gps_strerror(int status);

enum gps_mode { GPS_MODE_UNKNOWN = 0, GPS_MODE_NO_FIX = 1, GPS_MODE_2D = 2,
                GPS_MODE_3D = 3 };

/* GNSS of a satellite, from the talker or NMEA 4.11 system id. */
enum gps_system { GPS_SYS_MIXED = 0, GPS_SYS_GPS = 1, GPS_SYS_GLONASS = 2,
                  GPS_SYS_GALILEO = 3, GPS_SYS_BEIDOU = 4, GPS_SYS_QZSS = 5 };

/* Units for gps_nmea_speed (the seed's constants, plus metres/second). */
enum gps_speed_unit { GPS_KPH = 10, GPS_MPH = 11, GPS_KNOT = 12, GPS_MPS = 13 };

/* Which parts of the state have been received (gps_nmea_t.have). */
enum gps_have {
    GPS_HAVE_POS = 1, GPS_HAVE_TIME = 2, GPS_HAVE_DATE = 4,
    GPS_HAVE_SPEED = 8, GPS_HAVE_COURSE = 16, GPS_HAVE_ALT = 32,
    GPS_HAVE_GEOID = 64, GPS_HAVE_HDOP = 128, GPS_HAVE_PDOP = 256,
    GPS_HAVE_VDOP = 512, GPS_HAVE_SATS_USED = 1024, GPS_HAVE_MAGVAR = 2048,
    GPS_HAVE_ZONE = 4096
};

typedef struct gps_counters {
    uint32_t clean;        /* passed the character, length, checksum checks */
    uint32_t parsed;       /* clean, supported and applied */
    uint32_t bad_char;
    uint32_t too_long;
    uint32_t no_checksum;
    uint32_t bad_checksum;
    uint32_t truncated;
    uint32_t unsupported;
    uint32_t bad_field;
    uint32_t gsv_sequence; /* GSV group broken off (also counted parsed) */
    uint32_t unchecked;    /* accepted without a checksum (also clean) */
    uint32_t field_errors; /* bad optional fields of parsed sentences */
    uint32_t rollover;     /* dates moved 1024 weeks by opt.rollover_pivot */
    uint32_t gsv_pruned;   /* satellites dropped as no longer reported */
} gps_counters_t;

/* Parser options (gps_nmea_t.opt; all off after gps_nmea_init). */
typedef struct gps_nmea_opts {
    bool require_checksum;  /* refuse sentences without '*hh' */
    int32_t rollover_pivot; /* days since 1970-01-01 of the earliest
                               plausible date; 0: off */
    int16_t local_offset_min; /* presentation only (gps_format.h): local
                                 time = UTC + this, the seed's local_offset */
} gps_nmea_opts_t;

typedef struct gps_sat {
    uint16_t prn;
    int16_t azimuth;   /* degrees, -1 unknown */
    int8_t elevation;  /* degrees, -128 unknown */
    int8_t snr;        /* dB-Hz, -1 not tracked */
    uint8_t system;    /* enum gps_system */
    uint8_t signal;    /* NMEA 4.11 signal id, 0 if absent */
    uint8_t run;       /* private: GSV run that last reported it */
} gps_sat_t;

typedef struct gps_datetime {
    uint16_t year;     /* 4 digits: yy < 80 is 20yy */
    uint8_t month, day, hour, minute, second;
    uint16_t millisecond;
} gps_datetime_t;

typedef struct gps_nmea {
    /* Framing (private). */
    char buf[GPS_NMEA_MAX_LEN + 1];
    uint8_t len;
    uint8_t state;
    const char *field[GPS_NMEA_MAX_FIELDS]; /* of the last clean sentence */
    uint8_t nfields;
    uint16_t prev_type;

    gps_counters_t count;
    gps_nmea_opts_t opt;

    /* Merged state; valid as told by `have` and `mode`. */
    uint32_t have;        /* enum gps_have bits */
    uint32_t fix_seq;     /* +1 per sentence that delivered a position */
    uint32_t course_seq;  /* +1 per sentence that delivered speed/course */
    uint32_t date_seq;    /* +1 per sentence that delivered a date */
    uint32_t alt_seq;     /* +1 per sentence that delivered an altitude */
    uint8_t mode;         /* enum gps_mode */
    uint8_t quality;      /* GGA fix quality */
    uint8_t sats_used;    /* GGA */
    int64_t lat_e7min;    /* 1e-7 arc-minutes, north positive */
    int64_t lon_e7min;    /* 1e-7 arc-minutes, east positive */
    int64_t speed_ukn;    /* micro-knots */
    int32_t course_udeg;  /* micro-degrees true, 0..360e6 */
    int32_t magvar_udeg;  /* magnetic variation, micro-degrees, east > 0 */
    int16_t zone_min;     /* ZDA local zone: local = UTC + zone_min */
    int32_t alt_mm;       /* above mean sea level */
    int32_t geoid_mm;     /* geoid above the ellipsoid */
    int32_t hdop_m, vdop_m, pdop_m; /* x 1000 */
    gps_datetime_t utc;

    uint16_t used_prn[GPS_MAX_USED];
    uint8_t n_used;

    gps_sat_t sats[GPS_MAX_SATS];
    uint8_t n_sats;           /* entries in sats[] */
    uint8_t sats_in_view;     /* distinct (system, PRN) in sats[] */
    uint32_t sats_seq;        /* +1 per completed GSV group */

    /* GSV group being assembled (private). */
    gps_sat_t gsv[GPS_GSV_MAX];
    uint8_t gsv_n, gsv_total, gsv_next, gsv_system, gsv_signal;
    uint8_t gsv_run;          /* +1 per run of consecutive GSV sentences */
} gps_nmea_t;

/* Zero the parser and its state. */
void gps_nmea_init(gps_nmea_t *p);

/*
 * Feed one byte.  Returns 0 while no sentence has ended, the sentence's
 * enum gps_sentence bit when one was parsed (GPS_OTHER when it was clean
 * but not decoded), or the negative gps_err it was rejected with.
 */
int gps_nmea_putc(gps_nmea_t *p, uint8_t c);

/*
 * Feed n bytes; calls cb (if not NULL) with each sentence's result as
 * gps_nmea_putc returns it.  Returns the number of sentences that ended.
 */
size_t gps_nmea_feed(gps_nmea_t *p, const void *data, size_t n,
                     void (*cb)(void *arg, gps_nmea_t *p, int result),
                     void *arg);

/* Drop a partly received sentence (after a UART error), uncounted. */
void gps_nmea_abort_sentence(gps_nmea_t *p);

/* The i-th field (0 = address, "GPRMC") of the last clean sentence, NULL
 * past the end.  Valid until the next byte is fed. */
const char *gps_nmea_field(const gps_nmea_t *p, unsigned i);

/* --- Accessors ---------------------------------------------------------- */

/* Position known and the fix mode 2D or 3D. */
bool gps_nmea_fix_valid(const gps_nmea_t *p);
double gps_nmea_latitude(const gps_nmea_t *p);  /* degrees, north > 0 */
double gps_nmea_longitude(const gps_nmea_t *p); /* degrees, east > 0 */
/* 1e-7 degrees, rounded: for code without double arithmetic. */
int32_t gps_nmea_latitude_e7(const gps_nmea_t *p);
int32_t gps_nmea_longitude_e7(const gps_nmea_t *p);
double gps_nmea_speed(const gps_nmea_t *p, enum gps_speed_unit unit);
double gps_nmea_course(const gps_nmea_t *p);    /* degrees true */
double gps_nmea_magvar(const gps_nmea_t *p);    /* degrees, east > 0 */
double gps_nmea_altitude(const gps_nmea_t *p);  /* metres MSL */
double gps_nmea_geoid(const gps_nmea_t *p);     /* metres */
double gps_nmea_hdop(const gps_nmea_t *p);
double gps_nmea_vdop(const gps_nmea_t *p);
double gps_nmea_pdop(const gps_nmea_t *p);

/* Look up a satellite in view; NULL if absent. */
const gps_sat_t *gps_nmea_sat(const gps_nmea_t *p, enum gps_system sys,
                              uint16_t prn);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian), for
 * opt.rollover_pivot. */
int32_t gps_days_from_civil(int year, unsigned month, unsigned day);

/* --- Internal (gps_sentences.c) ----------------------------------------- */

int gps__parse_sentence(gps_nmea_t *p);
void gps__end_gsv_run(gps_nmea_t *p);

#endif /* GPS_NMEA_H */
