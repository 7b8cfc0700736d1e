/*
 * Purpose-built buggy firmware for the explorer's own tests (never shipped):
 * two classic concurrency bugs that every run with the default schedule and
 * the scripted stimuli hides, each with its fixed twin (args: fixed=1).
 *
 * "counter": a check-then-act race between a task and an ISR.  The
 * interrupt counts pulses and sets a flag; the task reads the count, spends
 * 2 ms reporting it (an await), then zeroes the count -- losing any pulse
 * counted meanwhile.  Fixed: it subtracts what it read.
 *
 * "pulse": a lost wake-up between two tasks.  A producer woken by an ISR
 * flag announces a sample with an event pulse (set, then clear: only tasks
 * already waiting see it); a consumer whose 10 ms tick falls on the same
 * instant waits for that announcement.  If the producer runs first, the
 * pulse finds nobody and the sample is missed.  Fixed: the event stays set
 * until the consumer clears it.
 *
 * Both report through trace notes: "counted" (a = the total so far) and
 * "got" / "missed" (a = samples so far).
 */
#include <stdint.h>
#include <string.h>

#include "sim_glue.h"
#include "ua.h"
#include "ua_driver.h"

/* Pin 0, published as `name`, pulled up: its falling edges run `isr`, which
 * sets `flag` (registered on the board's loop).  0, or the app's failure. */
static int falling_edge_input(sim_app_t *app, sim_board_t *board,
                              const char *name, ua_flag_t *flag,
                              ua_pin_irq_cb isr, void *arg)
{
    sim_pin_t *pin = sim_board_pin(board, 0);
    sim_pin_set_name(pin, name);
    sim_pin_pull(pin, +1);
    sim_app_add_pin(app, name, pin);
    if (ua_flag_init(flag, sim_board_loop(board)) != 0)
        return sim_app_fail(app, "flag");
    ua_pin_configure(sim_pin_hw(pin), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(pin), UA_EDGE_FALLING, isr, arg);
    return 0;
}

/* --- counter ---------------------------------------------------------------- */

typedef struct counter {
    ua_task_t task;
    ua_co_t co;
    ua_flag_t flag;
    volatile uint32_t pending; /* pulses counted by the ISR */
    uint32_t seen, total;
    bool fixed;
    app_notify_t notify;
} counter_t;

static void counter_isr(void *arg, int level, ua_ticks_t when)
{
    counter_t *c = arg;
    (void)level;
    (void)when;
    c->pending++;
    ua_flag_set(&c->flag);
}

static int counter_task(ua_task_t *self)
{
    counter_t *c = UA_CONTAINER_OF(self, counter_t, task);
    UA_BEGIN(self, &c->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &c->flag, UA_FOREVER));
        c->seen = c->pending;                /* check */
        UA_AWAIT(ua_sleep_ms(self, 2));      /* report it: 2 ms on a bus */
        if (c->fixed) {
            ua_critical_enter(ua_task_loop(self));
            c->pending -= c->seen;
            ua_critical_exit(ua_task_loop(self));
        } else {
            c->pending = 0;                  /* act: the bug */
        }
        c->total += c->seen;
        app_notify(&c->notify, "counted", (int32_t)c->total, 0);
    }
    UA_END();
}

SIM_GLUE_PROBE(counter_t, c, total, c->total)

static int counter_setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    counter_t *c = sim_app_alloc(app, sizeof *c);
    c->fixed = sim_app_arg_in(args, "fixed", 0, 0, 1) != 0;
    c->notify = sim_glue_notify(app);
    sim_app_add_probe(app, "total", probe_total, c);
    int st = falling_edge_input(app, board, "pulse", &c->flag, counter_isr, c);
    if (st != 0)
        return st;
    ua_task_init(&c->task, counter_task);
    if (sim_app_spawn(app, &c->task, "counter") != 0)
        return sim_app_fail(app, "spawn");
    return 0;
}

const sim_app_def_t sim_app_counter = {
    "counter", "planted bug: an ISR count zeroed after an await", counter_setup};
SIM_APP_REGISTER(sim_app_counter)

/* --- pulse ------------------------------------------------------------------ */

typedef struct pulse {
    ua_task_t producer, consumer;
    ua_co_t pco, cco;
    ua_flag_t flag;
    ua_event_t ready;
    int32_t got, missed;
    int st;
    bool fixed;
    app_notify_t notify;
} pulse_t;

static void pulse_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((pulse_t *)arg)->flag);
}

static int producer_task(ua_task_t *self)
{
    pulse_t *p = UA_CONTAINER_OF(self, pulse_t, producer);
    UA_BEGIN(self, &p->pco);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &p->flag, UA_FOREVER));
        ua_event_set(&p->ready);
        if (!p->fixed)
            ua_event_clear(&p->ready); /* a pulse: only waiters see it */
    }
    UA_END();
}

static int consumer_task(ua_task_t *self)
{
    pulse_t *p = UA_CONTAINER_OF(self, pulse_t, consumer);
    UA_BEGIN(self, &p->cco);
    for (;;) {
        UA_AWAIT(ua_sleep_ms(self, 10)); /* the 10 ms housekeeping tick */
        UA_AWAIT_STATUS(p->st, ua_event_wait(self, &p->ready, 5));
        if (p->st == 0) {
            if (p->fixed)
                ua_event_clear(&p->ready);
            p->got++;
            app_notify(&p->notify, "got", p->got, 0);
        } else {
            p->missed++;
            app_notify(&p->notify, "missed", p->missed, 0);
        }
    }
    UA_END();
}

SIM_GLUE_PROBE(pulse_t, p, got, p->got)
SIM_GLUE_PROBE(pulse_t, p, missed, p->missed)

static int pulse_setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    pulse_t *p = sim_app_alloc(app, sizeof *p);
    p->fixed = sim_app_arg_in(args, "fixed", 0, 0, 1) != 0;
    p->notify = sim_glue_notify(app);
    sim_app_add_probe(app, "got", probe_got, p);
    sim_app_add_probe(app, "missed", probe_missed, p);
    ua_event_init(&p->ready);
    int st = falling_edge_input(app, board, "data", &p->flag, pulse_isr, p);
    if (st != 0)
        return st;
    ua_task_init(&p->consumer, consumer_task);
    ua_task_init(&p->producer, producer_task);
    if (sim_app_spawn(app, &p->consumer, "consumer") != 0 ||
        sim_app_spawn(app, &p->producer, "producer") != 0)
        return sim_app_fail(app, "spawn");
    return 0;
}

const sim_app_def_t sim_app_pulse = {
    "pulse", "planted bug: an event pulse a same-tick consumer can miss",
    pulse_setup};
SIM_APP_REGISTER(sim_app_pulse)
