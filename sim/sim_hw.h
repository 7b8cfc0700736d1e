/*
 * Simulated hardware: GPIO pins and wires, UARTs, I2C buses -- the side that
 * drivers see through core/ua_hw.h, and the side device models plug into.
 *
 * Pins and nets.  A pin (sim_pin_t) belongs to a board (a GPIO with a mode,
 * an output latch and an edge interrupt) or to a model (a free pin with no
 * board).  Wiring pins together merges their nets; a net's level is resolved
 * like real wires: any driver pulling low wins (wired-AND, so open-drain
 * buses work; a push-pull 1 against a 0 is counted as contention), else any
 * driver high gives 1, else a pull-up gives 1, a pull-down 0, and a floating
 * net keeps its last level.  Drivers are push-pull outputs, open-drain pins
 * written 0, and sources (sim_source_t) that models and stimuli own.
 *
 * Timing.  Writes from board code (a task step or an interrupt) take effect
 * at the code's time (sim_now()) through an event; writes from models take
 * effect at once.  When a net changes, board pins with a matching edge
 * interrupt run their callback at that exact time (the board's loop entered,
 * IRQ entry/exit traced, the board's IRQ cost charged) and watchers
 * (sim_pin_watch) are called -- that is how models such as an HD44780
 * controller see pin wiggles.
 *
 * UART.  8N1, 10 bit times per byte.  A byte put on a line at t0 is
 * received at t0 + 10 * 1e9 / baud ns (exact integer ns from the start of a
 * back-to-back burst, so no drift).  The RX FIFO counts overruns; optional
 * noise flips data bits or makes framing errors, from the PRNG.  The board's
 * TX is shifted out at the baud rate, captured, and can be wired to another
 * UART's RX (another board or a model).
 *
 * I2C.  The master implements ua_i2c_ops.transfer synchronously: slave model
 * handlers are called in order, and the bus time (start, 9 bit times per
 * byte, repeated start, stop, plus clock stretching) is charged to the
 * calling task as CPU time, at the configured clock.
 */
#ifndef SIM_HW_H
#define SIM_HW_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"

typedef struct sim_pin sim_pin_t;
typedef struct sim_source sim_source_t;
typedef struct sim_uart sim_uart_t;
typedef struct sim_i2c sim_i2c_t;

#define SIM_Z (-1) /* "not driving" for sources */

/* --- Pins ------------------------------------------------------------------- */

/* Board pin number n (created on first use, as an unconfigured input).
 * The same number gives the same pin. */
sim_pin_t *sim_board_pin(sim_board_t *b, unsigned n);

/* A pin with no board, for models (an LCD's inputs, a remote's output). */
sim_pin_t *sim_pin_new(sim_t *sim, const char *name);

/* The handle a driver uses (ops table filled in by the simulator). */
ua_pin_t *sim_pin_hw(sim_pin_t *p);

/* Name for traces and VCD ("ir", "sda"); copied.  Default: "p<n>". */
void sim_pin_set_name(sim_pin_t *p, const char *name);

/* Connect two pins (also across boards).  Their nets merge. */
void sim_wire(sim_pin_t *a, sim_pin_t *b);

/* Level of the pin's net now (0 or 1). */
int sim_pin_level(const sim_pin_t *p);

/* Add an external pull resistor to the pin's net (+1 up, -1 down, 0 none). */
void sim_pin_pull(sim_pin_t *p, int dir);

/* Global pin id used in traces. */
uint32_t sim_pin_id(const sim_pin_t *p);

/* Number of times two drivers fought on this pin's net. */
uint32_t sim_pin_contention(const sim_pin_t *p);

/* Model side: call cb(arg, level, t_ns) after each change of the net. */
typedef void (*sim_pin_watch_cb)(void *arg, int level, uint64_t t_ns);
void sim_pin_watch(sim_pin_t *p, sim_pin_watch_cb cb, void *arg);

/* --- Sources: model-owned drivers on a net ----------------------------------- */

/* A new driver on the pin's net, initially SIM_Z (not driving). */
sim_source_t *sim_source_new(sim_pin_t *p);

/* Drive 0, 1 or SIM_Z now. */
void sim_source_set(sim_source_t *s, int level);

/* Drive 0, 1 or SIM_Z at virtual time t_ns (scripted edges). */
void sim_source_at(sim_source_t *s, uint64_t t_ns, int level);

/* --- UART ---------------------------------------------------------------------- */

/* UART number n of a board at `baud` (created on first use; baud ignored
 * afterwards).  RX FIFO 64 bytes, TX FIFO 64 bytes by default. */
sim_uart_t *sim_board_uart(sim_board_t *b, unsigned n, uint32_t baud);

/* A UART with no board (a model's end, e.g. a GPS module's port). */
sim_uart_t *sim_uart_new(sim_t *sim, const char *name, uint32_t baud);

ua_uart_t *sim_uart_hw(sim_uart_t *u);
void sim_uart_set_fifo(sim_uart_t *u, size_t rx_size, size_t tx_size);
uint32_t sim_uart_id(const sim_uart_t *u);

/* ns for `bits` bit times starting at the beginning of a burst. */
uint64_t sim_uart_bits_ns(const sim_uart_t *u, uint64_t bits);

/* Queue bytes onto this UART's RX line, starting at t_ns (or when the line
 * is free, whichever is later), back to back. */
void sim_uart_feed(sim_uart_t *u, uint64_t t_ns, const uint8_t *bytes,
                   size_t n);

/* Same with the contents of a file (e.g. an NMEA log).  Returns the number
 * of bytes queued or UA_EIO (see sim_last_error). */
long sim_uart_feed_file(sim_uart_t *u, uint64_t t_ns, const char *path);

/* Bytes queued on the RX line and not yet received. */
size_t sim_uart_rx_line_pending(const sim_uart_t *u);

/* Per received byte: flip one random data bit with probability p_flip, or
 * make a framing error (byte dropped, error counted) with p_frame. */
void sim_uart_set_noise(sim_uart_t *u, double p_flip, double p_frame);

/* Change the UART's baud rate (both directions), as a board does when it
 * follows its peer to a new rate: bytes already on the line keep the old
 * timing, the next ones take the new.  A connected peer left at another
 * rate receives framing errors, as on a real line.  UA_EINVAL for 0. */
int sim_uart_set_baud(sim_uart_t *u, uint32_t baud);

/* Send what this UART transmits to `to`'s RX line as well. */
void sim_uart_connect(sim_uart_t *from, sim_uart_t *to);

/* Model side: cb(arg, byte, t_ns) when a byte has arrived on this UART's RX
 * (instead of, or as well as, the FIFO that the board reads). */
typedef void (*sim_uart_rx_cb)(void *arg, uint8_t byte, uint64_t t_ns);
void sim_uart_on_rx(sim_uart_t *u, sim_uart_rx_cb cb, void *arg);

/* Everything this UART transmitted (completed bytes), and how much. */
const uint8_t *sim_uart_captured(const sim_uart_t *u, size_t *n);

/* Counters: bytes received into the FIFO, overruns, framing errors. */
uint32_t sim_uart_rx_count(const sim_uart_t *u);
uint32_t sim_uart_overruns(const sim_uart_t *u);
uint32_t sim_uart_framing_errors(const sim_uart_t *u);

/* --- I2C -------------------------------------------------------------------- */

/*
 * A slave model, owned by the caller (embed it in the model's struct).  All
 * handlers are optional and run synchronously inside the master's transfer
 * (at the bus time of the byte, sim_now()).  A handler may call
 * sim_i2c_stretch() to hold SCL low (a HTU21D measuring in hold mode).
 */
typedef struct sim_i2c_slave {
    uint8_t addr; /* 7-bit address */
    void *ctx;
    /* Address phase; is_read 0/1.  Return 0 to ACK, non-zero to NACK. */
    int (*on_start)(void *ctx, int is_read);
    /* A byte from the master.  Return 0 to ACK, non-zero to NACK. */
    int (*on_write)(void *ctx, uint8_t byte);
    /* The master reads a byte: return it. */
    uint8_t (*on_read)(void *ctx);
    /* STOP (also after a NACK). */
    void (*on_stop)(void *ctx);
    struct sim_i2c_slave *next; /* private */
} sim_i2c_slave_t;

/* I2C bus n of a board at clock_hz (100000 or 400000; created on first use). */
sim_i2c_t *sim_board_i2c(sim_board_t *b, unsigned n, uint32_t clock_hz);

ua_i2c_t *sim_i2c_hw(sim_i2c_t *bus);
uint32_t sim_i2c_id(const sim_i2c_t *bus);

/* Attach a slave model.  UA_EBUSY if the address is taken. */
int sim_i2c_attach(sim_i2c_t *bus, sim_i2c_slave_t *slave);

/* From a slave handler: stretch the clock by ns before the current byte's
 * acknowledge / data.  A stretch beyond the bus timeout fails the transfer
 * with UA_ETIMEDOUT. */
void sim_i2c_stretch(sim_i2c_t *bus, uint64_t ns);

/* Bus timeout for stuck buses and stretching (default 25 ms). */
void sim_i2c_set_timeout(sim_i2c_t *bus, uint64_t ns);

enum sim_i2c_fault {
    SIM_I2C_OK = 0,
    SIM_I2C_NACK_ADDR = 1, /* address not acknowledged: UA_ENODEV */
    SIM_I2C_NACK_DATA = 2, /* first written byte not acknowledged: UA_EIO */
    SIM_I2C_STUCK = 3      /* SDA held low: UA_ETIMEDOUT after the timeout */
};

/* Make the next `count` transfers fail with `fault` (count < 0: all). */
void sim_i2c_inject(sim_i2c_t *bus, int fault, int count);

/* Random address NACKs with probability p per transfer (from the PRNG). */
void sim_i2c_set_nack_prob(sim_i2c_t *bus, double p);

/* Transfers attempted, and failed. */
uint32_t sim_i2c_transfers(const sim_i2c_t *bus);
uint32_t sim_i2c_failures(const sim_i2c_t *bus);

#endif /* SIM_HW_H */
