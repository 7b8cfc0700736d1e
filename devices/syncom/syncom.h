/*
 * syncom: a message link between two boards over four GPIO wires, bit-banged
 * (the seed's syncom_as).  No UART, no timer: each side only needs two input
 * pins with edge interrupts (ckin, din) and two outputs (ckout, dout);
 * ckout/ckin and dout/din are crossed between the boards.  An optional
 * fifth wire lets the active side reset its peer.
 *
 * Clocking.  The active side (initiator) and the passive side each drive
 * one clock line.  The active side acts when the peer's clock equals its
 * own, the passive side when it differs; acting means: sample din, put the
 * next bit on dout, then change ckout.  Exactly one side can act at any
 * time, so the link never deadlocks, and each pair of actions moves one
 * bit each way (full duplex).  The line runs continuously; idle sends 0s.
 *
 * Characters.  7 bits, LSB first.  After every (re)start each side sends
 * the sync character 0x9D as 8 bits, found by the receiver in a sliding
 * 8-bit window, then its status (below), then 7-bit characters.  0 is
 * idle and ends a message.
 *
 * Messages.  The caller serialises; a message is 1..SYNCOM_MAX_MSG bytes,
 * each in 1..127 (anything else is refused with SYNCOM_EBYTE: 0 is the
 * terminator and 7 bits is the character size; encode wider data, e.g. as
 * hex or base64, before sending).  On the wire a message is a header
 * (0x50 | sequence bit), the bytes, two check characters (a sum and a
 * position-weighted sum, mod 127, plus 1) and the 0.  A receiver that sees
 * a bad check, a bad header or no sync restarts the link rather than risk
 * delivering a wrong message or staying misaligned.
 *
 * Status.  Each receiver keeps L, the sequence bit of the last message it
 * accepted (none since its driver started), and whether the application
 * has collected that message (C).  It tells the peer with a status frame:
 * 0x60 | C << 2 | L (L = 2 for none, always with C), then the same
 * character XOR 0x7F, so that no single damaged bit and no misaligned
 * sync character can forge one.  A status goes out after the sync
 * character, as soon as the application collects a message (the
 * acknowledgement), when a message it already has comes again, and every
 * SYNCOM_STATUS_EVERY idle characters (so a status lost to noise costs a
 * delay, never a hang).
 *
 * Delivery.  syncom_send returns 0 only when the peer's status says it
 * has accepted the message's sequence bit *and its application has
 * collected it* (syncom_recv returned it): "delivered" means consumed, so
 * a reset of either board after that cannot lose it.  The sender picks
 * the sequence bit from the peer's status (the one after L), starts a
 * message only once the peer has collected the previous one (one message
 * in flight each way: the flow control), and never before it has the
 * peer's status since the last restart.  A peer that rebooted says L =
 * none and cannot complete or acknowledge a message it never had.  If the
 * link restarts before the acknowledgement, the status after the resync
 * decides: the peer has it and collected it (delivered), has it (wait),
 * or has not (sent again, same sequence bit; a copy is dropped and
 * acknowledged again).  A send that is withdrawn (timeout, cancel,
 * stop) after its message went on the wire restarts the link, so that the next
 * message's sequence bit comes from a status sent after the peer has seen
 * everything; the withdrawn message may or may not have arrived.
 * What no link can cover without memory that survives a reset: a
 * receiving board that reboots after its application collected a message
 * but before its status left, or a sending board that reboots before it
 * heard the acknowledgement, and whose application then sends the
 * message again -- the peer's application gets a copy (at least once,
 * never lost), so applications number their messages.
 *
 * Failure and resynchronisation.  With T = timeout_ms: a side that waits
 * more than T for the peer's clock (4T for the active side's first bit;
 * the passive side waits for the first bit forever) counts a timeout,
 * drives its pins low, pulses the reset wire if it has one (100 ms), stays
 * quiet for 2T, and starts again from the sync character.  The quiet time
 * makes the other side time out too, so both restart cleanly whichever of
 * them failed.  The clock is held where it was during the quiet time
 * and dropped only at its end, so the restart is not taken for an answer.
 * The seed's pickle/json is not here: serialisation is the
 * caller's.
 *
 * Hooks (the seed's any() and start(user_task)).  syncom_any() says how
 * many received messages wait to be collected: 0 or 1, as one message is
 * held at a time (the flow control).  cfg.user_task, a task the
 * application initialised (ua_task_init), is spawned each time the link
 * comes up -- the first status from the peer after a (re)start -- unless
 * it is still running from the last time; the driver never cancels it
 * (its sends and receives wait or time out while the link is down), at a
 * stop either.
 *
 * Lifecycle (the one of every driver, see ua_driver.h).  syncom_init
 * configures the struct and touches nothing else: no pin, no interrupt,
 * no flag.  syncom_start configures the pins (outputs low), registers the
 * ISR flag and the ckin interrupt and spawns the link task, which begins
 * with the sync character at once (no quiet time: that is for restarts
 * after a failure).  syncom_stop undoes all of it: from its return the
 * interrupt is off, the flag is not registered, the outputs are low, and
 * every waiter -- syncom_send, syncom_recv -- gets SYNCOM_ESTOPPED (at the
 * loop's next pass); a first call on a stopped link gets it at once (a
 * receive still takes a message that arrived before the stop).  The peer
 * sees the clock stop, times out and restarts as after any failure.
 * syncom_start may follow at once: the link task, still finishing its
 * cancellation, serves the new start.  A start after a stop keeps what
 * the link carries -- the message not collected yet, both sequence bits,
 * the counters -- so that a message is neither lost nor delivered twice
 * across the restart; syncom_init forgets all of it (what a reboot of the
 * board does).  The struct must be zeroed before its first syncom_init
 * (static storage, or `= {0}`), so that init can tell a stopping task from
 * garbage; its memory may be reused once syncom_stopped() is true.
 */
#ifndef SYNCOM_H
#define SYNCOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ua.h"

#define SYNCOM_MAX_MSG 120   /* payload bytes per message */
#define SYNCOM_SYN 0x9D
#define SYNCOM_RESET_MS 100  /* reset pulse (seed: 100 ms) */
#define SYNCOM_STATUS_EVERY 16 /* idle characters between repeated statuses */

/* Error codes: the SYNCOM_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_SYNCOM): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

typedef struct syncom_cfg {
    ua_pin_t *ckin, *ckout, *din, *dout;
    ua_pin_t *reset;      /* optional: drives the peer's reset (active low) */
    bool active;          /* the initiator: starts the clock */
    uint16_t timeout_ms;  /* T; 0 means 50 */
    ua_task_t *user_task; /* optional: spawned when the link comes up */
} syncom_cfg_t;

typedef struct syncom {
    ua_task_t task; /* the link: one step per bit (private) */
    ua_co_t co;
    ua_co_t run_co; /* the link's run, one per start */
    /* Lifecycle (private); syncom_init keeps these and clears the rest. */
    uint8_t state;   /* stopped or started */
    uint8_t task_up; /* the task has run since its spawn */
    syncom_cfg_t cfg;
    ua_flag_t ck_flag;
    ua_loop_t *loop;
    uint8_t ck;       /* our clock level */
    uint8_t link_up;  /* peer's status received since the last restart */
    uint8_t restart;  /* force a restart at the next bit (withdrawn send) */
    uint8_t quiet;    /* the run restarts after a failure: quiet first */
    uint32_t step;    /* bits since the last restart */
    /* transmit */
    uint16_t tx_sr;
    uint8_t tx_nbits, tx_phase, tx_state, tx_seq;
    uint8_t tx_onwire;  /* the message (tx_seq) went out since it was queued */
    uint8_t tx_c1, tx_c2;
    uint8_t tx_st2;     /* second character of a status being sent, or 0 */
    uint8_t tx_st_due;  /* send our status at the next character */
    uint8_t tx_idle;    /* idle characters since our last status */
    uint8_t peer_last, peer_taken; /* the peer's status: L (0xFF none), C */
    size_t tx_idx, tx_len;
    const uint8_t *tx_msg;
    ua_task_t *tx_owner;
    ua_co_t tx_co;
    ua_event_t tx_done;
    /* receive */
    uint8_t rx_state, rx_win, rx_ch, rx_nb, rx_hunt, rx_st1;
    uint8_t rx_last_seq; /* L: last accepted sequence bit, 0xFF none */
    uint8_t rx_full;     /* msg holds L, not collected yet (C = !rx_full) */
    size_t rx_len, msg_len;
    uint8_t rx_asm[SYNCOM_MAX_MSG + 3];
    uint8_t msg[SYNCOM_MAX_MSG];
    ua_task_t *rx_owner;
    ua_co_t rx_co;
    ua_event_t rx_ready;
    int rx_status;
    /* counters */
    uint32_t sent, received, restarts, timeouts, rx_errors, duplicates,
        overruns, nboots;
    uint32_t user_starts; /* user_task spawned */
} syncom_t;

/* --- Application ------------------------------------------------------- */

/* Configure `s` (copies *cfg).  No side effect (see Lifecycle).
 * UA_EINVAL for a missing pin, UA_EBUSY if started. */
int syncom_init(syncom_t *s, const syncom_cfg_t *cfg);

/* Configure the pins, register the flag and the ckin interrupt and spawn
 * the link task on `loop`.  0; UA_EBUSY if started; UA_EINVAL if never
 * initialised or loop is NULL; the pin's error if ckin has no interrupt
 * (nothing is left registered). */
int syncom_start(syncom_t *s, ua_loop_t *loop);

/* Stop the link: interrupt and flag off, outputs driven low, every waiter
 * failed with SYNCOM_ESTOPPED (see Lifecycle).  Idempotent. */
void syncom_stop(syncom_t *s);

/* True once stopped and the link task has finished: the memory may be
 * reused. */
bool syncom_stopped(const syncom_t *s);

/* Whether the link is synchronised now. */
bool syncom_running(const syncom_t *s);

/* Received messages not collected yet (0 or 1; the seed's any()). */
size_t syncom_any(const syncom_t *s);

/* --- Awaitables ------------------------------------------------------------- */

/*
 * Send n bytes (see "Messages" above).  Returns 0 once delivered, i.e.
 * the peer's application has collected it (see "Delivery"),
 * SYNCOM_EBYTE / SYNCOM_ETOOLONG at once for a bad message, and after
 * timeout_ms UA_ETIMEDOUT, or SYNCOM_ENOPEER if the link was down;
 * SYNCOM_ESTOPPED if the link is or was stopped.  A send
 * withdrawn part-way restarts the link so the receiver drops the part.
 * buf must stay valid until the send returns.
 */
int syncom_send(ua_task_t *self, syncom_t *s, const uint8_t *buf, size_t n,
                int32_t timeout_ms);

/*
 * Wait for a message and copy it into buf (cap bytes); *len its length.
 * Taking it is what acknowledges it to the sender.  SYNCOM_ETOOLONG if
 * cap is too small (the message stays, unacknowledged, for a retry),
 * UA_ETIMEDOUT after timeout_ms, SYNCOM_ESTOPPED once stopped and no
 * message is left.  The sender waits for the collection
 * before it sends again, so a slow reader holds the peer off instead of
 * losing messages.
 */
int syncom_recv(ua_task_t *self, syncom_t *s, uint8_t *buf, size_t cap,
                size_t *len, int32_t timeout_ms);

#endif /* SYNCOM_H */
