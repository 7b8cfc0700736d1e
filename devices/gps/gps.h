/*
 * GPS driver: a task that reads NMEA 0183 from a UART into gps_nmea.h's
 * parser, calls back on chosen sentence types and wakes tasks on each new
 * fix.
 *
 * Wiring.  The receiver's TX goes to the board's UART RX (TX to the
 * receiver is not used); 9600 8N1 is the usual default, and any baud rate
 * works since the driver only reacts to bytes.  The UART interrupt sets an
 * ISR flag (ua_flag_t); the task then drains every received byte through
 * the parser, GPS_DRAIN_CHUNK bytes per scheduling step, yielding between
 * chunks so a 115200-baud burst does not starve other tasks (the seed's
 * ">1 Hz update stalls").  Framing errors and overruns reported by the UART
 * are counted in uart_errors and drop the sentence being received.
 *
 *     static gps_t gps;
 *     gps_init(&gps, &uart1);                     // configures, no I/O
 *     gps_set_callback(&gps, GPS_RMC | GPS_GGA, on_sentence, NULL);
 *     gps_start(&gps, loop);
 *     ... in a task:
 *     UA_AWAIT(gps_wait_fix(self, &gps, 2000));   // UA_ETIMEDOUT if none
 *     double lat = gps_nmea_latitude(&gps.nmea);
 *
 * Constants: the sentence bits GPS_RMC=1 GLL=2 VTG=4 GGA=8 GSA=16 GSV=32
 * (as in the seed) plus GPS_OTHER=64 for clean sentences the parser does
 * not decode; speed units GPS_KPH=10 MPH=11 KNOT=12 (+ MPS=13); fix modes
 * GPS_MODE_NO_FIX=1, 2D=2, 3D=3.  Errors: the GPS_E* codes of ua_err.h
 * (GPS_EBADCHAR, GPS_ETOOLONG, GPS_ENOCHECKSUM, GPS_EBADCRC, GPS_ETRUNCATED,
 * GPS_EUNSUPPORTED, GPS_EBADFIELD...); each is counted in gps.nmea.count
 * (UART errors in gps.uart_errors).  The state, its units
 * and the fix-mode rules are described in gps_nmea.h.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  gps_init
 * configures the struct and touches nothing else; gps_start registers the
 * ISR flags and the UART interrupt and spawns the task; gps_stop undoes
 * all of it: from its return no flag of the driver is registered, no
 * interrupt is on, and every waiter -- gps_wait_fix, gps_wait_data, a
 * command of gps_rw.h, a calibration of gps_timer.h -- gets GPS_ESTOPPED
 * (at the loop's next pass).  gps_start may follow at once, also from a
 * callback: a task still finishing its cancellation carries on for the new
 * start.  The struct must be zeroed before its first gps_init (static
 * storage, or `= {0}`), so that init can tell a stopping task from
 * garbage; its memory may be reused once gps_stopped() is true.
 */
#ifndef GPS_H
#define GPS_H

#include "gps_nmea.h"
#include "ua.h"

#define GPS_DRAIN_CHUNK 64

typedef struct gps gps_t;
typedef struct gps_rw gps_rw_t;
typedef struct gps_timer gps_timer_t;

/* What gps_wait_data waits for (the seed's data_received(position, course,
 * date, altitude), plus a complete GSV report). */
enum gps_data {
    GPS_DATA_POSITION = 1,  /* a sentence delivered a position */
    GPS_DATA_COURSE = 2,    /* ... speed or course (RMC, VTG) */
    GPS_DATA_DATE = 4,      /* ... a date (RMC, ZDA) */
    GPS_DATA_ALTITUDE = 8,  /* ... an altitude (GGA, PGRMZ) */
    GPS_DATA_SATELLITES = 16, /* a GSV group completed (the seed's
                                 get_satellite_data) */
    GPS_DATA_ALL = 31
};

/* Frame of gps_wait_data (caller-owned: one per waiting task). */
typedef struct gps_wait {
    ua_co_t co;
    uint32_t what;
    uint32_t seq[5];
    ua_ticks_t deadline;
    bool forever;
} gps_wait_t;

/*
 * Called in the driver task after each sentence whose type bit is in the
 * mask: `type` is the enum gps_sentence bit, the state is already updated
 * (gps->nmea), and gps_nmea_field() reads the sentence's fields.
 */
typedef void (*gps_sentence_cb)(gps_t *gps, unsigned type, void *arg);

struct gps {
    ua_task_t task;
    ua_co_t co;
    /* Lifecycle (private); gps_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t gen;     /* counts starts */
    uint8_t run_gen; /* the start the task serves */
    uint8_t task_up; /* the task has run since its spawn */
    ua_uart_t *uart;
    ua_loop_t *loop;
    ua_flag_t rx_flag;
    ua_flag_t tx_flag;      /* the UART's TX drained (commands, gps_rw.h) */
    ua_event_t fix_event;
    ua_event_t data_event;  /* pulsed after every parsed sentence */
    gps_rw_t *rw;           /* commands (gps_rw.h), when attached */
    gps_timer_t *timer;     /* PPS timing (gps_timer.h), when attached */
    gps_nmea_t nmea;
    gps_sentence_cb cb;
    void *cb_arg;
    uint32_t cb_mask;
    uint32_t uart_errors;   /* framing errors and overruns */
    uint32_t bytes;         /* bytes read from the UART */
    uint32_t fixes;         /* new-fix events signalled */
    uint64_t last_fix;      /* ua_loop_now64 of the last fix: an age that
                               never wraps (32-bit ticks do every 71.6 min) */
    uint8_t rx[GPS_DRAIN_CHUNK];
};

/* Configure the driver for `uart`: no I/O, nothing registered.  Clears
 * the callback and the attachments.  UA_EBUSY if started. */
int gps_init(gps_t *gps, ua_uart_t *uart);

/* Call cb for sentences whose type is in mask (0 or cb NULL: none). */
void gps_set_callback(gps_t *gps, uint32_t mask, gps_sentence_cb cb,
                      void *arg);

/* Register the ISR flags with `loop`, enable the UART interrupt and spawn
 * the task (task context).  Bytes already received are read at once.
 * Returns 0, UA_EBUSY if already started, or the error of
 * ua_uart_set_irq / ua_spawn. */
int gps_start(gps_t *gps, ua_loop_t *loop);

/* Disable the UART interrupt, unregister the flags, cancel the task and
 * fail every waiter with GPS_ESTOPPED (see Lifecycle).  Idempotent. */
void gps_stop(gps_t *gps);

/* Between gps_start and gps_stop. */
bool gps_started(const gps_t *gps);

/* True once stopped and the task has finished: the memory may be reused. */
bool gps_stopped(const gps_t *gps);

/*
 * Await the next fix (a sentence that delivered a position) received after
 * the call: every task waiting is woken by it.  UA_ETIMEDOUT after
 * timeout_ms (UA_FOREVER: none); GPS_ESTOPPED when stopped.
 */
int gps_wait_fix(ua_task_t *self, gps_t *gps, int32_t timeout_ms);

/*
 * Await data received after the call: every item of `what` (enum
 * gps_data bits) must have been delivered by some sentence since, in any
 * order (the seed's data_received clears its flags and waits for all of
 * them).  A sub-coroutine: UA_AWAIT(gps_wait_data(self, gps, &frame->w,
 * GPS_DATA_POSITION | GPS_DATA_DATE, 3000)).  UA_ETIMEDOUT when
 * timeout_ms passes first (UA_FOREVER: none), GPS_EBADARG for an empty or
 * unknown mask, GPS_ESTOPPED when stopped.  Any number of tasks may wait, each with its own frame.
 */
int gps_wait_data(ua_task_t *self, gps_t *gps, gps_wait_t *w, uint32_t what,
                  int32_t timeout_ms);

/* Milliseconds since the last fix, -1 if none yet (the seed's
 * time_since_fix).  Measured on the loop's 64-bit clock, so it stays right
 * however long ago the fix was; INT32_MAX past 24.8 days. */
int32_t gps_time_since_fix_ms(const gps_t *gps);

/* Internal: hooks of gps_rw.c and gps_timer.c, called in the task. */
void gps__rw_sentence(gps_rw_t *rw, const gps_nmea_t *p);
void gps__timer_sentence(gps_timer_t *t, int type);

#endif /* GPS_H */
