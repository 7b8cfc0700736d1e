/*
 * Trace recording (an append-only array of fixed-size records, grown in
 * large chunks and sorted by time lazily, when read), notes, kind names and
 * the text exporter.  The append itself is sim__trace() in sim_internal.h.
 */
#include <string.h>

#include "power.h"
#include "sim_internal.h"

#define TRACE_CHUNK 65536u /* records added per growth */

/* sim__trace's slow path: make room for one more record, then say how many
 * records fit before it must run again. */
void sim__trace_make_room(sim_t *sim)
{
    if (sim->trace_limit && sim->ntr >= sim->trace_limit) {
        /* Keep the newest half: memory is reused, so a long run with
         * tracing on does not keep touching fresh pages. */
        size_t keep = sim->trace_limit / 2;
        sim__trace_sort(sim);
        memmove(sim->tr, sim->tr + sim->ntr - keep, keep * sizeof *sim->tr);
        sim->dropped += sim->ntr - keep;
        sim->ntr = sim->sorted = keep;
    }
    if (sim->ntr == sim->captr) {
        size_t cap = sim->captr < TRACE_CHUNK ? TRACE_CHUNK : 2 * sim->captr;
        if (sim->trace_limit && cap > sim->trace_limit)
            cap = SIM_MAX(sim->trace_limit, sim->ntr + 1);
        sim->tr = realloc(sim->tr, cap * sizeof *sim->tr);
        if (sim->tr == NULL)
            abort();
        sim->captr = cap;
    }
    sim->tr_room = sim->captr;
    if (sim->trace_limit && sim->trace_limit < sim->tr_room)
        sim->tr_room = sim->trace_limit;
}

/* Records of a step are written at in-step times before the events that
 * happen meanwhile, so the array is nearly sorted: a stable insertion sort
 * of the new tail is cheap. */
void sim__trace_sort(sim_t *sim)
{
    for (size_t i = SIM_MAX(sim->sorted, 1); i < sim->ntr; i++) {
        if (sim->tr[i - 1].t_ns <= sim->tr[i].t_ns)
            continue; /* the common case: already in place */
        sim_trace_rec_t r = sim->tr[i];
        size_t j = i;
        while (j > 0 && sim->tr[j - 1].t_ns > r.t_ns) {
            sim->tr[j] = sim->tr[j - 1];
            j--;
        }
        sim->tr[j] = r;
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
        sim__trace(sim, sim_now(sim), SIM_TR_NOTE, board, code, arg, arg2);
}

void sim_trace_note_name(sim_t *sim, uint32_t code, const char *name)
{
    sim->notes = realloc(sim->notes, (sim->nnotes + 1) * sizeof *sim->notes);
    if (sim->notes == NULL)
        abort();
    sim->notes[sim->nnotes].code = code;
    sim->notes[sim->nnotes++].name = sim__strdup(name);
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

/* " by task3:name", " by pin1:name", " by uart0": who woke a task. */
static void text_waker(const sim_t *sim, FILE *f, uint32_t by)
{
    uint32_t kind = SIM_WAKE_KIND(by), id = SIM_WAKE_ID(by);
    const char *name = NULL;

    if (kind == 0)
        return;
    if (kind == SIM_WAKE_TASK) {
        fprintf(f, " by task%u", id);
        name = sim__task_name(sim, id);
    } else {
        fprintf(f, " by %s%u", src_name(kind), id);
        if (kind == SIM_SRC_PIN)
            name = pin_name(sim, id);
    }
    if (name != NULL)
        fprintf(f, ":%s", name);
}

static void text_line(sim_t *sim, FILE *f, const sim_trace_rec_t *r)
{
    const char *task = sim__task_name(sim, r->obj);
    fprintf(f, "%llu.%03llu %-10s ", (unsigned long long)(r->t_ns / 1000),
            (unsigned long long)(r->t_ns % 1000), sim_trace_kind_name(r->kind));
    if (r->board == SIM_NO_BOARD)
        fputs("-  ", f);
    else
        fprintf(f, "b%u ", r->board);
    switch (r->kind) {
    case SIM_TR_PIN:
        fprintf(f, "pin%u %s=%u", r->obj, pin_name(sim, r->obj), r->arg);
        break;
    case SIM_TR_IRQ_ENTER:
    case SIM_TR_IRQ_EXIT:
        fprintf(f, "%s %u", src_name(r->arg), r->obj);
        if (r->arg == SIM_SRC_PIN)
            fprintf(f, " %s", pin_name(sim, r->obj));
        break;
    case SIM_TR_UART_TX:
    case SIM_TR_UART_RX:
        fprintf(f, "uart%u 0x%02x%s%s", r->obj, r->arg & 0xFF,
                r->arg & SIM_UART_FERR ? " ferr" : "",
                r->arg & SIM_UART_OVERRUN ? " overrun" : "");
        if (r->arg2 != 0)
            fprintf(f, " dur=%u", r->arg2);
        break;
    case SIM_TR_I2C_START:
        fprintf(f, "i2c%u addr=0x%02x %s", r->obj, r->arg >> 1,
                r->arg & 1 ? "r" : "w");
        break;
    case SIM_TR_I2C_BYTE:
        fprintf(f, "i2c%u %s 0x%02x %s stretch=%u", r->obj,
                r->arg & 0x200 ? "rd" : "wr", r->arg & 0xFF,
                r->arg & 0x100 ? "nack" : "ack", r->arg2);
        break;
    case SIM_TR_I2C_STOP:
        fprintf(f, "i2c%u status=%d", r->obj, (int)(int32_t)r->arg);
        break;
    case SIM_TR_NEC_FRAME:
        fprintf(f, "%s addr=0x%04x cmd=0x%02x", pin_name(sim, r->obj), r->arg,
                r->arg2);
        break;
    case SIM_TR_NEC_REPEAT:
        fprintf(f, "%s", pin_name(sim, r->obj));
        break;
    case SIM_TR_NOTE:
        fprintf(f, "%s %u %u", sim__note_name(sim, r->obj), r->arg, r->arg2);
        break;
    case SIM_TR_POWER:
        sim__power_text(sim, f, r);
        break;
    default: /* scheduler kinds and steps: obj is a task */
        fprintf(f, "task%u%s%s %d", r->obj, task ? ":" : "", task ? task : "",
                (int)(int32_t)r->arg);
        if (r->kind == UA_TR_WAKE)
            text_waker(sim, f, r->arg2);
        break;
    }
    fputc('\n', f);
}

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
    for (size_t i = 0; i < sim->ntr; i++)
        text_line(sim, f, &sim->tr[i]);
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
