/*
 * Two simulated boards joined by a syncom link, shared by the syncom tests
 * and the link benchmark.  Board "a" is active, "b" passive.  Wiring: pin 0
 * ckout, 1 ckin, 2 dout, 3 din on both boards, crossed; a's pin 4 drives
 * b's pin 5 (reset, active low).  Each board runs a sender task (messages
 * "<seq>:" plus filler, seq counting from 1) and a receiver task that
 * checks the sequence numbers it gets: a gap is an error, a copy of one it
 * already has is counted (dups) and dropped.
 */
#ifndef SYNCOM_RIG_H
#define SYNCOM_RIG_H

#include "sim.h"
#include "sim_hw.h"
#include "syncom.h"

#define RIG_STEP_NS (300 * SIM_US) /* CPU cost per task step */
#define RIG_IRQ_NS (25 * SIM_US)   /* CPU cost per interrupt */

typedef struct rig_end rig_end_t;

typedef struct rig_sender {
    ua_task_t task;
    ua_co_t co;
    rig_end_t *end;
    uint8_t msg[SYNCOM_MAX_MSG];
    size_t len;
    int status;
} rig_sender_t;

typedef struct rig_receiver {
    ua_task_t task;
    ua_co_t co;
    rig_end_t *end;
    uint8_t buf[SYNCOM_MAX_MSG];
    size_t len;
    int status;
} rig_receiver_t;

struct rig_end {
    sim_board_t *board;
    syncom_t link;
    syncom_cfg_t cfg;
    rig_sender_t tx;
    rig_receiver_t rx;
    /* sender */
    uint32_t to_send, payload, send_timeout_ms;
    uint32_t acked;         /* sends that returned 0 */
    uint32_t send_errors;
    uint64_t first_send_ns, last_ack_ns;
    uint64_t queued_ns[1024]; /* when message seq was handed to send */
    /* receiver */
    uint32_t got, last_seq, bad_order, dups;
    uint64_t got_ns[1024];
    uint64_t lat_sum_ns, lat_max_ns;
    uint32_t boots; /* restarts of this end's driver by the reset wire */
};

typedef struct rig {
    sim_t *sim;
    rig_end_t a, b;
    sim_pin_t *wires[4]; /* a.ckout, b.ckout, a.dout, b.dout nets */
} rig_t;

/* Build the boards and wires; ends are not started. */
void rig_init(rig_t *r, uint64_t seed, bool with_reset);
void rig_free(rig_t *r);

/* Start the driver and the sender/receiver tasks of one end: send `count`
 * messages of `payload` bytes each (0: send nothing). */
void rig_start(rig_t *r, rig_end_t *e, uint32_t count, uint32_t payload);

/* Stop an end's driver and tasks now (a crash), restart it `down_ns`
 * later with a fresh driver (a reboot).  The application's counters
 * survive, as a test's view of what was delivered must. */
void rig_reboot(rig_t *r, rig_end_t *e, uint64_t at_ns, uint64_t down_ns);

/* Receiver-side seq of the peer's message as seen by end e's peer. */
rig_end_t *rig_peer(rig_t *r, rig_end_t *e);

#endif
