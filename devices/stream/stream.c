/*
 * Stream I/O over a UART (see stream.h).  Each direction is a small
 * coroutine whose resume point lives in the stream; the UART interrupt only
 * sets the direction's ISR flag.
 */
#include <stddef.h>
#include <string.h>

#include "stream.h"
#include "ua_driver.h"

enum { RD_SOME = 0, RD_EXACT = 1, RD_LINE = 2 };

static void uart_isr(void *arg, unsigned events)
{
    stream_t *s = arg;

    if (events & (UA_UART_EV_RX | UA_UART_EV_ERROR))
        ua_flag_set(&s->rx_flag);
    if (events & UA_UART_EV_TX_EMPTY) {
        s->tx_busy = 0;
        ua_flag_set(&s->tx_flag);
    }
}

int stream_init(stream_t *s, ua_uart_t *uart)
{
    if (s == NULL || uart == NULL)
        return UA_EINVAL;
    if (s->open)
        return UA_EBUSY;
    /* The operations' frames survive: a task failed by the last stop may
     * not have run its cleanup yet (its owner and resume point). */
    memset(&s->uart, 0, sizeof *s - offsetof(stream_t, uart));
    s->uart = uart;
    return 0;
}

int stream_start(stream_t *s, ua_loop_t *loop)
{
    int st;

    if (s->open)
        return UA_EBUSY;
    if ((st = ua_flag_init(&s->rx_flag, loop)) < 0)
        return st;
    if ((st = ua_flag_init(&s->tx_flag, loop)) < 0) {
        ua_flag_deinit(&s->rx_flag);
        return st;
    }
    s->tx_busy = 0;
    s->skip_line = 0;
    s->open = 1;
    st = ua_uart_set_irq(s->uart,
                         UA_UART_EV_RX | UA_UART_EV_TX_EMPTY | UA_UART_EV_ERROR,
                         uart_isr, s);
    if (st < 0)
        stream_stop(s);
    return st;
}

void stream_stop(stream_t *s)
{
    if (!s->open)
        return;
    ua_uart_set_irq(s->uart, 0, NULL, NULL);
    s->open = 0;
    /* The reader and the writer learn why; then nothing is registered. */
    ua_flag_fail_waiter(&s->rx_flag, STREAM_ESTOPPED);
    ua_flag_fail_waiter(&s->tx_flag, STREAM_ESTOPPED);
    ua_flag_deinit(&s->rx_flag);
    ua_flag_deinit(&s->tx_flag);
}

size_t stream_available(stream_t *s)
{
    return s->open ? ua_uart_rx_available(s->uart) : 0;
}

/* Record an awaitable's arguments at its first call. */
static int op_start(stream_op_t *op, ua_task_t *self, uint8_t *buf, size_t n,
                    int32_t timeout_ms, uint8_t mode)
{
    if (timeout_ms > INT32_MAX / 1000)
        return UA_ERANGE;
    op->owner = self;
    op->buf = buf;
    op->want = n;
    op->done = 0;
    op->mode = mode;
    op->timeout_us = timeout_ms < 0 ? -1 : timeout_ms * 1000;
    op->deadline = ua_ticks_add(ua_loop_now(ua_loop_current()),
                                (uint32_t)(timeout_ms < 0 ? 0 : op->timeout_us));
    return 0;
}

/* Microseconds left before the op's deadline: -1 for none, 0 if passed. */
static int32_t op_left(const stream_op_t *op)
{
    if (op->timeout_us < 0)
        return -1;
    int32_t d = ua_ticks_diff(op->deadline, ua_loop_now(ua_loop_current()));
    return d > 0 ? d : 0;
}

/* Move what the UART holds into the op's buffer.  Returns 1 when the read
 * is complete, STREAM_ELINE for a line that overflows, else 0. */
static int take_bytes(stream_t *s, stream_op_t *op)
{
    s->uart_errors += ua_uart_take_errors(s->uart);
    if (op->mode != RD_LINE) {
        size_t k = ua_uart_read(s->uart, op->buf + op->done,
                                op->want - op->done);
        op->done += k;
        s->rx_bytes += (uint32_t)k;
        return op->done == op->want || (op->mode == RD_SOME && op->done > 0);
    }
    uint8_t c;
    while (ua_uart_read(s->uart, &c, 1) == 1) {
        s->rx_bytes++;
        if (s->skip_line) {
            s->skip_line = c != '\n';
            continue;
        }
        op->buf[op->done++] = c;
        if (c == '\n')
            return 1;
        if (op->done == op->want - 1) {
            s->skip_line = 1;
            s->long_lines++;
            return STREAM_ELINE;
        }
    }
    return 0;
}

static int read_op(ua_task_t *self, stream_t *s, uint8_t *buf, size_t n,
                   size_t *got, int32_t timeout_ms, uint8_t mode)
{
    stream_op_t *op = &s->rd;
    int r;

    /* A read in progress goes on to collect its outcome (and clean up). */
    if (!s->open && op->owner != self)
        return STREAM_ESTOPPED;
    if (op->owner != NULL && op->owner != self)
        return STREAM_EBUSY;
    UA_BEGIN(self, &op->co);
    if ((buf == NULL && n > 0) || (mode == RD_LINE && n < 2))
        UA_THROW(UA_EINVAL);
    if ((r = op_start(op, self, buf, n, timeout_ms, mode)) < 0)
        UA_THROW(r);
    for (;;) {
        r = take_bytes(s, op);
        if (r < 0)
            UA_THROW(r);
        if (r > 0 || n == 0)
            break;
        if (op_left(op) == 0)
            UA_THROW(UA_ETIMEDOUT);
        if (!s->open)
            UA_THROW(STREAM_ESTOPPED); /* its flag is not registered */
        UA_AWAIT(ua_flag_wait_us(self, &s->rx_flag, op_left(op)));
    }
    UA_FINALLY
    if (got != NULL)
        *got = op->done;
    if (mode == RD_LINE && op->buf != NULL)
        op->buf[op->done] = '\0';
    op->owner = NULL;
    UA_END();
}

int stream_read(ua_task_t *self, stream_t *s, uint8_t *buf, size_t n,
                size_t *got, int32_t timeout_ms)
{
    return read_op(self, s, buf, n, got, timeout_ms, RD_SOME);
}

int stream_readexactly(ua_task_t *self, stream_t *s, uint8_t *buf, size_t n,
                       size_t *got, int32_t timeout_ms)
{
    return read_op(self, s, buf, n, got, timeout_ms, RD_EXACT);
}

int stream_readline(ua_task_t *self, stream_t *s, uint8_t *buf, size_t cap,
                    size_t *len, int32_t timeout_ms)
{
    return read_op(self, s, buf, cap, len, timeout_ms, RD_LINE);
}

/* mode 0: write, 1: drain. */
static int write_op(ua_task_t *self, stream_t *s, const uint8_t *buf,
                    size_t n, size_t *sent, int32_t timeout_ms, uint8_t mode)
{
    stream_op_t *op = &s->wr;
    int r;

    /* A write in progress goes on to collect its outcome (and clean up). */
    if (!s->open && op->owner != self)
        return STREAM_ESTOPPED;
    if (op->owner != NULL && op->owner != self)
        return STREAM_EBUSY;
    UA_BEGIN(self, &op->co);
    if (buf == NULL && n > 0)
        UA_THROW(UA_EINVAL);
    /* The buffer is only read; the op keeps one pointer type for both. */
    if ((r = op_start(op, self, (uint8_t *)(uintptr_t)buf, n, timeout_ms,
                      mode)) < 0)
        UA_THROW(r);
    for (;;) {
        if (op->done < op->want) {
            /* Busy before the bytes go in, so the TX-empty interrupt that
             * follows them is the one that clears it. */
            s->tx_busy = 1;
            size_t k = ua_uart_write(s->uart, op->buf + op->done,
                                     op->want - op->done);
            op->done += k;
            s->tx_bytes += (uint32_t)k;
        }
        if (op->done == op->want && (mode == 0 || !s->tx_busy))
            break;
        if (op_left(op) == 0)
            UA_THROW(UA_ETIMEDOUT);
        if (!s->open)
            UA_THROW(STREAM_ESTOPPED); /* its flag is not registered */
        UA_AWAIT(ua_flag_wait_us(self, &s->tx_flag, op_left(op)));
    }
    UA_FINALLY
    if (sent != NULL)
        *sent = op->done;
    op->owner = NULL;
    UA_END();
}

int stream_write(ua_task_t *self, stream_t *s, const uint8_t *buf, size_t n,
                 size_t *sent, int32_t timeout_ms)
{
    return write_op(self, s, buf, n, sent, timeout_ms, 0);
}

int stream_drain(ua_task_t *self, stream_t *s, int32_t timeout_ms)
{
    return write_op(self, s, NULL, 0, NULL, timeout_ms, 1);
}
