/*
 * Commands to an MTK receiver (MT3339/MT3333: Adafruit Ultimate GPS,
 * PA6H, PA1010D, ...) -- the seed's as_rwGPS.  Each command is a PMTK
 * sentence built with its checksum ("$PMTK220,1000*1F\r\n") and written
 * on the UART the driver reads; the receiver's answer is read by the
 * driver's task from the same NMEA stream, so position updates go on
 * while a command waits.
 *
 * Answers awaited, each with a timeout (UA_ETIMEDOUT when none came):
 * - PMTK001,cmd,flag (MTK's acknowledgement): flag 3 "valid command and
 *   succeeded" returns 0; flag 0 GPS_ECMDINVALID, 1 GPS_ECMDUNSUPPORTED,
 *   2 GPS_ECMDFAILED (each counted; rw->last_flag keeps the raw flag);
 * - PMTK705,release,build,... to PMTK605 (version query): rw->version;
 * - PGTOP,11,n to PGCMD,33,1 (antenna status on PA6H-type modules):
 *   rw->antenna 1 active antenna shorted, 2 internal, 3 active;
 * - PMTK010,001 (the receiver's "startup" system message) after a hot,
 *   warm, cold or full cold start (PMTK101..104 have no PMTK001).
 * PMTK251 (baud rate) has no answer: the receiver switches at once, so the
 * driver waits until the command has left the UART (TX-empty interrupt)
 * and then calls the board's set_baud hook to switch the local UART too.
 *
 * One command at a time per receiver: a second task gets UA_EBUSY.  Each
 * call is a sub-coroutine whose frame is the gps_rw_t:
 *
 *     static gps_rw_t rw;
 *     gps_rw_init(&rw, &gps, 9600, NULL, NULL);
 *     UA_AWAIT_STATUS(st, gps_rw_update_interval(self, &rw, 200, 1000));
 *     // st: 0, GPS_ECMD*, UA_ETIMEDOUT
 *
 * Facts: PMTK001 flag meanings, PMTK220 (100..10000 ms), PMTK314 field
 * order (GLL, RMC, VTG, GGA, GSA, GSV, 11 reserved, ZDA, MCHN; each 0
 * off or 1..5 "every n fixes"), PMTK010,001, PMTK605/705 and PGCMD,33 /
 * PGTOP,11 are from MediaTek's PMTK command packet documentation as used
 * by Adafruit's GPS libraries.
 */
#ifndef GPS_RW_H
#define GPS_RW_H

#include "gps.h"

#define GPS_RW_TX_MAX 96

enum gps_restart { GPS_HOT_START = 101, GPS_WARM_START = 102,
                   GPS_COLD_START = 103, GPS_FULL_COLD_START = 104 };

enum gps_antenna { GPS_ANTENNA_UNKNOWN = 0, GPS_ANTENNA_SHORTED = 1,
                   GPS_ANTENNA_INTERNAL = 2, GPS_ANTENNA_ACTIVE = 3 };

/* Output rate of each sentence (PMTK314): 0 off, n = every n fixes. */
typedef struct gps_rw_rates {
    uint8_t gll, rmc, vtg, gga, gsa, gsv, zda;
} gps_rw_rates_t;

/* Switch the board's UART to `baud`; 0 or a negative error. */
typedef int (*gps_set_baud_fn)(void *arg, uint32_t baud);

struct gps_rw {
    gps_t *gps;
    ua_co_t co;
    ua_task_t *owner;       /* task whose command is in progress */
    ua_event_t answer;      /* pulsed when the awaited answer came */
    uint8_t want;           /* private: kind of answer awaited */
    bool got;
    uint16_t want_cmd;      /* PMTK number whose PMTK001 is awaited */
    int8_t last_flag;       /* flag of the last PMTK001 for want_cmd */
    int32_t timeout_ms;
    uint32_t arg;           /* baud being set */
    char tx[GPS_RW_TX_MAX];
    uint8_t tx_len, tx_pos;
    uint32_t baud;          /* current UART baud (as told by init/set) */
    gps_set_baud_fn set_baud;
    void *set_baud_arg;
    /* Answers. */
    char version[48];       /* PMTK705 fields 1.. joined by ',' */
    uint8_t antenna;        /* enum gps_antenna, from PGTOP,11 */
    /* Counters. */
    uint32_t sent, acked, refused, timeouts, startups;
};

/* Attach to a started or not yet started driver.  `baud` is the UART's
 * present rate; set_baud (may be NULL) switches it for gps_rw_baudrate.
 * Commands need the driver started: GPS_ESTOPPED otherwise, and a command
 * waiting when gps_stop comes fails with GPS_ESTOPPED. */
void gps_rw_init(gps_rw_t *rw, gps_t *gps, uint32_t baud,
                 gps_set_baud_fn set_baud, void *arg);

/* Build "$<body>*hh\r\n" into out (size n); its length, or GPS_ETRUNC. */
int gps_rw_format(const char *body, char *out, size_t n);

/*
 * Send the PMTK sentence `body` ("PMTK220,1000", no '$' or checksum) and
 * await its PMTK001 when body is "PMTKnnn..." (other bodies: sent only).
 */
int gps_rw_command(ua_task_t *self, gps_rw_t *rw, const char *body,
                   int32_t timeout_ms);

/* PMTK220: a fix every ms milliseconds (100..10000, else GPS_EBADARG). */
int gps_rw_update_interval(ua_task_t *self, gps_rw_t *rw, uint32_t ms,
                           int32_t timeout_ms);

/* PMTK314: which sentences, how often (each 0..5, else GPS_EBADARG). */
int gps_rw_enable(ua_task_t *self, gps_rw_t *rw, const gps_rw_rates_t *r,
                  int32_t timeout_ms);

/* PMTK101..104: restart and await the startup message PMTK010,001. */
int gps_rw_restart(ua_task_t *self, gps_rw_t *rw, enum gps_restart kind,
                   int32_t timeout_ms);

/* PMTK161,0: standby (any byte sent wakes the receiver). */
int gps_rw_standby(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms);

/* PMTK605: firmware version into rw->version. */
int gps_rw_query_version(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms);

/* PGCMD,33,1: antenna status reports on; awaits the first into
 * rw->antenna. */
int gps_rw_query_antenna(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms);

/* PMTK251: 4800, 9600, 14400, 19200, 38400, 57600 or 115200 baud (else
 * GPS_EBADARG); then set_baud.  No answer exists: 0 once switched. */
int gps_rw_baudrate(ua_task_t *self, gps_rw_t *rw, uint32_t baud,
                    int32_t timeout_ms);

#endif /* GPS_RW_H */
