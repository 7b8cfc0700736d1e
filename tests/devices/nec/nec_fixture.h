/*
 * Shared fixture of the NEC tests: one loop on the virtual port, a fake pin
 * with the driver on it, and a log of every callback with its virtual time.
 */
#ifndef NEC_FIXTURE_H
#define NEC_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fake_pin.h"
#include "nec_ir.h"
#include "nec_wave.h"

typedef struct nf_rec {
    uint64_t t_us; /* virtual time of the callback */
    int data;
    uint16_t addr;
    /* Not compared by NF_EXPECT: from nec_ir_result() in the callback. */
    uint8_t bits;
    uint32_t raw, more;
    ua_ticks_t t;
} nf_rec_t;

/* What NF_EXPECT compares. */
typedef struct nf_want {
    uint64_t t_us;
    int data;
    uint16_t addr;
} nf_want_t;

#define NF_MAX_RECS 4096

typedef struct nec_fixture {
    ua_vport_t vp;
    ua_loop_t loop;
    fake_pin_t fp;
    nec_wave_t w;
    nec_ir_t ir;
    nf_rec_t rec[NF_MAX_RECS];
    size_t nrec;
} nec_fixture_t;

extern nec_fixture_t nf;

/* Fresh fixture; cfg NULL: defaults.  The driver is started. */
void nf_setup(uint32_t start_tick, const nec_ir_config_t *cfg);
void nf_teardown(void);

/* Expect exactly these callbacks (virtual time, data, addr). */
#define NF_EXPECT(...)                                                         \
    do {                                                                       \
        const nf_want_t nf__want[] = {__VA_ARGS__};                             \
        nf_expect(nf__want, sizeof nf__want / sizeof nf__want[0], __FILE__,    \
                  __LINE__);                                                   \
    } while (0)
void nf_expect(const nf_want_t *want, size_t n, const char *file, int line);

#endif
