/* coretest: core behaviours as firmware (see coretest_app.h). */
#include <string.h>

#include "coretest_app.h"

static int spawn(coretest_app_t *app, ua_loop_t *loop, coretest_task_t *t,
                 ua_task_fn fn)
{
    ua_task_init(&t->task, fn);
    memset(&t->co, 0, sizeof t->co);
    t->app = app;
    return ua_spawn(loop, &t->task);
}

#define FRAME(self) UA_CONTAINER_OF(self, coretest_task_t, task)

/* --- cancel ---------------------------------------------------------------- */

static int sleeper(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    app_notify(&t->app->notify, "sleeping", 10000, 0);
    UA_AWAIT(ua_sleep_ms(self, 10000));
    app_notify(&t->app->notify, "woke", 0, 0);
    UA_FINALLY;
    app_notify(&t->app->notify, "cleanup", UA_STATUS(), 0);
    UA_END();
}

static int canceller(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 30));
    app_notify(&t->app->notify, "cancel", ua_task_cancel(&t->app->main.task), 0);
    UA_AWAIT_STATUS(t->st, ua_join(self, &t->app->main.task, UA_FOREVER));
    app_notify(&t->app->notify, "joined", t->st, 0);
    UA_END();
}

int coretest_cancel_start(coretest_app_t *app, ua_loop_t *loop,
                          app_notify_t notify)
{
    int st;
    app->notify = notify;
    if ((st = spawn(app, loop, &app->main, sleeper)) != 0)
        return st;
    return spawn(app, loop, &app->other, canceller);
}

static int doomed(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->st));
    UA_THROW(UA_EIO);
    UA_END();
}

int coretest_detached_failure(coretest_app_t *app, ua_loop_t *loop,
                              int32_t ms)
{
    app->busy[0].st = ms;
    return spawn(app, loop, &app->busy[0], doomed);
}

/* --- wait_for --------------------------------------------------------------- */

static int slow_inner(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 1000));
    UA_FINALLY;
    if (UA_STATUS() != 0)
        UA_AWAIT_STATUS(t->st, ua_sleep_ms(self, 5)); /* asynchronous cleanup */
    app_notify(&t->app->notify, "inner_cleanup", UA_STATUS(), 0);
    UA_END();
}

static int quick_inner(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 20));
    UA_END_RESULT(42);
}

static int caller(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    coretest_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    app->round = 1;
    spawn(app, app->loop, &app->other, slow_inner);
    UA_AWAIT_STATUS(t->st, ua_wait_for(self, &app->other.task, 50));
    app_notify(&app->notify, "resumed", t->st, app->round);
    app->round = 2;
    spawn(app, app->loop, &app->other, quick_inner);
    UA_AWAIT_STATUS(t->st, ua_wait_for(self, &app->other.task, 50));
    app_notify(&app->notify, "resumed", t->st, app->round);
    app_notify(&app->notify, "result", ua_task_result(&app->other.task), 0);
    UA_END();
}

int coretest_wait_for_start(coretest_app_t *app, ua_loop_t *loop,
                            app_notify_t notify)
{
    app->notify = notify;
    app->loop = loop;
    return spawn(app, loop, &app->main, caller);
}

/* --- io_priority ------------------------------------------------------------- */

static int busy_task(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    UA_BEGIN(self, &t->co);
    for (t->st = 0; t->app->busy_steps == 0 ||
                    (uint32_t)t->st < t->app->busy_steps;
         t->st++) {
        ua_delay_us(t->app->busy_us); /* a step that keeps the CPU */
        UA_YIELD();
    }
    UA_END();
}

/* Interrupt context: remember when, wake the task. */
static void on_edge(void *arg, int level, ua_ticks_t when)
{
    coretest_app_t *app = arg;
    (void)level;
    app->edge = when;
    ua_flag_set(&app->flag);
}

static int irq_task(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    coretest_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &app->flag, UA_FOREVER));
        app->irqs++;
        app_notify(&app->notify, "irq_task",
                   (int32_t)ua_ticks_diff(ua_loop_now(app->loop), app->edge),
                   (int32_t)app->irqs);
    }
    UA_END();
}

/* --- low_priority ------------------------------------------------------------ */

static int housekeeper(ua_task_t *self)
{
    coretest_task_t *t = FRAME(self);
    coretest_app_t *app = t->app;
    UA_BEGIN(self, &t->co);
    for (t->st = 1;; t->st++) {
        app->edge = ua_loop_now(app->loop) + (ua_ticks_t)app->period_ms * 1000u;
        UA_AWAIT(ua_after_ms(self, app->period_ms));
        app_notify(&app->notify, "housekeeping",
                   ua_ticks_diff(ua_loop_now(app->loop), app->edge), t->st);
    }
    UA_END();
}

int coretest_low_priority_start(coretest_app_t *app, ua_loop_t *loop,
                                unsigned nbusy, uint32_t busy_us,
                                uint32_t busy_steps, int32_t period_ms,
                                int32_t overdue_ms, app_notify_t notify)
{
    int st;
    app->notify = notify;
    app->loop = loop;
    app->busy_us = busy_us;
    app->busy_steps = busy_steps;
    app->period_ms = period_ms;
    app->nbusy = nbusy < CORETEST_MAX_BUSY ? nbusy : CORETEST_MAX_BUSY;
    if ((st = ua_loop_set_low_priority(loop, 0, overdue_ms)) != 0 ||
        (st = spawn(app, loop, &app->main, housekeeper)) != 0)
        return st;
    for (unsigned i = 0; i < app->nbusy && st == 0; i++)
        st = spawn(app, loop, &app->busy[i], busy_task);
    return st;
}

int coretest_io_start(coretest_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                      unsigned nbusy, uint32_t busy_us, bool io_priority,
                      app_notify_t notify)
{
    int st;
    app->notify = notify;
    app->loop = loop;
    app->pin = pin;
    app->busy_us = busy_us;
    app->nbusy = nbusy < CORETEST_MAX_BUSY ? nbusy : CORETEST_MAX_BUSY;
    ua_loop_set_io_priority(loop, io_priority);
    ua_flag_init(&app->flag, loop);
    if ((st = ua_pin_configure(pin, UA_PIN_INPUT_PULLUP)) != 0 ||
        (st = ua_pin_set_irq(pin, UA_EDGE_FALLING, on_edge, app)) != 0 ||
        (st = spawn(app, loop, &app->main, irq_task)) != 0)
        return st;
    for (unsigned i = 0; i < app->nbusy && st == 0; i++)
        st = spawn(app, loop, &app->busy[i], busy_task);
    return st;
}
