/*
 * HD44780 character LCD in 4-bit mode on six GPIO pins.
 *
 * Wiring: RS, E and D4..D7 to any six output pins (the seed's pin order is
 * Rs, E, D4, D5, D6, D7); R/W tied to ground, D0..D3 unconnected.  With R/W
 * grounded the busy flag cannot be read, so the driver waits the datasheet
 * execution time after every byte instead.
 *
 * Model: the application writes rows of text by index into a buffer in the
 * driver (padded with spaces or truncated to the width; a row is marked
 * dirty only if its text changed).  A task initialises the controller and
 * then, every refresh_ms, rewrites the dirty rows, yielding after each
 * character so a long refresh never holds the CPU for more than one byte.
 * Geometries: 1, 2 or 4 rows of up to 40 (4 rows: up to 20) columns; row r
 * starts at DDRAM address 0x00, 0x40, 0x00 + cols, 0x40 + cols, which is
 * 0x00, 0x40, 0x14, 0x54 on a 20x4 and 0x00, 0x40, 0x10, 0x50 on a 16x4.
 *
 * Init sequence (datasheet figure 24, "initialising by instruction"):
 * power-on wait; nibble 0x3, wait > 4.1 ms; 0x3, wait > 100 us; 0x3; 0x2
 * (now 4-bit); then bytes 0x28 (2 lines, 5x8; 0x20 for one row), 0x0C
 * (display on, no cursor), 0x06 (increment), 0x01 (clear, 1.52 ms).
 *
 * Timing defaults (hd44780_config_default) and why:
 *   power_on_ms 50     datasheet: > 40 ms after Vcc reaches 2.7 V.
 *   init_wait1_us 5000 > 4.1 ms (the seed's comment says 5 ms).
 *   init_wait2_us 200  > 100 us, doubled.
 *   setup_us 1         RS/data setup before E: 140 ns / 195 ns minimum.
 *   pulse_us 1         E high: 450 ns minimum (the seed used 50 us for this
 *                      and for setup: 100x the need, per nibble).
 *   exec_us 50         37 us at the nominal 270 kHz oscillator; 50 us
 *                      covers an oscillator down to 200 kHz (low Vcc,
 *                      tolerance).  The seed relied on 50 us as well.
 *   clear_us 2100      clear/home: 1.52 ms at 270 kHz, 2.05 ms at 200 kHz.
 *   refresh_ms 20      the seed's runlcd period.
 * setup, pulse and exec are busy waits (ua_delay_us); the power-on, 4.1 ms
 * and clear waits sleep, so other tasks run meanwhile.  Writing a row of
 * n characters costs n * (4 * 1 + 50) us of CPU plus one address byte.
 *
 * Errors (negative, below UA_ERR_DRIVER_BASE):
 *   HD44780_EGEOMETRY  rows not 1, 2 or 4, or cols out of range
 *   HD44780_EROW       row index beyond the geometry
 *   HD44780_EPIN       a pin is missing, or could not be configured as
 *                      an output
 *   HD44780_ESTOPPED   waiting for a flush while stopped
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  hd44780_init
 * configures the struct and touches no pin; hd44780_start makes the pins
 * outputs driven low and spawns the task (init sequence, then refresh);
 * hd44780_stop cancels it between two bytes, never inside one, and fails
 * tasks in hd44780_wait_flushed with HD44780_ESTOPPED (at the loop's next
 * pass); hd44780_start may follow at once -- a task still finishing its
 * cancellation runs the new start's init sequence -- and re-initialises
 * the controller, then writes every row that is not blank.  The struct
 * must be zeroed before its first hd44780_init (static storage, or
 * `= {0}`), so that init can tell a stopping task from garbage; its memory
 * may be reused once hd44780_stopped() is true.
 *
 *     hd44780_t lcd;  hd44780_config_t cfg;
 *     hd44780_config_default(&cfg, 16, 2);
 *     hd44780_init(&lcd, &(hd44780_pins_t){rs, e, d4, d5, d6, d7}, &cfg);
 *     hd44780_start(&lcd, loop);
 *     hd44780_write_row(&lcd, 0, "Temp 23.4 C");
 *     UA_AWAIT(hd44780_wait_flushed(self, &lcd, 100));  // optional
 */
#ifndef HD44780_H
#define HD44780_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_event.h"
#include "ua_hw.h"
#include "ua_loop.h"
#include "ua_task.h"

#define HD44780_MAX_ROWS 4
#define HD44780_MAX_COLS 40

/* Error codes: the HD44780_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_HD44780): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

typedef struct hd44780_pins {
    ua_pin_t *rs, *e, *d4, *d5, *d6, *d7;
} hd44780_pins_t;

typedef struct hd44780_config {
    uint8_t cols, rows;
    uint16_t power_on_ms;
    uint16_t init_wait1_us;
    uint16_t init_wait2_us;
    uint16_t setup_us;
    uint16_t pulse_us;
    uint16_t exec_us;
    uint16_t clear_us;
    uint16_t refresh_ms;
} hd44780_config_t;

typedef struct hd44780_stats {
    uint32_t bytes;        /* bytes sent (commands and characters) */
    uint32_t rows_written; /* row refreshes */
    uint32_t skipped;      /* row writes that changed nothing */
} hd44780_stats_t;

typedef struct hd44780 {
    ua_task_t task;
    ua_co_t co;
    ua_co_t session_co; /* one start's init sequence and refresh loop */
    /* Lifecycle (private); hd44780_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t task_up; /* the task has run since its spawn */
    hd44780_pins_t pins;
    hd44780_config_t cfg;
    char text[HD44780_MAX_ROWS][HD44780_MAX_COLS + 1]; /* NUL-terminated */
    uint8_t dirty; /* bit r: row r differs from the screen */
    uint8_t row, col;
    bool ready;    /* init sequence done */
    ua_event_t flushed; /* set while ready and nothing is dirty */
    hd44780_stats_t stats;
} hd44780_t;

/* --- Application ------------------------------------------------------- */

/* Defaults above for a cols x rows display. */
void hd44780_config_default(hd44780_config_t *cfg, uint8_t cols, uint8_t rows);

/* Check the geometry and the pins (none NULL), copy them; touches no pin.
 * The text starts as spaces (what the clear in the init sequence shows).
 * HD44780_EGEOMETRY, HD44780_EPIN, or UA_EBUSY if started. */
int hd44780_init(hd44780_t *lcd, const hd44780_pins_t *pins,
                 const hd44780_config_t *cfg);

/* Make the pins outputs driven low and spawn the task: init sequence, then
 * the refresh loop.  UA_EBUSY if already started, HD44780_EPIN if a pin
 * cannot be an output. */
int hd44780_start(hd44780_t *lcd, ua_loop_t *loop);

/* Cancel the task (between two bytes, never inside one) and fail the
 * waiters with HD44780_ESTOPPED.  Idempotent. */
void hd44780_stop(hd44780_t *lcd);

/* True once stopped and the task has finished: the memory may be reused. */
bool hd44780_stopped(const hd44780_t *lcd);

/* Set row `row` to `text` (padded / truncated to cols), task context.
 * Returns 1 if the row changed (the task rewrites it at its next refresh),
 * 0 if the text was already there, HD44780_EROW. */
int hd44780_write_row(hd44780_t *lcd, unsigned row, const char *text);

/* The row as the application last set it (cols characters), or NULL. */
const char *hd44780_row(const hd44780_t *lcd, unsigned row);

/* Whether the controller has been initialised. */
bool hd44780_ready(const hd44780_t *lcd);

/* DDRAM address of row r's first character. */
uint8_t hd44780_row_address(const hd44780_t *lcd, unsigned row);

/* --- Awaitables -------------------------------------------------------- */

/* Until the screen shows every row as written (UA_ETIMEDOUT after
 * timeout_ms; UA_FOREVER: no limit; HD44780_ESTOPPED when stopped). */
int hd44780_wait_flushed(ua_task_t *self, hd44780_t *lcd, int32_t timeout_ms);

#endif /* HD44780_H */
