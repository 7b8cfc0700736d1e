/*
 * End-of-run per-task summary (see sim_summary.h).  Reads only what the
 * trace hook collected: the tasks themselves may be gone by now (a test's
 * stack frame), so they are never dereferenced.
 */
#include <inttypes.h>

#include "sim_internal.h"
#include "sim_summary.h"

/* ns as a fixed-point decimal of `unit` ns with `digits` decimals. */
static void fixed(FILE *f, int width, uint64_t ns, uint64_t unit, int digits)
{
    uint64_t scale = 1;
    for (int i = 0; i < digits; i++)
        scale *= 10;
    uint64_t frac = (ns % unit) * scale / unit;
    char buf[48];
    snprintf(buf, sizeof buf, "%" PRIu64 ".%0*" PRIu64, ns / unit, digits,
             frac);
    fprintf(f, " %*s", width, buf);
}

int sim_print_task_summary(sim_t *sim, FILE *f)
{
    fputs("# tasks at", f);
    fixed(f, 0, sim->now, SIM_MS, 6);
    fprintf(f, " ms\n# %-6s %3s  %-16s %8s %12s %13s\n", "board", "id", "task",
            "resumes", "busy ms", "worst lat us");
    for (size_t i = 0; i < sim->ntasks; i++) {
        const sim_taskinfo_t *ti = &sim->tasks[i];
        const sim_board_t *b = sim__vec_get(&sim->boards, ti->board);
        char id[32];
        snprintf(id, sizeof id, "task%zu", i + 1);
        fprintf(f, "  %-6s %3zu  %-16s %8" PRIu64, b ? sim_board_name(b) : "-",
                i + 1, ti->name ? ti->name : id, ti->st.resumes);
        fixed(f, 12, ti->st.busy_ns, SIM_MS, 6);
        fixed(f, 13, ti->st.worst_latency_ns, SIM_US, 3);
        fputc('\n', f);
    }
    return ferror(f) ? UA_EIO : (int)sim->ntasks;
}
