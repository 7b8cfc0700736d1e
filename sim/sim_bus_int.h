/* UART and I2C internals the exporters and models share (uart.c, i2c.c). */
#ifndef SIM_BUS_INT_H
#define SIM_BUS_INT_H

#include "sim_internal.h"

#pragma GCC visibility push(hidden)

/* uart.c, i2c.c */
void sim__uart_free(sim_uart_t *u);
void sim__i2c_free(sim_i2c_t *b);
uint32_t sim__uart_baud(const sim_uart_t *u);
const char *sim__uart_name(const sim_uart_t *u);
int sim__uart_board(const sim_uart_t *u);
sim_board_t *sim__uart_owner(const sim_uart_t *u); /* NULL: a model's */
const char *sim__i2c_name(const sim_i2c_t *b);
int sim__i2c_board(const sim_i2c_t *b);

#define SIM_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SIM_MIN(a, b) ((a) < (b) ? (a) : (b))

#pragma GCC visibility pop

#endif
