/*
 * Two simulated boards joined by asi2c, shared by the tests and the link
 * benchmark.  Board "ini" is the Initiator (I2C slave 0x12, syn on pin 0),
 * "resp" the Responder (I2C master at 400 kHz, ack on pin 0); each reads
 * the other's wire on pin 1.  With a reset wire, ini's pin 4 drives resp's
 * pin 5: held low, resp is in reset; released, it boots.  Each board runs
 * a writer (records "<seq>:" plus filler, seq from 1) and a reader that
 * checks the sequence numbers: a gap is an error, a copy of a record it
 * already has is counted (dups) and dropped.
 */
#ifndef ASI2C_RIG_H
#define ASI2C_RIG_H

#include "asi2c.h"
#include "sim.h"
#include "sim_hw.h"
#include "sim_i2cs.h"

#define ARIG_STEP_NS (100 * SIM_US)
#define ARIG_IRQ_NS (10 * SIM_US)

typedef struct arig_end arig_end_t;

typedef struct arig_task {
    ua_task_t task;
    ua_co_t co;
    arig_end_t *end;
    uint8_t buf[ASI2C_RXBUF + 1]; /* a whole record and a NUL */
    size_t len;
    int status;
} arig_task_t;

struct arig_end {
    sim_board_t *board;
    bool initiator;
    asi2c_t link;
    asi2c_cfg_t cfg;
    arig_task_t wr, rd;
    uint32_t to_send, payload, write_timeout_ms;
    uint32_t written;    /* writes queued (returned 0) */
    uint32_t flushed;    /* of them, known sent (the next write or flush) */
    uint32_t errors;
    uint64_t queued_ns[1024];
    uint32_t got, last_seq, bad_order, dups;
    uint64_t got_ns[1024];
    uint64_t lat_sum_ns, lat_max_ns;
    uint32_t boots;
    bool up; /* started and not crashed */
};

typedef struct arig {
    sim_t *sim;
    arig_end_t ini, resp;
    sim_i2c_t *bus;
    sim_i2cs_t *slave;
} arig_t;

void arig_init(arig_t *r, uint64_t seed, bool with_reset);
void arig_free(arig_t *r);
void arig_start(arig_t *r, arig_end_t *e, uint32_t count, uint32_t payload);
void arig_reboot(arig_t *r, arig_end_t *e, uint64_t at_ns, uint64_t down_ns);
arig_end_t *arig_peer(arig_t *r, arig_end_t *e);

#endif
