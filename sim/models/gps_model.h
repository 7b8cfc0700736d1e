/*
 * GPS receiver model: an MTK-style receiver (MT3339) that emits NMEA 0183
 * from a scripted track into a simulated UART, obeys PMTK commands written
 * to it, and drives a PPS pin at true seconds.  It speaks only the wire
 * protocol: it shares no header with the driver (devices/gps).
 *
 * Each epoch (period_ms, 1000 by default: 1 Hz) the model interpolates the
 * position linearly at the epoch time, reports the speed and course
 * scripted for the segment it is on (no libm needed, so the simulator
 * library stays free of it), and queues one burst on the UART's RX line at
 * the epoch instant: RMC, VTG, GGA, GSA, GSV, ZDA (the sentences in
 * `mask`, GPS_MODEL_* bits), back to back at the baud rate, then PGTOP when
 * antenna reports are on.  Coordinates are printed with 5 decimals of
 * minutes, speed with 3 decimals of knots, course with 2, altitude with 1.
 * Before the track's first point and after `fix_lost_ms` the receiver
 * reports no fix (RMC V, GGA quality 0, GSA mode 1).  `corrupt_next`
 * spoils the checksum of the next N sentences (fault injection).  UTC is
 * 12:00:00 on 2024-03-01 at track time 0.
 *
 * PPS (gps_model_set_pps): the pin rises at every whole second of track
 * time while the receiver has a fix -- at true time, whatever the board's
 * crystal says -- and falls pps_width_ms later; the burst of that second
 * starts at the same instant, so its RMC/ZDA name the second that began at
 * the edge (as u-blox and MTK receivers do).  No pulses in
 * [pps_off_from_ms, pps_off_to_ms) (an outage).
 *
 * Commands (gps_model_listen: the board's TX wired to the model's RX).
 * Lines "$PMTK...*hh" with a good checksum are obeyed at the instant their
 * LF arrives; the answer is queued on the RX line 1 ms later:
 *   PMTK220,ms     update interval (100..10000; else flag 2) -> PMTK001,220,3
 *   PMTK314,f0..   sentence set (GLL RMC VTG GGA GSA GSV ... ZDA at 17)
 *   PMTK251,baud   records the rate in `baud` (the simulated UART's rate
 *                  cannot change yet), no answer
 *   PMTK101..104   restart: PMTK010,001 ("startup") 100 ms later
 *   PMTK161,0      standby: no output until the next byte received
 *   PMTK605        PMTK705,AXN_2.10_3339_2012072601,5223,PA6H,1.0
 *   PGCMD,33,1/0   PGTOP,11,3 after each burst on/off (no PMTK001)
 *   PMTKnnn other  PMTK001,nnn,1 (unsupported)
 * A bad checksum is ignored, as a receiver does.
 *
 * Supply current (sim.h, power loads): from gps_model_start the receiver
 * draws, on the board that owns its UART, acq_ma while it has no fix,
 * track_ma with a fix and standby_ma in standby (defaults: a GlobalTop
 * PA6H, MT3339, docs/low-power.md); set the fields before the start.
 */
#ifndef GPS_MODEL_H
#define GPS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim_hw.h"

/* Sentences the model emits (its own bits, independent of any driver). */
enum {
    GPS_MODEL_RMC = 1, GPS_MODEL_GLL = 2, GPS_MODEL_VTG = 4,
    GPS_MODEL_GGA = 8, GPS_MODEL_GSA = 16, GPS_MODEL_GSV = 32,
    GPS_MODEL_ZDA = 128
};

typedef struct gps_model_point {
    uint32_t t_ms;
    double lat, lon; /* degrees */
    double alt_m;
    double speed_mps, course_deg; /* reported from here to the next point */
} gps_model_point_t;

typedef struct gps_model {
    sim_t *sim;
    sim_uart_t *uart;     /* the board's UART the model talks to */
    const gps_model_point_t *track;
    size_t npoints;
    uint32_t period_ms;
    uint32_t mask;        /* sentences to emit (GPS_MODEL_*) */
    uint32_t fix_lost_ms; /* UINT32_MAX: never */
    uint8_t sats;         /* satellites in view (and used, up to 12) */
    uint32_t corrupt_next;
    uint64_t start_ns;
    uint32_t next_ms;     /* track time of the next epoch */
    uint32_t epochs;      /* bursts emitted */
    uint32_t sentences;   /* sentences emitted */
    /* PPS */
    sim_source_t *pps;
    uint32_t pps_width_ms;
    uint32_t pps_off_from_ms, pps_off_to_ms;
    uint32_t pulses;
    /* Commands */
    sim_uart_t *rx;       /* the model's end of the board's TX */
    char line[128];
    size_t line_len;
    uint32_t commands, bad_commands, acks;
    uint32_t baud;        /* last PMTK251 rate (0: none) */
    uint32_t restarts;
    bool standby, antenna_reports;
    /* Supply current (mA) by state, and the load that reports it */
    double acq_ma, track_ma, standby_ma;
    sim_power_load_t *power;
} gps_model_t;

void gps_model_init(gps_model_t *m, sim_t *sim, sim_uart_t *uart,
                    const gps_model_point_t *track, size_t npoints);

/* Emit epochs from t_ns (track time 0) until the track's last point. */
void gps_model_start(gps_model_t *m, uint64_t t_ns);

/* Drive `pin` (a model pin wired to a board input) with PPS pulses. */
void gps_model_set_pps(gps_model_t *m, sim_pin_t *pin, uint32_t width_ms);

/* Read commands: the board's UART `board_uart` transmits to the model. */
void gps_model_listen(gps_model_t *m, sim_uart_t *board_uart);

/* The burst of track time t_ms into out (NUL-terminated); its length. */
size_t gps_model_format(gps_model_t *m, uint32_t t_ms, char *out, size_t cap);

/* Track state at t_ms (interpolated); speed m/s, course degrees. */
void gps_model_state(const gps_model_t *m, uint32_t t_ms, double *lat,
                     double *lon, double *alt, double *speed, double *course);

#endif /* GPS_MODEL_H */
