/* NEC infrared receiver (see nec_ir.h). */
#include "nec_ir.h"

#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 }; /* the lifecycle */

/*
 * Decoder states.  READY: the line has been quiet for gap_us, the next mark
 * is a burst's first (if not a leader it is reported, NEC_BADLEADER).
 * SKIP: inside something already reported or finished; ignored until the
 * line is quiet again or a valid leader comes.  The others expect the next
 * interval of a burst that is still NEC.
 */
enum {
    S_READY = 0,
    S_SKIP,
    S_LSPACE, /* the leader space */
    S_MARK1,  /* the mark after it: a bit's or a repeat's stop mark */
    S_SPACE1, /* after it: a bit space (frame) or the end (repeat) */
    S_BMARK,  /* a bit mark or the stop mark */
    S_BSPACE  /* a bit space or the end of the frame */
};

static bool in(uint32_t x, uint32_t lo, uint32_t hi)
{
    return x >= lo && x <= hi;
}

static ua_ticks_t later(ua_ticks_t a, ua_ticks_t b)
{
    return ua_ticks_diff(a, b) >= 0 ? a : b;
}

static uint32_t block_us(const nec_ir_t *ir)
{
    return (uint32_t)ir->cfg.block_ms * UA_TICKS_PER_MS;
}

/* --- Decoding (interrupt context, or the task with interrupts masked) ---- */

/* Queue a finished burst for the task.  A frame or repeat is due at the
 * block time after its first edge, or when its end is certain if later;
 * an error at once (`now`, when it became known). */
static void finish(nec_ir_t *ir, int code, ua_ticks_t t0, ua_ticks_t now)
{
    ua_ticks_t due = now;

    if (code == 0 || code == NEC_REPEAT)
        due = later(ua_ticks_add(t0, block_us(ir)),
                    ua_ticks_add(ir->w_end, NEC_BIT_SPACE_MAX + 1));
    if (ir->r_n >= NEC_IR_RING) {
        if (ir->lost == 0)
            ir->lost_t = t0;
        if (ir->lost < UINT16_MAX)
            ir->lost++;
    } else {
        nec_ir_rec_t *r = &ir->ring[(ir->r_head + ir->r_n) % NEC_IR_RING];
        r->t0 = t0;
        r->due = due;
        r->code = (int16_t)code;
        r->bits = code == 0 ? ir->nbits : 0;
        r->raw = code == 0 ? ir->w_bits[0] : 0;
        r->more = code == 0 ? ir->w_bits[1] : 0;
        ir->r_n++;
    }
    ua_flag_set(&ir->flag);
}

static void feed(nec_ir_t *ir, int level, ua_ticks_t start, uint32_t dur,
                 bool open, ua_ticks_t now);

/* The burst being decoded fails with `code`; the interval that showed it
 * is looked at again as junk (a mark may be a new leader). */
static void abandon(nec_ir_t *ir, int code, int level, ua_ticks_t start,
                    uint32_t dur, bool open, ua_ticks_t now)
{
    finish(ir, code, ir->w_t0, now);
    ir->st = S_SKIP;
    feed(ir, level, start, dur, open, now);
}

/*
 * One interval of the line at `level` (0: a mark) from `start`, `dur` us
 * long.  `open`: it has not ended yet, `dur` is its length so far; it is
 * acted on only once the outcome no longer depends on when it ends, so the
 * result never depends on when the task looked.
 */
static void feed(nec_ir_t *ir, int level, ua_ticks_t start, uint32_t dur,
                 bool open, ua_ticks_t now)
{
    bool mark = level == 0;

    switch (ir->st) {
    case S_READY:
    case S_SKIP:
        if (!mark) {
            if (dur >= ir->cfg.gap_us && ir->st == S_SKIP) {
                ir->st = S_READY;
                if (!open) /* a mark is starting: see next_look() */
                    ua_flag_set(&ir->flag);
            }
            return;
        }
        if (open) {
            if (ir->st == S_READY && dur > NEC_LEADER_MARK_MAX) {
                finish(ir, NEC_BADLEADER, start, now);
                ir->st = S_SKIP;
            }
            return;
        }
        if (in(dur, NEC_LEADER_MARK_MIN, NEC_LEADER_MARK_MAX)) {
            ir->w_t0 = start;
            ir->w_end = ua_ticks_add(start, dur);
            ir->w_bits[0] = ir->w_bits[1] = 0;
            ir->nbits = 0;
            ir->st = S_LSPACE;
            ua_flag_set(&ir->flag); /* the task's deadline: w_t0 + block */
        } else if (ir->st == S_READY) {
            finish(ir, NEC_BADLEADER, start, now);
            ir->st = S_SKIP;
        }
        return;
    case S_LSPACE:
        if (dur >= ir->cfg.gap_us) { /* a leader and nothing else */
            finish(ir, NEC_BADBLOCK, ir->w_t0, now);
            ir->st = S_READY;
        } else if (!open) {
            if (in(dur, NEC_REPEAT_SPACE_MIN, NEC_DATA_SPACE_MAX)) {
                ir->w_space = dur;
                ir->st = S_MARK1;
            } else {
                abandon(ir, NEC_BADSTART, level, start, dur, open, now);
            }
        }
        return;
    case S_MARK1:
    case S_BMARK:
        if (open ? dur > NEC_BIT_MARK_MAX
                 : !in(dur, NEC_BIT_MIN, NEC_BIT_MARK_MAX)) {
            abandon(ir, NEC_BADBLOCK, level, start, dur, open, now);
        } else if (!open) {
            ir->w_end = ua_ticks_add(start, dur);
            ir->st = ir->st == S_MARK1 ? S_SPACE1 : S_BSPACE;
        }
        return;
    case S_SPACE1:
    case S_BSPACE:
        if (dur > NEC_BIT_SPACE_MAX) { /* the end of the burst */
            int code;
            if (ir->st == S_BSPACE)
                code = ir->nbits >= 32 ? 0 : NEC_BADBLOCK;
            else
                code = ir->w_space <= NEC_REPEAT_SPACE_MAX ? NEC_REPEAT
                                                           : NEC_BADBLOCK;
            finish(ir, code, ir->w_t0, now);
            ir->st = S_SKIP;
            feed(ir, level, start, dur, open, now);
            return;
        }
        if (open)
            return;
        if (dur < NEC_BIT_MIN) {
            abandon(ir, NEC_BADBLOCK, level, start, dur, open, now);
        } else if (ir->st == S_SPACE1 && ir->w_space < NEC_DATA_SPACE_MIN) {
            /* a repeat's leader followed by bits */
            abandon(ir, NEC_BADREP, level, start, dur, open, now);
        } else if (ir->nbits >= NEC_MAX_BITS) {
            abandon(ir, NEC_OVERRUN, level, start, dur, open, now);
        } else {
            uint8_t b = ir->nbits;
            if (dur >= NEC_ONE_SPACE_MIN)
                ir->w_bits[b >> 5] |= 1ul << (b & 31);
            ir->nbits = (uint8_t)(b + 1);
            ir->st = S_BMARK;
        }
        return;
    default:
        return;
    }
}

/* The provisional edge stays: the interval before it is final. */
static void confirm(nec_ir_t *ir, ua_ticks_t now)
{
    ua_ticks_t start = ir->ct;
    int level = ir->lvl;

    ir->ct = ir->pt;
    ir->lvl = (uint8_t)!level;
    ir->has_p = 0;
    feed(ir, level, start, (uint32_t)(ir->pt - start), false, now);
}

/*
 * Interrupt context: edges only.  The last edge is provisional for
 * glitch_us: an edge back within that time removes both (a pulse too short
 * to be NEC).  Durations are unsigned tick differences, so a quiet time of
 * exactly a multiple of 2^32 us (71.6 min) looks short: the burst that
 * begins then may be lost, never misread.
 */
static void nec_isr(void *arg, int level, ua_ticks_t when)
{
    nec_ir_t *ir = arg;

    level = level != 0;
    if (!ir->has_p) {
        if (level == ir->lvl)
            return; /* no change (an edge the pin saw twice) */
    } else {
        if (level != ir->lvl)
            return;
        if ((uint32_t)(when - ir->pt) < ir->cfg.glitch_us) {
            ir->has_p = 0;
            ir->stats.glitches++;
            return;
        }
        confirm(ir, when);
    }
    ir->pt = when;
    ir->has_p = 1;
    /* A mark on a quiet line may begin a burst: the task must look by its
     * block time, also if the line then stays low (see next_look()). */
    if (level == 0 && (ir->st == S_READY ||
                       (uint32_t)(when - ir->ct) >= ir->cfg.gap_us))
        ua_flag_set(&ir->flag);
}

/* Task, interrupts masked: confirm an edge old enough, and act on the
 * interval still open if its outcome is already certain. */
static void settle(nec_ir_t *ir, ua_ticks_t now)
{
    if (ir->has_p) {
        if ((uint32_t)(now - ir->pt) < ir->cfg.glitch_us)
            return;
        confirm(ir, now);
    }
    feed(ir, ir->lvl, ir->ct, (uint32_t)(now - ir->ct), true, now);
}

/* How long the task may sleep (-1: until the flag): until the head record
 * is due, or until the burst in progress can be finished. */
static int32_t next_look(const nec_ir_t *ir, ua_ticks_t now)
{
    ua_ticks_t t0, at;
    uint32_t after;

    if (ir->r_n > 0) {
        int32_t d = ua_ticks_diff(ir->ring[ir->r_head].due, now);
        return d > 0 ? d : 0;
    }
    if (ir->st >= S_LSPACE)
        t0 = ir->w_t0;
    else if (ir->st == S_READY && ir->lvl == 0)
        t0 = ir->ct; /* a mark began on a quiet line */
    else if (ir->has_p && ir->lvl == 1 &&
             (ir->st == S_READY ||
              (uint32_t)(ir->pt - ir->ct) >= ir->cfg.gap_us))
        t0 = ir->pt; /* one may be beginning */
    else
        return -1;
    at = ua_ticks_add(t0, block_us(ir));
    if (ir->has_p) {
        at = later(at, ua_ticks_add(ir->pt, ir->cfg.glitch_us));
    } else {
        switch (ir->st) {
        case S_LSPACE: after = ir->cfg.gap_us; break;
        case S_MARK1:
        case S_BMARK: after = NEC_BIT_MARK_MAX + 1; break;
        case S_SPACE1:
        case S_BSPACE: after = NEC_BIT_SPACE_MAX + 1; break;
        default: after = NEC_LEADER_MARK_MAX + 1; break;
        }
        at = later(at, ua_ticks_add(ir->ct, after));
    }
    int32_t d = ua_ticks_diff(at, now);
    return d > 0 ? d : 1; /* never spin: settle() made the progress due */
}

/* --- Delivery (task context) ------------------------------------------- */

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
        ir->stats.errors[UA_ERR_OFFSET(UA_MOD_NEC, r->data)]++;
        return;
    }
    ir->have_last = 1;
    ir->last_ok_t = r->t;
}

static void critical_enter(nec_ir_t *ir)
{
    ua_critical_enter(ir->loop);
}

static void critical_exit(nec_ir_t *ir)
{
    ua_critical_exit(ir->loop);
}

static void deliver(nec_ir_t *ir, const nec_ir_rec_t *rec)
{
    nec_ir_result_t *r = &ir->cur;

    *r = (nec_ir_result_t){.t = rec->t0, .bits = rec->bits, .raw = rec->raw,
                           .more = rec->more};
    if (rec->code == 0) {
        r->data = (int16_t)check_frame(ir, rec->raw, r);
        if (r->data >= 0 && rec->bits > 32)
            ir->stats.long_frames++;
    } else if (rec->code == NEC_REPEAT &&
               (!ir->have_last || (uint32_t)(rec->t0 - ir->last_ok_t) >
                                      NEC_REPEAT_WINDOW_US)) {
        r->data = NEC_BADREP; /* orphan or stale: see nec_ir.h */
    } else {
        r->data = rec->code;
    }
    note_result(ir, r);
    if (ir->cfg.use_queue && ua_queue_put_nowait(&ir->queue, r) < 0)
        ir->stats.queue_drops++;
    if (ir->cfg.cb != NULL)
        ir->cfg.cb(r->data, r->addr, ir->cfg.ctx);
}

/* The decoder task: deliver records when due; finish a burst the line
 * left open (a frame's end is silence) at its block time.  One task serves
 * every start: nec_ir_stop cancels it, and if nec_ir_start comes before it
 * has finished (the next pass), it carries on with the new start's ring
 * and flag instead of ending. */
static int nec_task(ua_task_t *self)
{
    nec_ir_t *ir = UA_CONTAINER_OF(self, nec_ir_t, task);
    nec_ir_rec_t rec;
    uint16_t lost;
    ua_ticks_t lost_t;
    ua_ticks_t now;
    bool got;
    int st;

    UA_BEGIN(self, &ir->co);
    ir->task_up = 1;
    while (ir->state == ST_STARTED) {
        critical_enter(ir);
        now = ua_loop_now(ir->loop);
        settle(ir, now);
        lost = ir->lost;
        lost_t = ir->lost_t;
        ir->lost = 0;
        got = ir->r_n > 0 &&
              ua_ticks_diff(now, ir->ring[ir->r_head].due) >= 0;
        if (got) {
            rec = ir->ring[ir->r_head];
            ir->r_head = (uint8_t)((ir->r_head + 1) % NEC_IR_RING);
            ir->r_n--;
        }
        ir->wait_us = next_look(ir, now);
        critical_exit(ir);
        if (lost > 0) {
            /* Counted exactly; reported once for the batch. */
            nec_ir_rec_t ov = {.t0 = lost_t, .code = NEC_OVERRUN};
            ir->stats.errors[UA_ERR_OFFSET(UA_MOD_NEC, NEC_OVERRUN)] += lost - 1u;
            deliver(ir, &ov);
        }
        if (got)
            deliver(ir, &rec); /* the callback may stop, or stop and start */
        if (got || lost > 0)
            continue;
        /* Cancelled by a stop: the loop condition ends the task, unless a
         * start came meanwhile. */
        UA_AWAIT_STATUS(st, ua_flag_wait_us(self, &ir->flag, ir->wait_us));
        (void)st;
    }
    UA_END();
}

/* --- Application ------------------------------------------------------------- */

nec_ir_config_t nec_ir_config_default(void)
{
    return (nec_ir_config_t){.glitch_us = NEC_GLITCH_US, .gap_us = NEC_GAP_US};
}

int nec_ir_init(nec_ir_t *ir, ua_pin_t *pin, const nec_ir_config_t *cfg)
{
    if (ir->state == ST_STARTED)
        return UA_EBUSY;
    if (cfg->gap_us <= NEC_DATA_SPACE_MAX || cfg->gap_us > 13000 ||
        cfg->glitch_us >= NEC_BIT_MIN)
        return UA_EINVAL;
    /* The task and the lifecycle fields before `loop` survive: a task
     * still finishing a stop is linked in the loop (see Lifecycle). */
    memset(&ir->loop, 0, sizeof *ir - offsetof(nec_ir_t, loop));
    ir->pin = pin;
    ir->cfg = *cfg;
    if (ir->cfg.block_ms == 0)
        ir->cfg.block_ms = cfg->extended ? NEC_BLOCK_EXT_MS : NEC_BLOCK_MS;
    return ua_queue_init(&ir->queue, ir->qbuf, sizeof ir->qbuf[0],
                         NEC_IR_QUEUE_LEN);
}

/* Forget any burst in progress and every record (task context). */
static void reset(nec_ir_t *ir, int level)
{
    ir->has_p = 0;
    ir->lvl = (uint8_t)(level != 0);
    ir->ct = ua_loop_now(ir->loop);
    /* A line already low is a mark of unknown start: junk until quiet. */
    ir->st = level != 0 ? S_READY : S_SKIP;
    ir->r_head = ir->r_n = 0;
    ir->lost = 0;
}

int nec_ir_start(nec_ir_t *ir, ua_loop_t *loop)
{
    int st;

    if (ir->state == ST_STARTED)
        return UA_EBUSY;
    if ((st = ua_pin_configure(ir->pin, UA_PIN_INPUT_PULLUP)) < 0)
        return st;
    if ((st = ua_flag_init(&ir->flag, loop)) < 0)
        return st;
    ir->loop = loop;
    if (!ua_task_running(&ir->task)) {
        ua_task_init(&ir->task, nec_task);
        ir->co = (ua_co_t){0};
        ir->task_up = 0;
        if ((st = ua_spawn(loop, &ir->task)) < 0) {
            ua_flag_deinit(&ir->flag);
            return st;
        }
    }
    reset(ir, ua_pin_read(ir->pin));
    ir->state = ST_STARTED;
    if ((st = ua_pin_set_irq(ir->pin, UA_EDGE_BOTH, nec_isr, ir)) < 0)
        nec_ir_stop(ir);
    return st;
}

void nec_ir_stop(nec_ir_t *ir)
{
    if (ir->state != ST_STARTED)
        return;
    ua_pin_set_irq(ir->pin, 0, NULL, NULL);
    ir->state = ST_STOPPED;
    /* From the callback the task is the caller (UA_ESELF): it leaves its
     * loop when the callback returns.  A task that has not run yet is left
     * alone: cancelled, it would finish without running and a start before
     * the next pass would have no task; run, it sees the state and ends
     * (or serves the new start). */
    if (ir->task_up)
        ua_task_cancel(&ir->task);
    ua_flag_deinit(&ir->flag);
    ua_queue_fail_waiters(&ir->queue, NEC_ESTOPPED);
    reset(ir, 1);
}

bool nec_ir_stopped(const nec_ir_t *ir)
{
    return ir->state != ST_STARTED && !ua_task_running(&ir->task);
}

int nec_ir_get(ua_task_t *self, nec_ir_t *ir, nec_ir_result_t *out,
               int32_t timeout_ms)
{
    /* A first call on a stopped receiver with nothing queued would wait
     * for ever; a resumed call must reach ua_queue_get for its outcome. */
    if (ir->state != ST_STARTED && ua_await_is_first(self) &&
        ua_queue_empty(&ir->queue))
        return NEC_ESTOPPED;
    return ua_queue_get(self, &ir->queue, out, timeout_ms);
}

const nec_ir_stats_t *nec_ir_stats(const nec_ir_t *ir)
{
    return &ir->stats;
}

const nec_ir_result_t *nec_ir_result(const nec_ir_t *ir)
{
    return &ir->cur;
}

uint32_t nec_ir_error_count(const nec_ir_t *ir, int code)
{
    if (code < NEC_BADLEADER || code > NEC_BADSTART)
        return 0;
    return ir->stats.errors[UA_ERR_OFFSET(UA_MOD_NEC, code)];
}

const char *nec_ir_err_name(int code)
{
    return ua_err_name(code);
}

const char *nec_ir_strerror(int code)
{
    return ua_strerror(code);
}
