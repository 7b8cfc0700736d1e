/*
 * Chrome / Perfetto trace JSON: one process per board, one track per task
 * with a slice per step, a "hardware" track (tid 0) with instants for
 * interrupts, pin edges, bytes and annotations.
 */
#include "outbuf.h"
#include "sim_internal.h"

/* Names come from the user: keep them valid JSON strings. */
static void jstr(sim_out_t *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sim_out_char(o, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char *p = sim_out_room(o, 6);
        if (c == '"' || c == '\\') {
            p[0] = '\\';
            p[1] = (char)c;
            o->n += 2;
        } else if (c < 0x20) {
            memcpy(p, "\\u00", 4);
            p[4] = hex[c >> 4];
            p[5] = hex[c & 15];
            o->n += 6;
        } else {
            p[0] = (char)c;
            o->n++;
        }
    }
    sim_out_char(o, '"');
}

static unsigned pid(unsigned board)
{
    return board == SIM_NO_BOARD ? 0 : board + 1;
}

#define LIT(o, s) sim_out_mem((o), (s), sizeof(s) - 1)

static void meta(sim_t *sim, sim_out_t *o)
{
    LIT(o, "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,"
           "\"args\":{\"name\":\"models\"}}");
    for (size_t b = 0; b < sim->boards.n; b++) {
        LIT(o, ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":");
        sim_out_u64(o, b + 1);
        LIT(o, ",\"tid\":0,\"args\":{\"name\":");
        jstr(o, sim_board_name(sim->boards.v[b]));
        LIT(o, "}},\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":");
        sim_out_u64(o, b + 1);
        LIT(o, ",\"tid\":0,\"args\":{\"name\":\"hardware\"}}");
    }
    for (size_t i = 0; i < sim->ntasks; i++) {
        char buf[32];
        const char *name = sim->tasks[i].name;
        if (name == NULL) {
            snprintf(buf, sizeof buf, "task%zu", i + 1);
            name = buf;
        }
        LIT(o, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":");
        sim_out_u64(o, pid(sim->tasks[i].board));
        LIT(o, ",\"tid\":");
        sim_out_u64(o, i + 1);
        LIT(o, ",\"args\":{\"name\":");
        jstr(o, name);
        LIT(o, "}}");
    }
}

static void event(sim_t *sim, sim_out_t *o, const sim_trace_rec_t *r)
{
    if (r->kind == SIM_TR_STEP) {
        const char *tn = sim__task_name(sim, r->obj);
        LIT(o, ",\n{\"ph\":\"X\",\"name\":");
        jstr(o, tn ? tn : "step");
        LIT(o, ",\"ts\":");
        sim_out_us(o, r->t_ns);
        LIT(o, ",\"dur\":");
        sim_out_us(o, r->arg);
        LIT(o, ",\"pid\":");
        sim_out_u64(o, pid(r->board));
        LIT(o, ",\"tid\":");
        sim_out_u64(o, r->obj);
        sim_out_char(o, '}');
        return;
    }
    if (r->kind < SIM_TR_PIN && r->kind != UA_TR_DONE &&
        r->kind != UA_TR_CANCEL)
        return; /* scheduler detail is in the slices and the text trace */
    unsigned tid = r->kind < SIM_TR_PIN ? r->obj : 0;
    LIT(o, ",\n{\"ph\":\"i\",\"s\":\"t\",\"name\":\"");
    sim_out_str(o, sim_trace_kind_name(r->kind));
    LIT(o, "\",\"ts\":");
    sim_out_us(o, r->t_ns);
    LIT(o, ",\"pid\":");
    sim_out_u64(o, pid(r->board));
    LIT(o, ",\"tid\":");
    sim_out_u64(o, tid);
    LIT(o, ",\"args\":{\"obj\":");
    sim_out_u64(o, r->obj);
    LIT(o, ",\"arg\":");
    sim_out_u64(o, r->arg);
    LIT(o, ",\"arg2\":");
    sim_out_u64(o, r->arg2);
    LIT(o, "}}");
}

int sim_export_json_fp(sim_t *sim, FILE *f)
{
    sim_out_t *o = sim__alloc(sizeof *o);
    o->f = f;
    sim__trace_sort(sim);
    LIT(o, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    meta(sim, o);
    for (size_t i = 0; i < sim->ntr; i++)
        event(sim, o, &sim->tr[i]);
    LIT(o, "\n]}\n");
    sim_out_flush(o);
    free(o);
    return ferror(f) ? UA_EIO : 0;
}

int sim_export_json(sim_t *sim, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        sim__error(sim, "cannot write %s", path);
        return UA_EIO;
    }
    int st = sim_export_json_fp(sim, f);
    return fclose(f) != 0 ? UA_EIO : st;
}
