/*
 * The simulator's internals, one header per concern (not part of the API:
 * models in sim/models/ use sim.h, sim_hw.h and sim_trace.h):
 *   sim_internal.h    the engine: events, struct sim, memory, errors
 *   sim_tasks_int.h   the task registry (tasks.c)
 *   sim_board_int.h   boards: the port, CPU accounting, interrupts (board.c)
 *   sim_pin_int.h     pins, nets, sources (pin.c)
 *   sim_trace_int.h   the trace: appending, sorting, formatting (trace.c)
 *   sim_bus_int.h     UART and I2C internals shared with the exporters
 * This header includes them all at its end, for the files that need
 * several; a file that needs one includes that one.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"
#include "sim_trace.h"

/* Internal names are not exported from the shared library: calls between
 * the simulator's files are then direct, not through the PLT (the run loop
 * makes millions of them).  Pushed again by each concern header. */
#pragma GCC visibility push(hidden)

typedef struct sim_ev {
    uint64_t t;
    uint64_t seq;
    sim_event_cb cb;
    void *arg;
    uint64_t data;
} sim_ev_t;

typedef struct sim_note {
    uint32_t code;
    char *name;
} sim_note_t;

/* A growable array of pointers. */
typedef struct sim_vec {
    void **v;
    size_t n, cap;
} sim_vec_t;

struct sim {
    uint64_t seed;
    uint64_t now;
    uint64_t seq;
    sim_ev_t *heap;
    size_t nheap, capheap;
    sim_vec_t boards;
    sim_board_t *active; /* board whose task step is running */
    bool stop;
    char err[256];
    /* trace */
    bool tracing;
    sim_trace_rec_t *tr;
    size_t ntr, captr, sorted;
    size_t tr_room;     /* ntr below this: append without the slow path */
    bool tr_mapped;     /* tr is a reserved range (trace.c), not malloc'd */
    size_t tr_used;     /* bytes of that range already written once */
    size_t trace_limit; /* 0: unbounded */
    uint64_t dropped;
    /* Lowest record index the sort (or a drop) moved a record to since the
     * query index last looked (SIZE_MAX: none): the index truncates there. */
    size_t tr_low;
    /* Kinds present in each block of SIM_TRACE_BLOCK records, bit k for
     * kind k < 64 (a superset: a kind that left a block may still be set),
     * kept by the sort for the records it has seen: a query for a rare
     * kind reads these, not the whole trace. */
    uint64_t *tr_kinds;
    size_t tr_kinds_cap;
    struct sim_tindex *tix; /* trace_query.c: by-kind index, query cache */
    char *tline;            /* sim_trace_line's buffer */
    uint32_t names_gen;     /* bumped when a task, pin or note is renamed */
    size_t tline_cap;
    /* tasks: infos by id-1, and an open-addressing map task -> id */
    struct sim_taskinfo *tasks;
    size_t ntasks, captasks;
    uint32_t *tmap;
    size_t tmap_cap;
    uint32_t last_id; /* lookup cache */
    sim_note_t *notes;
    size_t nnotes;
    char *name; /* sim_set_name */
    struct sim_perturb_state *perturb; /* perturb.c: exploration, or NULL */
    bool exploring; /* perturb.c: decisions are drawn or replayed: asked */
    /* unhandled task errors (UA_TR_UNHANDLED), over every board */
    uint32_t unhandled;
    uint32_t first_unhandled_task; /* task id of the first */
    int32_t first_unhandled_status;
    /* objects */
    sim_vec_t pins, uarts, buses, nets, owned;
};

/* engine.c */
void *sim__alloc(size_t n);      /* zeroed, aborts on failure */
void *sim__own(sim_t *sim, size_t n); /* zeroed, freed by sim_free */
char *sim__strdup(const char *s);
void sim__vec_push(sim_vec_t *v, void *p);
void sim__vec_set(sim_vec_t *v, size_t i, void *p);
void *sim__vec_get(const sim_vec_t *v, size_t i);
void sim__error(sim_t *sim, const char *fmt, ...);

/* The replay readers on text in memory (`name` for messages): what
 * sim_replay_vcd/sim_replay_mode2 do after reading the file; the fuzz
 * targets call these. */
long sim__replay_vcd_text(sim_pin_t *pin, const char *name, const char *text,
                          size_t n, const char *signal, uint64_t t0_ns);
long sim__replay_mode2_text(sim_pin_t *pin, const char *name, const char *text,
                            size_t n, uint64_t t0_ns);

/* The concerns, for the files that need several. */
#include "sim_board_int.h"
#include "sim_bus_int.h"
#include "sim_pin_int.h"
#include "sim_tasks_int.h"
#include "sim_trace_int.h"

#pragma GCC visibility pop

#endif /* SIM_INTERNAL_H */
