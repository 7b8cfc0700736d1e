/* Event with a value: one task announces a reading, another waits for it. */
#include "example.h"

static ua_event_t reading;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int st;
} task_t;

static int producer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 100));
    ua_event_set_value(&reading, 42);
    UA_END();
}

static int consumer(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_event_wait(self, &reading, 500));
    ex_log("got %d", (int)ua_event_value(&reading));
    ua_event_clear(&reading);
    /* Nobody sets it again: this wait ends by its timeout. */
    UA_AWAIT_STATUS(t->st, ua_event_wait(self, &reading, 500));
    ex_log("second wait: %s", ua_err_name(t->st));
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static task_t prod, cons;

    ua_event_init(&reading);
    ua_task_init(&prod.task, producer);
    ua_task_init(&cons.task, consumer);
    ua_spawn(loop, &prod.task);
    ua_loop_run_until_complete(loop, &cons.task);
    return ex_check("   100.000 ms  got 42\n"
                    "   600.000 ms  second wait: UA_ETIMEDOUT\n");
}
