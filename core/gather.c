/*
 * gather: wait for a set of tasks (see ua_gather in ua_task.h).
 *
 * Each unfinished task of the set points at the gather while it runs
 * (awaited_by.gather); when it finishes the loop calls
 * ua__gather_child_done(), which counts it, records the first failure in
 * time and wakes the caller only when the last one is over.  So a finishing
 * task costs O(1) whatever the size of the set, and the caller runs once.
 */
#include "ua_internal.h"

enum {
    IDLE = 0,                 /* not started (ua_gather_init) */
    RUNNING = 1,              /* waiting, no failure yet */
    DRAINING_AFTER_ERROR = 2, /* CANCEL_REST: others cancelled after one
                                 failed; waiting for their cleanup */
    DRAINING_AFTER_CANCEL = 3 /* the caller was cancelled: same, then
                                 UA_ECANCELLED */
};

void ua_gather_init(ua_gather_t *g, ua_task_t *const *tasks, uint32_t count,
                    enum ua_gather_mode mode, int32_t *results, int *statuses)
{
    g->tasks = tasks;
    g->count = count;
    g->remaining = 0;
    g->mode = (uint8_t)mode;
    g->phase = IDLE;
    g->results = results;
    g->statuses = statuses;
    g->first_error = 0;
    g->waiter = NULL;
}

static void cancel_unfinished(ua_gather_t *g)
{
    /* a finished task ignores the cancel */
    for (uint32_t i = 0; i < g->count; i++)
        ua_task_cancel(g->tasks[i]);
}

/* CANCEL_REST: the first failure in time (the phase leaves RUNNING with
 * it) is what the gather returns, and it cancels the others. */
static void note_status(ua_gather_t *g, int status)
{
    if (status == 0 || g->mode != UA_GATHER_CANCEL_REST || g->phase != RUNNING)
        return;
    g->first_error = status;
    g->phase = DRAINING_AFTER_ERROR;
    cancel_unfinished(g);
}

void ua__gather_child_done(ua_gather_t *g, int status)
{
    g->remaining--;
    note_status(g, status);
    if (g->remaining == 0 && g->waiter != NULL &&
        g->waiter->where == UA_W_GATHER)
        ua__wake(g->waiter, UA_WAKE_SIGNAL);
}

/* First call: check every task before touching any, then link the
 * unfinished ones to the gather.  Tasks that finished before the gather
 * began count in index order. */
static int start(ua_task_t *self, ua_gather_t *g)
{
    for (uint32_t i = 0; i < g->count; i++) {
        const ua_task_t *t = g->tasks[i];
        if (t == self || t->where == UA_W_IDLE)
            return UA_EINVAL;
        /* (a finished task has neither: it woke its joiners) */
        if (t->in_gather || t->awaited_by.joiners != NULL)
            return UA_EBUSY;
    }
    g->phase = RUNNING;
    g->remaining = 0;
    g->first_error = 0;
    g->waiter = self;
    for (uint32_t i = 0; i < g->count; i++) {
        ua_task_t *t = g->tasks[i];
        if (ua_task_done(t)) {
            note_status(g, ua_task_status(t));
            continue;
        }
        t->in_gather = 1;
        t->awaited_by.gather = g;
        g->remaining++;
    }
    return 0;
}

int ua_gather(ua_task_t *self, ua_gather_t *g)
{
    enum ua_wake r = ua__poll_reason(self);
    int st;

    if (g->phase == IDLE) {
        if (r != UA_WAKE_NONE) /* cancelled before it began */
            return ua__wake_status(self, r);
        st = start(self, g);
        if (st != 0)
            return st;
    } else if (r == UA_WAKE_CANCEL && g->phase == RUNNING) {
        g->phase = DRAINING_AFTER_CANCEL;
        cancel_unfinished(g);
    } else if (r == UA_WAKE_CANCEL) {
        /* Draining after an error: the others were cancelled already and
         * are cleaning up.  Remember the cancel -- once accepted it is
         * always delivered -- without cancelling their cleanup. */
        g->phase = DRAINING_AFTER_CANCEL;
    }
    if (g->remaining > 0)
        return ua__suspend(self, UA_W_GATHER, g, UA_FOREVER);
    for (uint32_t i = 0; i < g->count; i++) {
        if (g->results != NULL)
            g->results[i] = ua_task_result(g->tasks[i]);
        st = ua_task_status(g->tasks[i]); /* handled by the gather */
        if (g->statuses != NULL)
            g->statuses[i] = st;
    }
    st = g->phase == DRAINING_AFTER_CANCEL ? UA_ECANCELLED : g->first_error;
    g->phase = IDLE;
    g->waiter = NULL;
    return st;
}
