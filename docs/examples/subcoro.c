/* Awaiting a sub-coroutine whose frame lives inside the caller's frame. */
#include "example.h"

/* The sub-coroutine's frame: its resume point, locals and result. */
typedef struct {
    ua_co_t co;
    int n;       /* samples taken so far */
    int32_t sum;
    int32_t avg; /* the result, read by the caller */
} average_t;

static int32_t read_adc(void)
{
    static int32_t fake = 100;
    return fake += 10;
}

/* Take four samples 5 ms apart and average them. */
static int average(ua_task_t *self, average_t *f)
{
    UA_BEGIN(self, &f->co);
    f->sum = 0;
    for (f->n = 0; f->n < 4; f->n++) {
        f->sum += read_adc();
        UA_AWAIT(ua_sleep_ms(self, 5));
    }
    f->avg = f->sum / 4;
    UA_END();
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    average_t avg; /* the callee's frame, inside ours */
    int round;
} logger_t;

static int logger(ua_task_t *self)
{
    logger_t *l = UA_CONTAINER_OF(self, logger_t, task);
    UA_BEGIN(self, &l->co);
    for (l->round = 0; l->round < 2; l->round++) {
        UA_AWAIT(average(self, &l->avg));
        ex_log("round %d: average %d", l->round, (int)l->avg.avg);
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static logger_t lg;

    ua_task_init(&lg.task, logger);
    ua_loop_run_until_complete(loop, &lg.task);
    return ex_check("    20.000 ms  round 0: average 125\n"
                    "    40.000 ms  round 1: average 165\n");
}
