/*
 * HD44780 controller model: decodes the pin wiggles of a 4- or 8-bit bus
 * (only D4..D7 wired, as a 4-bit driver leaves D0..D3 open; they read 0)
 * into display RAM, so a test can assert the text on the screen.
 *
 * The core is transport-independent: feed it the state of the six inputs
 * with the virtual time in nanoseconds at every change,
 * hd44780_model_on_pins(m, t_ns, rs, e, d) with d = D7..D4 as bits 3..0, or
 * one pin at a time with hd44780_model_set_pin() (what a simulator pin
 * watcher calls).  RS and D4..D7 are sampled on the falling edge of E.
 *
 * The controller starts as after power-on: 8-bit interface, one line,
 * display off, DDRAM full of spaces.  It tracks the interface width through
 * the init sequence (nibble 0x3 three times, then 0x2 selects 4 bits; in
 * 4-bit mode a byte is two nibbles, high first), executes every instruction
 * (clear, home, entry mode, display control, cursor/display shift, function
 * set, CGRAM/DDRAM address) and data writes into DDRAM or CGRAM, with the
 * address counter wrapping as the chip's does (0x27 -> 0x40 -> 0x67 -> 0x00
 * with two lines).
 *
 * Timing is checked against the datasheet, and every violation is counted
 * (by kind), remembered as the last one, and reported through an optional
 * callback -- never silently accepted:
 *   E_PULSE  E high for less than 450 ns: the nibble is NOT latched
 *   E_CYCLE  less than 1000 ns between two rising edges of E
 *   SETUP    RS changed less than 140 ns before E rose, or D4..D7 less than
 *            195 ns before E fell
 *   BUSY     a nibble arrived while the previous instruction was executing
 *            (37 us, 1.52 ms for clear/home, at fosc 270 kHz; the init
 *            steps need 4.1 ms and 100 us): the nibble is ignored
 *   INIT     first instruction less than 40 ms after power-on, or the init
 *            sequence not 0x3, 0x3, 0x3 then a function set
 *   ADDRESS  a DDRAM address that does not exist in the current mode
 * Execution times scale with 270 / fosc_khz (a slow oscillator).
 */
#ifndef HD44780_MODEL_H
#define HD44780_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hd44780_model_violation {
    HD44780_V_E_PULSE = 0,
    HD44780_V_E_CYCLE,
    HD44780_V_SETUP,
    HD44780_V_BUSY,
    HD44780_V_INIT,
    HD44780_V_ADDRESS,
    HD44780_V_COUNT
};

/* Pin indexes for hd44780_model_set_pin. */
enum hd44780_model_pin {
    HD44780_PIN_RS = 0,
    HD44780_PIN_E = 1,
    HD44780_PIN_D4 = 2 /* D5..D7 follow */
};

typedef void (*hd44780_model_report_cb)(void *arg, uint64_t t_ns,
                                        enum hd44780_model_violation v);

typedef struct hd44780_model {
    uint8_t cols, rows; /* the glass, for hd44780_model_row */
    uint32_t fosc_khz;  /* 270 nominal */
    uint64_t power_on_ns;
    /* Pins as last seen. */
    uint8_t rs, e, d;
    uint64_t rs_changed, d_changed, e_rise;
    bool e_rose;
    /* Controller state. */
    bool four_bit, two_lines, display_on, cursor_on, blink_on;
    bool increment, shift_on_write, cgram_mode;
    bool have_high; /* first nibble of a 4-bit byte received */
    uint8_t high;
    uint8_t ac;     /* address counter */
    int8_t shift;   /* display shift, in characters (left positive) */
    uint8_t init_step; /* 0..3 nibbles of the init sequence; 4 done */
    uint64_t busy_until;
    uint8_t ddram[0x80];
    uint8_t cgram[0x40];
    /* Counters. */
    uint32_t nibbles, instructions, data_writes;
    uint32_t violations[HD44780_V_COUNT];
    uint32_t violations_total;
    int last_violation; /* -1 none */
    uint64_t last_violation_ns;
    hd44780_model_report_cb report_cb;
    void *report_arg;
} hd44780_model_t;

/* Power-on state at t_ns for a cols x rows glass. */
void hd44780_model_init(hd44780_model_t *m, uint8_t cols, uint8_t rows,
                        uint64_t power_on_ns);

void hd44780_model_on_pins(hd44780_model_t *m, uint64_t t_ns, int rs, int e,
                           unsigned d);

/* One input changed (pin: enum hd44780_model_pin, D4 + 0..3). */
void hd44780_model_set_pin(hd44780_model_t *m, uint64_t t_ns, unsigned pin,
                           int level);

/* The characters row `row` of the glass shows (spaces while the display is
 * off), NUL-terminated into out[size].  Returns the length written. */
size_t hd44780_model_row(const hd44780_model_t *m, unsigned row, char *out,
                         size_t size);

/* Execution time of `byte` as an instruction (rs 0) or data (rs 1). */
uint64_t hd44780_model_exec_ns(const hd44780_model_t *m, int rs, uint8_t byte);

const char *hd44780_model_violation_name(int v);

/* --- Simulator wiring ----------------------------------------------------- */

#include "sim_hw.h"

/* The model behind six free pins, each wired to a board pin and watched. */
typedef struct hd44780_sim_model {
    hd44780_model_t model;
    sim_pin_t *pin[6]; /* the controller's inputs: RS, E, D4..D7 */
    struct hd44780_sim_watch {
        struct hd44780_sim_model *owner;
        unsigned idx;
    } watch[6];
} hd44780_sim_model_t;

/* Power-on the model now (sim_now) for a cols x rows glass and wire its
 * inputs to board_pins[] in the order RS, E, D4, D5, D6, D7. */
void hd44780_model_attach(hd44780_sim_model_t *s, sim_t *sim,
                          sim_pin_t *const board_pins[6], uint8_t cols,
                          uint8_t rows);

#endif /* HD44780_MODEL_H */
