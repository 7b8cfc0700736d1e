/* Barrier: three tasks of different speeds meet after each round. */
#include "example.h"

static ua_barrier_t meet;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t work_ms;
    int round;
} task_t;

static void all_here(void *arg)
{
    (void)arg;
    ex_log("everyone arrived");
}

static int party(ua_task_t *self)
{
    task_t *t = UA_CONTAINER_OF(self, task_t, task);
    UA_BEGIN(self, &t->co);
    for (t->round = 0; t->round < 2; t->round++) {
        UA_AWAIT(ua_sleep_ms(self, t->work_ms));
        UA_AWAIT(ua_barrier_wait(self, &meet, UA_FOREVER));
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static task_t p[3] = {{.work_ms = 10}, {.work_ms = 30}, {.work_ms = 20}};

    ua_barrier_init(&meet, 3, all_here, NULL);
    for (int i = 0; i < 3; i++) {
        ua_task_init(&p[i].task, party);
        ua_spawn(loop, &p[i].task);
    }
    ua_loop_run_until_complete(loop, &p[0].task);
    return ex_check("    30.000 ms  everyone arrived\n"
                    "    60.000 ms  everyone arrived\n");
}
