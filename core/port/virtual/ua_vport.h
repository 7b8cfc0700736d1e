/*
 * Virtual-clock port, for tests and for hosts that want manual time.
 *
 * Time is a 64-bit microsecond counter that only moves when told to:
 * ua_vport_advance() moves it by hand, and -- when auto_advance is on --
 * idling jumps it straight to the next deadline, so a test that sleeps for
 * an hour runs in microseconds of real time.  The 32-bit tick the loop sees
 * is `now + offset` truncated, and the offset lets a test start just before
 * the 32-bit wrap and cross it.  Idling with no deadline and nothing pending
 * would wait forever: the port counts it as a deadlock and stops the loop.
 */
#ifndef UA_VPORT_H
#define UA_VPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_loop.h"

typedef struct ua_vport {
    ua_port_t port;
    uint64_t now_us;      /* virtual time since start */
    uint32_t tick_offset; /* added to now_us to form the 32-bit tick */
    bool auto_advance;
    ua_loop_t *loop;
    uint32_t idles;
    uint32_t deadlocks;
} ua_vport_t;

/* Set up `vp` and initialise `loop` on it.  start_tick is the tick value at
 * virtual time 0 (for example 0xFFFFF000 to cross the wrap soon). */
void ua_vport_init(ua_vport_t *vp, ua_loop_t *loop, uint32_t start_tick,
                   bool auto_advance);

/* Move virtual time forward. */
void ua_vport_advance(ua_vport_t *vp, uint64_t us);

#endif /* UA_VPORT_H */
