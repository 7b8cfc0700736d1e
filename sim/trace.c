/*
 * Trace recording (an append-only array of fixed-size records, grown in
 * large chunks and sorted by time lazily, when read), notes, kind names and
 * the text exporter.  The append itself is sim__trace() in sim_internal.h.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MADV_HUGEPAGE */
#include <stdarg.h>
#include <string.h>

#include "outbuf.h"
#include "power.h"
#include "sim_internal.h"

#define TRACE_CHUNK 65536u /* records added per growth */
/* The first records go to a small malloc'd buffer (96 KiB): a short
 * simulation never maps the range below, nor zeroes a huge page. */
#define TRACE_FIRST 4096u
#define TRACE_SORT_STRIDE 1024u /* records written between two sorts */

/*
 * Trace memory.  A long run records millions of records, and on a virtual
 * machine every fresh 4 KiB page costs a fault of several microseconds:
 * growing by realloc (copying, then faulting the copy's pages) cost a
 * third of syncom.py's run time.  On 64-bit Linux the trace is instead one
 * reserved range of address space (MAP_NORESERVE: pages exist once
 * written), asking for transparent huge pages (one fault per 2 MiB), that
 * never moves; and the ranges of freed simulations are kept for the next
 * ones of the thread (a scenario runs several, a sweep hundreds), their
 * pages already mapped: up to TRACE_SPARES ranges, TRACE_SPARE_MAX bytes
 * written in all.
 * A simulation moves there once it outgrows its first TRACE_FIRST records.
 * Elsewhere, or if the reservation is refused, realloc as before.
 */
#if defined(__linux__) && UINTPTR_MAX > 0xFFFFFFFFu
#include <sys/mman.h>
#define TRACE_RESERVE ((size_t)1 << 37) /* 128 GiB of address space */
#define TRACE_SPARE_MAX ((size_t)256 << 20)
#define TRACE_SPARES 8
#define TRACE_HUGE ((size_t)2 << 20) /* x86-64's huge page */
static _Thread_local void *spare[TRACE_SPARES];
static _Thread_local size_t spare_used[TRACE_SPARES], spare_total;
static _Thread_local unsigned nspare;

static bool trace_map(sim_t *sim)
{
    void *p = NULL;
    if (nspare > 0) { /* the most recently freed: its pages are warmest */
        p = spare[--nspare];
        sim->tr_used = spare_used[nspare];
        spare_total -= spare_used[nspare];
    } else {
        /* reserve 2 MiB more and start on a 2 MiB boundary, so that the
         * first records are on a huge page too */
        char *m = mmap(NULL, TRACE_RESERVE + TRACE_HUGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED)
            return false;
        size_t skip = (TRACE_HUGE - (uintptr_t)m % TRACE_HUGE) % TRACE_HUGE;
        if (skip)
            munmap(m, skip);
        munmap(m + skip + TRACE_RESERVE, TRACE_HUGE - skip);
        p = m + skip;
#ifdef MADV_HUGEPAGE
        madvise(p, TRACE_RESERVE, MADV_HUGEPAGE);
#endif
        sim->tr_used = 0;
    }
    sim->tr = p;
    sim->tr_mapped = true;
    sim->captr = TRACE_RESERVE / sizeof *sim->tr;
    return true;
}

void sim__trace_free(sim_t *sim)
{
    if (!sim->tr_mapped) {
        free(sim->tr);
        return;
    }
    size_t used = SIM_MAX(sim->tr_used, sim->ntr * sizeof *sim->tr);
    if (nspare < TRACE_SPARES && spare_total + used <= TRACE_SPARE_MAX) {
        spare[nspare] = sim->tr;
        spare_used[nspare++] = used;
        spare_total += used;
    } else {
        munmap(sim->tr, TRACE_RESERVE);
    }
}
#else
static bool trace_map(sim_t *sim)
{
    (void)sim;
    return false;
}

void sim__trace_free(sim_t *sim) { free(sim->tr); }
#endif

/* sim__trace's slow path: make room for one more record, then say how many
 * records fit before it must run again. */
void sim__trace_make_room(sim_t *sim)
{
    /* Called every TRACE_SORT_STRIDE records: sort them now, while they are
     * still in the cache, rather than when a reader asks (by then a long
     * run's records are far out of the cache).  The order is the same: the
     * insertion sort takes the records one by one either way. */
    sim__trace_sort(sim);
    if (sim->trace_limit && sim->ntr >= sim->trace_limit) {
        /* Keep the newest half: memory is reused, so a long run with
         * tracing on does not keep touching fresh pages. */
        size_t keep = sim->trace_limit / 2, gone = sim->ntr - keep;
        sim__trace_sort(sim);
        memmove(sim->tr, sim->tr + gone, keep * sizeof *sim->tr);
        sim->dropped += gone;
        sim->ntr = sim->sorted = keep;
        sim->tr_low = 0; /* every index moved */
        /* A new block holds records of at most two old ones: their kinds
         * (a superset, without reading the records).  Old blocks read are
         * at or after the new one written. */
        uint64_t *kinds = sim->tr_kinds;
        size_t nblk = (keep + SIM_TRACE_BLOCK - 1) >> SIM_TRACE_BLOCK_SHIFT;
        size_t last = (gone + keep - 1) >> SIM_TRACE_BLOCK_SHIFT;
        for (size_t j = 0; j < nblk; j++) {
            size_t a = (gone + (j << SIM_TRACE_BLOCK_SHIFT)) >> SIM_TRACE_BLOCK_SHIFT;
            kinds[j] = kinds[a] | (a < last ? kinds[a + 1] : 0);
        }
        memset(kinds + nblk, 0, (sim->tr_kinds_cap - nblk) * sizeof *kinds);
    }
    if (sim->ntr == sim->captr && !sim->tr_mapped && sim->captr == TRACE_FIRST) {
        /* outgrowing the first, small buffer: on to the reserved range */
        sim_trace_rec_t *first = sim->tr;
        if (trace_map(sim)) {
            memcpy(sim->tr, first, sim->ntr * sizeof *first);
            free(first);
        }
    }
    if (sim->tr_mapped && sim->ntr == sim->captr)
        abort(); /* 5e9 records: 128 GiB of trace */
    if (sim->ntr == sim->captr) {
        size_t cap = sim->captr == 0           ? TRACE_FIRST
                     : sim->captr < TRACE_CHUNK ? TRACE_CHUNK
                                                : 2 * sim->captr;
        if (sim->trace_limit && cap > sim->trace_limit)
            cap = SIM_MAX(sim->trace_limit, sim->ntr + 1);
        sim->tr = realloc(sim->tr, cap * sizeof *sim->tr);
        if (sim->tr == NULL)
            abort();
        sim->captr = cap;
    }
    sim->tr_room = SIM_MIN(sim->captr, sim->ntr + TRACE_SORT_STRIDE);
    if (sim->trace_limit && sim->trace_limit < sim->tr_room)
        sim->tr_room = sim->trace_limit;
}

/* sim->tr_kinds, grown to cover every record (new blocks empty). */
static uint64_t *trace_kinds(sim_t *sim)
{
    size_t need = (sim->ntr >> SIM_TRACE_BLOCK_SHIFT) + 1;
    if (need > sim->tr_kinds_cap) {
        size_t cap = SIM_MAX(need, 2 * sim->tr_kinds_cap);
        uint64_t *k = realloc(sim->tr_kinds, cap * sizeof *k);
        if (k == NULL)
            abort();
        memset(k + sim->tr_kinds_cap, 0, (cap - sim->tr_kinds_cap) * sizeof *k);
        sim->tr_kinds = k;
        sim->tr_kinds_cap = cap;
    }
    return sim->tr_kinds;
}

/* How far back the sort moves a record one place at a time; beyond, it
 * searches for the place and moves the records after it as one block. */
#define TRACE_SHIFT_MAX 32u

/* Records of a step are written at in-step times before the events that
 * happen meanwhile, so the array is nearly sorted: a stable insertion sort
 * of the new tail is cheap. */
void sim__trace_sort(sim_t *sim)
{
    sim_trace_rec_t *tr = sim->tr;
    if (sim->sorted == sim->ntr)
        return;
    uint64_t *kinds = trace_kinds(sim);
    if (sim->sorted == 0)
        kinds[0] |= sim__kind_bit(tr[0].kind);
    for (size_t i = SIM_MAX(sim->sorted, 1); i < sim->ntr; i++) {
        uint64_t t = tr[i].t_ns;
        if (tr[i - 1].t_ns <= t) { /* the common case: already in place */
            kinds[i >> SIM_TRACE_BLOCK_SHIFT] |= sim__kind_bit(tr[i].kind);
            continue;
        }
        /* Its place: after the last record at or before t (stable).  Most
         * go back a few places (a step's record behind the step's own, a
         * power period's start behind the records of the period): step
         * back record by record, which mispredicts once, where galloping
         * and bisecting mispredict at every halving. */
        sim_trace_rec_t r = tr[i];
        size_t lo = i;
        while (lo > 0 && i - lo < TRACE_SHIFT_MAX && tr[lo - 1].t_ns > t) {
            tr[lo] = tr[lo - 1];
            lo--;
        }
        if (lo > 0 && tr[lo - 1].t_ns > t) {
            /* A record written after a long step goes back past all the
             * step's records: gallop back then bisect. */
            size_t end = lo, hi = lo - 1, step = 1; /* tr[hi] is after t */
            while (hi >= step && tr[hi - step].t_ns > t) {
                hi -= step;
                step *= 2;
            }
            lo = hi >= step ? hi - step + 1 : 0; /* the place is in [lo, hi] */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (tr[mid].t_ns > t)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            memmove(&tr[lo + 1], &tr[lo], (end - lo) * sizeof *tr);
        }
        tr[lo] = r;
        if (lo < sim->tr_low)
            sim->tr_low = lo;
        /* r joins its block; the records after it moved up one place, so
         * each block start in between got its predecessor's record */
        kinds[lo >> SIM_TRACE_BLOCK_SHIFT] |= sim__kind_bit(r.kind);
        for (size_t b = (lo >> SIM_TRACE_BLOCK_SHIFT) + 1;
             b <= i >> SIM_TRACE_BLOCK_SHIFT; b++)
            kinds[b] |= sim__kind_bit(tr[b << SIM_TRACE_BLOCK_SHIFT].kind);
    }
    sim->sorted = sim->ntr;
}

void sim_trace_enable(sim_t *sim, bool on) { sim->tracing = on; }

void sim_trace_set_limit(sim_t *sim, size_t max_records)
{
    sim->trace_limit = max_records < 2 ? 0 : max_records;
    sim->tr_room = 0; /* recomputed by the next record's slow path */
}

uint64_t sim_trace_dropped(const sim_t *sim) { return sim->dropped; }

size_t sim_trace_count(sim_t *sim)
{
    sim__trace_sort(sim);
    return sim->ntr;
}

const sim_trace_rec_t *sim_trace_get(sim_t *sim, size_t i)
{
    sim__trace_sort(sim);
    return i < sim->ntr ? &sim->tr[i] : NULL;
}

void sim_trace_note(sim_t *sim, unsigned board, uint32_t code, uint32_t arg,
                    uint32_t arg2)
{
    if (sim->tracing)
        sim__trace(sim, sim__now(sim), SIM_TR_NOTE, board, code, arg, arg2);
}

void sim_trace_note_name(sim_t *sim, uint32_t code, const char *name)
{
    sim->notes = realloc(sim->notes, (sim->nnotes + 1) * sizeof *sim->notes);
    if (sim->notes == NULL)
        abort();
    sim->notes[sim->nnotes].code = code;
    sim->notes[sim->nnotes++].name = sim__strdup(name);
    sim->names_gen++; /* trace lines show names: cached selections redo */
}

const char *sim_task_name_of(const sim_t *sim, uint32_t id)
{
    if (id == 0 || id > sim->ntasks)
        return NULL;
    return sim__task_name(sim, id);
}

const char *sim_trace_note_name_of(const sim_t *sim, uint32_t code)
{
    for (size_t i = sim->nnotes; i-- > 0;)
        if (sim->notes[i].code == code)
            return sim->notes[i].name;
    return NULL;
}

const char *sim__note_name(const sim_t *sim, uint32_t code)
{
    const char *name = sim_trace_note_name_of(sim, code);
    return name != NULL ? name : "note";
}

const char *sim_trace_kind_name(unsigned kind)
{
    static const char *core[] = {
        "?", "spawn", "resume", "suspend", "done", "timer_arm",
        "timer_fire", "cancel", "flag_set", "idle", "wake", "unhandled",
        "flag_raised",
    };
    _Static_assert(sizeof core / sizeof core[0] == UA_TR_KIND_COUNT,
                   "a name for every core trace kind");
    static const char *simk[] = {
        "pin", "irq_enter", "irq_exit", "uart_tx", "uart_rx", "i2c_start",
        "i2c_byte", "i2c_stop", "nec_frame", "nec_repeat", "note", "step",
        "power",
    };
    _Static_assert(sizeof simk / sizeof simk[0] == SIM_TR_KIND_END - SIM_TR_PIN,
                   "a name for every simulator trace kind");
    if (kind < UA_TR_KIND_COUNT)
        return core[kind];
    if (kind >= SIM_TR_PIN && kind < SIM_TR_KIND_END)
        return simk[kind - SIM_TR_PIN];
    return "?";
}

/* --- text exporter ----------------------------------------------------------- */

static const char *pin_name(const sim_t *sim, uint32_t id)
{
    const sim_pin_t *p = sim__vec_get(&sim->pins, id);
    return p ? p->name : "?";
}

static const char *src_name(uint32_t kind)
{
    return kind == SIM_SRC_PIN          ? "pin"
           : kind == SIM_SRC_I2C_SLAVE ? "i2cs"
                                        : "uart";
}

/* --- text lines: formatted into a growable buffer, so the exporter and the
 * trace queries (sim_trace_line, name matching) share one formatter --- */

void sim__sbuf_printf(sim_sbuf_t *sb, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        size_t room = sb->cap - sb->n;
        va_start(ap, fmt);
        int k = room ? vsnprintf(sb->p + sb->n, room, fmt, ap) : -1;
        va_end(ap);
        if (k >= 0 && (size_t)k < room) {
            sb->n += (size_t)k;
            return;
        }
        size_t cap = sb->cap ? 2 * sb->cap : 256;
        while (k >= 0 && cap < sb->n + (size_t)k + 1)
            cap *= 2;
        sb->p = realloc(sb->p, cap);
        if (sb->p == NULL)
            abort();
        sb->cap = cap;
    }
}

/* k bytes of s, kept NUL-terminated. */
static void sbuf_mem(sim_sbuf_t *sb, const char *s, size_t k)
{
    if (sb->n + k + 1 > sb->cap) {
        sim__sbuf_printf(sb, "%.*s", (int)k, s);
        return;
    }
    memcpy(sb->p + sb->n, s, k);
    sb->n += k;
    sb->p[sb->n] = '\0';
}

static void sbuf_puts(sim_sbuf_t *sb, const char *s)
{
    sbuf_mem(sb, s, strlen(s));
}

/* Unsigned decimal, what "%u"/"%llu" print, without the format parser:
 * the exporter writes millions of these. */
static void sbuf_u64(sim_sbuf_t *sb, uint64_t v)
{
    char digits[20];
    size_t k = sim_fmt_u64(digits, v);
    sbuf_mem(sb, digits + k, sizeof digits - k);
}

/* "0x" and lowercase hex, at least `width` digits: what "0x%0*x" prints. */
static void sbuf_hex(sim_sbuf_t *sb, uint32_t v, unsigned width)
{
    char tmp[10];
    size_t k = sizeof tmp;
    do {
        tmp[--k] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v != 0 || sizeof tmp - k < width);
    tmp[--k] = 'x';
    tmp[--k] = '0';
    sbuf_mem(sb, tmp + k, sizeof tmp - k);
}

/* " by task3:name", " by pin1:name", " by uart0": who woke a task. */
static void text_waker(const sim_t *sim, sim_sbuf_t *sb, uint32_t by)
{
    uint32_t kind = SIM_WAKE_KIND(by), id = SIM_WAKE_ID(by);
    const char *name = NULL;

    if (kind == 0)
        return;
    if (kind == SIM_WAKE_TASK) {
        sbuf_puts(sb, " by task");
        sbuf_u64(sb, id);
        name = sim__task_name(sim, id);
    } else {
        sbuf_puts(sb, " by ");
        sbuf_puts(sb, src_name(kind));
        sbuf_u64(sb, id);
        if (kind == SIM_SRC_PIN)
            name = pin_name(sim, id);
    }
    if (name != NULL) {
        sbuf_puts(sb, ":");
        sbuf_puts(sb, name);
    }
}

/* Appends r's line (without its newline) to sb. */
static void trace_line(const sim_t *sim, const sim_trace_rec_t *r,
                       sim_sbuf_t *sb)
{
    char head[48];
    const char *kname = sim_trace_kind_name(r->kind);
    size_t kl = strlen(kname);

    sbuf_u64(sb, r->t_ns / 1000);
    /* ".%03llu %-10s " */
    sim_fmt_frac3(head, (unsigned)(r->t_ns % 1000));
    head[4] = ' ';
    memcpy(head + 5, kname, kl);
    size_t k = 5 + kl;
    while (k < 15)
        head[k++] = ' ';
    head[k++] = ' ';
    sbuf_mem(sb, head, k);
    if (r->board == SIM_NO_BOARD) {
        sbuf_puts(sb, "-  ");
    } else {
        sbuf_puts(sb, "b");
        sbuf_u64(sb, r->board);
        sbuf_puts(sb, " ");
    }
    switch (r->kind) {
    case SIM_TR_PIN:
        sbuf_puts(sb, "pin");
        sbuf_u64(sb, r->obj);
        sbuf_puts(sb, " ");
        sbuf_puts(sb, pin_name(sim, r->obj));
        sbuf_puts(sb, "=");
        sbuf_u64(sb, r->arg);
        break;
    case SIM_TR_IRQ_ENTER:
    case SIM_TR_IRQ_EXIT:
        sbuf_puts(sb, src_name(r->arg));
        sbuf_puts(sb, " ");
        sbuf_u64(sb, r->obj);
        if (r->arg == SIM_SRC_PIN) {
            sbuf_puts(sb, " ");
            sbuf_puts(sb, pin_name(sim, r->obj));
        }
        break;
    case SIM_TR_UART_TX:
    case SIM_TR_UART_RX:
        sbuf_puts(sb, "uart");
        sbuf_u64(sb, r->obj);
        sbuf_puts(sb, " ");
        sbuf_hex(sb, r->arg & 0xFF, 2);
        if (r->arg & SIM_UART_FERR)
            sbuf_puts(sb, " ferr");
        if (r->arg & SIM_UART_OVERRUN)
            sbuf_puts(sb, " overrun");
        if (r->arg2 != 0) {
            sbuf_puts(sb, " dur=");
            sbuf_u64(sb, r->arg2);
        }
        break;
    case SIM_TR_I2C_START:
        sim__sbuf_printf(sb, "i2c%u addr=0x%02x %s", r->obj, r->arg >> 1,
                         r->arg & 1 ? "r" : "w");
        break;
    case SIM_TR_I2C_BYTE:
        sbuf_puts(sb, "i2c");
        sbuf_u64(sb, r->obj);
        sbuf_puts(sb, r->arg & 0x200 ? " rd " : " wr ");
        sbuf_hex(sb, r->arg & 0xFF, 2);
        sbuf_puts(sb, r->arg & 0x100 ? " nack stretch=" : " ack stretch=");
        sbuf_u64(sb, r->arg2);
        break;
    case SIM_TR_I2C_STOP:
        sim__sbuf_printf(sb, "i2c%u status=%d", r->obj, (int)(int32_t)r->arg);
        break;
    case SIM_TR_NEC_FRAME:
        sim__sbuf_printf(sb, "%s addr=0x%04x cmd=0x%02x", pin_name(sim, r->obj),
                         r->arg, r->arg2);
        break;
    case SIM_TR_NEC_REPEAT:
        sbuf_puts(sb, pin_name(sim, r->obj));
        break;
    case SIM_TR_NOTE:
        sbuf_puts(sb, sim__note_name(sim, r->obj));
        sbuf_puts(sb, " ");
        sbuf_u64(sb, r->arg);
        sbuf_puts(sb, " ");
        sbuf_u64(sb, r->arg2);
        break;
    case SIM_TR_POWER:
        sim__power_text(sim, sb, r);
        break;
    default: { /* scheduler kinds and steps: obj is a task */
        const char *task = sim__task_name(sim, r->obj);
        sbuf_puts(sb, "task");
        sbuf_u64(sb, r->obj);
        if (task != NULL) {
            sbuf_puts(sb, ":");
            sbuf_puts(sb, task);
        }
        int32_t a = (int32_t)r->arg;
        sbuf_puts(sb, a < 0 ? " -" : " ");
        sbuf_u64(sb, a < 0 ? (uint64_t)(-(int64_t)a) : (uint64_t)a);
        if (r->kind == UA_TR_WAKE)
            text_waker(sim, sb, r->arg2);
        break;
    }
    }
}

void sim__trace_format(const sim_t *sim, const sim_trace_rec_t *r,
                       sim_sbuf_t *sb)
{
    sb->n = 0;
    if (sb->p != NULL)
        sb->p[0] = '\0';
    trace_line(sim, r, sb);
}

#define TEXT_FLUSH 65536u /* bytes of lines written at once */

int sim_export_text_fp(sim_t *sim, FILE *f)
{
    sim__trace_sort(sim);
    fprintf(f, "# uasync sim trace v1 seed=%llu records=%zu\n",
            (unsigned long long)sim->seed, sim->ntr);
    if (sim->name != NULL)
        fprintf(f, "# scenario %s\n", sim->name);
    fprintf(f, "# end %llu.%03llu\n", (unsigned long long)(sim->now / 1000),
            (unsigned long long)(sim->now % 1000));
    for (size_t i = 0; i < sim->boards.n; i++) {
        const sim_board_t *b = sim->boards.v[i];
        fprintf(f, "# board b%zu %s start_tick=%u\n", i, sim_board_name(b),
                b->start_tick);
    }
    for (size_t i = 0; i < sim->ntasks; i++)
        fprintf(f, "# task %zu %s\n", i + 1,
                sim->tasks[i].name ? sim->tasks[i].name : "-");
    for (size_t i = 0; i < sim->pins.n; i++)
        fprintf(f, "# pin %zu %s\n", i, pin_name(sim, (uint32_t)i));
    /* lines accumulate in sb, written by the 64 KiB: one fwrite per line
     * cost a third of the exporter's time */
    sim_sbuf_t sb = {0};
    for (size_t i = 0; i < sim->ntr; i++) {
        trace_line(sim, &sim->tr[i], &sb);
        sb.p[sb.n++] = '\n'; /* the NUL's place: the buffer has room */
        if (sb.n >= TEXT_FLUSH) {
            fwrite(sb.p, 1, sb.n, f);
            sb.n = 0;
        }
    }
    if (sb.n)
        fwrite(sb.p, 1, sb.n, f);
    free(sb.p);
    return ferror(f) ? UA_EIO : 0;
}

int sim_export_text(sim_t *sim, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        sim__error(sim, "cannot write %s", path);
        return UA_EIO;
    }
    int st = sim_export_text_fp(sim, f);
    return fclose(f) != 0 ? UA_EIO : st;
}
