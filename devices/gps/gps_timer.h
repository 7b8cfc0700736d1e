/*
 * Precise time from the receiver's PPS pin -- the seed's as_tGPS.
 *
 * The PPS pin's rising edge marks the start of a UTC second; the RMC or ZDA
 * that follows names that second.  The pin interrupt stores only the tick
 * of the edge (the port's timestamp of the edge itself, so interrupt
 * latency does not count); the driver's task pairs it with the next RMC or
 * ZDA whose time is a whole second and which arrives less than 1 s after
 * the edge.  From then on the UTC time at any tick is the paired second
 * plus the ticks elapsed, corrected by the local clock's measured rate:
 *
 *     utc_us = second x 1e6 + elapsed x 1e9 / (1e9 + ppb)
 *
 * where ppb is the local crystal's error found by gps_timer_calibrate
 * (0 until then: a 37 ppm crystal then reads up to 37 us off just before
 * the next pulse; after calibration the error is the tick's quantisation).
 *
 * Outage: a whole-second RMC/ZDA with no pulse in the second before it sets
 * t->lost (counted in outages); the next pairing clears it.  time_us then
 * returns GPS_ENOPPS (still extrapolating into *utc_us from the last pulse
 * and the calibrated rate) once the last pulse is more than 1.5 s old.
 *
 *     static gps_timer_t tm;
 *     gps_timer_init(&tm, &gps, pps_pin);      // configures only
 *     gps_timer_start(&tm);                     // PPS interrupt on
 *     UA_AWAIT(gps_timer_calibrate(self, &tm, 60, 70000));
 *     gps_timer_time_us(&tm, &utc_us);          // Unix microseconds
 */
#ifndef GPS_TIMER_H
#define GPS_TIMER_H

#include "gps.h"

typedef struct gps_t_split {
    uint8_t hours, minutes, seconds;
    uint32_t us;
} gps_t_split_t;

struct gps_timer {
    gps_t *gps;
    ua_pin_t *pps;
    bool active; /* between gps_timer_start and gps_timer_stop */
    /* Written by the interrupt. */
    volatile ua_ticks_t isr_tick;
    volatile uint32_t isr_count;
    /* The paired pulse. */
    uint32_t used_count;
    bool synced;
    ua_ticks_t pps_tick;
    int64_t pps_utc_s;     /* Unix seconds of the paired pulse */
    int32_t ppb;           /* local clock error (calibrate), + = fast */
    int32_t delta_us;      /* local us minus 1e6 over the last second */
    bool lost;             /* no pulse with the last whole-second sentence */
    ua_event_t paired_event;
    /* calibrate's frame */
    ua_co_t co;
    ua_ticks_t cal_tick;
    int64_t cal_s;
    uint32_t cal_seconds;
    ua_ticks_t cal_deadline;
    /* Counters. */
    uint32_t pulses, paired, outages;
};

/* Configure `t` for the driver `gps` and the PPS pin: nothing touched or
 * attached yet.  UA_EBUSY if started.  The lifecycle is the driver's
 * (ua_driver.h), riding on the GPS driver's loop: */
int gps_timer_init(gps_timer_t *t, gps_t *gps, ua_pin_t *pps);

/* Attach to the driver (its task pairs pulses with sentences) and enable
 * the PPS interrupt (rising edge).  0, UA_EBUSY if started, or the error
 * of ua_pin_configure / ua_pin_set_irq. */
int gps_timer_start(gps_timer_t *t);

/* Disable the interrupt and detach; a calibration waiting gets
 * GPS_ESTOPPED (as it does when the GPS driver stops).  Idempotent;
 * gps_timer_start may follow. */
void gps_timer_stop(gps_timer_t *t);

/* UTC now, Unix microseconds: 0, GPS_ENODATA (never paired) or
 * GPS_ENOPPS (last pulse older than 1.5 s; *utc_us extrapolated). */
int gps_timer_time_us(const gps_timer_t *t, int64_t *utc_us);

/* UTC time of day now, split (the seed's get_t_split); as time_us. */
int gps_timer_get_t_split(const gps_timer_t *t, gps_t_split_t *out);

/* The local clock's error over the last second, in us (ticks between the
 * last two pulses minus 1e6; the seed's delta); GPS_ENODATA before two. */
int gps_timer_delta_us(const gps_timer_t *t, int32_t *us);

/*
 * Measure the local clock against `seconds` (1..2000) seconds of PPS and
 * keep the rate (t->ppb) for time_us.  A sub-coroutine with its frame in
 * t: UA_ETIMEDOUT after timeout_ms, GPS_EBADARG for a bad count,
 * GPS_ESTOPPED if the timer or the driver is stopped.
 */
int gps_timer_calibrate(ua_task_t *self, gps_timer_t *t, uint32_t seconds,
                        int32_t timeout_ms);

#endif /* GPS_TIMER_H */
