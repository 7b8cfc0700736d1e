/*
 * asi2c: a byte stream between two boards over I2C plus two handshake
 * wires (the seed's i2c/asi2c.py and asi2c_i.py).
 *
 * The Initiator is the board whose I2C peripheral runs in slave mode; it
 * drives the `syn` wire.  The Responder is the I2C master; it drives `ack`.
 * Each end also reads the other's wire (input with pull-up), and the
 * Initiator may drive the Responder's reset line.
 *
 * Start.  Each side drives its own wire low and waits (polling every
 * 100 ms) until the other's is low too; the Initiator then waits 1 s and
 * starts exchanging, one exchange every t_poll ms (100 by default).
 *
 * One exchange.  The Initiator loads its frame -- a 2-byte header and,
 * if the rules below allow, its pending payload -- and toggles syn.  The
 * Responder, woken by the edge, reads the header (2-byte read), then the
 * whole frame (2 + len bytes) if len > 0, commits the payload to its
 * receive buffer, yields once (so that its reader can take the payload
 * and its writer queue the next, both reported in its own header), writes
 * its own frame and toggles ack to match syn.  The Initiator treats the
 * exchange as done when ack matches syn *and* the Responder's frame has
 * arrived complete; only then does it take the frame.  A NACKed transfer
 * is retried up to three times; a Responder that cannot finish does not
 * toggle ack.
 *
 * Header.  Byte 0: len & 0xff.  Byte 1: bit 7 HOLD ("my receive buffer
 * still holds unread data: send nothing", the flow control), bit 6 HAVE
 * (I have accepted a payload since my driver started) and bit 5 LAST (its
 * sequence bit): the receiver's status; bit 4 SEQ, the sequence bit of
 * the payload in this frame; bits 0-3 len >> 8.
 *
 * Delivery.  A payload counts as sent -- the next write may start, a
 * flush returns -- only when the peer's header says it accepted the
 * payload's sequence bit (HAVE, LAST) *and* its reader has taken all of
 * it (no HOLD): "sent" means consumed by the peer's application, so a
 * reset of the peer after that cannot lose it.  The sender gives a
 * payload the sequence bit after the peer's LAST (0 after none), puts it
 * in a frame only when the peer does not hold off and does not already
 * have it, and -- the Initiator -- not before it has a header from the
 * Responder since the last resync.  A receiver drops a payload whose
 * sequence bit is its LAST (a copy sent again after a failed exchange).
 * A peer that reset says HAVE = 0 and gets the payload again.  What no
 * link can cover without memory that survives a reset: a board that
 * resets after its reader took a payload but before its next header
 * said so, or a writer that resets before it heard the peer's status
 * and writes the payload again -- the peer's reader gets a copy (at least
 * once, never lost), so applications number their records.
 *
 * Failure.  If ack does not follow within 1 s, the Initiator counts the
 * Responder as failed (nboots + 1), pulses the reset line if it has one
 * (low for reset_ms), and starts again from the wire check.  Its unsent
 * payload stays and goes again after the resync.  Without a reset line it
 * keeps trying, and a write that cannot complete times out.
 *
 * Hooks (the seed's Initiator arguments cr_go/go_args, cr_fail/f_args,
 * and its ready() and reboot()).  The Initiator spawns cfg.go_task, a task
 * the application initialised (ua_task_init), each time the link comes up
 * -- after the wire check at start and after every resync -- unless it is
 * still running from the last time.  Each time the Responder failed it
 * spawns cfg.fail_task and awaits it before the reset pulse (so the
 * application can, say, log and drop its queue); a fail task still running
 * (a join cannot apply) is awaited the same way.  The arguments are the
 * task's own fields (UA_CONTAINER_OF), which replaces the seed's tuples.
 * asi2c_ready() waits until the link is up: for the Initiator from the end
 * of its wire check (the seed's synchronised) until a failure, for the
 * Responder from its first complete exchange until one fails.
 * asi2c_reboot() (Initiator with a reset wire) asks the driver to pulse the
 * reset and resync -- at its next poll, within t_poll -- and waits until
 * the link is up again; it counts a boot (nboots) but is not a failure:
 * the fail task does not run.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  asi2c_init
 * configures the struct for one role (ASI2C_INITIATOR or
 * ASI2C_RESPONDER) and touches nothing else: no pin, no interrupt, no
 * flag.  asi2c_start drives its own wire high, configures the peer's wire
 * and its interrupt, registers the ISR flag, listens on the I2C slave
 * (Initiator) and spawns the link task; the wire check follows.
 * asi2c_stop undoes all of it: from its return no interrupt of the driver
 * is on, its flag is not registered, the I2C slave does not listen, its
 * own wire is driven high (the seed's close), and every waiter --
 * asi2c_read, asi2c_write, asi2c_flush, asi2c_ready, asi2c_reboot -- gets
 * ASI2C_ESTOPPED (at the loop's next pass); a first call on a stopped
 * link gets it at once (a read still returns bytes received before the
 * stop).  The hook tasks (go_task, fail_task) are the application's: the
 * driver never cancels them, at a stop either.  asi2c_start may follow
 * at once: the link task, still finishing its cancellation, serves the
 * new start.  A start after a stop keeps what the link carries -- the
 * pending write, the unread bytes, both sequence bits, the counters -- so
 * that a payload is neither lost nor delivered twice across the restart;
 * asi2c_init forgets all of it (what a reboot of the board does).  The
 * struct must be zeroed before its first asi2c_init (static storage, or
 * `= {0}`), so that init can tell a stopping task from garbage; its
 * memory may be reused once asi2c_stopped() is true.
 *
 * Limits.  A write is at most ASI2C_RXBUF bytes (the receive buffer of
 * the other end, the same build constant): longer writes fail with
 * ASI2C_ETOOBIG, as the seed's "Receive data too large for buffer".  One
 * write is in flight at a time: a second waits until the first was sent
 * (the seed's awrite).  Bytes are raw (the seed's text mode is the
 * caller's business).
 */
#ifndef ASI2C_H
#define ASI2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ua.h"

#define ASI2C_RXBUF 200       /* seed: rxbufsize = 200 */
#define ASI2C_ADDR 0x12       /* seed: Responder.addr */
#define ASI2C_T_POLL_MS 100   /* seed: Initiator.t_poll */
#define ASI2C_TIMEOUT_MS 1000 /* handshake timeout (seed: waitfor 1 s) */
#define ASI2C_HOLD 0x80u      /* header byte 1: unread data, send nothing */
#define ASI2C_HAVE 0x40u      /* header byte 1: accepted a payload ... */
#define ASI2C_LAST 0x20u      /* ... whose sequence bit was this */
#define ASI2C_SEQ 0x10u       /* header byte 1: this payload's sequence bit */
#define ASI2C_LEN_HI 0x0Fu    /* header byte 1: len >> 8 */

/* Error codes: the ASI2C_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_ASI2C): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

typedef struct asi2c_cfg {
    ua_pin_t *own;   /* syn on the Initiator, ack on the Responder */
    ua_pin_t *peer;  /* the other one */
    ua_pin_t *reset; /* Initiator only, optional: the Responder's reset */
    int reset_level; /* level that resets (seed example: 0) */
    uint16_t reset_ms; /* 0: 200 */
    uint16_t t_poll_ms; /* Initiator; 0: ASI2C_T_POLL_MS */
    ua_i2c_slave_t *slave; /* Initiator */
    ua_i2c_t *master;      /* Responder */
    uint8_t addr;          /* 0: ASI2C_ADDR */
    ua_task_t *go_task;    /* Initiator, optional: spawned when the link
                              comes up (see Hooks) */
    ua_task_t *fail_task;  /* Initiator, optional: spawned and awaited when
                              the Responder failed */
} asi2c_cfg_t;

enum asi2c_role { ASI2C_INITIATOR = 1, ASI2C_RESPONDER = 2 };

typedef struct asi2c {
    ua_task_t task; /* the link task (private) */
    ua_co_t co;
    ua_co_t run_co; /* the role's protocol, one run per start */
    /* Lifecycle (private); asi2c_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t task_up; /* the task has run since its spawn */
    asi2c_cfg_t cfg;
    ua_loop_t *loop;
    bool initiator;
    ua_flag_t flag; /* peer wire edges, and (Initiator) I2C stops */
    uint8_t level;  /* our wire */
    uint8_t i;      /* retry counter */
    uint8_t synced; /* wires checked, exchanges running */
    uint8_t stalled; /* Responder: wait for an edge before trying again */
    volatile uint8_t in_exchange, last_was_write;
    ua_ticks_t t0;
    int st;
    /* transmit: what the application wrote, and the frame on the wire */
    uint8_t tx[ASI2C_RXBUF];
    size_t tx_len;      /* pending payload: written, not yet consumed */
    size_t tx_inflight; /* bytes of it in the current frame */
    uint8_t tx_seq;     /* its sequence bit, once it went out */
    uint8_t tx_onwire;  /* it went out in a frame since it was written */
    uint8_t peer_known; /* a header from the peer since start / resync */
    uint8_t peer_last;  /* the peer's LAST (0xFF: none) */
    uint8_t frame[2 + ASI2C_RXBUF];
    size_t frame_len, frame_pos;
    uint8_t peer_hold;
    /* receive: committed data not yet read, and the staging area */
    uint8_t rx[ASI2C_RXBUF];
    size_t rx_len, rx_pos;
    uint8_t rx_last;    /* sequence bit of the last accepted payload, 0xFF */
    uint8_t stage[2 + ASI2C_RXBUF];
    volatile size_t stage_len;
    volatile uint8_t stage_done, stage_bad;
    ua_event_t rx_ready, tx_free;
    ua_task_t *rd_owner, *wr_owner, *rb_owner;
    ua_co_t rd_co, wr_co, rb_co;
    ua_event_t up;            /* the link is up (asi2c_ready) */
    volatile uint8_t reboot_req; /* asi2c_reboot asked for a reset */
    /* statistics (seed names) */
    uint32_t nboots;
    uint32_t exchanges, bytes_sent, bytes_received, i2c_errors, proto_errors;
    uint32_t duplicates; /* payloads received again and dropped */
    uint32_t go_starts, fail_runs; /* hook tasks spawned */
    uint32_t block_max, block_sum, block_cnt; /* us the exchange took */
} asi2c_t;

/* --- Application ------------------------------------------------------- */

/*
 * Configure `c` as the Initiator (I2C slave: cfg->slave, own = syn) or
 * the Responder (I2C master: cfg->master, own = ack).  Copies *cfg.  No
 * side effect (see Lifecycle).  UA_EINVAL for an unknown role or a
 * missing pin or I2C port of that role, UA_EBUSY if started.
 */
int asi2c_init(asi2c_t *c, const asi2c_cfg_t *cfg, enum asi2c_role role);

/*
 * Configure the wires, register the interrupt and the ISR flag, listen
 * (Initiator) and spawn the link task on `loop`.  0; UA_EBUSY if
 * started; UA_EINVAL if never initialised or loop is NULL; the I2C
 * slave's error if it cannot listen (nothing is left registered).
 */
int asi2c_start(asi2c_t *c, ua_loop_t *loop);

/* Stop the link: interrupt, flag and listener off, own wire driven high
 * (the seed's close), every waiter failed with ASI2C_ESTOPPED (see
 * Lifecycle).  Idempotent. */
void asi2c_stop(asi2c_t *c);

/* True once stopped and the link task has finished: the memory may be
 * reused. */
bool asi2c_stopped(const asi2c_t *c);

/* --- Awaitables ------------------------------------------------------------- */

/* Wait until the previous write was sent (consumed by the peer's reader:
 * see "Delivery"), then queue n bytes (1..RXBUF).  Returns 0 once queued;
 * UA_ETIMEDOUT if the link stayed busy, ASI2C_ENOPEER if it was not even
 * synchronised, ASI2C_ESTOPPED if the link is or was stopped. */
int asi2c_write(ua_task_t *self, asi2c_t *c, const uint8_t *buf, size_t n,
                int32_t timeout_ms);

/* Wait until the previous write was sent, i.e. consumed (drain).  The
 * errors of asi2c_write. */
int asi2c_flush(ua_task_t *self, asi2c_t *c, int32_t timeout_ms);

/* Wait for received bytes and copy up to cap of them; *got how many.
 * UA_ETIMEDOUT, or ASI2C_ESTOPPED once stopped and nothing is left. */
int asi2c_read(ua_task_t *self, asi2c_t *c, uint8_t *buf, size_t cap,
               size_t *got, int32_t timeout_ms);

/* Wait until the link is up (see Hooks); 0, UA_ETIMEDOUT or
 * ASI2C_ESTOPPED. */
int asi2c_ready(ua_task_t *self, asi2c_t *c, int32_t timeout_ms);

/* Initiator with a reset wire: reset the Responder, resync, and wait until
 * the link is up again (see Hooks).  0; UA_ETIMEDOUT; UA_EINVAL on a
 * Responder or without a reset wire; ASI2C_EBUSY while another task
 * reboots; ASI2C_ESTOPPED. */
int asi2c_reboot(ua_task_t *self, asi2c_t *c, int32_t timeout_ms);

#endif /* ASI2C_H */
