/* NEC infrared receiver (see nec_ir.h). */
#include "nec_ir.h"

#define EDGES_MAX (NEC_FRAME_EDGES + 1)

/* --- Interrupt side -------------------------------------------------------- */

static void begin_burst(nec_ir_t *ir, ua_ticks_t when)
{
    ir->t0 = when;
    ir->last = when;
    ir->before = when;
    ir->n = 1;
    ir->extra = 0;
    ir->gen++;
    ir->state = NEC_S_COLLECT;
    ua_flag_set(&ir->flag);
}

/* Drop the last stored edge: it and the edge now arriving were a pulse too
 * short to be NEC, so the interval before it simply continues. */
static void remove_glitch(nec_ir_t *ir)
{
    ir->stats.glitches++;
    if (ir->extra > 0) {
        ir->extra--;
    } else if (ir->n > 1) {
        ir->n--;
    } else {
        ir->n = 0; /* the burst was nothing but the glitch */
        ir->state = NEC_S_READY;
        return;
    }
    ir->last = ir->before;
}

static void store_edge(nec_ir_t *ir, ua_ticks_t when)
{
    uint32_t dt = (uint32_t)(when - ir->last);

    if (ir->n < EDGES_MAX)
        ir->d[ir->n++ - 1] = dt > UINT16_MAX ? UINT16_MAX : (uint16_t)dt;
    else if (ir->extra < UINT16_MAX)
        ir->extra++;
    ir->before = ir->last;
    ir->last = when;
}

/*
 * Interrupt context.  Gaps are unsigned tick differences, so a quiet time of
 * exactly a multiple of 2^32 us (71.6 min) would look short: the one burst
 * that begins then is ignored as a tail -- lost, never misread.
 */
static void nec_isr(void *arg, int level, ua_ticks_t when)
{
    nec_ir_t *ir = arg;
    uint32_t gap = (uint32_t)(when - ir->last_raw);

    ir->last_raw = when;
    switch (ir->state) {
    case NEC_S_TAIL:
        if (gap < ir->cfg.gap_us)
            return;
        ir->state = NEC_S_READY;
        /* fall through */
    case NEC_S_READY:
        if (level == 0)
            begin_burst(ir, when);
        return;
    case NEC_S_COLLECT: {
        uint32_t dt = (uint32_t)(when - ir->last);
        if (dt < ir->cfg.glitch_us) {
            remove_glitch(ir);
        } else if (level == 0 && dt >= ir->cfg.gap_us) {
            ir->lost_t = when; /* a new burst; its edges cannot be kept */
            ir->state = NEC_S_LOST;
        } else {
            store_edge(ir, when);
        }
        return;
    }
    default: /* NEC_S_LOST: wait for the decoder */
        return;
    }
}

/* --- Decoding ------------------------------------------------------------- */

static bool in(uint32_t x, uint32_t lo, uint32_t hi)
{
    return x >= lo && x <= hi;
}

/* The 32 bits of a data frame whose leader is valid; *raw filled on 0. */
static int decode_bits(const nec_ir_t *ir, uint32_t *raw)
{
    const volatile uint16_t *d = ir->d;
    uint32_t v = 0;

    if (ir->n < NEC_FRAME_EDGES)
        return NEC_BADBLOCK;
    for (int b = 0; b < 32; b++) {
        uint32_t mark = d[2 + 2 * b], space = d[3 + 2 * b];
        if (!in(mark, NEC_BIT_MIN, NEC_BIT_MARK_MAX) ||
            !in(space, NEC_BIT_MIN, NEC_BIT_SPACE_MAX))
            return NEC_BADBLOCK;
        if (space > NEC_ONE_SPACE_MIN)
            v |= 1ul << b;
    }
    if (!in(d[66], NEC_BIT_MIN, NEC_BIT_MARK_MAX))
        return NEC_BADBLOCK;
    /* More edges: accept only further bits (a longer code), not a gap. */
    if (ir->n > NEC_FRAME_EDGES && !in(d[67], NEC_BIT_MIN, NEC_BIT_SPACE_MAX))
        return NEC_OVERRUN;
    *raw = v;
    return 0;
}

/* Check the byte layout: addr, ~addr (or a 16-bit address), cmd, ~cmd. */
static int check_frame(nec_ir_t *ir, uint32_t raw, nec_ir_result_t *r)
{
    uint8_t a = raw & 0xFF, na = (raw >> 8) & 0xFF;
    uint8_t cmd = (raw >> 16) & 0xFF, ncmd = (raw >> 24) & 0xFF;
    bool ext = (a ^ na) != 0xFF;

    r->addr = ext ? (uint16_t)(a | na << 8) : a;
    r->cmd = cmd;
    r->ext = ext;
    if (ext && !ir->cfg.extended)
        return NEC_BADADDR;
    if ((cmd ^ ncmd) != 0xFF)
        return NEC_BADDATA;
    return cmd;
}

static int decode_burst(nec_ir_t *ir, nec_ir_result_t *r)
{
    const volatile uint16_t *d = ir->d;
    uint32_t raw = 0;
    int st;

    r->t = ir->t0;
    if (ir->n < 2 || !in(d[0], NEC_LEADER_MARK_MIN + 1, NEC_LEADER_MARK_MAX))
        return NEC_BADSTART;
    if (ir->n < 3)
        return NEC_BADBLOCK;
    if (in(d[1], NEC_DATA_SPACE_MIN + 1, NEC_DATA_SPACE_MAX)) {
        st = decode_bits(ir, &raw);
        if (st < 0)
            return st;
        if (ir->n > NEC_FRAME_EDGES)
            ir->stats.long_frames++;
        return check_frame(ir, raw, r);
    }
    if (!in(d[1], NEC_REPEAT_SPACE_MIN + 1, NEC_DATA_SPACE_MIN))
        return NEC_BADSTART;
    if (ir->n != NEC_REPEAT_EDGES || ir->extra != 0 ||
        !in(d[2], NEC_BIT_MIN, NEC_BIT_MARK_MAX) || !ir->have_last ||
        (uint32_t)(ir->t0 - ir->last_ok_t) > NEC_REPEAT_WINDOW_US)
        return NEC_BADREP;
    return NEC_REPEAT;
}

/* Remember a valid frame or repeat; give a repeat the frame's values. */
static void note_result(nec_ir_t *ir, nec_ir_result_t *r)
{
    if (r->data >= 0) {
        ir->stats.frames++;
        ir->last_addr = r->addr;
        ir->last_cmd = r->cmd;
        ir->last_ext = r->ext;
    } else if (r->data == NEC_REPEAT) {
        ir->stats.repeats++;
        r->addr = ir->last_addr;
        r->cmd = ir->last_cmd;
        r->ext = ir->last_ext;
    } else {
        ir->stats.errors[UA_ERR_DRIVER_BASE - r->data]++;
        return;
    }
    ir->have_last = 1;
    ir->last_ok_t = r->t;
}

static void critical_enter(nec_ir_t *ir)
{
    const ua_port_t *p = ir->loop->port;
    if (p->critical_enter != NULL)
        p->critical_enter(p->ctx);
}

static void critical_exit(nec_ir_t *ir)
{
    const ua_port_t *p = ir->loop->port;
    if (p->critical_exit != NULL)
        p->critical_exit(p->ctx);
}

/*
 * Task context.  If the burst the task slept for is still the current one,
 * decode it into ir->res and hand the buffer back (true).  Otherwise note
 * the burst to wait for now, if any (false).
 */
static bool claim(nec_ir_t *ir)
{
    bool mine;

    critical_enter(ir);
    mine = ir->gen == ir->wait_gen &&
           (ir->state == NEC_S_COLLECT || ir->state == NEC_S_LOST);
    ir->nres = 0;
    if (mine) {
        nec_ir_result_t *r = &ir->res[0];
        *r = (nec_ir_result_t){0};
        r->data = (int16_t)decode_burst(ir, r);
        ir->nres = 1;
        if (ir->state == NEC_S_LOST) {
            ir->res[1] = (nec_ir_result_t){.data = NEC_OVERRUN,
                                           .t = ir->lost_t};
            ir->nres = 2;
        }
        ir->n = 0;
        ir->state = NEC_S_TAIL;
        ua_flag_clear(&ir->flag);
    } else if (ir->state == NEC_S_COLLECT || ir->state == NEC_S_LOST) {
        ir->wait_gen = ir->gen;
        ir->wait_t0 = ir->t0;
        ir->nres = 1; /* a newer burst to wait for */
    }
    critical_exit(ir);
    return mine;
}

static void deliver(nec_ir_t *ir)
{
    for (int i = 0; i < ir->nres; i++) {
        nec_ir_result_t *r = &ir->res[i];
        note_result(ir, r);
        if (ir->cfg.use_queue && ua_queue_put_nowait(&ir->queue, r) < 0)
            ir->stats.queue_drops++;
        if (ir->cfg.cb != NULL)
            ir->cfg.cb(r->data, r->addr, ir->cfg.ctx);
    }
}

/* The decoder task. */
static int nec_task(ua_task_t *self)
{
    nec_ir_t *ir = UA_CONTAINER_OF(self, nec_ir_t, task);
    uint32_t block_us = ir->cfg.block_ms * UA_TICKS_PER_MS;
    int32_t late = 0;

    UA_BEGIN(self, &ir->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &ir->flag, UA_FOREVER));
        critical_enter(ir);
        ir->wait_gen = ir->gen;
        ir->wait_t0 = ir->t0;
        critical_exit(ir);
        for (;;) {
            late = ua_ticks_diff(ua_loop_now(ir->loop), ir->wait_t0);
            if (late < (int32_t)block_us)
                UA_AWAIT(ua_sleep_us(self, (int32_t)block_us - late));
            if (claim(ir)) {
                deliver(ir);
                break;
            }
            if (ir->nres == 0)
                break; /* the burst was only a glitch */
        }
    }
    UA_END();
}

/* --- Application ------------------------------------------------------------- */

nec_ir_config_t nec_ir_config_default(void)
{
    return (nec_ir_config_t){.glitch_us = NEC_GLITCH_US, .gap_us = NEC_GAP_US};
}

int nec_ir_init(nec_ir_t *ir, ua_loop_t *loop, ua_pin_t *pin,
                const nec_ir_config_t *cfg)
{
    if (cfg->gap_us <= NEC_DATA_SPACE_MAX || cfg->gap_us > 13000 ||
        cfg->glitch_us >= NEC_BIT_MIN)
        return UA_EINVAL;
    *ir = (nec_ir_t){.loop = loop, .pin = pin, .cfg = *cfg};
    if (ir->cfg.block_ms == 0)
        ir->cfg.block_ms = cfg->extended ? NEC_BLOCK_EXT_MS : NEC_BLOCK_MS;
    ua_task_init(&ir->task, nec_task);
    ua_flag_init(&ir->flag, loop);
    return ua_queue_init(&ir->queue, ir->qbuf, sizeof ir->qbuf[0],
                         NEC_IR_QUEUE_LEN);
}

int nec_ir_start(nec_ir_t *ir)
{
    int st = ua_spawn(ir->loop, &ir->task);

    if (st < 0)
        return st;
    ir->state = NEC_S_READY;
    ir->n = 0;
    ua_flag_clear(&ir->flag);
    st = ua_pin_configure(ir->pin, UA_PIN_INPUT_PULLUP);
    if (st < 0) {
        ua_task_cancel(&ir->task);
        return st;
    }
    return ua_pin_set_irq(ir->pin, UA_EDGE_BOTH, nec_isr, ir);
}

void nec_ir_stop(nec_ir_t *ir)
{
    ua_pin_set_irq(ir->pin, 0, NULL, NULL);
    ua_task_cancel(&ir->task);
    ir->state = NEC_S_READY;
    ir->n = 0;
}

int nec_ir_get(ua_task_t *self, nec_ir_t *ir, nec_ir_result_t *out,
               int32_t timeout_ms)
{
    return ua_queue_get(self, &ir->queue, out, timeout_ms);
}

const nec_ir_stats_t *nec_ir_stats(const nec_ir_t *ir)
{
    return &ir->stats;
}

uint32_t nec_ir_error_count(const nec_ir_t *ir, int code)
{
    if (code < NEC_BADADDR || code > NEC_BADSTART)
        return 0;
    return ir->stats.errors[UA_ERR_DRIVER_BASE - code];
}

const char *nec_ir_err_name(int code)
{
#define NEC__NAME(name, off, msg)                                              \
    if (code == UA_ERR_DRIVER_BASE - (off))                                    \
        return #name;
    NEC_ERRNO_MAP(NEC__NAME)
#undef NEC__NAME
    return ua_err_name(code);
}

const char *nec_ir_strerror(int code)
{
#define NEC__MSG(name, off, msg)                                               \
    if (code == UA_ERR_DRIVER_BASE - (off))                                    \
        return msg;
    NEC_ERRNO_MAP(NEC__MSG)
#undef NEC__MSG
    return ua_strerror(code);
}
