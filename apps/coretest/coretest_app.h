/*
 * coretest: three small firmwares that show core behaviours at exact
 * virtual times (the scenarios cancel.py, wait_for.py, io_priority.py).
 *
 * cancel: a task sleeps 10 s; another cancels it after 30 ms.  Reports
 * "sleeping" when the sleep begins, "cancel" (a = ua_task_cancel's return),
 * "cleanup" from the sleeper's UA_FINALLY (a = the status it carries),
 * "joined" when the canceller's ua_join returns (a = the sleeper's status),
 * and "woke" if the sleep ever completed (it must not).
 *
 * wait_for: a caller runs ua_wait_for on an inner task that sleeps 1 s,
 * with a 50 ms timeout; the inner task's cleanup awaits 5 ms more (say, a
 * bus released politely) before it reports "inner_cleanup" (a = status).
 * The caller reports "resumed" (a = wait_for's status, b = round).  A
 * second round waits 50 ms on a task that finishes in 20 ms with result
 * 42: "resumed" then carries a = 0 and "result" a = 42.
 *
 * io_priority: nbusy tasks each block the CPU busy_us per step and yield;
 * an interrupt on a pin records its tick and sets an ISR flag, and the
 * task waiting on it reports "irq_task" (a = wake-up latency in us since
 * the edge, b = count) -- with ua_loop_set_io_priority on or off.
 */
#ifndef CORETEST_APP_H
#define CORETEST_APP_H

#include "app_notify.h"
#include "ua.h"

/* A task with its frame. */
typedef struct coretest_task {
    ua_task_t task;
    ua_co_t co;
    struct coretest_app *app;
    int st;
} coretest_task_t;

#define CORETEST_MAX_BUSY 16

typedef struct coretest_app {
    app_notify_t notify;
    coretest_task_t main, other;
    /* io_priority */
    coretest_task_t busy[CORETEST_MAX_BUSY];
    unsigned nbusy;
    uint32_t busy_us;
    ua_flag_t flag;
    ua_pin_t *pin;
    volatile ua_ticks_t edge;
    ua_loop_t *loop;
    uint32_t irqs;
    int32_t round;
    /* low_priority */
    uint32_t busy_steps; /* 0: busy for ever */
    int32_t period_ms;
} coretest_app_t;

int coretest_cancel_start(coretest_app_t *app, ua_loop_t *loop,
                          app_notify_t notify);
int coretest_wait_for_start(coretest_app_t *app, ua_loop_t *loop,
                            app_notify_t notify);

/* A detached task (busy[0]) that sleeps `ms` then fails with UA_EIO with
 * nobody awaiting it: an unhandled error, for the loop to report. */
int coretest_detached_failure(coretest_app_t *app, ua_loop_t *loop,
                              int32_t ms);
/* Low priority: nbusy tasks busy busy_us per step for busy_steps steps
 * each, and a housekeeping task in the low-priority lane every period_ms
 * (notifies "housekeeping" with its lateness in us and its round); the
 * loop promotes it once overdue by overdue_ms (UA_FOREVER: never). */
int coretest_low_priority_start(coretest_app_t *app, ua_loop_t *loop,
                                unsigned nbusy, uint32_t busy_us,
                                uint32_t busy_steps, int32_t period_ms,
                                int32_t overdue_ms, app_notify_t notify);

int coretest_io_start(coretest_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                      unsigned nbusy, uint32_t busy_us, bool io_priority,
                      app_notify_t notify);

#endif /* CORETEST_APP_H */
