/*
 * Fuzz entry point of the NEC decoder (libFuzzer's signature; also run by
 * fuzz_regress.c under the normal build, so CI exercises it).
 *
 * Input: byte 0 picks the configuration (bit 0: extended addresses, bit 1:
 * start just before the 32-bit tick wrap); then 2-byte little-endian
 * records, one pin edge each: bits 0-14 the time since the previous edge
 * (us), bit 15 set = an edge at the level the pin already has (which must
 * change nothing).  The driver runs on the virtual clock until 0.5 s after
 * the last edge.  Any broken invariant aborts:
 *  - every result is a command, NEC_REPEAT or one of the driver's errors;
 *    callbacks, stats and error counts agree;
 *  - no frame or repeat from a sequence that is not NEC: each one must sit,
 *    in the input, on a leader mark and space within the documented
 *    windows, followed by its bits (values included), a stop mark and
 *    silence.  (Checked when no pulse is shorter than glitch_us, where the
 *    driver removes edges.)
 *  - nothing is delivered before its block time.
 * No crash and no hang: ASan/UBSan and libFuzzer's timeout see to those.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_pin.h"
#include "nec_ir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Frames and repeats delivered and checked against the input, all runs
 * (so that the regression test can see the oracle was exercised). */
unsigned long nec_fuzz_checked;

#define MAX_EDGES 4096
#define MAX_RES 2048

typedef struct {
    uint64_t t_us;
    nec_ir_result_t r;
} got_t;

static struct {
    ua_vport_t vp;
    ua_loop_t loop;
    fake_pin_t fp;
    nec_ir_t ir;
    uint64_t et[MAX_EDGES]; /* normalised edges: times, levels alternate */
    int first_level;        /* level after et[0] */
    size_t ne;
    got_t res[MAX_RES];
    size_t nres, ncb;
} F;

static void on_result(int data, uint16_t addr, void *ctx)
{
    (void)ctx;
    const nec_ir_result_t *r = nec_ir_result(&F.ir);
    if (r->data != data || r->addr != addr)
        abort();
    F.ncb++;
    if (F.nres < MAX_RES)
        F.res[F.nres++] = (got_t){F.vp.now_us, *r};
}

static bool in(uint64_t x, uint64_t lo, uint64_t hi)
{
    return x >= lo && x <= hi;
}

/* Interval k of the burst whose first edge is et[i]; false if the input
 * has no edge to end it (then it lasts "for ever"). */
static bool iv(size_t i, size_t k, uint64_t *d)
{
    if (i + k + 1 >= F.ne)
        return false;
    *d = F.et[i + k + 1] - F.et[i + k];
    return true;
}

static bool bit_of(const nec_ir_result_t *r, int b)
{
    return b < 32 ? (r->raw >> b) & 1 : (r->more >> (b - 32)) & 1;
}

/* The input really holds this frame or repeat at r->t. */
static void check_structure(const nec_ir_result_t *r)
{
    uint64_t t = (uint32_t)(r->t - (ua_ticks_t)F.vp.tick_offset), d;
    size_t i = 0;
    while (i < F.ne && F.et[i] < t)
        i++;
    if (i >= F.ne || F.et[i] != t)
        abort();
    /* et[i] must take the line low: levels alternate from first_level */
    if (((i & 1) ? !F.first_level : F.first_level) != 0)
        abort();
    if (!iv(i, 0, &d) || !in(d, NEC_LEADER_MARK_MIN, NEC_LEADER_MARK_MAX))
        abort();
    bool rep = r->data == NEC_REPEAT;
    if (!iv(i, 1, &d) ||
        !(rep ? in(d, NEC_REPEAT_SPACE_MIN, NEC_REPEAT_SPACE_MAX)
              : in(d, NEC_DATA_SPACE_MIN, NEC_DATA_SPACE_MAX)))
        abort();
    int bits = rep ? 0 : r->bits;
    for (int b = 0; b < bits; b++) {
        if (!iv(i, 2 + 2 * (size_t)b, &d) ||
            !in(d, NEC_BIT_MIN, NEC_BIT_MARK_MAX))
            abort();
        if (!iv(i, 3 + 2 * (size_t)b, &d) ||
            !in(d, NEC_BIT_MIN, NEC_BIT_SPACE_MAX) ||
            (d >= NEC_ONE_SPACE_MIN) != bit_of(r, b))
            abort();
    }
    if (!iv(i, 2 + 2 * (size_t)bits, &d) || !in(d, NEC_BIT_MIN, NEC_BIT_MARK_MAX))
        abort();
    if (iv(i, 3 + 2 * (size_t)bits, &d) && d <= NEC_BIT_SPACE_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t conf = data[0];
    fp_free(&F.fp);
    memset(&F, 0, sizeof F);
    ua_vport_init(&F.vp, &F.loop, (conf & 2) ? 0xFFFFFFFFu - 50000u : 7,
                  false);
    ua_loop_enter(&F.loop);
    fp_init(&F.fp, &F.vp, &F.loop);
    nec_ir_config_t cfg = nec_ir_config_default();
    cfg.extended = conf & 1;
    cfg.cb = on_result;
    if (nec_ir_init(&F.ir, &F.fp.pin, &cfg) != 0 ||
        nec_ir_start(&F.ir, &F.loop) != 0)
        abort();

    uint64_t t = 1000;
    int level = 1;
    bool glitchy = false;
    F.first_level = 1;
    F.et[F.ne++] = 0; /* the idle line since time 0 */
    for (size_t p = 1; p + 1 < size && F.ne < MAX_EDGES; p += 2) {
        unsigned v = data[p] | (unsigned)data[p + 1] << 8;
        t += v & 0x7FFFu;
        if (!(v & 0x8000u)) {
            level = !level;
            if (t - F.et[F.ne - 1] < cfg.glitch_us)
                glitchy = true;
            F.et[F.ne++] = t;
        }
        fp_at(&F.fp, t, level);
    }
    uint64_t end = t + 500000;
    fp_run_until(&F.fp, end);

    const nec_ir_stats_t *st = nec_ir_stats(&F.ir);
    uint64_t counted = st->frames + st->repeats;
    for (int c = 1; c < NEC_CODES; c++)
        counted += st->errors[c];
    size_t overruns = 0;
    for (size_t k = 0; k < F.nres; k++) {
        const nec_ir_result_t *r = &F.res[k].r;
        bool frame = r->data >= 0 || r->data == NEC_BADDATA ||
                     r->data == NEC_BADADDR;
        if (r->data > 255 || r->data < NEC_BADLEADER)
            abort();
        if (r->data == NEC_OVERRUN)
            overruns++;
        if (frame && (r->bits < 32 || r->bits > NEC_MAX_BITS))
            abort();
        if (!frame && r->bits != 0)
            abort();
        if (frame || r->data == NEC_REPEAT) {
            uint64_t t0 = (uint32_t)(r->t - (ua_ticks_t)F.vp.tick_offset);
            if (F.res[k].t_us < t0 + F.ir.cfg.block_ms * 1000u)
                abort();
            if (!glitchy) {
                check_structure(r);
                nec_fuzz_checked++;
            }
        }
    }
    /* each callback counted once; a batch of lost results is one callback */
    if (F.nres < MAX_RES &&
        counted - st->errors[UA_ERR_OFFSET(UA_MOD_NEC, NEC_OVERRUN)] + overruns !=
            F.ncb)
        abort();
    nec_ir_stop(&F.ir);
    fp_run_until(&F.fp, end + 1);
    fp_free(&F.fp);
    return 0;
}
