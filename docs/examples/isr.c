/* An interrupt, an ISR flag and I/O priority, on the simulator: a pin edge
 * is timestamped in the interrupt handler and handled by a task while three
 * other tasks keep the CPU busy.  With I/O priority the edge waits for one
 * of their steps at most, not for a whole round of them. */
#include "example.h"
#include "sim.h"
#include "sim_hw.h"
#include "sim_summary.h"

static sim_t *sim;

static uint64_t sim_us(void)
{
    return sim_now(sim) / SIM_US;
}

/* --- a driver in miniature ----------------------------------------------- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    ua_flag_t flag;                /* interrupt -> task */
    volatile ua_ticks_t edge_tick; /* written by the interrupt */
    ua_loop_t *loop;
    int n;
} edge_t;

/* Interrupt context: record, set the flag, touch nothing else. */
static void on_edge(void *arg, int level, ua_ticks_t when)
{
    edge_t *e = arg;
    (void)level;
    e->edge_tick = when;
    ua_flag_set(&e->flag);
}

static int edge_task(ua_task_t *self)
{
    edge_t *e = UA_CONTAINER_OF(self, edge_t, task);
    UA_BEGIN(self, &e->co);
    for (e->n = 0; e->n < 3; e->n++) {
        UA_AWAIT(ua_flag_wait(self, &e->flag, UA_FOREVER));
        ex_log("edge handled %d us late",
               (int)ua_ticks_diff(ua_loop_now(e->loop), e->edge_tick));
    }
    UA_END();
}

static int edge_init(edge_t *e, ua_loop_t *loop, ua_pin_t *pin)
{
    e->loop = loop;
    ua_flag_init(&e->flag, loop);
    ua_task_init(&e->task, edge_task);
    int st = ua_pin_configure(pin, UA_PIN_INPUT_PULLDOWN);
    if (st == 0)
        st = ua_pin_set_irq(pin, UA_EDGE_RISING, on_edge, e);
    return st;
}

/* --- the CPU hogs: 2 ms of work per step, forever ------------------------- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
} hog_t;

static int hog(ua_task_t *self)
{
    hog_t *h = UA_CONTAINER_OF(self, hog_t, task);
    UA_BEGIN(self, &h->co);
    for (;;) {
        ua_delay_us(2000); /* busy: the simulator charges it as CPU time */
        UA_YIELD();
    }
    UA_END();
}

static void run(bool io_priority)
{
    static edge_t edge;
    static hog_t hogs[3];
    static const char *names[3] = {"hog0", "hog1", "hog2"};

    sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_pin_t *pin = sim_board_pin(b, 0);
    sim_source_t *button = sim_source_new(pin);
    memset(&edge, 0, sizeof edge);
    memset(hogs, 0, sizeof hogs);

    sim_board_enter(b);
    ua_loop_set_io_priority(sim_board_loop(b), io_priority);
    edge_init(&edge, sim_board_loop(b), sim_pin_hw(pin));
    sim_spawn(b, &edge.task, "edge");
    for (int i = 0; i < 3; i++) {
        ua_task_init(&hogs[i].task, hog);
        sim_spawn(b, &hogs[i].task, names[i]);
    }
    for (int i = 0; i < 3; i++) { /* edges at 10.5, 20.5, 30.5 ms */
        sim_source_at(button, (10500 + 10000 * i) * SIM_US, 1);
        sim_source_at(button, (11000 + 10000 * i) * SIM_US, 0);
    }
    ex_log("I/O priority %s", io_priority ? "on" : "off");
    sim_run_until_done(sim, &edge.task, 100 * SIM_MS);

    char table[1024];
    FILE *f = fmemopen(table, sizeof table, "w");
    sim_print_task_summary(sim, f);
    fclose(f);
    ex_append(table);
    sim_free(sim);
}

int main(void)
{
    ex_time_us = sim_us;
    run(false);
    run(true);
    return ex_check(
                    "     0.000 ms  I/O priority off\n"
                    "    18.000 ms  edge handled 7500 us late\n"
                    "    30.000 ms  edge handled 9500 us late\n"
                    "    42.000 ms  edge handled 11500 us late\n"
                    "# tasks at 42.000000 ms\n"
                    "# board   id  task              resumes      busy ms  worst lat us\n"
                    "  b0       1  edge                    4     0.000000     11500.000\n"
                    "  b0       2  hog0                    7    14.000000         0.000\n"
                    "  b0       3  hog1                    7    14.000000      2000.000\n"
                    "  b0       4  hog2                    7    14.000000      4000.000\n"
                    "     0.000 ms  I/O priority on\n"
                    "    12.000 ms  edge handled 1500 us late\n"
                    "    22.000 ms  edge handled 1500 us late\n"
                    "    32.000 ms  edge handled 1500 us late\n"
                    "# tasks at 32.000000 ms\n"
                    "# board   id  task              resumes      busy ms  worst lat us\n"
                    "  b0       1  edge                    4     0.000000      1500.000\n"
                    "  b0       2  hog0                    6    12.000000         0.000\n"
                    "  b0       3  hog1                    5    10.000000      2000.000\n"
                    "  b0       4  hog2                    5    10.000000      4000.000\n");
}
