/* gather: run three measurements at once and collect their results. */
#include "example.h"

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t ms;
    int32_t value;
} job_t;

/* Take `ms`, then finish with `value` as result (or fail if negative). */
static int job(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    UA_AWAIT(ua_sleep_ms(self, j->ms));
    if (j->value < 0)
        UA_THROW(UA_EIO);
    UA_END_RESULT(j->value);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    ua_gather_t g;
    ua_task_t *jobs[3];
    int32_t results[3];
    int statuses[3];
    int st;
} main_t;

static int main_task(ua_task_t *self)
{
    main_t *m = UA_CONTAINER_OF(self, main_t, task);
    UA_BEGIN(self, &m->co);
    ua_gather_init(&m->g, m->jobs, 3, UA_GATHER_RETURN_ERRORS, m->results,
                   m->statuses);
    UA_AWAIT_STATUS(m->st, ua_gather(self, &m->g));
    ex_log("gather: %s", ua_err_name(m->st));
    for (int i = 0; i < 3; i++)
        ex_log("  job %d: %s, result %d", i, ua_err_name(m->statuses[i]),
               (int)m->results[i]);
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static job_t j[3] = {{.ms = 30, .value = 42},
                         {.ms = 10, .value = -1},
                         {.ms = 20, .value = 75}};
    static main_t m;

    for (int i = 0; i < 3; i++) {
        ua_task_init(&j[i].task, job);
        ua_spawn(loop, &j[i].task);
        m.jobs[i] = &j[i].task;
    }
    ua_task_init(&m.task, main_task);
    ua_loop_run_until_complete(loop, &m.task);
    return ex_check("    30.000 ms  gather: UA_OK\n"
                    "    30.000 ms    job 0: UA_OK, result 42\n"
                    "    30.000 ms    job 1: UA_EIO, result 0\n"
                    "    30.000 ms    job 2: UA_OK, result 75\n");
}
