/*
 * CMSDK UART as a ua_uart_t (see mps2.h).
 *
 * The hardware has one byte of buffer each way, so the handle keeps a
 * software ring per direction: the RX interrupt moves each byte into the RX
 * ring (counting an error when the ring is full or the hardware overran),
 * the TX interrupt feeds the next byte from the TX ring.  Rings are single
 * producer / single consumer with 8-bit indices, so neither side needs a
 * lock; only starting a transmission from task context masks interrupts.
 *
 * Order matters: the producer writes the byte before it publishes the new
 * index, and the consumer reads the index before the byte and frees the
 * slot only after reading it.  The indices are volatile, the bytes are not,
 * and a compiler may move a plain store past a volatile one, so each step
 * is fenced with atomic_signal_fence -- C11's ordering between a thread and
 * an interrupt of the same core, a compiler barrier that costs no
 * instruction (one core needs no DMB for this).
 */
#include <stdatomic.h>

#include "mps2.h"

#include "ua_cm_regs.h"
#include "ua_err.h"

#define RING_MASK (MPS2_UART_RING - 1u)
#define ST_TXFULL (1u << 0)
#define ST_RXFULL (1u << 1)
#define ST_OVERRUNS (3u << 2)
#define CTRL_TXEN (1u << 0)
#define CTRL_RXEN (1u << 1)
#define CTRL_TXIRQ (1u << 2)
#define CTRL_RXIRQ (1u << 3)
#define INT_TX (1u << 0)
#define INT_RX (1u << 1)

static mps2_uart_t *instances[3];
static mps2_uart_regs_t *const bases[3] = {MPS2_UART0, MPS2_UART1, MPS2_UART2};

static void notify(mps2_uart_t *u, unsigned ev)
{
    if (u->cb != NULL && (u->events & ev) != 0)
        u->cb(u->cb_arg, ev & u->events);
}

static void rx_isr(unsigned index)
{
    mps2_uart_t *u = instances[index];
    unsigned ev = 0;

    if (u == NULL)
        return;
    u->regs->intstatus = INT_RX;
    if (u->regs->state & ST_OVERRUNS) {
        u->regs->state = ST_OVERRUNS; /* write 1 to clear */
        u->errors++;
        ev |= UA_UART_EV_ERROR;
    }
    while (u->regs->state & ST_RXFULL) {
        uint8_t b = (uint8_t)u->regs->data;
        if ((uint8_t)(u->rx_head - u->rx_tail) == MPS2_UART_RING) {
            u->errors++;
            ev |= UA_UART_EV_ERROR;
            continue;
        }
        u->rx[u->rx_head & RING_MASK] = b;
        atomic_signal_fence(memory_order_release); /* byte, then index */
        u->rx_head++;
        ev |= UA_UART_EV_RX;
    }
    notify(u, ev);
}

static void tx_isr(unsigned index)
{
    mps2_uart_t *u = instances[index];

    if (u == NULL)
        return;
    u->regs->intstatus = INT_TX;
    if (u->tx_tail != u->tx_head) {
        atomic_signal_fence(memory_order_acquire); /* index, then byte */
        u->regs->data = u->tx[u->tx_tail & RING_MASK];
        atomic_signal_fence(memory_order_release); /* read before freeing */
        u->tx_tail++;
    } else {
        notify(u, UA_UART_EV_TX_EMPTY);
    }
}

void UART0RX_Handler(void) { rx_isr(0); }
void UART0TX_Handler(void) { tx_isr(0); }
void UART1RX_Handler(void) { rx_isr(1); }
void UART1TX_Handler(void) { tx_isr(1); }
void UART2RX_Handler(void) { rx_isr(2); }
void UART2TX_Handler(void) { tx_isr(2); }

static mps2_uart_t *of(ua_uart_t *uart)
{
    return uart->ctx;
}

static size_t op_read(ua_uart_t *uart, uint8_t *buf, size_t n)
{
    mps2_uart_t *u = of(uart);
    size_t got = 0;

    while (got < n && u->rx_tail != u->rx_head) {
        atomic_signal_fence(memory_order_acquire); /* index, then byte */
        buf[got++] = u->rx[u->rx_tail & RING_MASK];
        atomic_signal_fence(memory_order_release); /* read before freeing */
        u->rx_tail++;
    }
    return got;
}

static size_t op_write(ua_uart_t *uart, const uint8_t *buf, size_t n)
{
    mps2_uart_t *u = of(uart);
    size_t put = 0;
    uint32_t primask = ua_cm_get_primask();

    while (put < n && (uint8_t)(u->tx_head - u->tx_tail) < MPS2_UART_RING) {
        atomic_signal_fence(memory_order_acquire); /* slot free, then write */
        u->tx[u->tx_head & RING_MASK] = buf[put++];
        atomic_signal_fence(memory_order_release); /* byte, then index */
        u->tx_head++;
    }
    /* An idle transmitter raises no interrupt: prime it with one byte. */
    ua_cm_irq_disable();
    if (u->tx_tail != u->tx_head && !(u->regs->state & ST_TXFULL)) {
        u->regs->data = u->tx[u->tx_tail & RING_MASK];
        atomic_signal_fence(memory_order_release);
        u->tx_tail++;
    }
    if (!primask)
        ua_cm_irq_enable();
    return put;
}

static size_t op_rx_available(ua_uart_t *uart)
{
    mps2_uart_t *u = of(uart);
    return (uint8_t)(u->rx_head - u->rx_tail);
}

static size_t op_tx_space(ua_uart_t *uart)
{
    mps2_uart_t *u = of(uart);
    return MPS2_UART_RING - (uint8_t)(u->tx_head - u->tx_tail);
}

static int op_set_irq(ua_uart_t *uart, unsigned events, ua_uart_irq_cb cb,
                      void *arg)
{
    mps2_uart_t *u = of(uart);
    uint32_t primask = ua_cm_get_primask();

    ua_cm_irq_disable();
    u->cb = events != 0 ? cb : NULL;
    u->cb_arg = arg;
    u->events = cb != NULL ? events : 0;
    if (!primask)
        ua_cm_irq_enable();
    return 0;
}

static uint32_t op_take_errors(ua_uart_t *uart)
{
    mps2_uart_t *u = of(uart);
    uint32_t primask = ua_cm_get_primask();

    ua_cm_irq_disable();
    uint32_t e = u->errors;
    u->errors = 0;
    if (!primask)
        ua_cm_irq_enable();
    return e;
}

static const struct ua_uart_ops mps2_uart_ops = {
    .read = op_read,
    .write = op_write,
    .rx_available = op_rx_available,
    .tx_space = op_tx_space,
    .set_irq = op_set_irq,
    .take_errors = op_take_errors,
};

int mps2_uart_init(mps2_uart_t *u, unsigned index, uint32_t baud)
{
    if (index >= 3 || baud == 0 || MPS2_CORE_HZ / baud < 16)
        return UA_EINVAL;
    u->uart.ops = &mps2_uart_ops;
    u->uart.ctx = u;
    u->uart.id = index;
    u->regs = bases[index];
    u->index = (uint8_t)index;
    u->rx_head = u->rx_tail = u->tx_head = u->tx_tail = 0;
    u->errors = 0;
    u->cb = NULL;
    u->cb_arg = NULL;
    u->events = 0;
    instances[index] = u;
    u->regs->bauddiv = MPS2_CORE_HZ / baud;
    u->regs->ctrl = CTRL_TXEN | CTRL_RXEN | CTRL_TXIRQ | CTRL_RXIRQ;
    ua_cm_nvic_enable(MPS2_IRQ_UART0_RX + 2 * index);
    ua_cm_nvic_enable(MPS2_IRQ_UART0_TX + 2 * index);
    return 0;
}

void mps2_console_write(const char *s, uint32_t n)
{
    mps2_uart_regs_t *r = MPS2_UART0;

    if (r->bauddiv < 16)
        r->bauddiv = MPS2_CORE_HZ / 115200u;
    r->ctrl |= CTRL_TXEN;
    for (uint32_t i = 0; i < n; i++) {
        while (r->state & ST_TXFULL) {
        }
        r->data = (uint8_t)s[i];
    }
}
