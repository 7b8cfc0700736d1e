/*
 * core_demo: three tasks on the virtual-clock port, printing the scheduler's
 * trace.  It is what `tools/sim run scenarios/demo.py` runs until the
 * simulator's board demo replaces it.
 *
 * A blinker sleeps 250 ms in a loop, a worker waits for an event with a
 * timeout, and a supervisor sets the event once and later cancels the
 * blinker mid-sleep -- the cancellation takes effect at once, not when the
 * sleep would have ended.
 */
#include <stdio.h>

#include "ua.h"
#include "ua_vport.h"

static ua_vport_t vp;
static ua_loop_t loop;
static ua_event_t go;
static FILE *trace_out;

static const char *const kind_names[] = {
    [UA_TR_SPAWN] = "spawn",       [UA_TR_RESUME] = "resume",
    [UA_TR_SUSPEND] = "suspend",   [UA_TR_DONE] = "done",
    [UA_TR_TIMER_ARM] = "arm",     [UA_TR_TIMER_FIRE] = "fire",
    [UA_TR_CANCEL] = "cancel",     [UA_TR_FLAG_SET] = "flag",
    [UA_TR_IDLE] = "idle",         [UA_TR_WAKE] = "wake",
    [UA_TR_UNHANDLED] = "unhandled", [UA_TR_FLAG_RAISED] = "flag_raised",
};

typedef struct {
    ua_task_t task;
    ua_co_t co;
    const char *name;
    int i;
    int st;
} demo_task_t;

static demo_task_t blinker, worker, supervisor;

static const char *task_name(const void *t)
{
    if (t == &blinker.task)
        return blinker.name;
    if (t == &worker.task)
        return worker.name;
    if (t == &supervisor.task)
        return supervisor.name;
    return "-";
}

static void trace(void *ctx, int kind, const void *task, uint32_t arg)
{
    (void)ctx;
    fprintf(trace_out, "%10llu us  %-8s %-10s %ld\n",
            (unsigned long long)vp.now_us, kind_names[kind], task_name(task),
            (long)(int32_t)arg);
}

static int blink(ua_task_t *self)
{
    demo_task_t *d = UA_CONTAINER_OF(self, demo_task_t, task);
    UA_BEGIN(self, &d->co);
    for (d->i = 0;; d->i++) {
        printf("%8llu us  blinker: led %s\n", (unsigned long long)vp.now_us,
               d->i % 2 ? "off" : "on");
        UA_AWAIT(ua_sleep_ms(self, 250));
    }
    UA_FINALLY
    printf("%8llu us  blinker: cleanup after %s\n", (unsigned long long)vp.now_us,
           ua_err_name(UA_STATUS()));
    UA_END();
}

static int work(ua_task_t *self)
{
    demo_task_t *d = UA_CONTAINER_OF(self, demo_task_t, task);
    UA_BEGIN(self, &d->co);
    for (d->i = 0; d->i < 2; d->i++) {
        UA_AWAIT_STATUS(d->st, ua_event_wait(self, &go, 400));
        printf("%8llu us  worker: wait -> %s\n", (unsigned long long)vp.now_us,
               ua_err_name(d->st));
        ua_event_clear(&go);
    }
    UA_END_RESULT(d->i);
}

static int supervise(ua_task_t *self)
{
    demo_task_t *d = UA_CONTAINER_OF(self, demo_task_t, task);
    UA_BEGIN(self, &d->co);
    UA_AWAIT(ua_sleep_ms(self, 300));
    ua_event_set(&go);
    UA_AWAIT(ua_join(self, &worker.task, UA_FOREVER));
    UA_AWAIT(ua_sleep_ms(self, 310));
    printf("%8llu us  supervisor: cancel blinker\n", (unsigned long long)vp.now_us);
    ua_task_cancel(&blinker.task);
    UA_AWAIT_STATUS(d->st, ua_join(self, &blinker.task, UA_FOREVER));
    UA_END();
}

int main(int argc, char **argv)
{
    trace_out = argc > 1 ? fopen(argv[1], "w") : stdout;
    if (trace_out == NULL) {
        perror(argv[1]);
        return 1;
    }
    ua_vport_init(&vp, &loop, 0, true);
    vp.port.trace = trace;
    ua_event_init(&go);
    blinker.name = "blinker";
    worker.name = "worker";
    supervisor.name = "supervisor";
    ua_task_init(&blinker.task, blink);
    ua_task_init(&worker.task, work);
    ua_task_init(&supervisor.task, supervise);
    ua_spawn(&loop, &blinker.task);
    ua_spawn(&loop, &worker.task);
    int st = ua_loop_run_until_complete(&loop, &supervisor.task);
    printf("%8llu us  done: supervisor %s, blinker %s, %u resumes\n",
           (unsigned long long)vp.now_us, ua_err_name(st),
           ua_err_name(ua_task_status(&blinker.task)), (unsigned)loop.resumes);
    if (trace_out != stdout)
        fclose(trace_out);
    return st == 0 && ua_task_status(&blinker.task) == UA_ECANCELLED ? 0 : 1;
}
