/*
 * Chrome / Perfetto trace JSON: one process per board, one track per task
 * with a slice per step, a "hardware" track (tid 0) with instants for
 * interrupts, pin edges, bytes and annotations.
 */
#include "sim_internal.h"

static void ts(FILE *f, uint64_t ns)
{
    fprintf(f, "%llu.%03llu", (unsigned long long)(ns / 1000),
            (unsigned long long)(ns % 1000));
}

/* Names come from the user: keep them valid JSON strings. */
static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static unsigned pid(unsigned board)
{
    return board == SIM_NO_BOARD ? 0 : board + 1;
}

static void meta(sim_t *sim, FILE *f)
{
    fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,"
          "\"args\":{\"name\":\"models\"}}",
          f);
    for (size_t b = 0; b < sim->boards.n; b++) {
        fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%zu,"
                   "\"tid\":0,\"args\":{\"name\":",
                b + 1);
        jstr(f, sim_board_name(sim->boards.v[b]));
        fprintf(f, "}},\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%zu,"
                   "\"tid\":0,\"args\":{\"name\":\"hardware\"}}",
                b + 1);
    }
    for (size_t i = 0; i < sim->ntasks; i++) {
        char buf[32];
        const char *name = sim->tasks[i].name;
        if (name == NULL) {
            snprintf(buf, sizeof buf, "task%zu", i + 1);
            name = buf;
        }
        fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,"
                   "\"tid\":%zu,\"args\":{\"name\":",
                pid(sim->tasks[i].board), i + 1);
        jstr(f, name);
        fputs("}}", f);
    }
}

static void event(sim_t *sim, FILE *f, const sim_trace_rec_t *r)
{
    const char *name = sim_trace_kind_name(r->kind);
    if (r->kind == SIM_TR_STEP) {
        const char *tn = sim__task_name(sim, r->obj);
        fputs(",\n{\"ph\":\"X\",\"name\":", f);
        jstr(f, tn ? tn : "step");
        fputs(",\"ts\":", f);
        ts(f, r->t_ns);
        fputs(",\"dur\":", f);
        ts(f, r->arg);
        fprintf(f, ",\"pid\":%u,\"tid\":%u}", pid(r->board), r->obj);
        return;
    }
    if (r->kind < SIM_TR_PIN && r->kind != UA_TR_DONE &&
        r->kind != UA_TR_CANCEL)
        return; /* scheduler detail is in the slices and the text trace */
    unsigned tid = r->kind < SIM_TR_PIN ? r->obj : 0;
    fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"name\":\"%s\",\"ts\":", name);
    ts(f, r->t_ns);
    fprintf(f, ",\"pid\":%u,\"tid\":%u,\"args\":{\"obj\":%u,\"arg\":%u,"
               "\"arg2\":%u}}",
            pid(r->board), tid, r->obj, r->arg, r->arg2);
}

int sim_export_json_fp(sim_t *sim, FILE *f)
{
    sim__trace_sort(sim);
    fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
    meta(sim, f);
    for (size_t i = 0; i < sim->ntr; i++)
        event(sim, f, &sim->tr[i]);
    fputs("\n]}\n", f);
    return ferror(f) ? UA_EIO : 0;
}

int sim_export_json(sim_t *sim, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        sim__error(sim, "cannot write %s", path);
        return UA_EIO;
    }
    uint64_t cpu = sim__cpu_begin();
    int st = sim_export_json_fp(sim, f);
    st = fclose(f) != 0 ? UA_EIO : st;
    sim__cpu_end(cpu);
    return st;
}
