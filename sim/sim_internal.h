/*
 * Internal structures shared by the simulator's source files.  Not part of
 * the API: models in sim/models/ use sim.h, sim_hw.h and sim_trace.h.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stdio.h>
#include <stdlib.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"
#include "sim_trace.h"

typedef struct sim_ev {
    uint64_t t;
    uint64_t seq;
    sim_event_cb cb;
    void *arg;
    uint64_t data;
} sim_ev_t;

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
    struct sim_tindex *tix; /* trace_query.c: by-kind index, query cache */
    char *tline;            /* sim_trace_line's buffer */
    uint32_t names_gen;     /* bumped when a task, pin or note is renamed */
    size_t tline_cap;
    /* tasks: infos by id-1, and an open-addressing map task -> id */
    sim_taskinfo_t *tasks;
    size_t ntasks, captasks;
    uint32_t *tmap;
    size_t tmap_cap;
    uint32_t last_id; /* lookup cache */
    sim_note_t *notes;
    size_t nnotes;
    char *name; /* sim_set_name */
    /* unhandled task errors (UA_TR_UNHANDLED), over every board */
    uint32_t unhandled;
    uint32_t first_unhandled_task; /* task id of the first */
    int32_t first_unhandled_status;
    /* objects */
    sim_vec_t pins, uarts, buses, nets, owned;
};

struct sim_board {
    sim_t *sim;
    unsigned index;
    char *name;
    ua_loop_t loop;
    ua_port_t port;
    uint32_t start_tick;
    int32_t crystal_ppb;     /* tick source error (sim_board_set_crystal_ppb) */
    uint64_t step_cost, irq_cost;
    uint64_t busy_until;
    bool in_step;
    uint64_t cpu;            /* CPU consumed in the running step */
    const ua_task_t *step_task;
    uint64_t last_irq_ns;
    uint32_t irq_by; /* SIM_WAKE_BY() of the running interrupt, 0 if none */
    sim_vec_t flags_in_step; /* ids of tasks whose flag the running step set */
    sim_vec_t pins, uarts, buses; /* indexed by number (NULL gaps) */
    struct sim_power *power; /* power.c */
};

typedef struct sim_net {
    sim_vec_t pins, srcs;
    int level;
    int pull;
    uint32_t contention;
} sim_net_t;

typedef struct sim_watch {
    sim_pin_watch_cb cb;
    void *arg;
    struct sim_watch *next;
} sim_watch_t;

struct sim_pin {
    ua_pin_t hw;
    sim_t *sim;
    sim_board_t *board; /* NULL for model pins */
    sim_net_t *net;
    uint32_t id;
    char *name;
    int mode;
    int out; /* latch written by the driver */
    int drv; /* level the pin drives now (the latch, once propagated) */
    unsigned edges;
    ua_pin_irq_cb cb;
    void *cb_arg;
    sim_watch_t *watch;
};

struct sim_source {
    sim_pin_t *pin;
    int level;
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

/* CPU accounting (sim_cpu_accounting): wrap an entry point's work. */
uint64_t sim__cpu_begin(void);
void sim__cpu_end(uint64_t token);

/* board.c */
void sim__board_free(sim_board_t *b);
uint64_t sim__board_next(const sim_board_t *b);
void sim__board_step(sim_board_t *b);
void sim__board_charge(sim_board_t *b, uint64_t ns);
uint32_t sim__board_tick_at(const sim_board_t *b, uint64_t t_ns);
/* Run an interrupt handler of the board: enter/exit traced, cost charged. */
ua_loop_t *sim__irq_begin(sim_board_t *b, unsigned src_kind, uint32_t obj);
void sim__irq_end(sim_board_t *b, ua_loop_t *saved, unsigned src_kind,
                  uint32_t obj);
sim_taskinfo_t *sim__task_info(sim_t *sim, const ua_task_t *t, bool create);
/* After an event: note ISR flags it set outside any interrupt handler. */
const char *sim__task_name(const sim_t *sim, uint32_t id);

/* trace.c */
void sim__trace_make_room(sim_t *sim);
void sim__trace_free(sim_t *sim); /* sim_free: the records' memory */

/* Append one record.  Inline and branch-light because the scheduler and the
 * models trace every step, edge and byte: the slow path (grow in large
 * chunks, or drop the oldest half of a bounded trace) runs once per many
 * thousand records.  Records are not kept sorted here; readers sort. */
static inline void sim__trace(sim_t *sim, uint64_t t, unsigned kind,
                              unsigned board, uint32_t obj, uint32_t arg,
                              uint32_t arg2)
{
    if (sim->ntr >= sim->tr_room)
        sim__trace_make_room(sim);
    sim_trace_rec_t *r = &sim->tr[sim->ntr++];
    r->t_ns = t;
    r->kind = (uint16_t)kind;
    r->board = (uint16_t)board;
    r->obj = obj;
    r->arg = arg;
    r->arg2 = arg2;
}
void sim__trace_sort(sim_t *sim);

/* A growable text buffer (p NUL-terminated after each write, n its length). */
typedef struct sim_sbuf {
    char *p;
    size_t n, cap;
} sim_sbuf_t;
void sim__sbuf_printf(sim_sbuf_t *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The text trace's line for r, without the newline: sb is overwritten. */
void sim__trace_format(const sim_t *sim, const sim_trace_rec_t *r,
                       sim_sbuf_t *sb);
/* trace_query.c: free the index (sim_free). */
void sim__tindex_free(sim_t *sim);
const char *sim__note_name(const sim_t *sim, uint32_t code);

/* pin.c */
void sim__pin_free(sim_pin_t *p);
void sim__net_free(sim_net_t *n);

/* uart.c, i2c.c */
void sim__uart_free(sim_uart_t *u);
void sim__i2c_free(sim_i2c_t *b);
uint32_t sim__uart_baud(const sim_uart_t *u);
const char *sim__uart_name(const sim_uart_t *u);
int sim__uart_board(const sim_uart_t *u);
sim_board_t *sim__uart_owner(const sim_uart_t *u); /* NULL: a model's */
const char *sim__i2c_name(const sim_i2c_t *b);
int sim__i2c_board(const sim_i2c_t *b);

#define SIM_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SIM_MIN(a, b) ((a) < (b) ? (a) : (b))

#endif /* SIM_INTERNAL_H */
