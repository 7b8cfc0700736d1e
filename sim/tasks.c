/*
 * The task registry: an id, a name and statistics per task the boards'
 * loops report through their trace hooks (sim_internal.h), found by the
 * task's address in an open-addressing map.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static size_t hash_ptr(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20) & (cap - 1);
}

static void tmap_insert(sim_t *sim, const ua_task_t *t, uint32_t id)
{
    size_t i = hash_ptr(t, sim->tmap_cap);
    while (sim->tmap[i] != 0)
        i = (i + 1) & (sim->tmap_cap - 1);
    sim->tmap[i] = id;
}

sim_taskinfo_t *sim__task_info(sim_t *sim, const ua_task_t *t, bool create)
{
    /* Most lookups repeat the previous task (resume, arm, suspend). */
    if (sim->last_id && sim->tasks[sim->last_id - 1].task == t)
        return &sim->tasks[sim->last_id - 1];
    if (sim->tmap_cap) {
        size_t i = hash_ptr(t, sim->tmap_cap);
        while (sim->tmap[i] != 0) {
            sim_taskinfo_t *ti = &sim->tasks[sim->tmap[i] - 1];
            if (ti->task == t) {
                sim->last_id = sim->tmap[i];
                return ti;
            }
            i = (i + 1) & (sim->tmap_cap - 1);
        }
    }
    if (!create)
        return NULL;
    if (sim->ntasks == sim->captasks) {
        sim->captasks = sim->captasks ? 2 * sim->captasks : 16;
        sim->tasks = realloc(sim->tasks, sim->captasks * sizeof *sim->tasks);
        if (sim->tasks == NULL)
            abort();
    }
    if ((sim->ntasks + 1) * 2 > sim->tmap_cap) {
        free(sim->tmap);
        sim->tmap_cap = sim->tmap_cap ? 2 * sim->tmap_cap : 64;
        sim->tmap = sim__alloc(sim->tmap_cap * sizeof *sim->tmap);
        for (size_t k = 0; k < sim->ntasks; k++)
            tmap_insert(sim, sim->tasks[k].task, (uint32_t)k + 1);
    }
    sim_taskinfo_t *ti = &sim->tasks[sim->ntasks++];
    memset(ti, 0, sizeof *ti);
    ti->task = t;
    tmap_insert(sim, t, (uint32_t)sim->ntasks);
    return ti;
}

const char *sim__task_name(const sim_t *sim, uint32_t id)
{
    if (id == 0 || id > sim->ntasks || sim->tasks[id - 1].name == NULL)
        return NULL;
    return sim->tasks[id - 1].name;
}

void sim_task_name(sim_t *sim, const ua_task_t *t, const char *name)
{
    sim_taskinfo_t *ti = sim__task_info(sim, t, true);
    free(ti->name);
    ti->name = sim__strdup(name);
    sim->names_gen++; /* trace lines show names: cached selections redo */
}

int sim_spawn(sim_board_t *b, ua_task_t *t, const char *name)
{
    sim_taskinfo_t *ti = sim__task_info(b->sim, t, true);
    ti->board = (uint16_t)b->index;
    if (name != NULL)
        sim_task_name(b->sim, t, name);
    return ua_spawn(&b->loop, t);
}

int sim_task_stats(sim_t *sim, const ua_task_t *t, sim_task_stats_t *out)
{
    sim_taskinfo_t *ti = sim__task_info(sim, t, false);
    if (ti == NULL)
        return UA_EINVAL;
    *out = ti->st;
    return 0;
}

uint32_t sim_task_id(sim_t *sim, const ua_task_t *t)
{
    sim_taskinfo_t *ti = sim__task_info(sim, t, false);
    return ti ? (uint32_t)(ti - sim->tasks) + 1 : 0;
}
