/* Named tasks and a group cancelled as a whole (ua_monitor.h). */
#include "example.h"
#include "ua_monitor.h"

static ua_names_t names;
static ua_group_t workers;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t cleanup_ms;
    ua_named_t name;  /* caller-owned records: no allocation anywhere */
    ua_member_t member;
} worker_t;

static int worker(ua_task_t *self)
{
    worker_t *w = UA_CONTAINER_OF(self, worker_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_sleep_ms(self, 60000));
    UA_FINALLY
    /* Cleanup may await too: here it takes a while. */
    UA_AWAIT(ua_sleep_ms(self, w->cleanup_ms));
    ex_log("%s cleaned up", w->name.name);
    UA_END();
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int st;
} boss_t;

static int boss(ua_task_t *self)
{
    boss_t *b = UA_CONTAINER_OF(self, boss_t, task);
    UA_BEGIN(self, &b->co);
    UA_AWAIT(ua_sleep_ms(self, 100));
    ex_log("motor running: %d", ua_named_is_running(&names, "motor"));
    ex_log("cancel pump: %d", ua_named_cancel(&names, "pump"));
    /* join returns the pump's status: UA_ECANCELLED, as it should. */
    UA_AWAIT_STATUS(b->st,
                    ua_join(self, ua_named_find(&names, "pump"), UA_FOREVER));
    ex_log("pump: %s, %u workers left", ua_err_name(b->st),
           ua_group_running(&workers));
    UA_AWAIT_STATUS(b->st, ua_group_cancel_join(self, &workers, UA_FOREVER));
    ex_log("group done: %s", ua_err_name(b->st));
    UA_END();
}

static void start(ua_loop_t *loop, worker_t *w, const char *name)
{
    ua_task_init(&w->task, worker);
    ua_named_add(&names, &w->name, name, &w->task);
    ua_group_spawn(loop, &workers, &w->member, &w->task);
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static worker_t pump = {.cleanup_ms = 5}, motor = {.cleanup_ms = 20},
                    fan = {.cleanup_ms = 10};
    static boss_t b;

    ua_names_init(&names);
    ua_group_init(&workers);
    start(loop, &pump, "pump");
    start(loop, &motor, "motor");
    start(loop, &fan, "fan");
    /* A second live task may not take a name that is in use. */
    static worker_t dup;
    ex_log("duplicate: %s",
           ua_err_name(ua_named_add(&names, &dup.name, "fan", &dup.task)));
    ua_task_init(&b.task, boss);
    ua_loop_run_until_complete(loop, &b.task);
    return ex_check("     0.000 ms  duplicate: UA_EBUSY\n"
                    "   100.000 ms  motor running: 1\n"
                    "   100.000 ms  cancel pump: 1\n"
                    "   105.000 ms  pump cleaned up\n"
                    "   105.000 ms  pump: UA_ECANCELLED, 2 workers left\n"
                    "   115.000 ms  fan cleaned up\n"
                    "   125.000 ms  motor cleaned up\n"
                    "   125.000 ms  group done: UA_OK\n");
}
