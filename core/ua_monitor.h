/*
 * Task monitoring: names and groups (the seed's NamedTask and Cancellable,
 * done the V3 way and without allocation).
 *
 * Names.  A ua_names_t is a registry, usually one per loop, and a
 * ua_named_t is a caller-owned record that links one name to one task.
 * The registry is an intrusive singly linked list of those records, so it
 * owns no memory and a lookup is a walk with strcmp (registries hold a
 * handful of tasks; a lookup is not for a hot path).  A name is "live"
 * while its task has not finished: registering a second task under a live
 * name fails with UA_EBUSY (the seed's ValueError), while a name whose task
 * has finished may be taken again -- the stale record is unlinked then.
 * The name string is not copied; it must outlive the record (a literal).
 *
 *     static ua_names_t names;         // ua_names_init(&names)
 *     static ua_named_t blink_name;
 *     ua_named_spawn(loop, &names, &blink_name, "blink", &blink.task);
 *     ...
 *     if (ua_named_is_running(&names, "blink"))
 *         ua_named_cancel(&names, "blink");
 *
 * Groups.  A ua_group_t gathers tasks whose lives belong together (the
 * seed's `group` argument of Cancellable); each task joins through a
 * caller-owned ua_member_t.  ua_group_cancel() requests cancellation of
 * every unfinished member at once, and ua_group_join() is an awaitable that
 * completes when every member has finished -- its cleanup included.
 * ua_group_cancel_join() does both, like the seed's `await cancel_all(g)`:
 *
 *     UA_AWAIT(ua_group_cancel_join(self, &workers, UA_FOREVER));
 *     // every worker has run its UA_FINALLY section by now
 *
 * A member that was never spawned counts as finished.  The waiting task may
 * not itself be an unfinished member of the group (UA_ESELF).  Records must
 * stay valid while linked; unlink them with ua_named_remove() /
 * ua_group_remove() before reusing their memory.
 */
#ifndef UA_MONITOR_H
#define UA_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_loop.h"

typedef struct ua_names ua_names_t;
typedef struct ua_group ua_group_t;

typedef struct ua_named {
    const char *name;
    ua_task_t *task;
    struct ua_named *next;
    ua_names_t *reg; /* NULL while not registered */
} ua_named_t;

struct ua_names {
    ua_named_t *head;
    uint16_t count;
};

typedef struct ua_member {
    ua_task_t *task;
    struct ua_member *next;
    ua_group_t *group; /* NULL while not in a group */
} ua_member_t;

struct ua_group {
    ua_member_t *head;
    uint16_t count;
};

/* --- Names ------------------------------------------------------------- */

void ua_names_init(ua_names_t *r);

/*
 * Register `t` under `name` using record `n`.  0; UA_EINVAL for a NULL or
 * empty name; UA_EBUSY if `n` is already registered or a task that has not
 * finished holds the name.  A finished task's record with the same name is
 * unlinked first.  The task need not be spawned yet (it then holds the name).
 */
int ua_named_add(ua_names_t *r, ua_named_t *n, const char *name, ua_task_t *t);

/* ua_named_add, then ua_spawn on `loop`; the record is unlinked again if
 * the spawn fails.  Returns the first error or 0. */
int ua_named_spawn(ua_loop_t *loop, ua_names_t *r, ua_named_t *n,
                   const char *name, ua_task_t *t);

/* Unlink `n` from its registry (does nothing if it is not registered). */
void ua_named_remove(ua_named_t *n);

/* The task registered under `name` (an unfinished one if there is one),
 * or NULL. */
ua_task_t *ua_named_find(const ua_names_t *r, const char *name);

/* The name `t` is registered under, or NULL. */
const char *ua_named_name_of(const ua_names_t *r, const ua_task_t *t);

/* True if the task named `name` has been spawned and has not finished. */
bool ua_named_is_running(const ua_names_t *r, const char *name);

/*
 * Cancel the task named `name`: 1 if the request was recorded, 0 if it has
 * already finished (or was never spawned), UA_EINVAL if no task has that
 * name, UA_ESELF if it is the calling task.  To wait for its cleanup, await
 * ua_join() on ua_named_find(r, name).
 */
int ua_named_cancel(ua_names_t *r, const char *name);

/* --- Groups ------------------------------------------------------------ */

void ua_group_init(ua_group_t *g);

/* Add `t` to `g` through record `m`: 0, or UA_EBUSY if `m` is already in a
 * group. */
int ua_group_add(ua_group_t *g, ua_member_t *m, ua_task_t *t);

/* ua_group_add, then ua_spawn; the record is unlinked if the spawn fails. */
int ua_group_spawn(ua_loop_t *loop, ua_group_t *g, ua_member_t *m,
                   ua_task_t *t);

/* Unlink `m` from its group (does nothing if it is in none). */
void ua_group_remove(ua_member_t *m);

/* Members spawned and not finished. */
unsigned ua_group_running(const ua_group_t *g);

/* Request cancellation of every unfinished member (the calling task, if it
 * is one, is skipped).  Returns the number of requests recorded. */
int ua_group_cancel(ua_group_t *g);

/*
 * Awaitable: wait until every member has finished.  0; UA_ETIMEDOUT after
 * timeout_ms (UA_FOREVER: none) with the members left running;
 * UA_ECANCELLED if the caller is cancelled (the members are left alone);
 * UA_ESELF if the caller is an unfinished member.  Members added while it
 * waits are waited for too.
 */
int ua_group_join(ua_task_t *self, ua_group_t *g, int32_t timeout_ms);

/* Awaitable: ua_group_cancel() on the first call, then ua_group_join(). */
int ua_group_cancel_join(ua_task_t *self, ua_group_t *g, int32_t timeout_ms);

#endif /* UA_MONITOR_H */
