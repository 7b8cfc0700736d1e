/*
 * CPU hogs (sim_board_add_hog, sim.h): the board's CPU taken for a while at
 * chosen moments, whatever firmware runs on it.
 *
 * A hog is an event, not a task of the board's loop: at each moment it
 * charges the board's CPU exactly as a step that does not yield would
 * (sim__board_charge, outside a step: the board is busy from max(now, end
 * of the running step) for busy_ns), so the loop's next step waits and
 * interrupt handlers still run at their instants, pushing the end later by
 * their cost.  Being an event, it needs nothing from the firmware and its
 * moments are exact: it does not wait behind the tasks the loop would run
 * first, which makes it the worst case a task hog of the same length can
 * cause at that moment (events at an instant run before any step).
 *
 * It is traced as a task (a key in the task registry, never spawned):
 * wake at the moment, resume when the CPU is free, a step record of
 * busy_ns, and suspend (done after the last one) when it ends -- so the
 * timeline, the JSON and VCD exports and the task summary show it like the
 * task it stands for.
 */
#include <inttypes.h>
#include <string.h>

#include "power.h"
#include "sim_internal.h"

typedef struct sim_hog {
    ua_task_t key; /* the registry's key for the hog's lane; never spawned */
    sim_board_t *board;
    uint64_t every_ns, busy_ns;
    uint32_t left; /* moments still to come, this one included */
} sim_hog_t;

static void hog_fire(sim_t *sim, void *arg, uint64_t moment)
{
    sim_hog_t *h = arg;
    sim_board_t *b = h->board;
    sim_taskinfo_t *ti = sim__task_info(sim, &h->key, true);
    uint32_t id = (uint32_t)(ti - sim->tasks) + 1;
    uint64_t start = SIM_MAX(moment, b->busy_until);
    uint64_t end = start + h->busy_ns;
    bool last = h->left != SIM_HOG_FOREVER && --h->left == 0;

    if (h->busy_ns > 0) {
        sim__power_wake(b); /* power.c: the CPU runs (no-op if it already does) */
        sim__board_charge(b, h->busy_ns);
        sim__power_settle(b); /* power.c: busy until `end`, then sleeps */
    }
    ti->st.resumes++;
    ti->st.busy_ns += h->busy_ns;
    ti->st.last_latency_ns = start - moment;
    if (start - moment > ti->st.worst_latency_ns)
        ti->st.worst_latency_ns = start - moment;
    if (sim->tracing) {
        unsigned bi = b->index;
        sim__trace(sim, moment, UA_TR_WAKE, bi, id, UA_WAKE_TIMEOUT, 0);
        sim__trace(sim, start, UA_TR_RESUME, bi, id, UA_WAKE_TIMEOUT, 0);
        sim__trace(sim, start, SIM_TR_STEP, bi, id, (uint32_t)h->busy_ns, 0);
        if (last)
            sim__trace(sim, end, UA_TR_DONE, bi, id, 0, 0);
        else
            sim__trace(sim, end, UA_TR_SUSPEND, bi, id, UA_W_SLEEP, 0);
    }
    /* fixed moments (first + k * every), not `every` after each end: the
     * moments a scenario chose stay where it put them */
    if (!last && moment <= SIM_FOREVER - 1 - h->every_ns)
        sim_at(sim, moment + h->every_ns, hog_fire, h, moment + h->every_ns);
}

int sim_board_add_hog(sim_board_t *b, const char *name, uint64_t first_ns,
                      uint64_t every_ns, uint64_t busy_ns, uint32_t count)
{
    if (b == NULL)
        return UA_EINVAL;
    sim_t *sim = b->sim;
    if (name == NULL || name[0] == '\0') {
        sim__error(sim, "hog: the name is empty: a hog needs a name for its "
                        "trace lane");
        return UA_EINVAL;
    }
    if (first_ns < sim->now || first_ns == SIM_FOREVER) {
        sim__error(sim, "hog %s: first_ns=%" PRIu64 " is out of range: "
                        "first_ns is %" PRIu64 "..%" PRIu64
                        " (now .. the end of the clock)",
                   name, first_ns, sim->now, SIM_FOREVER - 1);
        return UA_EINVAL;
    }
    if (busy_ns > UINT32_MAX) {
        sim__error(sim, "hog %s: busy_ns=%" PRIu64 " is out of range: "
                        "busy_ns is 0..%" PRIu32 " (what a step record holds)",
                   name, busy_ns, UINT32_MAX);
        return UA_EINVAL;
    }
    if (count == 0) {
        sim__error(sim, "hog %s: count=0 is out of range: count is 1..%" PRIu32
                        " (%" PRIu32 ": without end)",
                   name, SIM_HOG_FOREVER, SIM_HOG_FOREVER);
        return UA_EINVAL;
    }
    if (count > 1 && (every_ns < busy_ns || every_ns == 0)) {
        sim__error(sim, "hog %s: every_ns=%" PRIu64 " is out of range: with "
                        "busy_ns=%" PRIu64 " and count=%" PRIu32 ", every_ns is "
                        "%" PRIu64 "..%" PRIu64 " (a hog may not start again "
                        "before it ends)",
                   name, every_ns, busy_ns, count, busy_ns ? busy_ns : 1,
                   UINT64_MAX);
        return UA_EINVAL;
    }
    sim_hog_t *h = sim__own(sim, sizeof *h); /* freed by sim_free */
    h->board = b;
    h->every_ns = every_ns;
    h->busy_ns = busy_ns;
    h->left = count;
    sim_task_name(sim, &h->key, name);
    sim_taskinfo_t *ti = sim__task_info(sim, &h->key, true);
    ti->board = (uint16_t)b->index;
    sim_at(sim, first_ns, hog_fire, h, first_ns);
    return (int)sim_task_id(sim, &h->key);
}

/* Here rather than in board.c: the hogs are what needs it (a pair app
 * creates its peer board itself; a scenario finds it by name). */
sim_board_t *sim_board_find(sim_t *sim, const char *name)
{
    for (size_t i = 0; name != NULL && i < sim->boards.n; i++) {
        sim_board_t *b = sim->boards.v[i];
        if (strcmp(b->name, name) == 0)
            return b;
    }
    return NULL;
}
