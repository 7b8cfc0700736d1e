/*
 * gather: wait for a set of tasks (see ua_gather in ua_task.h).
 *
 * The caller waits in the loop's join list as UA_W_GATHER; the loop wakes it
 * whenever one of the gathered tasks finishes, and each wake re-examines
 * the whole set.
 */
#include "ua_internal.h"

enum { RUNNING = 0, DRAINING_AFTER_ERROR = 1, DRAINING_AFTER_CANCEL = 2 };

void ua_gather_init(ua_gather_t *g, ua_task_t *const *tasks, uint16_t count,
                    enum ua_gather_mode mode, int32_t *results, int *statuses)
{
    g->tasks = tasks;
    g->count = count;
    g->mode = (uint8_t)mode;
    g->phase = RUNNING;
    g->results = results;
    g->statuses = statuses;
    g->first_error = 0;
}

static void cancel_unfinished(ua_gather_t *g)
{
    for (uint16_t i = 0; i < g->count; i++)
        if (!ua_task_done(g->tasks[i]))
            ua_task_cancel(g->tasks[i]);
}

int ua_gather(ua_task_t *self, ua_gather_t *g)
{
    enum ua_wake r = ua__poll_reason(self);
    bool all_done = true;

    if (r == UA_WAKE_CANCEL && g->phase == RUNNING) {
        g->phase = DRAINING_AFTER_CANCEL;
        cancel_unfinished(g);
    }
    for (uint16_t i = 0; i < g->count; i++) {
        const ua_task_t *t = g->tasks[i];
        if (t == self || t->where == UA_W_IDLE)
            return UA_EINVAL;
        if (!ua_task_done(t)) {
            all_done = false;
            continue;
        }
        if (t->w.status != 0 && g->first_error == 0 &&
            g->phase == RUNNING) {
            g->first_error = (int)t->w.status;
            if (g->mode == UA_GATHER_CANCEL_REST) {
                g->phase = DRAINING_AFTER_ERROR;
                cancel_unfinished(g);
            }
        }
    }
    if (!all_done)
        return ua__suspend_ms(self, &ua__loop()->joiners, UA_W_GATHER, g,
                              UA_FOREVER);
    for (uint16_t i = 0; i < g->count; i++) {
        if (g->results != NULL)
            g->results[i] = ua_task_result(g->tasks[i]);
        if (g->statuses != NULL)
            g->statuses[i] = ua_task_status(g->tasks[i]);
    }
    if (g->phase == DRAINING_AFTER_CANCEL)
        return UA_ECANCELLED;
    return g->mode == UA_GATHER_CANCEL_REST ? g->first_error : 0;
}
