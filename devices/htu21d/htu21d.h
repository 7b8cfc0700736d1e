/*
 * HTU21D temperature and relative-humidity sensor on I2C.
 *
 * Wiring: SDA/SCL of any I2C master (with pull-ups), 3.3 V supply.  The
 * sensor answers at 7-bit address 0x40 (configurable for breakouts behind a
 * translator).  The driver sees the bus only through ua_i2c_t.
 *
 * Protocol (no-hold master mode, so the bus is free while it converts):
 * write the command (0xF3 temperature, 0xF5 humidity), wait the conversion
 * time, read 3 bytes: data MSB, data LSB, CRC-8 (polynomial 0x131 =
 * x^8+x^5+x^4+1, initial value 0) over the two data bytes.  The two low bits
 * of the data are status: bit 1 says which quantity was measured (0
 * temperature, 1 humidity) and is checked, then both are cleared before
 * converting.  While the sensor is still converting it NACKs its read
 * address; the driver then retries a few times before giving up.
 *
 * Conversion, in fixed point so no float is needed (the seed's formulas):
 *     T  = -46.85 + 175.72 * raw / 65536   ->  centi-degrees Celsius
 *     RH =  -6    + 125    * raw / 65536   ->  centi-percent
 * rounded to the nearest hundredth.  RH is reported as computed, even when
 * slightly outside 0..100 % (the datasheet allows that near saturation).
 *
 * Timing (htu21d_config_default):
 *   temp_wait_ms 60, rh_wait_ms 60: the seed's sleep_ms(60).  The datasheet
 *     maxima at the power-on resolution (14-bit T, 12-bit RH) are 50 ms and
 *     16 ms, so 60 ms is safe for both; set 50/16 to read sooner (the read
 *     retry below covers a sensor that is slightly slower than its sheet).
 *   read_retries 2, retry_ms 10: extra read attempts when the read is NACKed
 *     because the conversion has not finished.
 *   period_ms 10000: the seed's read_delay=10 s between cycles.  Cycles are
 *     started on a fixed grid (no drift); a cycle that overruns its period
 *     starts the next one at once and is counted in stats.overruns.
 * One cycle measures temperature then humidity; with the defaults and a
 * 100 kHz bus the first reading is ready about 121 ms after start (the seed
 * README's "~120 ms").
 *
 * Errors (negative, below UA_ERR_DRIVER_BASE), each counted in stats:
 *   HTU21D_ENACK      the command write was not acknowledged: no device
 *   HTU21D_ENOTREADY  reads NACKed after every retry: conversion stuck
 *   HTU21D_ECRC       the CRC byte does not match the data
 *   HTU21D_ESTATUS    the status bits name the other quantity
 *   HTU21D_EBUS       bus error or timeout (UA_EIO / UA_ETIMEDOUT)
 *   HTU21D_EBUSY      another measurement is in progress on this device
 * A failed measurement keeps the last good value and flags it stale; a good
 * one clears the flag.
 *
 * API:
 *     htu21d_t sensor;
 *     htu21d_init(&sensor, &i2c, NULL);     // defaults
 *     htu21d_start(&sensor, loop);          // periodic task
 *     ... in a task:
 *     UA_AWAIT(htu21d_wait_ready(self, &sensor, 1000));   // first reading
 *     htu21d_temperature(&sensor)->centi   // 2345 = 23.45 C
 *     UA_AWAIT(htu21d_wait_update(self, &sensor, UA_FOREVER)); // next cycle
 * Without the periodic task, await htu21d_measure() directly.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  htu21d_init
 * configures the struct and touches no hardware; htu21d_start spawns the
 * periodic task, whose first cycle starts at once; htu21d_stop cancels it
 * (a measurement in flight is abandoned between two bus transactions) and
 * fails tasks in htu21d_wait_ready / htu21d_wait_update with
 * HTU21D_ESTOPPED (at the loop's next pass); htu21d_start may follow at
 * once: a task still finishing its cancellation begins the new start's
 * cycles.  The struct must be zeroed before its first htu21d_init (static
 * storage, or `= {0}`), so that init can tell a stopping task from
 * garbage; its memory may be reused once htu21d_stopped() is true.
 */
#ifndef HTU21D_H
#define HTU21D_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_event.h"
#include "ua_hw.h"
#include "ua_loop.h"
#include "ua_task.h"

#define HTU21D_ADDRESS 0x40
#define HTU21D_CMD_TEMP_NOHOLD 0xF3
#define HTU21D_CMD_RH_NOHOLD 0xF5
#define HTU21D_CMD_READ_USER 0xE7
#define HTU21D_CMD_SOFT_RESET 0xFE
#define HTU21D_SOFT_RESET_MS 15 /* datasheet: reset takes under 15 ms */

/* Error codes: the HTU21D_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_HTU21D): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

enum htu21d_kind { HTU21D_TEMPERATURE = 0, HTU21D_HUMIDITY = 1 };

typedef struct htu21d_config {
    uint8_t address;
    uint16_t temp_wait_ms;
    uint16_t rh_wait_ms;
    uint8_t read_retries;
    uint16_t retry_ms;
    uint32_t period_ms; /* 1 .. 2000000 */
} htu21d_config_t;

/* One quantity's latest value. */
typedef struct htu21d_value {
    int32_t centi;   /* centi-degrees C or centi-percent RH */
    uint16_t raw;    /* 16-bit sensor word with the status bits cleared */
    bool valid;      /* a good reading has been taken */
    bool stale;      /* the latest attempt failed; centi is older */
    ua_ticks_t when; /* loop tick of the good reading */
} htu21d_value_t;

typedef struct htu21d_stats {
    uint32_t good;      /* measurements that passed every check */
    uint32_t nack;      /* HTU21D_ENACK */
    uint32_t not_ready; /* HTU21D_ENOTREADY */
    uint32_t crc;       /* HTU21D_ECRC */
    uint32_t status;    /* HTU21D_ESTATUS */
    uint32_t bus;       /* HTU21D_EBUS */
    uint32_t retries;   /* read NACKs that were retried */
    uint32_t cycles;    /* periodic cycles completed */
    uint32_t overruns;  /* cycles longer than the period */
} htu21d_stats_t;

/* Frame of the measurement in progress (one per device). */
typedef struct htu21d_op {
    ua_co_t co;
    ua_task_t *owner;
    uint8_t kind;
    uint8_t tries;
    uint8_t buf[3];
} htu21d_op_t;

typedef struct htu21d {
    ua_task_t task; /* the periodic task */
    ua_co_t co;
    ua_co_t cycle_co; /* the cycles of one start */
    htu21d_op_t op;
    /* Lifecycle (private); htu21d_init keeps the fields above (the frames
     * while the task runs) and these, and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t task_up; /* the task has run since its spawn */
    ua_i2c_t *bus;
    htu21d_config_t cfg;
    htu21d_value_t value[2]; /* indexed by enum htu21d_kind */
    htu21d_stats_t stats;
    ua_event_t ready;  /* set once both values are valid; stays set */
    ua_event_t update; /* pulsed at the end of every periodic cycle */
    ua_ticks_t next_start;
    int last_status; /* of the latest cycle: 0 or its first error */
    int cycle_status;
} htu21d_t;

/* --- Application ------------------------------------------------------- */

void htu21d_config_default(htu21d_config_t *cfg);

/* Prepare `dev` on `bus` (cfg NULL = defaults).  UA_EINVAL for a zero or
 * too long period or an address above 0x7F, UA_EBUSY if started.  Touches
 * no hardware. */
int htu21d_init(htu21d_t *dev, ua_i2c_t *bus, const htu21d_config_t *cfg);

/* Spawn the periodic task on `loop`; its first cycle starts at once.
 * UA_EBUSY if already started. */
int htu21d_start(htu21d_t *dev, ua_loop_t *loop);

/* Cancel the periodic task (an in-flight measurement is abandoned) and
 * fail the waiters with HTU21D_ESTOPPED (see Lifecycle).  Idempotent. */
void htu21d_stop(htu21d_t *dev);

/* True once stopped and the task has finished: the memory may be reused. */
bool htu21d_stopped(const htu21d_t *dev);

const htu21d_value_t *htu21d_temperature(const htu21d_t *dev);
const htu21d_value_t *htu21d_humidity(const htu21d_t *dev);

/* Float accessors for convenience (NaN until the first good reading). */
float htu21d_temperature_c(const htu21d_t *dev);
float htu21d_humidity_pct(const htu21d_t *dev);

/* Status of the latest periodic cycle (0, or the first error in it). */
int htu21d_last_status(const htu21d_t *dev);

const char *htu21d_strerror(int status);

/* --- Awaitables (UA_AWAIT) --------------------------------------------- */

/* Until both values are valid (the seed's `await htu`).  HTU21D_ESTOPPED
 * when stopped (or stopped meanwhile), unless they already are. */
int htu21d_wait_ready(ua_task_t *self, htu21d_t *dev, int32_t timeout_ms);

/* Until the next periodic cycle ends; then read htu21d_last_status().
 * HTU21D_ESTOPPED when stopped (or stopped meanwhile). */
int htu21d_wait_update(ua_task_t *self, htu21d_t *dev, int32_t timeout_ms);

/* One measurement: command, wait, read, check, convert, store in dev.
 * HTU21D_EBUSY if another task is measuring on this device. */
int htu21d_measure(ua_task_t *self, htu21d_t *dev, enum htu21d_kind kind);

/* Soft reset (0xFE) and wait HTU21D_SOFT_RESET_MS. */
int htu21d_soft_reset(ua_task_t *self, htu21d_t *dev);

/* --- Blocking (task context, one bus transaction) ---------------------- */

/* Read the user register (0xE7); 0x02 after power-on.  HTU21D_EBUSY while a
 * measurement is in progress. */
int htu21d_read_user_register(htu21d_t *dev, uint8_t *value);

/* --- Pure helpers (tested on their own) -------------------------------- */

/* CRC-8, polynomial 0x131, initial 0, over n bytes. */
uint8_t htu21d_crc8(const uint8_t *data, unsigned n);

/* Convert a raw word (status bits are cleared here). */
int32_t htu21d_raw_to_centi_c(uint16_t raw);
int32_t htu21d_raw_to_centi_rh(uint16_t raw);

#endif /* HTU21D_H */
