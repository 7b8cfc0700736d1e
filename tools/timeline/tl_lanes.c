/*
 * Records -> lanes: the task state machine, hardware spans, and the small
 * helpers (seek, describe, time formatting) that the renderer and the viewer
 * share.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_trace.h"

#define UART_GUESS_NS 86806u /* one 8N1 frame at 115200 baud */

static void push(tl_lane_t *l, const tl_item_t *it)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (l->items == NULL)
            abort();
    }
    l->items[l->n++] = *it;
    if (it->t1 > l->t1_max)
        l->t1_max = it->t1;
}

/* The lane of (type, board, obj); created on first use.  A one-entry
 * cache per type keeps a million-record trace linear. */
static tl_lane_t *lane_get(tl_trace_t *tr, enum tl_lane_type type,
                           unsigned board, uint32_t obj)
{
    static size_t last[TL_LANE_TYPES];
    size_t c = last[type];
    if (c < tr->nlanes && tr->lanes[c].type == type &&
        tr->lanes[c].board == board && tr->lanes[c].obj == obj)
        return &tr->lanes[c];
    for (size_t i = 0; i < tr->nlanes; i++) {
        tl_lane_t *l = &tr->lanes[i];
        if (l->type == type && l->board == board && l->obj == obj) {
            last[type] = i;
            return l;
        }
    }
    if (tr->nlanes == tr->caplanes) {
        tr->caplanes = tr->caplanes ? 2 * tr->caplanes : 16;
        tr->lanes = realloc(tr->lanes, tr->caplanes * sizeof *tr->lanes);
        if (tr->lanes == NULL)
            abort();
    }
    tl_lane_t *l = &tr->lanes[tr->nlanes];
    memset(l, 0, sizeof *l);
    l->type = type;
    l->board = board;
    l->obj = obj;
    last[type] = tr->nlanes++;
    return l;
}

/* --- tasks ------------------------------------------------------------------- */

static void task_set(tl_lane_t *l, int st, uint64_t t, uint32_t rec)
{
    if (t < l->since)
        t = l->since;
    if (l->state != TL_ST_NONE && l->state != TL_ST_DONE &&
        (t > l->since || l->state == TL_ST_RUN)) {
        tl_item_t it = {.t0 = l->since, .t1 = t, .rec = rec,
                        .val = (uint16_t)l->state,
                        .a = l->state == TL_ST_READY ? l->by : 0};
        push(l, &it);
    }
    l->state = st;
    l->since = t;
}

/* Board tick origin: a deadline never fires early, and most fire on time,
 * so the largest (deadline - time in us) seen is the tick at time 0.
 * Followed record by record as they are added (tl_trace_add), so the
 * records are not read again for it. */
void tl__note_timer_fire(tl_trace_t *tr, const tl_rec_t *r)
{
    if (r->kind != UA_TR_TIMER_FIRE || r->board >= 16)
        return;
    uint32_t off = r->arg - (uint32_t)(r->t_ns / 1000);
    if (!tr->fire_seen[r->board] ||
        (int32_t)(off - tr->fire_offset[r->board]) > 0)
        tr->fire_offset[r->board] = off;
    tr->fire_seen[r->board] = true;
}

static void infer_start_ticks(tl_trace_t *tr)
{
    for (unsigned b = 0; b < 16; b++)
        if (!tr->has_start_tick[b])
            tr->start_tick[b] = tr->fire_offset[b];
}

static uint64_t deadline_ns(const tl_trace_t *tr, const tl_rec_t *r)
{
    uint64_t us = r->t_ns / 1000;
    /* only the header's 16 boards have a tick origin: 0 for the others */
    int64_t origin = r->board < 16 ? tr->start_tick[r->board] : 0;
    uint32_t now_tick = (uint32_t)(us + (uint64_t)origin);
    int32_t diff = (int32_t)(r->arg - now_tick);
    if (diff >= 0)
        return r->t_ns;
    return (uint64_t)-diff > us ? 0 : (us + (uint64_t)(int64_t)diff) * 1000;
}

/* When a blocked task that left no wake record became ready (a trace from
 * before wake records): its deadline, or for an ISR flag the pass that saw
 * it (which interrupt set the flag the trace cannot tell); 0 when the trace
 * cannot tell at all (another task woke it). */
static uint64_t ready_time(tl_trace_t *tr, const tl_lane_t *l,
                           const tl_rec_t *r)
{
    if (r->arg == UA_WAKE_TIMEOUT && l->armed) {
        /* the tick origin inferred from the whole trace is not known yet */
        if (tr->lanes_only && r->board < 16 && !tr->has_start_tick[r->board])
            tr->restart = true;
        tl_rec_t d = *r;
        d.arg = l->deadline;
        return deadline_ns(tr, &d);
    }
    if (r->arg == UA_WAKE_GRANT && l->where == UA_W_FLAG)
        return l->acc;
    return 0;
}

static void task_rec(tl_trace_t *tr, const tl_rec_t *r, uint32_t ri)
{
    tl_lane_t *l = lane_get(tr, TL_LANE_TASK, r->board, r->obj);
    if (l->name[0] == '\0') {
        const char *nm = r->obj < 256 ? tr->task_names[r->obj] : NULL;
        if (nm == NULL || strcmp(nm, "-") == 0)
            nm = r->name ? tl_trace_name(tr, r->name) : NULL;
        if (nm != NULL && nm[0])
            snprintf(l->name, sizeof l->name, "%s", nm);
        else
            snprintf(l->name, sizeof l->name, "task%u", r->obj);
    }
    switch (r->kind) {
    case UA_TR_SPAWN:
        l->by = 0;
        task_set(l, TL_ST_READY, r->t_ns, ri);
        break;
    case UA_TR_WAKE:
        if (l->state == TL_ST_BLOCKED) {
            l->by = r->arg2;
            task_set(l, TL_ST_READY, r->t_ns, ri);
        }
        break;
    case UA_TR_RESUME:
        if (l->state == TL_ST_BLOCKED) { /* no wake record */
            uint64_t t = ready_time(tr, l, r);
            l->by = 0;
            if (t > l->since && t < r->t_ns)
                task_set(l, TL_ST_READY, t, ri);
        }
        task_set(l, TL_ST_RUN, r->t_ns, ri);
        l->acc = 0;
        l->armed = false;
        break;
    case SIM_TR_STEP:
        if (l->state == TL_ST_RUN) {
            l->acc = r->arg;
        } else if (l->n && l->items[l->n - 1].val == TL_ST_RUN &&
                   l->items[l->n - 1].t0 == r->t_ns) {
            /* the step closed at the same instant: stretch it to its cost */
            tl_item_t *it = &l->items[l->n - 1];
            if (r->t_ns + r->arg > it->t1)
                it->t1 = r->t_ns + r->arg;
            if (it->t1 > l->t1_max)
                l->t1_max = it->t1;
            if (l->since < it->t1)
                l->since = it->t1;
        }
        break;
    case UA_TR_TIMER_ARM:
        l->armed = true;
        l->deadline = r->arg;
        break;
    case UA_TR_SUSPEND:
    case UA_TR_DONE: {
        uint64_t t = r->t_ns;
        if (l->state == TL_ST_RUN && l->since + l->acc > t)
            t = l->since + l->acc;
        l->acc = 0;
        int st = r->kind == UA_TR_DONE ? TL_ST_DONE
                 : (r->arg == UA_W_READY || r->arg == UA_W_IOREADY)
                     ? TL_ST_READY
                     : TL_ST_BLOCKED;
        l->where = r->kind == UA_TR_DONE ? UA_W_DONE : r->arg;
        l->by = 0;
        task_set(l, st, t, ri);
        break;
    }
    case UA_TR_FLAG_SET: /* remembered until the resume (acc is free then) */
        if (l->state == TL_ST_BLOCKED)
            l->acc = r->t_ns;
        break;
    case UA_TR_CANCEL: /* after its wake record, unless a trace lacks it */
        if (l->state == TL_ST_BLOCKED) {
            l->by = 0;
            task_set(l, TL_ST_READY, r->t_ns, ri);
        }
        break;
    default: /* timer_fire comes at pass time, maybe after the resume */
        break;
    }
}

/* --- hardware ------------------------------------------------------------------ */

__attribute__((format(printf, 2, 3)))
static void name_lane(tl_lane_t *l, const char *fmt, ...)
{
    va_list ap;
    if (l->name[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(l->name, sizeof l->name, fmt, ap);
    va_end(ap);
}

static void hw_rec(tl_trace_t *tr, const tl_rec_t *r, uint32_t ri)
{
    const char *nm = tl_trace_name(tr, r->name);
    tl_lane_t *l;
    tl_item_t it = {.t0 = r->t_ns, .t1 = r->t_ns, .rec = ri};

    switch (r->kind) {
    case SIM_TR_PIN:
        /* One lane per board and name: pins of the same name on two boards
         * are two wires.  A model's pin (no board) named like a board's pin
         * is dropped at the end: it is wired to it and shows its edges. */
        l = lane_get(tr, TL_LANE_PIN, r->board, r->name);
        if (l->name[0] == '\0')
            l->order = r->obj;
        name_lane(l, "%s", nm);
        if (l->state == 1 + (r->arg != 0))
            break; /* the same level seen by another pin of the net */
        if (l->state) {
            it.t0 = l->since;
            it.val = (uint16_t)(l->state - 1);
            push(l, &it);
        }
        l->state = 1 + (r->arg != 0);
        l->since = r->t_ns;
        break;
    case SIM_TR_IRQ_ENTER:
        l = lane_get(tr, TL_LANE_IRQ, r->board, 0);
        name_lane(l, "irq b%u", r->board);
        l->since = r->t_ns;
        l->state = 1;
        break;
    case SIM_TR_POWER:
        if (r->obj != 0)
            break; /* a load's current: in the hover text of the records */
        l = lane_get(tr, TL_LANE_POWER, r->board, 0);
        name_lane(l, "power b%u", r->board);
        if (l->state) {
            it.t0 = l->since;
            it.val = (uint16_t)(l->state - 1);
            push(l, &it);
        }
        l->state = 1 + (int)r->arg;
        l->since = r->t_ns;
        break;
    case SIM_TR_IRQ_EXIT:
        l = lane_get(tr, TL_LANE_IRQ, r->board, 0);
        name_lane(l, "irq b%u", r->board);
        it.t0 = l->state ? l->since : r->t_ns;
        it.val = (uint16_t)r->arg;
        it.a = r->obj;
        it.b = r->name; /* the source's name: no need of the record */
        push(l, &it);
        l->state = 0;
        break;
    case SIM_TR_UART_TX:
    case SIM_TR_UART_RX: {
        bool rx = r->kind == SIM_TR_UART_RX;
        l = lane_get(tr, TL_LANE_UART, r->board, r->obj * 2 + rx);
        snprintf(l->name, sizeof l->name, "uart%u %s", r->obj, rx ? "rx" : "tx");
        it.t0 = r->arg2 && r->arg2 <= r->t_ns ? r->t_ns - r->arg2 : r->t_ns;
        it.val = (uint16_t)(r->arg & 0xFF);
        it.flags = (uint16_t)((rx ? TL_F_READ : 0) |
                              (r->arg & 0x300 ? TL_F_ERROR : 0) |
                              (r->arg2 ? 0 : TL_F_GUESS));
        push(l, &it);
        break;
    }
    case SIM_TR_I2C_START:
        l = lane_get(tr, TL_LANE_I2C, r->board, r->obj);
        name_lane(l, "i2c%u", r->obj);
        if (l->state == 0) {
            l->state = 1;
            l->since = r->t_ns;
            l->acc = r->arg; /* first address and R/W */
        } else if (r->arg & 1) {
            l->acc |= 0x10000; /* repeated start for a read */
        }
        l->acc |= 0x40000; /* the next byte is the address */
        break;
    case SIM_TR_I2C_BYTE:
        /* count data bytes; a NACK is an error unless it is the master's
         * NACK that ends a read */
        l = lane_get(tr, TL_LANE_I2C, r->board, r->obj);
        if (l->acc & 0x40000)
            l->acc &= ~0x40000ull;
        else
            l->acc += 1ull << 32;
        if ((r->arg & 0x100) && !(r->arg & 0x200))
            l->acc |= 0x20000;
        break;
    case SIM_TR_I2C_STOP:
        l = lane_get(tr, TL_LANE_I2C, r->board, r->obj);
        name_lane(l, "i2c%u", r->obj);
        it.t0 = l->state ? l->since : r->t_ns;
        it.val = (uint16_t)((l->acc & 0xFF) >> 1);
        it.a = (uint32_t)(l->acc >> 32);
        it.b = (uint32_t)r->arg;
        it.flags = (uint16_t)((l->acc & 1 ? TL_F_READ : 0) |
                              (l->acc & 0x10000 ? TL_F_REPEAT : 0) |
                              (l->acc & 0x20000 || r->arg ? TL_F_ERROR : 0));
        push(l, &it);
        l->state = 0;
        l->acc = 0;
        break;
    case SIM_TR_NEC_FRAME:
    case SIM_TR_NEC_REPEAT:
        l = lane_get(tr, TL_LANE_NEC, r->board, r->name);
        name_lane(l, "nec %s", nm);
        it.a = r->arg;
        it.b = r->arg2;
        it.flags = r->kind == SIM_TR_NEC_REPEAT ? TL_F_REPEAT : 0;
        push(l, &it);
        break;
    case SIM_TR_NOTE:
        l = lane_get(tr, TL_LANE_NOTE, 0, 0);
        name_lane(l, "notes");
        it.a = r->arg;
        it.b = r->arg2;
        push(l, &it);
        break;
    default:
        break;
    }
}

/* The text trace has no frame duration: take the closest spacing of two
 * byte ends (bytes sent back to back), or one 115200-baud frame. */
static void uart_guess(tl_lane_t *l)
{
    uint64_t best = UINT64_MAX;
    for (size_t i = 1; i < l->n; i++) {
        uint64_t gap = l->items[i].t1 - l->items[i - 1].t1;
        if (gap > 0 && gap < best)
            best = gap;
    }
    if (best == UINT64_MAX || best > 10ull * UART_GUESS_NS)
        best = UART_GUESS_NS;
    for (size_t i = 0; i < l->n; i++) {
        tl_item_t *it = &l->items[i];
        if (it->flags & TL_F_GUESS)
            it->t0 = it->t1 > best ? it->t1 - best : 0;
    }
}

static int lane_order(const void *a, const void *b)
{
    const tl_lane_t *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->board != y->board)
        return x->board < y->board ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->obj < y->obj ? -1 : x->obj > y->obj;
}

/* Drop model pins (no board) named like a board's pin: wired to it, they
 * repeat its edges.  Then, with several boards, say whose each lane is. */
static void finish_names(tl_trace_t *tr)
{
    size_t k = 0;
    for (size_t i = 0; i < tr->nlanes; i++) {
        tl_lane_t *l = &tr->lanes[i];
        bool mirror = false;
        if (l->type == TL_LANE_PIN && l->board == SIM_NO_BOARD)
            for (size_t j = 0; j < tr->nlanes && !mirror; j++)
                mirror = tr->lanes[j].type == TL_LANE_PIN &&
                         tr->lanes[j].board != SIM_NO_BOARD &&
                         strcmp(tr->lanes[j].name, l->name) == 0;
        if (mirror)
            free(l->items);
        else
            tr->lanes[k++] = *l;
    }
    tr->nlanes = k;

    unsigned boards = 0;
    bool seen[16] = {false};
    for (size_t i = 0; i < tr->nlanes; i++) {
        unsigned b = tr->lanes[i].board;
        if (b < 16 && !seen[b]) {
            seen[b] = true;
            boards++;
        }
    }
    for (unsigned b = 0; b < 16; b++)
        if (tr->board_names[b] != NULL && !seen[b])
            boards++;
    for (size_t i = 0; i < tr->nlanes; i++) {
        tl_lane_t *l = &tr->lanes[i];
        if (l->type == TL_LANE_NOTE || l->board == SIM_NO_BOARD || boards < 2)
            continue;
        char b[24], name[sizeof l->name + sizeof b + 8];
        if (l->board < 16 && tr->board_names[l->board] != NULL)
            snprintf(b, sizeof b, "%s", tr->board_names[l->board]);
        else
            snprintf(b, sizeof b, "b%u", l->board);
        if (l->type == TL_LANE_IRQ)
            snprintf(name, sizeof name, "irq %s", b);
        else
            snprintf(name, sizeof name, "%s: %s", b, l->name);
        snprintf(l->name, sizeof l->name, "%.63s", name);
    }
}

void tl__lanes_add(tl_trace_t *tr, const tl_rec_t *r, uint32_t ri)
{
    if ((r->kind < UA_TR_KIND_COUNT && r->kind != UA_TR_IDLE) ||
        r->kind == SIM_TR_STEP)
        task_rec(tr, r, ri);
    else
        hw_rec(tr, r, ri);
}

void tl_trace_finish(tl_trace_t *tr)
{
    infer_start_ticks(tr);
    if (tr->header_end > tr->t_end)
        tr->t_end = tr->header_end;
    if (!tr->lanes_only) /* else built as they came */
        for (size_t i = 0; i < tr->nrec; i++)
            tl__lanes_add(tr, &tr->recs[i], (uint32_t)i);
    /* close what is still open at the end of the trace */
    for (size_t i = 0; i < tr->nlanes; i++) {
        tl_lane_t *l = &tr->lanes[i];
        if (l->type == TL_LANE_TASK) {
            task_set(l, TL_ST_DONE, tr->t_end, (uint32_t)tr->nrec);
        } else if ((l->type == TL_LANE_PIN || l->type == TL_LANE_POWER) &&
                   l->state) {
            tl_item_t it = {.t0 = l->since, .t1 = tr->t_end,
                            .rec = (uint32_t)tr->nrec,
                            .val = (uint16_t)(l->state - 1)};
            push(l, &it);
        } else if (l->type == TL_LANE_UART) {
            uart_guess(l);
        }
    }
    /* a step's CPU time or a frame may run past the last record: the
     * trace ends with the last thing drawn */
    for (size_t i = 0; i < tr->nlanes; i++)
        if (tr->lanes[i].t1_max > tr->t_end)
            tr->t_end = tr->lanes[i].t1_max;
    finish_names(tr);
    if (tr->nlanes > 1) /* an empty trace has no lane array at all */
        qsort(tr->lanes, tr->nlanes, sizeof *tr->lanes, lane_order);
}

size_t tl_lane_seek(const tl_lane_t *lane, uint64_t t)
{
    size_t lo = 0, hi = lane->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lane->items[mid].t1 < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* --- text ---------------------------------------------------------------------- */

void tl_fmt_time(uint64_t ns, char *buf, size_t n)
{
    static const struct { uint64_t div; const char *unit; } u[] = {
        {1000000000ull, "s"}, {1000000ull, "ms"}, {1000ull, "us"}, {1, "ns"}};
    size_t k = 0;
    if (ns == 0) {
        snprintf(buf, n, "0");
        return;
    }
    while (k < 3 && ns < u[k].div)
        k++;
    int len = snprintf(buf, n, "%.3f", (double)ns / (double)u[k].div);
    if (len <= 0 || (size_t)len >= n)
        return;
    while (len > 1 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (buf[len - 1] == '.')
        buf[--len] = '\0';
    snprintf(buf + len, n - (size_t)len, " %s", u[k].unit);
}

int tl_parse_time(const char *s, uint64_t *ns)
{
    char *end;
    double v = strtod(s, &end);
    double mul = 1;
    int unit = 1;

    if (end == s || !(v >= 0) || isinf(v))
        return -1;
    while (*end == ' ')
        end++;
    size_t ulen = 2;
    if (strncmp(end, "ns", 2) == 0)
        mul = 1;
    else if (strncmp(end, "us", 2) == 0)
        mul = 1e3;
    else if (strncmp(end, "ms", 2) == 0)
        mul = 1e6;
    else if (*end == 's')
        mul = 1e9, ulen = 1;
    else
        unit = 0, ulen = 0;
    end += ulen;
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0')
        return -1; /* "5xyz", "3 days" */
    /* times are ns in a uint64_t: 18446744073.709 s is the last one */
    if (v * mul >= 18446744073709549568.0)
        return -1;
    *ns = (uint64_t)(v * mul + 0.5);
    return unit;
}

static const char *const state_names[] = {"-", "ready (waiting for CPU)",
                                          "running", "blocked", "done"};

static const char *src_name(uint32_t kind)
{
    return kind == SIM_SRC_PIN          ? "pin"
           : kind == SIM_SRC_I2C_SLAVE ? "i2cs"
                                        : "uart";
}

/* ", woken by task3 lcd" from a ready item's SIM_WAKE_BY ("" if none). */
static void woken_by(const tl_trace_t *tr, uint32_t by, char *buf, size_t n)
{
    uint32_t kind = SIM_WAKE_KIND(by), id = SIM_WAKE_ID(by);
    const char *name = NULL;

    buf[0] = '\0';
    if (kind == 0)
        return;
    if (kind == SIM_WAKE_TASK) {
        name = id < 256 ? tr->task_names[id] : NULL;
        snprintf(buf, n, ", woken by task%u%s%s", id, name ? " " : "",
                 name ? name : "");
        return;
    }
    if (kind == SIM_SRC_PIN && id < TL_MAX_PINS)
        name = tr->pin_names[id];
    snprintf(buf, n, ", woken by the %s%u%s%s interrupt", src_name(kind), id,
             name ? " " : "", name ? name : "");
}

void tl_item_describe(const tl_trace_t *tr, const tl_lane_t *l,
                      const tl_item_t *it, char *buf, size_t n)
{
    char at[32], dur[32];
    const tl_rec_t *r = it->rec < tr->nrec ? &tr->recs[it->rec] : NULL;

    tl_fmt_time(it->t0, at, sizeof at);
    tl_fmt_time(it->t1 - it->t0, dur, sizeof dur);
    switch (l->type) {
    case TL_LANE_TASK: {
        char by[96] = "";
        if (it->val == TL_ST_READY)
            woken_by(tr, it->a, by, sizeof by);
        snprintf(buf, n, "%s %s for %s at %s%s", l->name,
                 state_names[it->val < 5 ? it->val : 0], dur, at, by);
        break;
    }
    case TL_LANE_IRQ:
        snprintf(buf, n, "%s: %s %u %s at %s (%s)", l->name,
                 src_name(it->val), it->a, tl_trace_name(tr, it->b), at, dur);
        break;
    case TL_LANE_PIN:
        snprintf(buf, n, "%s = %u for %s from %s", l->name, it->val, dur, at);
        break;
    case TL_LANE_POWER:
        snprintf(buf, n, "%s: %s for %s from %s", l->name,
                 it->val == SIM_POWER_RUN    ? "running"
                 : it->val == SIM_POWER_IDLE ? "idle (WFI)"
                                             : "deep sleep",
                 dur, at);
        break;
    case TL_LANE_UART:
        snprintf(buf, n, "%s 0x%02x '%c' at %s (frame %s%s)%s", l->name,
                 it->val, it->val >= 32 && it->val < 127 ? it->val : '.', at,
                 dur, it->flags & TL_F_GUESS ? ", estimated" : "",
                 it->flags & TL_F_ERROR ? " ERROR" : "");
        break;
    case TL_LANE_I2C:
        snprintf(buf, n, "%s addr 0x%02x %s%s, %u bytes, status %d at %s (%s)",
                 l->name, it->val, it->flags & TL_F_READ ? "R" : "W",
                 it->flags & TL_F_REPEAT ? "+R" : "", it->a, (int)it->b, at,
                 dur);
        break;
    case TL_LANE_NEC:
        if (it->flags & TL_F_REPEAT)
            snprintf(buf, n, "%s repeat at %s", l->name, at);
        else
            snprintf(buf, n, "%s frame addr=0x%04x cmd=0x%02x at %s", l->name,
                     it->a, it->b, at);
        break;
    default:
        snprintf(buf, n, "note %s %u %u at %s",
                 r ? tl_trace_name(tr, r->name) : "", it->a, it->b, at);
        break;
    }
}
