/*
 * asi2c internals shared by its three source files (the driver's own, not
 * the core's): frames, and the protocol of each role run by the link task.
 */
#ifndef ASI2C_INT_H
#define ASI2C_INT_H

#include "asi2c.h"

enum { ASI2C_ST_STOPPED = 0, ASI2C_ST_STARTED = 1 };

/* Load the frame to send (header and, if the rules allow, the pending
 * payload) into c->frame; returns its length. */
size_t asi2c__build_frame(asi2c_t *c);

/* Take a frame from the peer: its status, then its payload.  0, or
 * ASI2C_EPROTO (counted in proto_errors). */
int asi2c__take_frame(asi2c_t *c, const uint8_t *f, size_t n);

/* The payload length in header h, or ASI2C_EPROTO beyond `limit`. */
int asi2c__header_len(const uint8_t *h, size_t limit);

/* One start's run of each role's protocol, a sub-coroutine of the link
 * task (frame c->run_co).  Returns only with an error: UA_ECANCELLED at
 * a stop. */
int asi2c__initiator_run(ua_task_t *self, asi2c_t *c);
int asi2c__responder_run(ua_task_t *self, asi2c_t *c);

/* The Initiator's I2C slave callbacks. */
extern const ua_i2c_slave_cbs_t asi2c__slave_cbs;

#endif
