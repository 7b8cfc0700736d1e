/*
 * Stream I/O over a UART: awaitable reads and writes (V2's StreamReader and
 * StreamWriter, with the fast_io fixes).
 *
 * A stream_t wraps one ua_uart_t.  The UART interrupt sets one of two ISR
 * flags -- one for "bytes arrived", one for "transmitter drained" -- so a
 * task reading and another writing never wait on each other (the fast_io
 * fix for bidirectional devices: V2 kept one poll registration per stream
 * and a writer could hide a reader's readiness).  Because the flags are ISR
 * flags, the tasks they wake go through the loop's I/O-priority lane when
 * ua_loop_set_io_priority(loop, true) is on: a reader then runs after at
 * most one other task's step instead of a whole scheduling pass.
 *
 * One reader and one writer at a time.  Each direction keeps its resume
 * point inside the stream (no heap, no frame for the caller to carry), so
 * two tasks awaiting reads on the same stream get STREAM_EBUSY.  The
 * arguments of an awaitable are recorded at its first call; the caller
 * passes the same expression again on each resume, as UA_AWAIT does.
 *
 * Counts are returned through an out parameter, never as the return value,
 * because a positive return would read as UA_PENDING.  On an error or a
 * timeout the out parameter still says how many bytes were transferred, so
 * nothing received is lost.
 *
 * Writing.  stream_write returns once the UART's transmit FIFO has taken
 * every byte; stream_drain returns once the last byte has left the wire.
 * The UART interface only signals "transmitter empty", so a write longer
 * than the FIFO refills it each time it drains.
 *
 *     UA_AWAIT(stream_readline(self, &st, f->line, sizeof f->line, &f->n,
 *                              UA_FOREVER));
 *     UA_AWAIT(stream_write(self, &st, f->line, f->n, 100));
 *
 * Lifecycle (the one of every driver, see ua_driver.h; the stream has no
 * task of its own).  stream_init configures the struct and touches
 * nothing; stream_start registers the two ISR flags and takes the UART's
 * interrupt; stream_stop releases both and fails a reader and a writer in
 * progress with STREAM_ESTOPPED (at the loop's next pass), as any call
 * while stopped; stream_start may follow at once.  The struct must be
 * zeroed before its first stream_init (static storage, or `= {0}`).
 */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "ua.h"

/* Error codes: the STREAM_* entries of UA_ERR_DRIVER_MAP in ua_err.h
 * (module UA_MOD_STREAM): one table for the whole project, so no two codes
 * collide and ua_err_name() names each. */

/* One direction's awaitable state (internal). */
typedef struct stream_op {
    ua_co_t co;
    ua_task_t *owner;
    uint8_t *buf;
    size_t want, done;
    int32_t timeout_us; /* < 0: none */
    ua_ticks_t deadline;
    uint8_t mode;
} stream_op_t;

typedef struct stream {
    /* Kept by stream_init: an operation failed by a stop may not have
     * run its cleanup yet. */
    stream_op_t rd, wr;
    uint8_t open; /* started */
    ua_uart_t *uart;
    ua_flag_t rx_flag;
    ua_flag_t tx_flag;
    volatile uint8_t tx_busy; /* bytes queued since the last TX-empty */
    uint8_t skip_line; /* discarding the rest of a too-long line */
    /* Counters. */
    uint32_t rx_bytes, tx_bytes;
    uint32_t uart_errors; /* framing errors and overruns reported */
    uint32_t long_lines;  /* STREAM_ELINE returned */
} stream_t;

/* --- Application ------------------------------------------------------- */

/* Configure `s` for `uart`; nothing registered.  UA_EINVAL for NULL,
 * UA_EBUSY if started. */
int stream_init(stream_t *s, ua_uart_t *uart);

/* Register the flags with `loop` and take the UART's interrupt (task
 * context).  UA_EBUSY if already started, or the UART's error. */
int stream_start(stream_t *s, ua_loop_t *loop);

/* Release the interrupt and the flags; a reader or writer in progress gets
 * STREAM_ESTOPPED.  Idempotent. */
void stream_stop(stream_t *s);

/* Bytes that can be read now without waiting. */
size_t stream_available(stream_t *s);

/* --- Awaitables (UA_AWAIT); timeout_ms < 0 (UA_FOREVER): none ----------- */

/* Wait until at least one byte is there, then copy up to n (readinto). */
int stream_read(ua_task_t *self, stream_t *s, uint8_t *buf, size_t n,
                size_t *got, int32_t timeout_ms);

/* Copy exactly n bytes.  UA_ETIMEDOUT with *got < n on timeout (got may be
 * NULL when the caller does not care). */
int stream_readexactly(ua_task_t *self, stream_t *s, uint8_t *buf, size_t n,
                       size_t *got, int32_t timeout_ms);

/*
 * Read one line, '\n' included, into buf (cap bytes) and NUL-terminate it;
 * *len excludes the NUL.  A line that does not fit in cap - 1 bytes fails
 * with STREAM_ELINE: buf holds its first cap - 1 bytes, the rest of the
 * line up to its '\n' is discarded, and the next call starts on the next
 * line.  cap must be at least 2.
 */
int stream_readline(ua_task_t *self, stream_t *s, uint8_t *buf, size_t cap,
                    size_t *len, int32_t timeout_ms);

/* Queue all n bytes into the transmit FIFO, waiting for it to drain as
 * often as needed.  *sent (may be NULL) counts bytes queued. */
int stream_write(ua_task_t *self, stream_t *s, const uint8_t *buf, size_t n,
                 size_t *sent, int32_t timeout_ms);

/* Wait until every byte written so far has been transmitted. */
int stream_drain(ua_task_t *self, stream_t *s, int32_t timeout_ms);

#endif /* STREAM_H */
