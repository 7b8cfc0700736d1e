/* join and wait_for: wait for a task, with and without giving up on it. */
#include "example.h"

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t ms;
} slow_t;

static int slow(ua_task_t *self)
{
    slow_t *s = UA_CONTAINER_OF(self, slow_t, task);
    UA_BEGIN(self, &s->co);
    UA_AWAIT(ua_sleep_ms(self, s->ms));
    UA_FINALLY
    ex_log("slow(%d) ends: %s", (int)s->ms, ua_err_name(UA_STATUS()));
    UA_END_RESULT(s->ms);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    slow_t *a, *b;
    int st;
} main_t;

static int main_task(ua_task_t *self)
{
    main_t *m = UA_CONTAINER_OF(self, main_t, task);
    UA_BEGIN(self, &m->co);
    /* join: wait for the task; a join timeout leaves it running. */
    UA_AWAIT_STATUS(m->st, ua_join(self, &m->a->task, 10));
    ex_log("join(10 ms): %s", ua_err_name(m->st));
    UA_AWAIT_STATUS(m->st, ua_join(self, &m->a->task, UA_FOREVER));
    ex_log("join: %s, result %d", ua_err_name(m->st),
           (int)ua_task_result(&m->a->task));
    /* wait_for: on timeout the task is cancelled and its cleanup awaited. */
    UA_AWAIT_STATUS(m->st, ua_wait_for(self, &m->b->task, 50));
    ex_log("wait_for(50 ms): %s", ua_err_name(m->st));
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static slow_t a = {.ms = 20}, b = {.ms = 1000};
    static main_t m = {.a = &a, .b = &b};

    ua_task_init(&a.task, slow);
    ua_task_init(&b.task, slow);
    ua_task_init(&m.task, main_task);
    ua_spawn(loop, &a.task);
    ua_spawn(loop, &b.task);
    ua_loop_run_until_complete(loop, &m.task);
    return ex_check("    10.000 ms  join(10 ms): UA_ETIMEDOUT\n"
                    "    20.000 ms  slow(20) ends: UA_OK\n"
                    "    20.000 ms  join: UA_OK, result 20\n"
                    "    70.000 ms  slow(1000) ends: UA_ECANCELLED\n"
                    "    70.000 ms  wait_for(50 ms): UA_ETIMEDOUT\n");
}
