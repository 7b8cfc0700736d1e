/* Two tasks blinking at their own pace on one scheduler. */
#include "example.h"

typedef struct {
    ua_task_t task;    /* scheduler bookkeeping */
    ua_co_t co;        /* where the coroutine stopped */
    const char *name;  /* parameters... */
    int32_t period_ms;
    int i;             /* ...and every variable used across an await */
} blinker_t;

static int blink(ua_task_t *self)
{
    blinker_t *b = UA_CONTAINER_OF(self, blinker_t, task);
    UA_BEGIN(self, &b->co);
    for (b->i = 0; b->i < 3; b->i++) {
        ex_log("%s on", b->name);
        UA_AWAIT(ua_sleep_ms(self, b->period_ms));
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static blinker_t red = {.name = "red", .period_ms = 300};
    static blinker_t green = {.name = "green", .period_ms = 500};

    ua_task_init(&red.task, blink);
    ua_task_init(&green.task, blink);
    ua_spawn(loop, &red.task);
    ua_spawn(loop, &green.task);
    int st = ua_loop_run_until_complete(loop, &green.task);
    ex_log("green finished: %s", ua_err_name(st));
    return ex_check("     0.000 ms  red on\n"
                    "     0.000 ms  green on\n"
                    "   300.000 ms  red on\n"
                    "   500.000 ms  green on\n"
                    "   600.000 ms  red on\n"
                    "  1000.000 ms  green on\n"
                    "  1500.000 ms  green finished: UA_OK\n");
}
