/*
 * The hardware interface drivers use: GPIO pins, UARTs, I2C masters and
 * I2C slaves.
 *
 * Drivers in devices/ see hardware only through these handles, so the same
 * driver source builds for the simulator and for a board.  A handle is an
 * operations table plus a context pointer; the simulator (sim/) and each
 * board port (core/port/<target>/) fill them in.  Several boards can live
 * in one process because every handle carries its own context.
 *
 * Contexts.  Functions marked "any context" may be called from an interrupt
 * handler.  Interrupt callbacks registered here run in interrupt context:
 * they may read pins, record timestamps into the driver's own buffers and
 * set ISR flags (ua_flag_set), nothing else.
 *
 * Time.  Interrupt callbacks receive the tick (microseconds, as the loop's
 * port counts them) at which the edge or byte happened; on a board that is
 * the timer captured on interrupt entry, in the simulator the exact virtual
 * time of the edge.
 */
#ifndef UA_HW_H
#define UA_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ua_time.h"

/* --- GPIO ---------------------------------------------------------------- */

enum ua_pin_mode {
    UA_PIN_INPUT = 0,
    UA_PIN_INPUT_PULLUP = 1,
    UA_PIN_INPUT_PULLDOWN = 2,
    UA_PIN_OUTPUT = 3,     /* push-pull */
    UA_PIN_OPEN_DRAIN = 4  /* drives low, floats (pulled up) when written 1 */
};

enum ua_pin_edge {
    UA_EDGE_RISING = 1,
    UA_EDGE_FALLING = 2,
    UA_EDGE_BOTH = 3
};

/* Interrupt context: the pin now reads `level`, since tick `when`. */
typedef void (*ua_pin_irq_cb)(void *arg, int level, ua_ticks_t when);

typedef struct ua_pin ua_pin_t;

struct ua_pin_ops {
    int (*configure)(ua_pin_t *pin, enum ua_pin_mode mode);
    int (*read)(ua_pin_t *pin);
    void (*write)(ua_pin_t *pin, int level);
    /* edges 0 (or cb NULL) disables the interrupt. */
    int (*set_irq)(ua_pin_t *pin, unsigned edges, ua_pin_irq_cb cb, void *arg);
};

struct ua_pin {
    const struct ua_pin_ops *ops;
    void *ctx;
    uint32_t id; /* port-defined pin number, for traces and messages */
};

/* Task context. */
static inline int ua_pin_configure(ua_pin_t *p, enum ua_pin_mode mode)
{
    return p->ops->configure(p, mode);
}

/* Any context: 0 or 1. */
static inline int ua_pin_read(ua_pin_t *p)
{
    return p->ops->read(p);
}

/* Any context. */
static inline void ua_pin_write(ua_pin_t *p, int level)
{
    p->ops->write(p, level);
}

/* Task context. */
static inline int ua_pin_set_irq(ua_pin_t *p, unsigned edges, ua_pin_irq_cb cb,
                                 void *arg)
{
    return p->ops->set_irq(p, edges, cb, arg);
}

/* --- UART ---------------------------------------------------------------- */

enum ua_uart_event {
    UA_UART_EV_RX = 1,       /* at least one byte can be read */
    UA_UART_EV_TX_EMPTY = 2, /* the transmit buffer has drained */
    UA_UART_EV_ERROR = 4     /* a framing error or overrun was counted */
};

/* Interrupt context. */
typedef void (*ua_uart_irq_cb)(void *arg, unsigned events);

typedef struct ua_uart ua_uart_t;

struct ua_uart_ops {
    /* Non-blocking: copy up to n received bytes; returns how many. */
    size_t (*read)(ua_uart_t *u, uint8_t *buf, size_t n);
    /* Non-blocking: queue up to n bytes for sending; returns how many. */
    size_t (*write)(ua_uart_t *u, const uint8_t *buf, size_t n);
    size_t (*rx_available)(ua_uart_t *u);
    size_t (*tx_space)(ua_uart_t *u);
    /* events 0 (or cb NULL) disables the interrupt. */
    int (*set_irq)(ua_uart_t *u, unsigned events, ua_uart_irq_cb cb, void *arg);
    /* Framing errors and overruns since the last call (and reset them). */
    uint32_t (*take_errors)(ua_uart_t *u);
};

struct ua_uart {
    const struct ua_uart_ops *ops;
    void *ctx;
    uint32_t id;
};

static inline size_t ua_uart_read(ua_uart_t *u, uint8_t *buf, size_t n)
{
    return u->ops->read(u, buf, n);
}

static inline size_t ua_uart_write(ua_uart_t *u, const uint8_t *buf, size_t n)
{
    return u->ops->write(u, buf, n);
}

static inline size_t ua_uart_rx_available(ua_uart_t *u)
{
    return u->ops->rx_available(u);
}

static inline size_t ua_uart_tx_space(ua_uart_t *u)
{
    return u->ops->tx_space(u);
}

static inline int ua_uart_set_irq(ua_uart_t *u, unsigned events,
                                  ua_uart_irq_cb cb, void *arg)
{
    return u->ops->set_irq(u, events, cb, arg);
}

static inline uint32_t ua_uart_take_errors(ua_uart_t *u)
{
    return u->ops->take_errors(u);
}

/* --- I2C master ---------------------------------------------------------- */

typedef struct ua_i2c ua_i2c_t;

struct ua_i2c_ops {
    /*
     * One transaction, task context, blocking for the bus time: write wn
     * bytes of wr (if wn > 0), then -- with a repeated start -- read rn bytes
     * into rd (if rn > 0).  Returns 0, UA_ENODEV (address NACK), UA_EIO
     * (data NACK or arbitration lost) or UA_ETIMEDOUT (bus stuck, clock
     * stretched too long).
     */
    int (*transfer)(ua_i2c_t *bus, uint8_t addr, const uint8_t *wr, size_t wn,
                    uint8_t *rd, size_t rn);
};

struct ua_i2c {
    const struct ua_i2c_ops *ops;
    void *ctx;
    uint32_t id;
};

static inline int ua_i2c_transfer(ua_i2c_t *bus, uint8_t addr,
                                  const uint8_t *wr, size_t wn, uint8_t *rd,
                                  size_t rn)
{
    return bus->ops->transfer(bus, addr, wr, wn, rd, rn);
}

static inline int ua_i2c_write(ua_i2c_t *bus, uint8_t addr, const uint8_t *wr,
                               size_t wn)
{
    return bus->ops->transfer(bus, addr, wr, wn, NULL, 0);
}

static inline int ua_i2c_read(ua_i2c_t *bus, uint8_t addr, uint8_t *rd,
                              size_t rn)
{
    return bus->ops->transfer(bus, addr, NULL, 0, rd, rn);
}

/* --- I2C slave ------------------------------------------------------------ */

/*
 * A board's I2C peripheral in slave mode, answering a master at one 7-bit
 * address (the seed's pyb.I2C slave mode, used by the asi2c link).  The
 * peripheral calls the driver back in interrupt context, one call per
 * event, and never buffers anything itself: the driver owns its buffers,
 * serves each byte the master reads and stores each byte it writes.
 *
 * Order within one transaction: on_start once (after the address matched),
 * then on_rx per byte written or on_tx per byte read, then on_stop at the
 * STOP condition (also after a NACK).  A repeated start calls on_start
 * again.  Set ISR flags from on_stop (or later): the byte callbacks run
 * while the master holds the bus and must only store or fetch a byte.
 */
typedef struct ua_i2c_slave ua_i2c_slave_t;

typedef struct ua_i2c_slave_cbs {
    /* Address matched; is_read 1 if the master reads.  0 ACKs, else NACK. */
    int (*on_start)(void *arg, int is_read);
    /* A byte written by the master.  0 ACKs, non-zero NACKs. */
    int (*on_rx)(void *arg, uint8_t byte);
    /* The master reads a byte: return it. */
    uint8_t (*on_tx)(void *arg);
    /* STOP, at tick `when`. */
    void (*on_stop)(void *arg, ua_ticks_t when);
} ua_i2c_slave_cbs_t;

struct ua_i2c_slave_ops {
    /* Answer at `addr` (task context); cbs and arg must outlive the
     * listening.  UA_EBUSY if already listening at another address. */
    int (*listen)(ua_i2c_slave_t *s, uint8_t addr,
                  const ua_i2c_slave_cbs_t *cbs, void *arg);
    /* Stop answering: the address is NACKed from now on. */
    void (*unlisten)(ua_i2c_slave_t *s);
};

struct ua_i2c_slave {
    const struct ua_i2c_slave_ops *ops;
    void *ctx;
    uint32_t id;
};

static inline int ua_i2c_slave_listen(ua_i2c_slave_t *s, uint8_t addr,
                                      const ua_i2c_slave_cbs_t *cbs, void *arg)
{
    return s->ops->listen(s, addr, cbs, arg);
}

static inline void ua_i2c_slave_unlisten(ua_i2c_slave_t *s)
{
    s->ops->unlisten(s);
}

/* --- Busy waiting ---------------------------------------------------------- */

/*
 * Block the CPU for `us` microseconds (task context), through the current
 * loop's port: a calibrated spin on a board, CPU time charged to the running
 * task in the simulator.  For the short setup and hold times of bit-banged
 * protocols (an HD44780 enable pulse), not for waiting: await ua_sleep_us.
 */
void ua_delay_us(uint32_t us);

#endif /* UA_HW_H */
