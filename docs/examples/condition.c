/* Condition: consumers wait, under a lock, until enough items exist. */
#include "example.h"

static ua_lock_t lock;
static ua_cond_t more;
static int stock;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int want;
    int i;
} task_t;

static bool enough(void *arg)
{
    return stock >= ((task_t *)arg)->want;
}

static int consumer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
    UA_AWAIT(ua_cond_wait_for(self, &more, enough, t, UA_FOREVER));
    stock -= t->want;
    ex_log("took %d, %d left", t->want, stock);
    UA_FINALLY
    ua_lock_release(self, &lock); /* the wait returns with the lock held */
    UA_END();
}

static int producer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 5; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 10));
        UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
        stock++;
        ua_cond_notify_all(self, &more);
        ua_lock_release(self, &lock);
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static task_t big = {.want = 3}, small = {.want = 1}, prod;

    ua_lock_init(&lock);
    ua_cond_init(&more, &lock);
    ua_task_init(&big.task, consumer);
    ua_task_init(&small.task, consumer);
    ua_task_init(&prod.task, producer);
    ua_spawn(loop, &big.task);
    ua_spawn(loop, &small.task);
    ua_loop_run_until_complete(loop, &prod.task);
    ex_log("stock %d", stock);
    return ex_check("    10.000 ms  took 1, 0 left\n"
                    "    40.000 ms  took 3, 0 left\n"
                    "    50.000 ms  stock 1\n");
}
