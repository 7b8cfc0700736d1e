/* The task registry (tasks.c): a record per task the boards report. */
#ifndef SIM_TASKS_INT_H
#define SIM_TASKS_INT_H

#include "sim_internal.h"

#pragma GCC visibility push(hidden)

typedef struct sim_taskinfo {
    const ua_task_t *task;
    char *name;
    uint16_t board;
    bool ready_known;
    uint64_t ready_ns;
    sim_task_stats_t st;
    /* what the next wake record is about (board.c): a deadline that fired,
     * a flag the loop saw, and who set that flag when */
    bool fired, flag_seen, flag_known, flag_in_step;
    uint64_t fire_ns, flag_ns, suspend_ns;
    uint32_t flag_by;
} sim_taskinfo_t;


sim_taskinfo_t *sim__task_info(sim_t *sim, const ua_task_t *t, bool create);
const char *sim__task_name(const sim_t *sim, uint32_t id);

#pragma GCC visibility pop

#endif
