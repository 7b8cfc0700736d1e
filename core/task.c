/*
 * Tasks: the wait/wake protocol every awaitable is built on, plus spawn,
 * cancel, sleep, yield and join.
 */
#include <string.h>

#include "ua_internal.h"

/* Circular doubly linked lists threaded through next/prev: *head is the
 * oldest task, (*head)->prev the newest. */
static void clist_push(ua_task_t **head, ua_task_t *t)
{
    ua_task_t *h = *head;

    if (h == NULL) {
        t->next = t->prev = t;
        *head = t;
        return;
    }
    t->prev = h->prev;
    t->next = h;
    h->prev->next = t;
    h->prev = t;
}

static void clist_remove(ua_task_t **head, ua_task_t *t)
{
    if (t->next == t) {
        *head = NULL;
    } else {
        t->prev->next = t->next;
        t->next->prev = t->prev;
        if (*head == t)
            *head = t->next;
    }
    t->next = t->prev = NULL;
}

void ua__tlist_push(ua_tlist_t *q, ua_task_t *t)
{
    clist_push(&q->head, t);
    q->count++;
}

ua_task_t *ua__tlist_pop(ua_tlist_t *q)
{
    ua_task_t *t = q->head;

    if (t != NULL)
        ua__tlist_remove(q, t);
    return t;
}

void ua__tlist_remove(ua_tlist_t *q, ua_task_t *t)
{
    clist_remove(&q->head, t);
    q->count--;
}

#if UA_TRACE /* only the explorer's hook moves tasks (loop.c) */
void ua__tlist_move_before(ua_tlist_t *q, ua_task_t *t, ua_task_t *before)
{
    if (t == before)
        return;
    clist_remove(&q->head, t);
    t->next = before;
    t->prev = before->prev;
    before->prev->next = t;
    before->prev = t;
    if (q->head == before)
        q->head = t;
}
#endif

void ua_task_init(ua_task_t *t, ua_task_fn fn)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
}

int ua_spawn(ua_loop_t *loop, ua_task_t *t)
{
    if (t->where != UA_W_IDLE && t->where != UA_W_DONE)
        return UA_EBUSY;
    if (t->fn == NULL || loop == NULL)
        return UA_EINVAL;
    if (t->unretrieved) /* respawned before its failure was reported */
        ua__forget_unhandled(t);
    t->loop = loop;
    t->w.waiting_on = NULL;
    t->u.result = 0;
    t->wake = UA_WAKE_NONE;
    t->cancel = 0;
    t->started = 0;
    t->in_heap = 0;
    t->phase = 0;
    t->in_gather = 0;
    t->low = 0;
    t->awaited_by.joiners = NULL;
    ua__tr(loop, UA_TR_SPAWN, t, 0);
    ua__make_ready(loop, t, false);
    return 0;
}

int ua_task_cancel(ua_task_t *t)
{
    ua_loop_t *loop = t->loop;

    switch (t->where) {
    case UA_W_IDLE:
    case UA_W_DONE:
        return 0;
    case UA_W_READY:
    case UA_W_IOREADY:
        /* Already queued to run: a grant it keeps (the cancel waits for its
         * next await); any other wake-up becomes the cancel itself. */
        if (!t->started || t->wake == UA_WAKE_GRANT || t->wake == UA_WAKE_NONE)
            t->cancel = 1;
        else
            t->wake = UA_WAKE_CANCEL;
        break;
    case UA_W_LPREADY:
        /* Due but starved behind normal tasks: a cancel is prompt, so it
         * leaves the low-priority lane and runs at the next pass. */
        t->wake = UA_WAKE_CANCEL;
        ua__lp_promote(loop, t);
        break;
    case UA_W_RUNNING:
        if (t == loop->current)
            return UA_ESELF;
        t->cancel = 1;
        break;
    default:
        ua__wake(t, UA_WAKE_CANCEL);
        break;
    }
    ua__tr(loop, UA_TR_CANCEL, t, 0);
    return 1;
}

bool ua_task_done(const ua_task_t *t)
{
    return t->where == UA_W_DONE;
}

bool ua_task_running(const ua_task_t *t)
{
    return t->where != UA_W_IDLE && t->where != UA_W_DONE;
}

ua_loop_t *ua_task_loop(const ua_task_t *t)
{
    return t->loop;
}

int ua_task_status(const ua_task_t *t)
{
    if (t->where != UA_W_DONE)
        return UA_ENOTDONE;
    if (t->unretrieved) /* the caller now knows: the failure is handled */
        ua__forget_unhandled((ua_task_t *)t);
    return (int)t->w.status;
}

int32_t ua_task_result(const ua_task_t *t)
{
    /* ua__task_finished zeroes the result of a failed task */
    return t->where == UA_W_DONE ? t->u.result : 0;
}

enum ua_wake ua__poll_reason(ua_task_t *self)
{
    enum ua_wake r = (enum ua_wake)self->wake;

    self->wake = UA_WAKE_NONE;
    if (r == UA_WAKE_NONE && self->cancel) {
        self->cancel = 0;
        r = UA_WAKE_CANCEL;
    }
    return r;
}

int ua__wake_status(const ua_task_t *self, enum ua_wake r)
{
    static const int8_t status_of[] = {
        [UA_WAKE_TIMEOUT] = UA_ETIMEDOUT, [UA_WAKE_CANCEL] = UA_ECANCELLED};

    if (r == UA_WAKE_FAIL)
        return (int)self->w.status;
    return status_of[r];
}

void ua__wake_fail(ua_task_t *t, int err)
{
    ua__wake(t, UA_WAKE_FAIL);
    t->w.status = err; /* free once woken: the wait's outcome */
}

int ua__wait_outcome(ua_task_t *self, int32_t timeout)
{
    enum ua_wake r = ua__poll_reason(self);

    if (r != UA_WAKE_NONE)
        return ua__wake_status(self, r);
    return timeout < UA_FOREVER ? UA_EINVAL : UA_PENDING;
}

int32_t ua__ms_to_ticks(int32_t ms)
{
    if (ms < 0)
        return UA_FOREVER;
    if (ms > (int32_t)(UA_TICKS_MAX_DELAY / UA_TICKS_PER_MS))
        return UA__TICKS_TOO_LONG;
    return ms * (int32_t)UA_TICKS_PER_MS;
}

int ua__suspend(ua_task_t *self, enum ua_where where, void *waiting_on,
                int32_t ticks)
{
    ua_loop_t *loop = self->loop;

    if (ticks < UA_FOREVER)
        return UA_ERANGE;
    if (ticks >= 0) {
        self->u.deadline = ua_ticks_add(ua_loop_now(loop), (uint32_t)ticks);
        ua__heap_insert(loop, self);
        ua__tr(loop, UA_TR_TIMER_ARM, self, self->u.deadline);
    }
    self->where = where;
    self->w.waiting_on = waiting_on;
    /* The links ua__wake_to undoes. */
    switch (where) {
    case UA_W_WAITQ:
        ua__tlist_push((ua_tlist_t *)waiting_on, self);
        break;
    case UA_W_JOIN:
        clist_push(&((ua_task_t *)waiting_on)->awaited_by.joiners, self);
        break;
    case UA_W_FLAG:
        *(ua_task_t **)waiting_on = self; /* the flag's waiter slot */
        break;
    default:
        break;
    }
    return UA_PENDING;
}

int ua__wait_queue(ua_task_t *self, ua_tlist_t *q, int32_t timeout_ms)
{
    return ua__suspend(self, UA_W_WAITQ, q, ua__ms_to_ticks(timeout_ms));
}

void ua__wake_to(ua_task_t *t, enum ua_wake reason, bool io_lane)
{
    ua_loop_t *loop = t->loop;

    switch (t->where) {
    case UA_W_WAITQ:
        ua__tlist_remove((ua_tlist_t *)t->w.waiting_on, t);
        break;
    case UA_W_JOIN:
        clist_remove(&((ua_task_t *)t->w.waiting_on)->awaited_by.joiners, t);
        break;
    case UA_W_FLAG:
        *(ua_task_t **)t->w.waiting_on = NULL; /* the flag's waiter slot */
        break;
    default:
        break;
    }
    ua__heap_remove(loop, t);
    t->w.waiting_on = NULL;
    t->wake = reason;
    if (t->low && reason == UA_WAKE_TIMEOUT) {
        t->where = UA_W_LPREADY; /* due: waits for a pass with nothing else */
        ua__tlist_push(&loop->lp_ready, t);
    } else {
        ua__make_ready(loop, t, io_lane);
    }
    ua__tr(loop, UA_TR_WAKE, t, reason);
}

void ua__wake(ua_task_t *t, enum ua_wake reason)
{
    ua__wake_to(t, reason, false);
}

/* --- sleep, yield -------------------------------------------------------- */

/* How sleep_for counts and where it sleeps. */
enum { SLEEP_US = 0, SLEEP_MS = 1, SLEEP_LOW = 2 };

/* ua_sleep_* and, SLEEP_LOW, ua_after_*: a wait whose deadline is the
 * point.  `amount` is in ms with SLEEP_MS, else in us; negative means 0. */
static int sleep_for(ua_task_t *self, int32_t amount, unsigned how)
{
    ua_loop_t *loop = self->loop;
    int st = ua__wait_outcome(self, 0);

    if (st != UA_PENDING) {
        if (self->low) { /* resumed: leaves the lane */
            self->low = 0;
            loop->lp_count--;
        }
        return st == UA_ETIMEDOUT ? 0 : st;
    }
    if ((how & SLEEP_LOW) && loop->lp_len != 0 &&
        loop->lp_count >= loop->lp_len)
        return UA_EFULL;
    if (amount < 0)
        amount = 0;
    else if (how & SLEEP_MS)
        amount = ua__ms_to_ticks(amount);
    st = ua__suspend(self, UA_W_SLEEP, NULL, amount);
    if (st == UA_PENDING && (how & SLEEP_LOW)) {
        self->low = 1;
        loop->lp_count++;
    }
    return st;
}

int ua_sleep_ms(ua_task_t *self, int32_t ms)
{
    return sleep_for(self, ms, SLEEP_MS);
}

int ua_sleep_us(ua_task_t *self, int32_t us)
{
    return sleep_for(self, us, SLEEP_US);
}

int ua_after_ms(ua_task_t *self, int32_t ms)
{
    return sleep_for(self, ms, SLEEP_MS | SLEEP_LOW);
}

int ua_after_us(ua_task_t *self, int32_t us)
{
    return sleep_for(self, us, SLEEP_US | SLEEP_LOW);
}

int ua_yield(ua_task_t *self)
{
    int st = ua__wait_outcome(self, 0);

    if (st != UA_PENDING)
        return st;
    self->wake = UA_WAKE_SIGNAL;
    ua__make_ready(self->loop, self, false);
    return UA_PENDING;
}

/* --- join, wait_for ------------------------------------------------------ */

/* phase values while wait_for waits for the cancelled target's cleanup. */
enum { WAITFOR_RUNNING = 0, WAITFOR_TIMED_OUT = 1, WAITFOR_CANCELLED = 2 };

/* The target's status, now handled by whoever asked. */
static int retrieve(ua_task_t *target)
{
    return ua_task_status(target);
}

/* ua_join, and ua_wait_for when cancel_target: on a timeout or a
 * cancellation of the caller, cancel the target and wait for its cleanup. */
static int join(ua_task_t *self, ua_task_t *target, int32_t timeout_ms,
                bool cancel_target)
{
    enum ua_wake r = ua__poll_reason(self);
    int32_t ticks = UA_FOREVER;

    if (self->phase != WAITFOR_RUNNING) {
        /* Second phase: the target was cancelled by us; wait for its
         * cleanup.  A cancel of the caller meanwhile is remembered: it is
         * what the caller ends with. */
        if (r == UA_WAKE_CANCEL)
            self->phase = WAITFOR_CANCELLED;
        if (target->where == UA_W_DONE) {
            int st = self->phase == WAITFOR_TIMED_OUT ? UA_ETIMEDOUT
                                                      : UA_ECANCELLED;
            self->phase = 0;
            (void)retrieve(target);
            return st;
        }
    } else if (target == self) {
        return UA_ESELF;
    } else if (target->where == UA_W_IDLE) {
        return UA_EINVAL;
    } else if (r == UA_WAKE_NONE) {
        if (timeout_ms < UA_FOREVER)
            return UA_EINVAL;
        if (target->where == UA_W_DONE)
            return retrieve(target);
        if (target->in_gather)
            return UA_EBUSY;
        ticks = ua__ms_to_ticks(timeout_ms);
    } else if (r == UA_WAKE_TIMEOUT || r == UA_WAKE_CANCEL) {
        if (!cancel_target)
            return ua__wake_status(self, r);
        if (target->where == UA_W_DONE)
            return r == UA_WAKE_TIMEOUT ? retrieve(target) : UA_ECANCELLED;
        ua_task_cancel(target);
        self->phase = r == UA_WAKE_TIMEOUT ? WAITFOR_TIMED_OUT
                                           : WAITFOR_CANCELLED;
    } else {
        return retrieve(target);
    }
    return ua__suspend(self, UA_W_JOIN, target, ticks);
}

int ua_join(ua_task_t *self, ua_task_t *target, int32_t timeout_ms)
{
    return join(self, target, timeout_ms, false);
}

int ua_wait_for(ua_task_t *self, ua_task_t *target, int32_t timeout_ms)
{
    return join(self, target, timeout_ms, true);
}
