/*
 * asi2c_pair: firmware for one end of an asi2c link (devices/asi2c) that
 * streams numbered records to the board at the other end.  The same
 * firmware runs on both boards: the Initiator (the I2C slave, it drives
 * syn and may reset its peer) and the Responder (the I2C master, it
 * drives ack).
 *
 * Records.  Record n (n = 1, 2, ...) is "<n>:" followed by filler letters
 * up to `payload` bytes (numbered_format in apps/numbered.h).  asi2c carries bytes, not
 * records, but one write goes in one frame and a frame is read whole (the
 * receive side holds the sender off until it was read), so a read of
 * ASI2C_RXBUF bytes returns exactly one record.
 *
 * Sent, seen by the application.  asi2c_write returns once the record is
 * queued, when the previous one has been sent -- consumed by the peer's
 * reader, which the peer's next header says; so record n is known sent
 * when the write of n + 1 returns ("sent" n), and the last one when
 * asi2c_flush returns.  A write that fails is retried with the same
 * record.  The receiver sorts what it reads exactly as syncom_pair does:
 * n == last + 1 is delivered ("got"), n <= last is a copy and dropped
 * ("dup"), a jump is a "gap", wrong bytes are "corrupt".
 *
 * Reset.  asi2c_pair_app_stop() is what a reset does to the firmware;
 * asi2c_pair_app_start() on the same struct boots it again.  The last
 * record known sent and the last delivered are persistent (battery-backed
 * RAM or flash on a board); after a reset the writer resumes with the
 * record after the last one known sent -- the one that was queued may
 * have arrived, and the peer then drops the copy.
 *
 * Events reported through app_notify: "queued" (a = n), "sent" (a = n),
 * "write_err" (a = n, b = status), "got" (a = n, b = length), "dup" and
 * "gap" (a = n, b = last delivered), "corrupt" (a = n, b = length), "boot"
 * (a = boots so far).
 *
 * Firmware only: it uses core/ and devices/; apps/asi2c_pair/
 * asi2c_pair_sim.c builds the two simulated boards, the bus and the wires.
 */
#ifndef ASI2C_PAIR_APP_H
#define ASI2C_PAIR_APP_H

#include "app_notify.h"
#include "numbered.h"
#include "asi2c.h"

typedef struct asi2c_pair_hw {
    ua_pin_t *own, *peer; /* syn and ack, or ack and syn */
    ua_pin_t *reset;      /* Initiator, optional: the Responder's reset */
    ua_i2c_slave_t *slave; /* Initiator */
    ua_i2c_t *master;      /* Responder */
} asi2c_pair_hw_t;

typedef struct asi2c_pair_config {
    bool initiator;
    uint16_t t_poll_ms;       /* Initiator: 0 for ASI2C_T_POLL_MS */
    uint32_t count;           /* records to write (0: read only) */
    uint32_t payload;         /* bytes per record, 1..ASI2C_RXBUF */
    int32_t write_timeout_ms; /* per asi2c_write / asi2c_flush */
} asi2c_pair_config_t;

#define ASI2C_PAIR_CONFIG_DEFAULT {true, 0, 10, 50, 30000}

typedef struct asi2c_pair_task {
    ua_task_t task;
    ua_co_t co;
    struct asi2c_pair_app *app;
    uint8_t buf[ASI2C_RXBUF];
    size_t len;
    uint32_t n; /* writer: the record being written */
    int st;
} asi2c_pair_task_t;

typedef struct asi2c_pair_app {
    asi2c_pair_config_t cfg;
    app_notify_t notify;
    asi2c_t link;
    asi2c_pair_task_t wr, rd;
    uint32_t queued; /* record in the link's buffer since this boot, or 0 */
    /* persistent across a reset (see above) */
    uint32_t sent;     /* last record known sent */
    numbered_rx_t inbox;  /* what arrived: last_got, got, dups, gaps, corrupt */
    /* counters, also kept across resets */
    uint32_t boots, write_errors, read_errors;
} asi2c_pair_app_t;

/* Boot: start the link end and the writer and reader tasks on `loop`.  The
 * first call must find *app zeroed.  0 or the first failing status. */
int asi2c_pair_app_start(asi2c_pair_app_t *app, ua_loop_t *loop,
                         const asi2c_pair_hw_t *hw,
                         const asi2c_pair_config_t *cfg, app_notify_t notify);

/* Reset: stop the link end and cancel both tasks. */
void asi2c_pair_app_stop(asi2c_pair_app_t *app);

#endif /* ASI2C_PAIR_APP_H */
