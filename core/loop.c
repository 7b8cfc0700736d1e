/*
 * The loop: scheduling passes, resuming tasks, finishing them, idling.
 */
#include <string.h>

#include "ua_driver.h"
#include "ua_flag.h"
#include "ua_hw.h"
#include "ua_internal.h"

/* The loop being run, for ua_delay_us only (see ua_loop_current). */
static ua_loop_t *ua__current_loop;

void ua_loop_init(ua_loop_t *loop, const ua_port_t *port)
{
    memset(loop, 0, sizeof(*loop));
    loop->port = port;
    loop->lp_max_overdue = -1;
    loop->ticks_last = port->ticks(port->ctx);
    ua__current_loop = loop;
}

/* Bring the 64-bit clock up to `now` (a tick just read). */
static uint64_t extend_ticks(ua_loop_t *loop, ua_ticks_t now)
{
    if (now < loop->ticks_last)
        loop->ticks_high += (uint64_t)1 << 32;
    loop->ticks_last = now;
    return loop->ticks_high + now;
}

uint64_t ua_loop_now64(ua_loop_t *loop)
{
    return extend_ticks(loop, ua_loop_now(loop));
}

ua_task_t *ua_current_task(const ua_loop_t *loop)
{
    return loop->current;
}

void ua_loop_set_unhandled_handler(ua_loop_t *loop, ua_unhandled_fn fn,
                                   void *arg)
{
    loop->on_unhandled = fn;
    loop->unhandled_arg = arg;
}

void ua_loop_set_stop_on_unhandled(ua_loop_t *loop, bool on)
{
    loop->stop_on_unhandled = on;
}

uint32_t ua_loop_unhandled_count(const ua_loop_t *loop)
{
    return loop->unhandled_errors;
}

ua_loop_t *ua_loop_current(void)
{
    return ua__current_loop;
}

void ua_loop_enter(ua_loop_t *loop)
{
    ua__current_loop = loop;
}

void ua_loop_set_io_priority(ua_loop_t *loop, bool on)
{
    ua_task_t *t;

    loop->io_priority = on;
    if (!on)
        while ((t = ua__tlist_pop(&loop->io_ready)) != NULL)
            ua__make_ready(loop, t, false);
}

int ua_loop_set_low_priority(ua_loop_t *loop, uint32_t lp_len,
                             int32_t max_overdue_ms)
{
    int32_t ticks = ua__ms_to_ticks(max_overdue_ms); /* -1: no bound */

    if (max_overdue_ms < UA_FOREVER)
        return UA_EINVAL;
    if (ticks == UA__TICKS_TOO_LONG)
        return UA_ERANGE;
    loop->lp_len = lp_len;
    loop->lp_max_overdue = ticks;
    return 0;
}

ua_ticks_t ua_loop_now(const ua_loop_t *loop)
{
    return loop->port->ticks(loop->port->ctx);
}

void ua_delay_us(uint32_t us)
{
    const ua_port_t *p = ua__current_loop->port;
    ua_ticks_t start;

    if (p->delay_us != NULL) {
        p->delay_us(p->ctx, us);
        return;
    }
    start = p->ticks(p->ctx);
    while ((uint32_t)ua_ticks_diff(p->ticks(p->ctx), start) < us) {
    }
}

void ua__lp_promote(ua_loop_t *loop, ua_task_t *t)
{
    ua__tlist_remove(&loop->lp_ready, t);
    ua__make_ready(loop, t, false);
}

/* At the start of a pass: the whole low-priority lane runs when nothing
 * normal is ready; otherwise only the tasks overdue by max_overdue (their
 * deadline is still in u.deadline), and those first: they have been ready
 * longer than any task of the ready queue, so FIFO by readiness puts them
 * in front. */
UA__COLD static void schedule_low_priority(ua_loop_t *loop, ua_ticks_t now)
{
    ua_task_t *t, *first = NULL;

    if (loop->ready.head == NULL && loop->io_ready.head == NULL) {
        while ((t = loop->lp_ready.head) != NULL)
            ua__lp_promote(loop, t);
        return;
    }
    if (loop->lp_max_overdue < 0)
        return;
    while ((t = loop->lp_ready.head) != NULL &&
           ua_ticks_diff(now, t->u.deadline) >= loop->lp_max_overdue) {
        /* due in order: stop at the first young one */
        ua__lp_promote(loop, t);
        if (first == NULL)
            first = t;
    }
    if (first != NULL)
        loop->ready.head = first; /* rotate the circular queue: the promoted
                                     tail becomes its front */
}

void ua__make_ready(ua_loop_t *loop, ua_task_t *t, bool io_lane)
{
    bool io = io_lane && loop->io_priority;

    t->where = io ? UA_W_IOREADY : UA_W_READY;
    ua__tlist_push(io ? &loop->io_ready : &loop->ready, t);
}

void ua__forget_unhandled(ua_task_t *t)
{
    ua__tlist_remove(&t->loop->unhandled, t);
    t->unretrieved = 0;
}

void ua__task_finished(ua_loop_t *loop, ua_task_t *t, int status)
{
    ua_task_t *j;
    bool awaited = false;

    t->where = UA_W_DONE;
    t->w.status = status;
    if (status != 0)
        t->u.result = 0;
    ua__tr(loop, UA_TR_DONE, t, (uint32_t)status);
    if (t->in_gather) {
        struct ua_gather *g = t->awaited_by.gather;
        t->in_gather = 0;
        t->awaited_by.joiners = NULL;
        ua__gather_child_done(g, status);
        return; /* the gather reports its tasks' statuses */
    }
    /* Wake whoever waits for this task; waking unlinks the joiner. */
    while ((j = t->awaited_by.joiners) != NULL) {
        ua__wake(j, UA_WAKE_SIGNAL);
        awaited = true;
    }
    if (status != 0 && status != UA_ECANCELLED && !awaited) {
        t->unretrieved = 1;
        ua__tlist_push(&loop->unhandled, t);
    }
}

/* Report the failures nobody asked about during the previous pass. */
UA__COLD static void report_unhandled(ua_loop_t *loop)
{
    ua_task_t *t;

    while ((t = ua__tlist_pop(&loop->unhandled)) != NULL) {
        int status = (int)t->w.status;
        t->unretrieved = 0;
        loop->unhandled_errors++;
        ua__tr(loop, UA_TR_UNHANDLED, t, (uint32_t)status);
        if (loop->on_unhandled != NULL)
            loop->on_unhandled(loop, t, status, loop->unhandled_arg);
        if (loop->stop_on_unhandled)
            loop->stop_requested = 1;
    }
}

/* Move due timers to the ready queue, oldest deadline first. */
static void fire_timers(ua_loop_t *loop, ua_ticks_t now)
{
    while (loop->timers != NULL &&
           ua_ticks_diff(loop->timers->u.deadline, now) <= 0) {
        ua_task_t *t = loop->timers;
        ua__tr(loop, UA_TR_TIMER_FIRE, t, t->u.deadline);
        ua__wake(t, UA_WAKE_TIMEOUT);
    }
}

#if UA_TRACE
/* The explorer's say (ua_port_t.reorder) on where a flag's waiter, just
 * appended to its lane, goes among the tasks the same batch of wake-ups
 * put in that lane before it (the lane held `mark` tasks before the batch). */
static void explore_place(ua_loop_t *loop, ua_task_t *t, uint32_t mark)
{
    ua_tlist_t *q = t->where == UA_W_IOREADY ? &loop->io_ready : &loop->ready;
    uint32_t batch = q->count - 1 - mark, back;
    ua_task_t *before = t;

    if (batch == 0 || loop->port->reorder == NULL)
        return;
    back = loop->port->reorder(loop->port->ctx, t, batch + 1);
    if (back > batch)
        back = batch;
    while (back-- > 0)
        before = before->prev;
    ua__tlist_move_before(q, t, before);
}
#endif

/* Turn set ISR flags into wake-ups.  The pending byte is cleared before the
 * flags are read, so a flag set meanwhile is seen now or at the next poll.
 * ready_mark: the ready queue's length before this batch of wake-ups began
 * (the pass's timers come first in a batch). */
static void poll_flags(ua_loop_t *loop, uint32_t ready_mark)
{
    /* a plain load first: most passes find no interrupt */
    if (!ua_atomic_peek(&loop->isr_pending) ||
        !ua__atomic_take(&loop->isr_pending))
        return;
#if UA_TRACE
    uint32_t io_mark = loop->io_ready.count;
#else
    (void)ready_mark;
#endif
    for (ua_flag_t *f = loop->flags; f != NULL; f = f->next_registered) {
        if (f->waiter != NULL && ua__atomic_take(&f->is_set)) {
            ua_task_t *t = f->waiter;
            ua__tr(loop, UA_TR_FLAG_SET, t, 0);
            /* The set is consumed: the wake is a grant the task keeps. */
            ua__wake_to(t, UA_WAKE_GRANT, true);
#if UA_TRACE
            explore_place(loop, t,
                          t->where == UA_W_IOREADY ? io_mark : ready_mark);
#endif
        }
    }
}

/* A busy pass with no timer armed reads the clock only once in this many
 * (a power of two): see begin_pass. */
#define CLOCK_EVERY_PASSES 64u

static void begin_pass(ua_loop_t *loop)
{
    if (loop->unhandled.head != NULL)
        report_unhandled(loop);
    uint32_t ready_mark = loop->ready.count;
    ua_ticks_t now = 0;

    /* Reading the clock is a port call (clock_gettime on a host costs more
     * than a task switch), so a pass reads it only when its time matters:
     * a timer is armed, a low-priority task waits, or no task is ready (the
     * loop may have idled, for any length of time, since the last pass).
     * Passes that follow each other busily with none of these read it once
     * in CLOCK_EVERY_PASSES, which keeps the 64-bit clock exact unless they
     * average over a minute each. */
    if (loop->timers != NULL || loop->lp_ready.head != NULL ||
        loop->ready.head == NULL || loop->passes % CLOCK_EVERY_PASSES == 0) {
        now = (ua_ticks_t)ua_loop_now64(loop);
        fire_timers(loop, now);
    }
    poll_flags(loop, ready_mark);
    if (loop->lp_ready.head != NULL)
        schedule_low_priority(loop, now);
    /* tasks made ready later wait for the next pass */
    loop->pass_last = loop->ready.head != NULL ? loop->ready.head->prev : NULL;
    loop->passes++;
}

static void resume(ua_loop_t *loop, ua_task_t *t)
{
    int st = UA_ECANCELLED; /* cancelled before it ever ran: it finishes
                               without running */

    if (t->started || !t->cancel) {
        t->started = 1;
        t->where = UA_W_RUNNING;
        loop->current = t;
        loop->resumes++;
        ua__tr(loop, UA_TR_RESUME, t, t->wake);
        st = t->fn(t);
        loop->current = NULL;
        if (st == UA_PENDING && t->where != UA_W_RUNNING) {
            ua__tr(loop, UA_TR_SUSPEND, t, t->where);
            return;
        }
        /* UA_PENDING without queueing the task is a bug in an awaitable:
         * fail the task rather than lose it. */
        if (st > 0 || st == UA_PENDING)
            st = UA_EINVAL;
    }
    t->cancel = 0;
    t->phase = 0;
    ua__task_finished(loop, t, st);
}

bool ua_loop_step(ua_loop_t *loop)
{
    ua_task_t *t;

    ua__current_loop = loop;
    if (!loop->in_pass) {
        begin_pass(loop);
        loop->in_pass = 1;
    } else if (loop->io_priority) {
        poll_flags(loop, loop->ready.count);
    }
    t = loop->io_priority ? ua__tlist_pop(&loop->io_ready) : NULL;
    if (t == NULL) {
        if (loop->pass_last == NULL) {
            loop->in_pass = 0;
            return false;
        }
        t = ua__tlist_pop(&loop->ready);
        if (t == loop->pass_last) {
            loop->pass_last = NULL;
            loop->in_pass = 0;
        }
    }
    resume(loop, t);
    return true;
}

bool ua_loop_has_ready(const ua_loop_t *loop)
{
    return loop->ready.head != NULL || loop->io_ready.head != NULL ||
           loop->lp_ready.head != NULL || loop->unhandled.head != NULL ||
           ua_atomic_peek(&loop->isr_pending);
}

bool ua_loop_flag_pending(const ua_loop_t *loop)
{
    return ua_atomic_peek(&loop->isr_pending);
}

bool ua_loop_has_work(ua_loop_t *loop)
{
    if (ua_loop_has_ready(loop))
        return true;
    return loop->timers != NULL &&
           ua_ticks_diff(loop->timers->u.deadline, ua_loop_now(loop)) <= 0;
}

bool ua_loop_next_deadline(const ua_loop_t *loop, ua_ticks_t *deadline)
{
    if (loop->timers == NULL)
        return false;
    *deadline = loop->timers->u.deadline;
    return true;
}

static void idle(ua_loop_t *loop)
{
    const ua_port_t *p = loop->port;
    ua_ticks_t deadline = 0;
    bool has = ua_loop_next_deadline(loop, &deadline);

    ua_critical_enter(loop);
    if (ua_atomic_peek(&loop->isr_pending) || p->idle == NULL) {
        ua_critical_exit(loop);
        return;
    }
    ua__tr(loop, UA_TR_IDLE, NULL, has);
    p->idle(p->ctx, has, deadline); /* leaves the critical section */
}

/* One pass or one idle; false once a stop was requested. */
static bool run_a_little(ua_loop_t *loop)
{
    if (loop->stop_requested && !loop->in_pass) {
        loop->stop_requested = 0;
        return false;
    }
    if (!ua_loop_step(loop) && !loop->in_pass && !loop->stop_requested &&
        !ua_loop_has_work(loop))
        idle(loop);
    return true;
}

int ua_loop_run_until_complete(ua_loop_t *loop, ua_task_t *t)
{
    if (t->where == UA_W_IDLE) {
        int st = ua_spawn(loop, t);
        if (st < 0)
            return st;
    }
    while (t->where != UA_W_DONE)
        if (!run_a_little(loop))
            return UA_ESTOPPED;
    return (int)t->w.status;
}

void ua_loop_run_forever(ua_loop_t *loop)
{
    while (run_a_little(loop)) {
    }
}

void ua_loop_stop(ua_loop_t *loop)
{
    loop->stop_requested = 1;
}

/* --- callbacks ------------------------------------------------------------ */

/* A coroutine with a single await needs no resume point: the sleep itself
 * tells a first call (UA_PENDING) from the wake-up (0 or UA_ECANCELLED). */
static int callback_task(ua_task_t *self)
{
    ua_callback_t *cb = UA_CONTAINER_OF(self, ua_callback_t, task);

    if (cb->low) {
        int st = ua_after_ms(self, cb->delay_ms);
        if (st != 0)
            return st;
    } else if (cb->delay_ms > 0) {
        int st = ua_sleep_ms(self, cb->delay_ms);
        if (st != 0)
            return st;
    }
    cb->fn(cb->arg);
    self->u.result = 0; /* the union held the deadline */
    return 0;
}

void ua_callback_init(ua_callback_t *cb)
{
    ua_task_init(&cb->task, callback_task);
    cb->fn = NULL;
    cb->arg = NULL;
    cb->delay_ms = 0;
    cb->low = false;
}


static int call_at(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                   void (*fn)(void *arg), void *arg, bool low)
{
    if (cb->task.fn != callback_task) {
        /* Only a zeroed callback may skip ua_callback_init. */
        if (cb->task.fn != NULL || cb->task.where != UA_W_IDLE)
            return UA_EINVAL;
        ua_callback_init(cb);
    }
    if (cb->task.where != UA_W_IDLE && cb->task.where != UA_W_DONE)
        return UA_EBUSY;
    if (fn == NULL)
        return UA_EINVAL;
    if (ms > (int32_t)(UA_TICKS_MAX_DELAY / UA_TICKS_PER_MS))
        return UA_ERANGE;
    cb->fn = fn;
    cb->arg = arg;
    cb->delay_ms = ms;
    cb->low = low;
    return ua_spawn(loop, &cb->task);
}

int ua_call_later_ms(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                     void (*fn)(void *arg), void *arg)
{
    return call_at(loop, cb, ms, fn, arg, false);
}

int ua_call_after_ms(ua_loop_t *loop, ua_callback_t *cb, int32_t ms,
                     void (*fn)(void *arg), void *arg)
{
    return call_at(loop, cb, ms, fn, arg, true);
}

int ua_call_soon(ua_loop_t *loop, ua_callback_t *cb, void (*fn)(void *arg),
                 void *arg)
{
    return ua_call_later_ms(loop, cb, 0, fn, arg);
}
