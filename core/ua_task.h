/*
 * Tasks: spawning, sleeping, joining, cancelling.
 *
 * A task is a caller-owned ua_task_t (usually the first member of a struct
 * that also holds the coroutine's ua_co_t and its locals) plus the coroutine
 * function that the loop calls to resume it.  The scheduler keeps no other
 * memory: the ready queue, the wait queues and the timer heap are threaded
 * through the tasks themselves, and a task is in at most one queue plus the
 * timer heap at a time.
 *
 * Lifecycle (where a task is, between two resumes):
 *
 *        ua_task_init            ua_spawn
 *   (zeroed) -----> IDLE ---------------------> READY <-----------------+
 *                    ^                           |  ^                     |
 *                    |                    resume |  | yield / woken       |
 *                    |                           v  |                     |
 *                    |                         RUNNING -- await --> WAITING
 *                    |                           |        (sleep, wait queue,
 *                    |  ua_spawn again           | return    join, ISR flag)
 *                    +------------------------ DONE                 |
 *                                                ^   cancel: leaves every queue
 *                                                |   at once, becomes READY with
 *                                                +-- its await failing with
 *                                                    UA_ECANCELLED at the next pass
 *
 * Cancellation is prompt: ua_task_cancel() unlinks a waiting task from its
 * wait queue and from the timer heap immediately and makes it ready; at the
 * next scheduling pass its pending await returns UA_ECANCELLED and its
 * cleanup (UA_FINALLY) runs.  A task that was already woken with something
 * handed to it (a lock, a semaphore permit, a queue item) keeps it: the
 * cancellation is delivered at its next await instead, so nothing is lost.
 * A task that never started is finished without running at all.
 *
 * Every awaitable below is a poll function for UA_AWAIT: it returns
 * UA_PENDING while the task waits, then 0 or a negative error.
 */
#ifndef UA_TASK_H
#define UA_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "ua_coro.h"
#include "ua_err.h"
#include "ua_time.h"

typedef struct ua_task ua_task_t;
typedef struct ua_loop ua_loop_t;

/* A task's coroutine: returns UA_PENDING while suspended, then its status. */
typedef int (*ua_task_fn)(ua_task_t *self);

/* Where a task is linked (internal, but visible for debuggers and traces). */
enum ua_where {
    UA_W_IDLE = 0, /* never spawned */
    UA_W_READY,    /* in the ready queue */
    UA_W_IOREADY,  /* in the I/O-priority lane */
    UA_W_RUNNING,  /* being resumed right now */
    UA_W_SLEEP,    /* only in the timer heap */
    UA_W_WAITQ,    /* in a primitive's wait queue (maybe also the timer heap) */
    UA_W_JOIN,     /* waiting for one task to finish */
    UA_W_GATHER,   /* waiting for any task of a gather to finish */
    UA_W_FLAG,     /* waiting on an ISR flag */
    UA_W_DONE,     /* finished; status and result are valid */
    UA_W_LPREADY   /* due, in the low-priority lane (ua_after_ms) */
};

/* Why a waiting task was made ready (internal). */
enum ua_wake {
    UA_WAKE_NONE = 0, /* not woken: the next poll is a first call */
    UA_WAKE_SIGNAL,   /* the awaited condition happened */
    UA_WAKE_GRANT,    /* a resource was handed over to the task */
    UA_WAKE_TIMEOUT,  /* its deadline passed */
    UA_WAKE_CANCEL,   /* it was cancelled */
    UA_WAKE_FAIL      /* its object failed it (ua_event_fail_waiters...);
                         the error is in w.status */
};

/*
 * Intrusive FIFO of tasks (wait queues and the loop's queues): a circular
 * doubly linked list through the tasks' next/prev links, so that a task
 * leaves it in O(1) wherever it is (a timeout or a cancel from the middle).
 * head is the oldest task; head->prev the newest.  count is the number of
 * tasks in it.  Treat the fields as private.
 */
typedef struct ua_tlist {
    ua_task_t *head;
    uint32_t count;
} ua_tlist_t;

struct ua_gather;

/*
 * Scheduler bookkeeping of one task: 48 bytes on a 32-bit target.  Treat the
 * fields as private; use the functions below.
 */
struct ua_task {
    ua_task_t *next; /* links in the ready queue, a wait queue, a target's */
    ua_task_t *prev; /* joiners or the loop's unhandled list */
    union {
        void *waiting_on; /* wait queue, joined task, gather or flag */
        intptr_t status;  /* once DONE */
    } w;
    ua_task_t *heap_child; /* timer heap: a pairing heap ordered by */
    ua_task_t *heap_next;  /* (deadline, seq), so equal deadlines fire */
    ua_task_t *heap_prev;  /* first-armed first */
    union {
        ua_ticks_t deadline; /* while in the timer heap */
        int32_t result;      /* once DONE */
    } u;
    uint32_t seq;    /* arming order among equal deadlines */
    ua_loop_t *loop; /* the loop it was spawned on: every operation on the
                        task acts there, whatever loop is running */
    ua_task_fn fn;
    union {
        ua_task_t *joiners;      /* circular list of tasks joining this one */
        struct ua_gather *gather; /* when in_gather: the gather awaiting it */
    } awaited_by;
    uint32_t where : 4;       /* enum ua_where */
    uint32_t wake : 3;        /* enum ua_wake */
    uint32_t cancel : 1;      /* cancellation to deliver at the next await */
    uint32_t in_heap : 1;     /* armed in the timer heap */
    uint32_t started : 1;     /* has been resumed at least once */
    uint32_t phase : 2;       /* scratch for multi-phase awaits; 0 between */
    uint32_t in_gather : 1;   /* awaited_by holds a gather */
    uint32_t unretrieved : 1; /* failed, and nobody has read its status */
    uint32_t low : 1;         /* sleeping or due in the low-priority lane */
};

/* --- Application ------------------------------------------------------- */

/* Prepare a task to run `fn`.  Must be called before the first spawn. */
void ua_task_init(ua_task_t *t, ua_task_fn fn);

/*
 * Make `t` ready on `loop`.  It runs at a later scheduling pass (never inside
 * this call).  UA_EBUSY if it is already spawned and not finished.  A
 * finished task may be spawned again (its coroutine frame must be reset,
 * which UA_END does).
 */
int ua_spawn(ua_loop_t *loop, ua_task_t *t);

/*
 * Request cancellation of `t` (see the header comment).  Returns 1 if the
 * request was recorded, 0 if the task is idle or already finished, UA_ESELF
 * if `t` is the calling task.  A request that returned 1 is always
 * delivered: the task's current or next await fails with UA_ECANCELLED,
 * even if that await is in a second phase of its own (wait_for and gather
 * waiting for a cleanup, a condition taking its lock back).  It acts on the
 * task's own loop, whichever loop is running.
 */
int ua_task_cancel(ua_task_t *t);

bool ua_task_done(const ua_task_t *t);

/* Spawned and not finished yet (ready, running or waiting). */
bool ua_task_running(const ua_task_t *t);

/* The loop `t` was last spawned on, or NULL if it never was. */
ua_loop_t *ua_task_loop(const ua_task_t *t);

/*
 * The task's status once finished (0 or a negative error), else
 * UA_ENOTDONE.  Reading the status of a failed task counts as handling its
 * error (see ua_loop_set_unhandled_handler).
 */
int ua_task_status(const ua_task_t *t);

/* The value given to UA_END_RESULT; 0 unless finished successfully. */
int32_t ua_task_result(const ua_task_t *t);

/* --- Awaitables (use with UA_AWAIT) ------------------------------------ */

/* Sleep; a negative duration counts as 0.  UA_ERANGE if longer than
 * UA_TICKS_MAX_DELAY. */
int ua_sleep_ms(ua_task_t *self, int32_t ms);
int ua_sleep_us(ua_task_t *self, int32_t us);

/* Let every other ready task run once, then continue. */
int ua_yield(ua_task_t *self);

/*
 * Sleep at low priority (fast_io's `after_ms`): once `ms` have passed the
 * task is due in the low-priority lane, and it runs only at a pass that
 * starts with no normal or I/O task ready -- unless it has been due for
 * the loop's max_overdue_ms (ua_loop_set_low_priority), in which case it
 * runs at the first pass that starts after that, like a normal task.  A
 * cancel is prompt as ever: a cancelled low-priority task runs at the next
 * pass.  UA_EFULL if the loop's lp_len tasks are already in the lane.
 * `ua_after_us` takes microseconds.
 */
int ua_after_ms(ua_task_t *self, int32_t ms);
int ua_after_us(ua_task_t *self, int32_t us);

/*
 * Wait for `target` to finish; returns its status.  UA_ETIMEDOUT after
 * timeout_ms (UA_FOREVER: no limit); the target keeps running.  UA_EBUSY if
 * the target is awaited by a gather (a task is awaited by joiners or by one
 * gather, not both).
 */
int ua_join(ua_task_t *self, ua_task_t *target, int32_t timeout_ms);

/*
 * Like ua_join, but on timeout cancel `target`, wait for its cleanup to
 * finish and return UA_ETIMEDOUT.  If the caller is cancelled while waiting,
 * the cancellation is forwarded to `target` the same way.  (This is
 * asyncio.wait_for on a task.)
 */
int ua_wait_for(ua_task_t *self, ua_task_t *target, int32_t timeout_ms);

enum ua_gather_mode {
    UA_GATHER_CANCEL_REST = 0,    /* first failure cancels the others */
    UA_GATHER_RETURN_ERRORS = 1   /* every status reported per task */
};

/* State of one gather, owned by the caller's frame (it must outlive the
 * ua_gather await).  Fields other than those given to ua_gather_init are
 * private. */
typedef struct ua_gather {
    ua_task_t *const *tasks; /* already spawned tasks */
    uint32_t count;
    uint32_t remaining; /* tasks not finished yet */
    uint8_t mode;       /* enum ua_gather_mode */
    uint8_t phase;
    int32_t *results;   /* optional: results[i] = result of tasks[i] */
    int *statuses;      /* optional: statuses[i] = status of tasks[i] */
    int first_error;    /* CANCEL_REST: the first failure in time */
    ua_task_t *waiter;  /* the task awaiting the gather */
} ua_gather_t;

/* Fill `g` for a gather of `count` tasks.  results/statuses may be NULL. */
void ua_gather_init(ua_gather_t *g, ua_task_t *const *tasks, uint32_t count,
                    enum ua_gather_mode mode, int32_t *results, int *statuses);

/*
 * Wait until every task of `g` has finished.  CANCEL_REST: on the first
 * failure in time cancel the others, wait for their cleanup and return that
 * failure.  Each finishing task costs O(1): the gather's caller is woken
 * once, when the last one ends.  UA_EBUSY (before anything is waited for)
 * if a task is already awaited by another gather or by joiners.
 * RETURN_ERRORS: return 0 and leave each status in g->statuses.  If the
 * caller is cancelled, every task is cancelled and awaited, then
 * UA_ECANCELLED is returned.
 */
int ua_gather(ua_task_t *self, ua_gather_t *g);

/* --- Internal, for primitives in core/ --------------------------------- */

/* Begin or resume a wait: returns the wake reason and clears it.  On a first
 * call with a cancellation pending it returns UA_WAKE_CANCEL. */
enum ua_wake ua__poll_reason(ua_task_t *self);

/* Suspend `self`, linked by `where` to `waiting_on` (UA_W_WAITQ: pushed to
 * that ua_tlist_t; UA_W_JOIN: among that task's joiners; UA_W_FLAG: in that
 * waiter slot; else not linked) for at most `ticks` (UA_FOREVER: no
 * deadline).  Returns UA_PENDING, or UA_ERANGE for UA__TICKS_TOO_LONG. */
int ua__suspend(ua_task_t *self, enum ua_where where, void *waiting_on,
                int32_t ticks);

/* Make a suspended task ready with `reason`, unlinking it from everything. */
void ua__wake(ua_task_t *t, enum ua_wake reason);

/* ua__suspend's ticks for a timeout in ms the caller has checked (>=
 * UA_FOREVER): UA_FOREVER for none, UA__TICKS_TOO_LONG past
 * UA_TICKS_MAX_DELAY. */
#define UA__TICKS_TOO_LONG INT32_MIN
int32_t ua__ms_to_ticks(int32_t ms);

void ua__tlist_push(ua_tlist_t *q, ua_task_t *t);
ua_task_t *ua__tlist_pop(ua_tlist_t *q);
void ua__tlist_remove(ua_tlist_t *q, ua_task_t *t);
/* Move `t`, already in `q`, to just before `before` (also in `q`); UA_TRACE
 * builds only (the explorer's hook). */
void ua__tlist_move_before(ua_tlist_t *q, ua_task_t *t, ua_task_t *before);

#endif /* UA_TASK_H */
