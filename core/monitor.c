/*
 * Task monitoring: the name registry and task groups (see ua_monitor.h).
 *
 * Waiting for a group reuses the join machinery: the waiter joins one
 * unfinished member at a time (UA_W_JOIN in that member's joiners), and each
 * time that member finishes it looks for the next one.  The deadline of a
 * timed wait survives the re-suspensions in the task's own timer fields,
 * and self->phase remembers whether there is one.
 */
#include <string.h>

#include "ua_monitor.h"

static bool finished(const ua_task_t *t)
{
    return t->where == UA_W_DONE;
}

static bool running(const ua_task_t *t)
{
    return t->where != UA_W_IDLE && t->where != UA_W_DONE;
}

/* --- names --------------------------------------------------------------- */

void ua_names_init(ua_names_t *r)
{
    r->head = NULL;
    r->count = 0;
}

void ua_named_remove(ua_named_t *n)
{
    ua_names_t *r = n->reg;

    if (r == NULL)
        return;
    for (ua_named_t **pp = &r->head; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == n) {
            *pp = n->next;
            r->count--;
            break;
        }
    }
    n->next = NULL;
    n->reg = NULL;
}

int ua_named_add(ua_names_t *r, ua_named_t *n, const char *name, ua_task_t *t)
{
    if (name == NULL || name[0] == '\0' || t == NULL)
        return UA_EINVAL;
    if (n->reg != NULL)
        return UA_EBUSY;
    ua_named_t *stale = NULL;
    for (ua_named_t *it = r->head; it != NULL; it = it->next) {
        if (strcmp(it->name, name) != 0)
            continue;
        if (!finished(it->task))
            return UA_EBUSY;
        stale = it;
    }
    if (stale != NULL)
        ua_named_remove(stale); /* at most one: names are unique */
    n->name = name;
    n->task = t;
    n->reg = r;
    n->next = r->head;
    r->head = n;
    r->count++;
    return 0;
}

int ua_named_spawn(ua_loop_t *loop, ua_names_t *r, ua_named_t *n,
                   const char *name, ua_task_t *t)
{
    int st = ua_named_add(r, n, name, t);
    if (st < 0)
        return st;
    st = ua_spawn(loop, t);
    if (st < 0)
        ua_named_remove(n);
    return st;
}

static ua_named_t *lookup(const ua_names_t *r, const char *name)
{
    if (name == NULL)
        return NULL;
    for (ua_named_t *it = r->head; it != NULL; it = it->next)
        if (strcmp(it->name, name) == 0)
            return it;
    return NULL;
}

ua_task_t *ua_named_find(const ua_names_t *r, const char *name)
{
    ua_named_t *n = lookup(r, name);
    return n != NULL ? n->task : NULL;
}

const char *ua_named_name_of(const ua_names_t *r, const ua_task_t *t)
{
    for (ua_named_t *it = r->head; it != NULL; it = it->next)
        if (it->task == t)
            return it->name;
    return NULL;
}

bool ua_named_is_running(const ua_names_t *r, const char *name)
{
    ua_named_t *n = lookup(r, name);
    return n != NULL && running(n->task);
}

int ua_named_cancel(ua_names_t *r, const char *name)
{
    ua_named_t *n = lookup(r, name);
    if (n == NULL)
        return UA_EINVAL;
    return ua_task_cancel(n->task);
}

/* --- groups -------------------------------------------------------------- */

void ua_group_init(ua_group_t *g)
{
    g->head = NULL;
    g->count = 0;
}

int ua_group_add(ua_group_t *g, ua_member_t *m, ua_task_t *t)
{
    if (t == NULL)
        return UA_EINVAL;
    if (m->group != NULL)
        return UA_EBUSY;
    m->task = t;
    m->group = g;
    m->next = g->head;
    g->head = m;
    g->count++;
    return 0;
}

int ua_group_spawn(ua_loop_t *loop, ua_group_t *g, ua_member_t *m,
                   ua_task_t *t)
{
    int st = ua_group_add(g, m, t);
    if (st < 0)
        return st;
    st = ua_spawn(loop, t);
    if (st < 0)
        ua_group_remove(m);
    return st;
}

void ua_group_remove(ua_member_t *m)
{
    ua_group_t *g = m->group;

    if (g == NULL)
        return;
    for (ua_member_t **pp = &g->head; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == m) {
            *pp = m->next;
            g->count--;
            break;
        }
    }
    m->next = NULL;
    m->group = NULL;
}

unsigned ua_group_running(const ua_group_t *g)
{
    unsigned n = 0;
    for (const ua_member_t *m = g->head; m != NULL; m = m->next)
        n += running(m->task);
    return n;
}

int ua_group_cancel(ua_group_t *g)
{
    int n = 0;
    for (ua_member_t *m = g->head; m != NULL; m = m->next)
        if (running(m->task) && ua_task_cancel(m->task) == 1)
            n++;
    return n;
}

/* The first member still to wait for, or NULL when all have finished. */
static ua_task_t *first_unfinished(const ua_group_t *g)
{
    for (const ua_member_t *m = g->head; m != NULL; m = m->next)
        if (running(m->task))
            return m->task;
    return NULL;
}

static bool has_member(const ua_group_t *g, const ua_task_t *t)
{
    for (const ua_member_t *m = g->head; m != NULL; m = m->next)
        if (m->task == t)
            return true;
    return false;
}

enum { JOIN_IDLE = 0, JOIN_UNTIMED = 1, JOIN_TIMED = 2 };

static int group_wait(ua_task_t *self, ua_group_t *g, int32_t timeout_ms,
                      bool cancel_first)
{
    ua_loop_t *loop = self->loop;
    enum ua_wake r = ua__poll_reason(self);
    int32_t ticks = UA_FOREVER;

    if (r == UA_WAKE_NONE && self->phase == JOIN_IDLE) {
        if (has_member(g, self))
            return UA_ESELF;
        if (timeout_ms < UA_FOREVER)
            return UA_EINVAL;
        if (cancel_first)
            ua_group_cancel(g);
        ticks = ua__ms_to_ticks(timeout_ms);
    } else if (r == UA_WAKE_TIMEOUT || r == UA_WAKE_CANCEL) {
        self->phase = JOIN_IDLE;
        return r == UA_WAKE_TIMEOUT ? UA_ETIMEDOUT : UA_ECANCELLED;
    } else if (self->phase == JOIN_TIMED) {
        /* Woken by a member's end: keep the original deadline. */
        int32_t left = ua_ticks_diff(self->u.deadline, ua_loop_now(loop));
        ticks = left < 0 ? 0 : left;
    }
    ua_task_t *next = first_unfinished(g);
    if (next == NULL) {
        self->phase = JOIN_IDLE;
        return 0;
    }
    if (next->in_gather)
        return UA_EBUSY;
    int st = ua__suspend(self, UA_W_JOIN, next, ticks);
    if (st == UA_PENDING)
        self->phase = ticks >= 0 ? JOIN_TIMED : JOIN_UNTIMED;
    return st;
}

int ua_group_join(ua_task_t *self, ua_group_t *g, int32_t timeout_ms)
{
    return group_wait(self, g, timeout_ms, false);
}

int ua_group_cancel_join(ua_task_t *self, ua_group_t *g, int32_t timeout_ms)
{
    return group_wait(self, g, timeout_ms, true);
}
