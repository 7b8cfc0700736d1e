/* Queue: a fast producer is held back by a small queue and a slow consumer. */
#include "example.h"

static int32_t buf[2];
static ua_queue_t q;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t item; /* put/get point into the frame: it outlives the wait */
    int i;
} task_t;

static int producer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    for (t->i = 1; t->i <= 4; t->i++) {
        t->item = t->i * 10;
        UA_AWAIT(ua_queue_put(self, &q, &t->item, UA_FOREVER));
        ex_log("put %d", (int)t->item);
    }
    UA_END();
}

static int consumer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 4; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 25)); /* slow work first */
        UA_AWAIT(ua_queue_get(self, &q, &t->item, 1000));
        ex_log("got %d", (int)t->item);
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static task_t prod, cons;

    ua_queue_init(&q, buf, sizeof buf[0], 2);
    ua_task_init(&prod.task, producer);
    ua_task_init(&cons.task, consumer);
    ua_spawn(loop, &prod.task);
    ua_spawn(loop, &cons.task);
    ua_loop_run_until_complete(loop, &cons.task);
    return ex_check("     0.000 ms  put 10\n"
                    "     0.000 ms  put 20\n"
                    "    25.000 ms  got 10\n"
                    "    25.000 ms  put 30\n"
                    "    50.000 ms  got 20\n"
                    "    50.000 ms  put 40\n"
                    "    75.000 ms  got 30\n"
                    "   100.000 ms  got 40\n");
}
