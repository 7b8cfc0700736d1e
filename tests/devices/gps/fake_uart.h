/*
 * Test doubles for the GPS driver: a UART whose receive FIFO the test
 * fills (each byte raising the RX "interrupt" as hardware would), and a
 * feeder task that streams a buffer into it at a baud rate's byte times
 * on the virtual clock (10 bits per byte: 1041.67 us at 9600 baud; byte i
 * arrives at t0 + floor(i * 10e6 / baud) us, so rounding never drifts).
 */
#ifndef FAKE_UART_H
#define FAKE_UART_H

#include "ua.h"

#define FAKE_UART_FIFO 256

typedef struct fake_uart {
    ua_uart_t uart;
    uint8_t fifo[FAKE_UART_FIFO];
    size_t head, count;
    uint32_t errors;     /* pending for take_errors */
    uint32_t overruns;   /* total */
    ua_uart_irq_cb cb;
    void *cb_arg;
    unsigned events;
} fake_uart_t;

void fake_uart_init(fake_uart_t *f);

/* "Interrupt": a byte arrived (overrun if the FIFO is full). */
void fake_uart_rx(fake_uart_t *f, uint8_t byte);

/* "Interrupt": a framing error. */
void fake_uart_error(fake_uart_t *f);

typedef struct feeder {
    ua_task_t task;
    ua_co_t co;
    fake_uart_t *uart;
    const uint8_t *data;
    size_t len, i;
    uint32_t baud;
    ua_ticks_t t0;
    /* Called in the feeder task before byte i is sent (i == len: after
     * the last byte, plus one byte time). */
    void (*before_byte)(void *arg, size_t i);
    void *arg;
} feeder_t;

void feeder_init(feeder_t *fd, fake_uart_t *u, const void *data, size_t len,
                 uint32_t baud);

/* Virtual microseconds from the feeder's start to byte i's arrival. */
uint32_t feeder_byte_time(const feeder_t *fd, size_t i);

#endif
