/* Boards (board.c): the port of each loop, CPU accounting, interrupts. */
#ifndef SIM_BOARD_INT_H
#define SIM_BOARD_INT_H

#include "sim_internal.h"

#pragma GCC visibility push(hidden)

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
    uint64_t irq_latency;    /* ns; window of SIM_PERTURB_IRQ (perturb.c) */
    /* sim__board_next's last answer, and whether it was the last thing
     * asked at the end of the step that just ended (power settling asks
     * it): then it still holds when the run loop next looks. */
    uint64_t next_answer;
    bool next_fresh;
    const void *traced_task; /* the task of the board's last trace hook */
    uint32_t traced_id;      /* its id */
};


/* sim_now(), inline for the simulator's own hot paths (the trace hook, pin
 * edges, interrupts ask it at every record). */
static inline uint64_t sim__now(const sim_t *sim)
{
    return sim->active ? sim->now + sim->active->cpu : sim->now;
}

/* board.c */
void sim__board_free(sim_board_t *b);
uint64_t sim__board_next(sim_board_t *b);
void sim__board_step(sim_board_t *b);
void sim__board_charge(sim_board_t *b, uint64_t ns);
uint32_t sim__board_tick_at(const sim_board_t *b, uint64_t t_ns);
/* Run an interrupt handler of the board: enter/exit traced, cost charged. */
ua_loop_t *sim__irq_begin(sim_board_t *b, unsigned src_kind, uint32_t obj);
void sim__irq_end(sim_board_t *b, ua_loop_t *saved, unsigned src_kind,
                  uint32_t obj);

/* perturb.c: the explorer's decisions at the board's decision points.
 * The port's reorder hook; how much later an interrupt landing now is
 * taken (0: now). */
uint32_t sim__perturb_reorder(void *ctx, const void *woken, uint32_t choices);
uint64_t sim__perturb_irq_delay(sim_board_t *b);
/* Of the boards due at t (first: the one created first), the one to step. */
sim_board_t *sim__perturb_board(sim_t *sim, sim_board_t *first, uint64_t t);
void sim__perturb_free(sim_t *sim);

#pragma GCC visibility pop

#endif
