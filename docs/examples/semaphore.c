/* Semaphore: at most two of four tasks in the section at once; a bounded
 * semaphore refuses a release it never gave out. */
#include "example.h"

static ua_sem_t slots;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int id;
} worker_t;

static int worker(ua_task_t *self)
{
    worker_t *w = UA_CONTAINER_OF(self, worker_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_sem_acquire(self, &slots, UA_FOREVER));
    ex_log("worker %d in (%d free)", w->id, (int)ua_sem_value(&slots));
    UA_AWAIT(ua_sleep_ms(self, 100));
    ua_sem_release(&slots);
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static worker_t w[4];

    ua_sem_init(&slots, 2, true);
    for (int i = 0; i < 4; i++) {
        w[i].id = i;
        ua_task_init(&w[i].task, worker);
        ua_spawn(loop, &w[i].task);
    }
    ua_loop_run_until_complete(loop, &w[3].task);
    ex_log("extra release: %s", ua_err_name(ua_sem_release(&slots)));
    return ex_check("     0.000 ms  worker 0 in (1 free)\n"
                    "     0.000 ms  worker 1 in (0 free)\n"
                    "   100.000 ms  worker 2 in (0 free)\n"
                    "   100.000 ms  worker 3 in (0 free)\n"
                    "   200.000 ms  extra release: UA_EOVERRELEASE\n");
}
