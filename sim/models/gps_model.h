/*
 * GPS receiver model: emits NMEA 0183 from a scripted track into a
 * simulated UART, as a u-blox-style receiver does.
 *
 * Each epoch (period_ms, 1000 by default: 1 Hz; faster works) the model
 * interpolates the position linearly at the epoch time, reports the
 * speed and course scripted for the segment it is on (no libm needed, so
 * the simulator library stays free of it), and queues one burst of sentences on
 * the UART's RX line at the epoch instant: RMC, VTG, GGA, GSA, GSV (the
 * sentences in `mask`, enum gps_sentence bits), back to back at the baud
 * rate.  Coordinates are printed with 5 decimals of minutes, speed with 3
 * decimals of knots, course with 2 decimals, altitude with 1.  Before the
 * track's first point and after `fix_lost_ms` the receiver reports no fix
 * (RMC V, GGA quality 0, GSA mode 1).  `corrupt_next` spoils the checksum
 * of the next N sentences (fault injection).  UTC is 12:00:00 on
 * 2024-03-01 at track time 0.
 */
#ifndef GPS_MODEL_H
#define GPS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim_hw.h"

typedef struct gps_model_point {
    uint32_t t_ms;
    double lat, lon; /* degrees */
    double alt_m;
    double speed_mps, course_deg; /* reported from here to the next point */
} gps_model_point_t;

typedef struct gps_model {
    sim_t *sim;
    sim_uart_t *uart;
    const gps_model_point_t *track;
    size_t npoints;
    uint32_t period_ms;
    uint32_t mask;        /* sentences to emit */
    uint32_t fix_lost_ms; /* UINT32_MAX: never */
    uint8_t sats;         /* satellites in view (and used, up to 12) */
    uint32_t corrupt_next;
    uint64_t start_ns;
    uint32_t epochs;      /* bursts emitted */
    uint32_t sentences;   /* sentences emitted */
} gps_model_t;

void gps_model_init(gps_model_t *m, sim_t *sim, sim_uart_t *uart,
                    const gps_model_point_t *track, size_t npoints);

/* Emit epochs from t_ns (track time 0) until the track's last point. */
void gps_model_start(gps_model_t *m, uint64_t t_ns);

/* The burst of track time t_ms into out (NUL-terminated); its length. */
size_t gps_model_format(gps_model_t *m, uint32_t t_ms, char *out, size_t cap);

/* Track state at t_ms (interpolated); speed m/s, course degrees. */
void gps_model_state(const gps_model_t *m, uint32_t t_ms, double *lat,
                     double *lon, double *alt, double *speed, double *course);

#endif /* GPS_MODEL_H */
