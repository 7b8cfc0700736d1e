/*
 * syncom_pair: firmware for one end of a syncom link (devices/syncom) that
 * exchanges numbered messages with the board at the other end.  The same
 * firmware runs on both boards; only `active` differs.
 *
 * Messages.  Message n (n = 1, 2, ...) is "<n>:" followed by filler
 * letters up to `payload` bytes (numbered_format in apps/numbered.h), so the receiver can
 * check both its number and every byte.  The sender sends count messages
 * one after the other; a send that fails (timeout, link down) is retried
 * with the same number, so nothing is skipped.
 *
 * Delivery, seen by the application.  The receiver keeps the number of
 * the last message it delivered: n == last + 1 is delivered ("got"),
 * n <= last is a copy it already has and is dropped ("dup" -- the link
 * resent a message whose delivery it could not confirm), anything else
 * is a gap ("gap": a message was lost) and a message whose bytes are not
 * what its number says is "corrupt".  The scenarios assert that there is
 * no gap and nothing corrupt, and that every message reported "sent" was
 * delivered once.
 *
 * Reset.  syncom_pair_app_stop() is what a reset does to the firmware:
 * the link and both tasks stop.  syncom_pair_app_start() on the same
 * struct boots it again.  The two message numbers (last sent and
 * confirmed, last delivered) are the firmware's persistent state -- on a
 * board they would live in battery-backed RAM or flash -- and survive;
 * everything else starts afresh.  After a reset the sender resends from
 * the last confirmed message + 1.
 *
 * Events reported through app_notify: "sent" (a = n) when syncom_send
 * returned 0, i.e. the peer's application has collected it; "send_err" (a = n, b = status);
 * "got" (a = n, b = length); "dup" and "gap" (a = n, b = last delivered);
 * "corrupt" (a = n, b = length); "recv_err" (a = status); "boot" (a =
 * boots so far) at every start.
 *
 * Firmware only: it uses core/ and devices/; apps/syncom_pair/
 * syncom_pair_sim.c builds the two simulated boards and the wires.
 */
#ifndef SYNCOM_PAIR_APP_H
#define SYNCOM_PAIR_APP_H

#include "app_notify.h"
#include "numbered.h"
#include "syncom.h"

typedef struct syncom_pair_hw {
    ua_pin_t *ckout, *ckin, *dout, *din;
    ua_pin_t *reset; /* optional: drives the peer's reset (active low) */
} syncom_pair_hw_t;

typedef struct syncom_pair_config {
    bool active;              /* the side that starts the clock */
    uint16_t link_timeout_ms; /* syncom's T (0: 50) */
    uint32_t count;           /* messages to send (0: receive only) */
    uint32_t payload;         /* bytes per message, 1..SYNCOM_MAX_MSG */
    int32_t send_timeout_ms;  /* per syncom_send */
} syncom_pair_config_t;

#define SYNCOM_PAIR_CONFIG_DEFAULT {true, 50, 10, 20, 5000}

typedef struct syncom_pair_task {
    ua_task_t task;
    ua_co_t co;
    struct syncom_pair_app *app;
    uint8_t buf[SYNCOM_MAX_MSG];
    size_t len;
    int st;
} syncom_pair_task_t;

typedef struct syncom_pair_app {
    syncom_pair_config_t cfg;
    app_notify_t notify;
    syncom_t link;
    syncom_pair_task_t tx, rx;
    /* persistent across a reset (see above) */
    uint32_t acked;     /* last message confirmed delivered */
    numbered_rx_t inbox;  /* what arrived: last_got, got, dups, gaps, corrupt */
    /* counters, also kept across resets */
    uint32_t boots, send_errors, recv_errors;
} syncom_pair_app_t;

/* Boot: start the link and the sender and receiver tasks on `loop`.  The
 * first call must find *app zeroed.  0 or the first failing status. */
int syncom_pair_app_start(syncom_pair_app_t *app, ua_loop_t *loop,
                          const syncom_pair_hw_t *hw,
                          const syncom_pair_config_t *cfg,
                          app_notify_t notify);

/* Reset: stop the link (outputs low) and cancel both tasks. */
void syncom_pair_app_stop(syncom_pair_app_t *app);

#endif /* SYNCOM_PAIR_APP_H */
