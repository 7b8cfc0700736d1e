/*
 * End-of-run summary: one line per task the simulation has seen, with the
 * figures of sim_task_stats() -- resumes, CPU time charged to its steps and
 * its worst wake-up latency (from the moment it became ready -- its wake
 * record: a deadline, an interrupt, a primitive, a join, a cancel, a spawn
 * -- to the start of its step).  Print it at
 * the end of a run (it is exported by libuasync_sim.so, so the Python
 * scenario package can call it too); the same figures can be recovered
 * from the trace (resume records, step records, wake -> resume distances),
 * see docs/under-the-hood.md.
 *
 *     sim_run_for(sim, 2 * SIM_S);
 *     sim_print_task_summary(sim, stdout);
 *
 * Output (stable, for diffs; times from the virtual clock only):
 *
 *     # tasks at 42.000000 ms
 *     # board   id  task              resumes      busy ms  worst lat us
 *       b0       1  edge                    4     0.000000     11500.000
 *       b0       2  hog0                    7    14.000000         0.000
 *
 * (docs/examples/isr.c prints and checks exactly this.)
 */
#ifndef SIM_SUMMARY_H
#define SIM_SUMMARY_H

#include <stdio.h>

#include "sim.h"

/* Write the table to `f`, tasks in trace-id order.  Returns the number of
 * tasks listed, or UA_EIO if writing failed. */
int sim_print_task_summary(sim_t *sim, FILE *f);

#endif /* SIM_SUMMARY_H */
