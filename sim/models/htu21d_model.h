/*
 * HTU21D sensor model: the I2C slave side of a simulated HTU21D.
 *
 * The model core is independent of the transport.  It is driven byte by
 * byte, with the virtual time of each bus event in nanoseconds, through the
 * same four calls as the simulator's sim_i2c_slave_t handlers (start with
 * R/W bit, byte written, byte read, stop); htu21d_model_transfer() runs a
 * whole ua_i2c-style transaction through them for fakes and tests.
 *
 * Behaviour (datasheet, no-hold mode): 0xF3 / 0xF5 start a temperature /
 * humidity conversion that takes the time of the resolution in the user
 * register (power-on: 50 ms T, 16 ms RH, the datasheet maxima); reading
 * before it ends NACKs the read address; the result is 3 bytes (MSB, LSB
 * with status bit 1 set for humidity, CRC-8 0x131) and is consumed by the
 * STOP that ends the read.  0xE7 then a read returns the user register
 * (0x02 after power-on), 0xE6 writes it, 0xFE resets (the device NACKs
 * for 15 ms).  Hold-master commands (0xE3, 0xE5) and unknown commands are
 * NACKed and counted: the model does not stretch the clock.
 *
 * Scenario controls: the temperature and humidity it measures (hundredths),
 * and faults: NACK the address (for N transactions or forever), corrupt the
 * CRC or the status bits of the next N results, a stuck conversion (never
 * finishes), a slow one (extra time).  Counters show what the master did.
 */
#ifndef HTU21D_MODEL_H
#define HTU21D_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTU21D_MODEL_NEVER UINT64_MAX

typedef struct htu21d_model {
    uint8_t address;
    /* Scenario inputs. */
    int32_t temp_centi; /* measured temperature, 0.01 C */
    int32_t rh_centi;   /* measured relative humidity, 0.01 % */
    /* Faults. */
    int32_t fault_nack;   /* NACK the next N address phases; < 0: all */
    uint32_t fault_crc;   /* corrupt the CRC of the next N results */
    uint32_t fault_kind;  /* flip the status bit of the next N results */
    bool fault_stuck;     /* conversions never finish */
    uint64_t fault_slow_ns; /* added to every conversion */
    /* Device state. */
    uint8_t user_reg;
    uint8_t cmd;          /* command of the current write, 0 = none yet */
    uint8_t nbytes;       /* bytes written in the current write */
    bool in_read;
    bool want_user_reg;   /* next read returns the user register */
    int8_t pending;       /* -1 none, 0 temperature, 1 humidity */
    uint64_t ready_at;    /* end of the conversion in progress */
    uint64_t reset_until;
    bool have_result;
    uint8_t out[3];
    uint8_t out_len, out_pos;
    /* Counters. */
    uint32_t conversions;
    uint32_t results_read;
    uint32_t early_reads;  /* read address NACKed: still converting */
    uint32_t empty_reads;  /* read with nothing to return */
    uint32_t nacked;       /* address phases NACKed by a fault or reset */
    uint32_t bad_commands; /* hold-mode or unknown commands */
    uint32_t resets;
} htu21d_model_t;

/* Power-on state at `address` (0x40), 20.00 C, 50.00 %RH, no faults. */
void htu21d_model_init(htu21d_model_t *m, uint8_t address);

/* Conversion time of `kind` (0 T, 1 RH) at the current resolution. */
uint64_t htu21d_model_conversion_ns(const htu21d_model_t *m, int kind);

/* The raw word (status bits included) the model reports for its inputs. */
uint16_t htu21d_model_raw(const htu21d_model_t *m, int kind);

/* --- Byte-level slave interface (return 0 = ACK, 1 = NACK) ------------- */

int htu21d_model_on_start(htu21d_model_t *m, uint64_t t_ns, int is_read);
int htu21d_model_on_write(htu21d_model_t *m, uint64_t t_ns, uint8_t byte);
uint8_t htu21d_model_on_read(htu21d_model_t *m, uint64_t t_ns);
void htu21d_model_on_stop(htu21d_model_t *m, uint64_t t_ns);

/*
 * A whole transaction as ua_i2c_ops.transfer describes it, starting at t_ns,
 * byte i (address bytes included) at t_ns + i * byte_ns (9 bit times).
 * *clocked (may be NULL) receives the number of bytes put on the bus, so a
 * fake bus can charge the bus time.  Returns 0, UA_ENODEV (address NACK,
 * also for another address) or UA_EIO (data NACK).
 */
int htu21d_model_transfer(htu21d_model_t *m, uint64_t t_ns, uint64_t byte_ns,
                          uint8_t addr, const uint8_t *wr, size_t wn,
                          uint8_t *rd, size_t rn, size_t *clocked);

/* --- Simulator wiring ----------------------------------------------------- */

#include "sim_hw.h"

/* The model as a slave on a simulated bus: handlers read sim_now(). */
typedef struct htu21d_sim_model {
    htu21d_model_t model;
    sim_i2c_slave_t slave;
    sim_t *sim;
} htu21d_sim_model_t;

/* Power-on the model at `address` and attach it to `bus`.  Returns
 * sim_i2c_attach's status (UA_EBUSY if the address is taken). */
int htu21d_model_attach(htu21d_sim_model_t *s, sim_t *sim, sim_i2c_t *bus,
                        uint8_t address);

#endif /* HTU21D_MODEL_H */
