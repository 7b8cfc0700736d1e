/* Cancellation: prompt cleanup, and a lock granted just before the cancel
 * stays with the cancelled task until its UA_FINALLY gives it back. */
#include "example.h"

static ua_lock_t lock;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    ua_task_t *victim;
} task_t;

static int victim(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
    ex_log("victim has the lock");
    UA_AWAIT(ua_sleep_ms(self, 10000)); /* cancelled here, at once */
    ex_log("never printed");
    UA_FINALLY
    ex_log("victim cleanup: %s", ua_err_name(UA_STATUS()));
    if (lock.owner == self)
        ua_lock_release(self, &lock);
    UA_END();
}

static int boss(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
    UA_AWAIT(ua_sleep_ms(self, 10));
    ua_lock_release(self, &lock); /* handed to the waiting victim... */
    ua_task_cancel(t->victim);    /* ...which is cancelled right after */
    ex_log("boss released and cancelled");
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static task_t b, v;

    ua_lock_init(&lock);
    ua_task_init(&b.task, boss);
    ua_task_init(&v.task, victim);
    b.victim = &v.task;
    ua_spawn(loop, &b.task);
    ua_spawn(loop, &v.task);
    int st = ua_loop_run_until_complete(loop, &v.task);
    ex_log("victim: %s, lock %s", ua_err_name(st),
           ua_lock_locked(&lock) ? "held" : "free");
    return ex_check("    10.000 ms  boss released and cancelled\n"
                    "    10.000 ms  victim has the lock\n"
                    "    10.000 ms  victim cleanup: UA_ECANCELLED\n"
                    "    10.000 ms  victim: UA_ECANCELLED, lock free\n");
}
