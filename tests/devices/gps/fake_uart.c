/* Fake UART and byte feeder (see fake_uart.h). */
#include "fake_uart.h"

#include <string.h>

static fake_uart_t *ctx(ua_uart_t *u)
{
    return u->ctx;
}

static size_t f_read(ua_uart_t *u, uint8_t *buf, size_t n)
{
    fake_uart_t *f = ctx(u);
    size_t k = 0;
    while (k < n && f->count > 0) {
        buf[k++] = f->fifo[f->head];
        f->head = (f->head + 1) % FAKE_UART_FIFO;
        f->count--;
    }
    return k;
}

static size_t f_write(ua_uart_t *u, const uint8_t *buf, size_t n)
{
    (void)u;
    (void)buf;
    return n;
}

static size_t f_rx_available(ua_uart_t *u)
{
    return ctx(u)->count;
}

static size_t f_tx_space(ua_uart_t *u)
{
    (void)u;
    return FAKE_UART_FIFO;
}

static int f_set_irq(ua_uart_t *u, unsigned events, ua_uart_irq_cb cb,
                     void *arg)
{
    fake_uart_t *f = ctx(u);
    f->events = cb != NULL ? events : 0;
    f->cb = cb;
    f->cb_arg = arg;
    return 0;
}

static uint32_t f_take_errors(ua_uart_t *u)
{
    fake_uart_t *f = ctx(u);
    uint32_t e = f->errors;
    f->errors = 0;
    return e;
}

static const struct ua_uart_ops ops = {f_read, f_write, f_rx_available,
                                       f_tx_space, f_set_irq, f_take_errors};

void fake_uart_init(fake_uart_t *f)
{
    memset(f, 0, sizeof *f);
    f->uart.ops = &ops;
    f->uart.ctx = f;
}

static void irq(fake_uart_t *f, unsigned ev)
{
    if (f->cb != NULL && (f->events & ev))
        f->cb(f->cb_arg, ev);
}

void fake_uart_rx(fake_uart_t *f, uint8_t byte)
{
    if (f->count == FAKE_UART_FIFO) {
        f->errors++;
        f->overruns++;
        irq(f, UA_UART_EV_ERROR);
        return;
    }
    f->fifo[(f->head + f->count) % FAKE_UART_FIFO] = byte;
    f->count++;
    irq(f, UA_UART_EV_RX);
}

void fake_uart_error(fake_uart_t *f)
{
    f->errors++;
    irq(f, UA_UART_EV_ERROR);
}

uint32_t feeder_byte_time(const feeder_t *fd, size_t i)
{
    return (uint32_t)((uint64_t)i * 10000000u / fd->baud);
}

static int feeder_task(ua_task_t *self)
{
    feeder_t *fd = UA_CONTAINER_OF(self, feeder_t, task);
    UA_BEGIN(self, &fd->co);
    fd->t0 = ua_loop_now(ua_loop_current());
    for (fd->i = 0; fd->i <= fd->len; fd->i++) {
        UA_AWAIT(ua_sleep_us(
            self, ua_ticks_diff(fd->t0 + feeder_byte_time(fd, fd->i),
                                ua_loop_now(ua_loop_current()))));
        if (fd->before_byte != NULL)
            fd->before_byte(fd->arg, fd->i);
        if (fd->i < fd->len)
            fake_uart_rx(fd->uart, fd->data[fd->i]);
    }
    UA_END();
}

void feeder_init(feeder_t *fd, fake_uart_t *u, const void *data, size_t len,
                 uint32_t baud)
{
    memset(fd, 0, sizeof *fd);
    fd->uart = u;
    fd->data = data;
    fd->len = len;
    fd->baud = baud;
    ua_task_init(&fd->task, feeder_task);
}
