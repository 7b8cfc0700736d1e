/*
 * Boards: the port each board's loop runs on, task steps with CPU
 * accounting, interrupt entry/exit and wake-up attribution, fed by the
 * scheduler's trace hook (the task registry is in tasks.c).
 */
#include <string.h>

#include "power.h"
#include "sim_internal.h"

/* --- Crystal offset: the board's tick source --------------------------------
 * Kept apart from the rest of the board on purpose: the two functions below
 * map true time to board time and back; everything else goes through them.
 * With crystal_ppb == 0 both are the identity. */

/* Board time (ns) elapsed at true time t: t + floor(t x ppb / 1e9). */
static uint64_t board_ns_at(const sim_board_t *b, uint64_t t)
{
    int64_t ppb = b->crystal_ppb;
    if (ppb == 0)
        return t;
    int64_t q = (int64_t)(t / 1000000000u), r = (int64_t)(t % 1000000000u);
    int64_t frac = r * ppb; /* |r x ppb| < 1e15: no overflow */
    int64_t extra = q * ppb + frac / 1000000000;
    if (frac % 1000000000 < 0)
        extra--; /* floor for a slow crystal */
    return (uint64_t)((int64_t)t + extra);
}

/* The earliest true time at which board time reaches bn. */
static uint64_t true_ns_at(const sim_board_t *b, uint64_t bn)
{
    if (b->crystal_ppb == 0)
        return bn;
    uint64_t t = (uint64_t)((double)bn * 1e9 / (1e9 + b->crystal_ppb));
    while (board_ns_at(b, t) < bn)
        t++;
    while (t > 0 && board_ns_at(b, t - 1) >= bn)
        t--;
    return t;
}

void sim_board_set_crystal_ppb(sim_board_t *b, int32_t ppb)
{
    b->crystal_ppb = ppb;
}

uint32_t sim__board_tick_at(const sim_board_t *b, uint64_t t_ns)
{
    return (uint32_t)(board_ns_at(b, t_ns) / 1000u + b->start_tick);
}

static ua_ticks_t port_ticks(void *ctx)
{
    sim_board_t *b = ctx;
    uint64_t t = b->sim->now + (b->in_step ? b->cpu : 0);
    return sim__board_tick_at(b, t);
}

/* The simulator never lets a loop idle (it steps loops itself); a loop run
 * with ua_loop_run_* by mistake just spins. */
static void port_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    (void)ctx;
    (void)has_deadline;
    (void)deadline;
}

static void port_delay_us(void *ctx, uint32_t us)
{
    sim__board_charge(ctx, (uint64_t)us * 1000u);
}

/* Time at which the loop's deadline tick `d` is reached. */
static uint64_t deadline_ns(const sim_board_t *b, ua_ticks_t d)
{
    /* Asked for every board before most events: board time read once (one
     * division, not two; sim__board_tick_at is this plus start_tick). */
    uint64_t now = b->sim->now;
    uint64_t now_us = board_ns_at(b, now) / 1000u;
    int32_t diff = ua_ticks_diff(d, (uint32_t)(now_us + b->start_tick));
    if (diff <= 0)
        return now;
    return true_ns_at(b, (now_us + (uint64_t)diff) * 1000u);
}

/* Time of the loop's tick `d`, which may be past (a deadline that fired
 * late: the ready time of its task), within 2^31 us of now. */
static uint64_t tick_ns(const sim_board_t *b, ua_ticks_t d)
{
    int64_t us = (int64_t)(board_ns_at(b, b->sim->now) / 1000u) +
                 ua_ticks_diff(d, sim__board_tick_at(b, b->sim->now));
    return us > 0 ? true_ns_at(b, (uint64_t)us * 1000u) : 0;
}

static uint32_t task_id(const sim_t *sim, const sim_taskinfo_t *ti)
{
    return (uint32_t)(ti - sim->tasks) + 1;
}

/* Who is waking a task now: the running interrupt, else the task whose step
 * is running (it set an event, released a lock, finished...), else the loop
 * itself (deadlines and flags are turned into wake-ups before any task of
 * the pass runs). */
static uint32_t waker(const sim_board_t *b)
{
    sim_t *sim = b->sim;
    if (b->irq_by != 0)
        return b->irq_by;
    if (b->in_step && b->step_task != NULL) {
        sim_taskinfo_t *ti = sim__task_info(sim, b->step_task, false);
        if (ti != NULL)
            return SIM_WAKE_BY(SIM_WAKE_TASK, task_id(sim, ti));
    }
    return 0;
}

/* A wake record: when the task became ready and who made it so (see
 * sim_trace.h).  `t` is the time of the code that woke it. */
static uint64_t wake(sim_board_t *b, sim_taskinfo_t *ti, uint32_t reason,
                     uint64_t t, uint32_t *by)
{
    uint64_t ready = t;
    *by = 0;
    if (reason == UA_WAKE_TIMEOUT && ti->fired) {
        ready = ti->fire_ns;
    } else if (reason == UA_WAKE_GRANT && ti->flag_seen) {
        if (ti->flag_known) {
            /* not before it waited: a step runs in zero time, so an
             * interrupt during its charged CPU time precedes the wait */
            ready = SIM_MAX(ti->flag_ns, ti->suspend_ns);
            *by = ti->flag_by;
        }
    } else {
        *by = waker(b);
    }
    ti->fired = ti->flag_seen = ti->flag_known = false;
    if (!ti->ready_known) {
        ti->ready_known = true;
        ti->ready_ns = ready;
    }
    return ready;
}

/* A flag was raised (UA_TR_FLAG_RAISED) for the waiter `ti`: remember when
 * and by whom, unless an earlier set is already remembered (the task was
 * ready from the first).  An interrupt handler's set counts from the
 * interrupt's entry; a task's from the end of its step (the flag is seen
 * once the step is over), resolved in sim__board_step; any other code's (a
 * model's event) from now. */
static void flag_raised(sim_board_t *b, sim_taskinfo_t *ti, uint32_t id)
{
    if (ti->flag_known || ti->flag_in_step)
        return;
    if (b->irq_by != 0) {
        ti->flag_known = true;
        ti->flag_ns = b->last_irq_ns;
        ti->flag_by = b->irq_by;
    } else if (b->in_step) {
        ti->flag_in_step = true;
        /* ids, not pointers: the task table may grow during the step */
        sim__vec_push(&b->flags_in_step, (void *)(uintptr_t)id);
    } else {
        ti->flag_known = true;
        ti->flag_ns = b->sim->now;
        ti->flag_by = 0;
    }
}

/* The flags the step just ended set: their waiters were ready from the end
 * of the step, made so by the stepping task. */
static void flags_set_by_step(sim_board_t *b, uint64_t t, uint32_t by)
{
    for (size_t i = 0; i < b->flags_in_step.n; i++) {
        uint32_t id = (uint32_t)(uintptr_t)b->flags_in_step.v[i];
        sim_taskinfo_t *ti = &b->sim->tasks[id - 1];
        ti->flag_in_step = false;
        ti->flag_known = true;
        ti->flag_ns = t;
        ti->flag_by = by;
    }
    b->flags_in_step.n = 0;
}

static void port_trace(void *ctx, int kind, const void *task, uint32_t arg)
{
    sim_board_t *b = ctx;
    sim_t *sim = b->sim;
    uint64_t t = sim__now(sim);
    uint32_t arg2 = 0;
    sim_taskinfo_t *ti = NULL;
    uint32_t id = 0;
    if (task != NULL && task == b->traced_task) {
        /* a board's records come in runs about one task (resume, arm,
         * suspend); the registry's own one-entry cache is shared by the
         * boards, whose records interleave */
        id = b->traced_id;
        ti = &sim->tasks[id - 1];
    } else if (task != NULL) {
        ti = sim__task_info(sim, task, true);
        id = task_id(sim, ti);
        b->traced_task = task;
        b->traced_id = id;
    }

    if (ti != NULL)
        ti->board = (uint16_t)b->index;
    switch (kind) {
    case UA_TR_RESUME:
        t = sim->now; /* the step (and its cost) starts here */
        b->step_task = task;
        /* The per-step cost is the switch into the task: the pass that
         * chose it read the clock before it. */
        if (b->in_step)
            b->cpu += b->step_cost;
        ti->st.resumes++;
        if (ti->ready_known) {
            uint64_t lat = t > ti->ready_ns ? t - ti->ready_ns : 0;
            ti->st.last_latency_ns = lat;
            if (lat > ti->st.worst_latency_ns)
                ti->st.worst_latency_ns = lat;
            ti->ready_known = false;
        }
        break;
    case UA_TR_SUSPEND:
        ti->suspend_ns = t;
        break;
    case UA_TR_TIMER_FIRE:
        ti->fired = true;
        ti->fire_ns = SIM_MIN(tick_ns(b, (ua_ticks_t)arg), sim->now);
        break;
    case UA_TR_FLAG_SET:
        ti->flag_seen = true;
        break;
    case UA_TR_WAKE:
        t = wake(b, ti, arg, t, &arg2);
        break;
    case UA_TR_FLAG_RAISED:
        if (ti != NULL)
            flag_raised(b, ti, id);
        return; /* the simulator's own bookkeeping: not recorded */
    case UA_TR_UNHANDLED:
        if (sim->unhandled++ == 0) {
            sim->first_unhandled_task = id;
            sim->first_unhandled_status = (int32_t)arg;
        }
        break;
    case UA_TR_SPAWN:
    case UA_TR_CANCEL:
        if (!ti->ready_known) {
            ti->ready_known = true;
            ti->ready_ns = t;
        }
        break;
    default:
        break;
    }
    if (sim->tracing)
        sim__trace(sim, t, (unsigned)kind, b->index, id, arg, arg2);
}

sim_board_t *sim_board_new(sim_t *sim, const char *name, uint32_t start_tick)
{
    sim_board_t *b = sim__alloc(sizeof *b);
    b->sim = sim;
    b->index = (unsigned)sim->boards.n;
    b->name = sim__strdup(name ? name : "board");
    b->start_tick = start_tick;
    b->port.ticks = port_ticks;
    b->port.idle = port_idle;
    b->port.delay_us = port_delay_us;
    b->port.trace = port_trace;
    b->port.reorder = sim__perturb_reorder;
    b->port.ctx = b;
    ua_loop_t *saved = ua_loop_current();
    ua_loop_init(&b->loop, &b->port);
    if (saved != NULL)
        ua_loop_enter(saved);
    sim__vec_push(&sim->boards, b);
    b->power = sim__power_new(b); /* power.c: energy accounting */
    return b;
}

void sim__board_free(sim_board_t *b)
{
    if (ua_loop_current() == &b->loop)
        ua_loop_enter(NULL);
    sim__power_free(b->power);
    free(b->name);
    free(b->pins.v);
    free(b->flags_in_step.v);
    free(b->uarts.v);
    free(b->buses.v);
    free(b);
}

ua_loop_t *sim_board_loop(sim_board_t *b) { return &b->loop; }
const char *sim_board_name(const sim_board_t *b) { return b->name; }
unsigned sim_board_index(const sim_board_t *b) { return b->index; }
sim_t *sim_board_sim(const sim_board_t *b) { return b->sim; }

uint32_t sim_board_ticks(const sim_board_t *b)
{
    return port_ticks((void *)b);
}

void sim_board_set_costs(sim_board_t *b, uint64_t step_ns, uint64_t irq_ns)
{
    b->step_cost = step_ns;
    b->irq_cost = irq_ns;
}

void sim__board_charge(sim_board_t *b, uint64_t ns)
{
    if (b->in_step)
        b->cpu += ns;
    else
        b->busy_until = SIM_MAX(b->busy_until, b->sim->now) + ns;
}

void sim_board_busy_ns(sim_board_t *b, uint64_t ns)
{
    sim__board_charge(b, ns);
}

uint64_t sim_board_busy_until(const sim_board_t *b)
{
    return b->busy_until;
}

void sim_board_enter(sim_board_t *b)
{
    ua_loop_enter(&b->loop);
}

/* When the board can next step: SIM_FOREVER if it has nothing to do. */
uint64_t sim__board_next(sim_board_t *b)
{
    const ua_loop_t *l = &b->loop;
    uint64_t t0 = SIM_MAX(b->sim->now, b->busy_until);
    ua_ticks_t d;

    if (ua_loop_has_ready(l))
        b->next_answer = t0;
    else if (ua_loop_next_deadline(l, &d))
        b->next_answer = SIM_MAX(t0, deadline_ns(b, d));
    else
        b->next_answer = SIM_FOREVER;
    b->next_fresh = true;
    return b->next_answer;
}

void sim__board_step(sim_board_t *b)
{
    sim_t *sim = b->sim;

    sim__power_wake(b); /* power.c: the CPU runs from here */
    b->in_step = true;
    b->cpu = 0; /* step_cost is charged when the task resumes (port_trace) */
    b->step_task = NULL;
    sim->active = b;
    ua_loop_enter(&b->loop);
    bool ran = ua_loop_step(&b->loop);
    sim->active = NULL;
    b->in_step = false;
    if (ran)
        b->busy_until = sim->now + b->cpu;
    b->next_fresh = false;
    sim__power_settle(b); /* power.c: busy until then, then sleeps */
    if (!ran)
        return;
    if (b->step_task != NULL) {
        sim_taskinfo_t *ti = b->step_task == b->traced_task
                                 ? &sim->tasks[b->traced_id - 1]
                                 : sim__task_info(sim, b->step_task, true);
        uint32_t id = task_id(sim, ti);
        ti->st.busy_ns += b->cpu;
        /* a flag the task set: ready once the step is over */
        flags_set_by_step(b, b->busy_until, SIM_WAKE_BY(SIM_WAKE_TASK, id));
        ti = &sim->tasks[id - 1];
        if (sim->tracing)
            sim__trace(sim, sim->now, SIM_TR_STEP, b->index, id,
                       (uint32_t)SIM_MIN(b->cpu, UINT32_MAX), 0);
    }
}

ua_loop_t *sim__irq_begin(sim_board_t *b, unsigned src_kind, uint32_t obj)
{
    ua_loop_t *saved = ua_loop_current();
    uint64_t t = sim__now(b->sim);
    if (!b->in_step)
        sim__power_wake(b); /* power.c: an interrupt wakes the CPU */
    b->last_irq_ns = t;
    b->irq_by = SIM_WAKE_BY(src_kind, obj);
    if (b->sim->tracing)
        sim__trace(b->sim, t, SIM_TR_IRQ_ENTER, b->index, obj, src_kind, 0);
    ua_loop_enter(&b->loop);
    return saved;
}

void sim__irq_end(sim_board_t *b, ua_loop_t *saved, unsigned src_kind,
                  uint32_t obj)
{
    uint64_t t = sim__now(b->sim) + b->irq_cost;
    b->irq_by = 0;
    sim__board_charge(b, b->irq_cost);
    if (!b->in_step)
        sim__power_settle(b); /* power.c: back to sleep after the handler */
    if (b->sim->tracing)
        sim__trace(b->sim, t, SIM_TR_IRQ_EXIT, b->index, obj, src_kind, 0);
    if (saved != NULL)
        ua_loop_enter(saved);
}
