/* Lock: two tasks share a bus; each keeps it across awaits. */
#include "example.h"

static ua_lock_t bus;

typedef struct {
    ua_task_t task;
    ua_co_t co;
    const char *name;
} user_t;

static int bus_user(ua_task_t *self)
{
    user_t *u = UA_CONTAINER_OF(self, user_t, task);
    UA_BEGIN(self, &u->co);
    UA_AWAIT(ua_lock_acquire(self, &bus, UA_FOREVER));
    ex_log("%s has the bus", u->name);
    UA_AWAIT(ua_sleep_ms(self, 30)); /* a transfer that takes 30 ms */
    UA_FINALLY
    /* Runs on success and on error (timeout, cancellation) alike.  Only
     * release what is ours: the lock may never have been granted. */
    if (bus.owner == self) {
        ex_log("%s releases it", u->name);
        ua_lock_release(self, &bus);
    }
    UA_END();
}

int main(void)
{
    ua_loop_t *loop = ex_setup();
    static user_t a = {.name = "a"}, b = {.name = "b"};

    ua_lock_init(&bus);
    ua_task_init(&a.task, bus_user);
    ua_task_init(&b.task, bus_user);
    ua_spawn(loop, &a.task);
    ua_spawn(loop, &b.task);
    ua_loop_run_until_complete(loop, &b.task);
    return ex_check("     0.000 ms  a has the bus\n"
                    "    30.000 ms  a releases it\n"
                    "    30.000 ms  b has the bus\n"
                    "    60.000 ms  b releases it\n");
}
