/*
 * A board's I2C slave peripheral (ua_i2c_slave_t), on another board's I2C
 * bus: the wiring for links such as asi2c, where one board is the master
 * and the other answers as a slave.
 *
 * The master's transfer runs synchronously in the master board's task step
 * (sim_hw.h), so the slave board's callbacks run inside it, each at the
 * bus time of its byte (sim_now()), with the slave board's loop entered,
 * IRQ entry and exit traced and its interrupt cost charged.  on_stop is
 * delivered by an event at the STOP time, after the master's step, so a
 * flag set there wakes the slave's task no earlier than the transfer
 * ended.  If a byte callback sets a flag anyway, the slave board is kept
 * busy until that byte's time, for the same reason.
 */
#ifndef SIM_I2CS_H
#define SIM_I2CS_H

#include "sim_hw.h"

typedef struct sim_i2cs sim_i2cs_t;

/* Slave peripheral n of board b, wired to `bus` (another board's master).
 * It joins the bus when the driver listens. */
sim_i2cs_t *sim_board_i2c_slave(sim_board_t *b, unsigned n, sim_i2c_t *bus);

ua_i2c_slave_t *sim_i2cs_hw(sim_i2cs_t *s);

/* Transactions addressed to it, and those it NACKed (not listening). */
uint32_t sim_i2cs_transactions(const sim_i2cs_t *s);
uint32_t sim_i2cs_nacks(const sim_i2cs_t *s);

#endif /* SIM_I2CS_H */
