/*
 * The schedule-exploration hook (ua_port_t.reorder): at one pass, the
 * tasks woken by ISR flags may be moved among the tasks woken by the same
 * batch (the pass's timers and flags), and never past a task made ready
 * before the pass or out of the timers' (deadline, arming) order -- the
 * orders ua_loop.h promises.
 *
 * Every test: tasks A and B sleep 10 ms (A armed first), F1 and F2 wait on
 * flags f1 and f2 (f2 registered last, so polled first), P is spawned at
 * 10 ms just before the pass begins; at 10 ms both flags are set and the
 * loop runs until everything has finished.  The log is the order of the
 * resumes after the wake-ups.
 */
#include "harness.h"

#include <string.h>

static ua_flag_t f1, f2;
static tk_t ta, tb, tf1, tf2, tp;
static uint32_t jump;        /* what the hook answers */
static uint32_t hook_calls;  /* how often it was asked */
static uint32_t last_choices;

static uint32_t reorder(void *ctx, const void *woken, uint32_t choices)
{
    (void)ctx;
    (void)woken;
    hook_calls++;
    last_choices = choices;
    return jump;
}

static int sleeper(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 10));
    h_log(t->name, 0);
    UA_END();
}

static int flag_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, t->obj, UA_FOREVER));
    h_log(t->name, 0);
    UA_END();
}

static int plain(ua_task_t *self)
{
    h_log(TK(self)->name, 0);
    return 0;
}

static void run(bool io_priority, bool with_p, uint32_t answer)
{
    h_setup(0);
    h_vp.port.reorder = reorder;
    jump = answer;
    hook_calls = 0;
    last_choices = 0;
    ua_loop_set_io_priority(&h_loop, io_priority);
    memset(&f1, 0, sizeof f1);
    memset(&f2, 0, sizeof f2);
    assert_int_equal(ua_flag_init(&f1, &h_loop), 0);
    assert_int_equal(ua_flag_init(&f2, &h_loop), 0);
    tk_spawn(&ta, sleeper, "A", 0, 0, NULL);
    tk_spawn(&tb, sleeper, "B", 0, 0, NULL);
    tk_spawn(&tf1, flag_waiter, "F1", 0, 0, &f1);
    tk_spawn(&tf2, flag_waiter, "F2", 0, 0, &f2);
    while (ua_loop_step(&h_loop)) {
    }
    while (ua_loop_step(&h_loop)) { /* the first pass ends on an empty step */
    }
    assert_int_equal(h_count, 0);
    ua_vport_advance(&h_vp, 10000);
    if (with_p)
        tk_spawn(&tp, plain, "P", 0, 0, NULL);
    ua_flag_set(&f1);
    ua_flag_set(&f2);
    for (int i = 0; i < 20 && h_count < (with_p ? 5u : 4u); i++)
        ua_loop_step(&h_loop);
    ua_flag_deinit(&f1);
    ua_flag_deinit(&f2);
}

#if UA_TRACE

/* Without a jump the batch keeps the loop's own order: timers, then flags
 * in polling order; the hook was still asked, with the batch so far. */
static void default_order_asks_the_hook(void **state)
{
    (void)state;
    run(false, false, 0);
    H_EXPECT({10000, "A", 0}, {10000, "B", 0}, {10000, "F2", 0},
             {10000, "F1", 0});
    assert_int_equal(hook_calls, 2);
    assert_int_equal(last_choices, 4); /* F1 behind A, B and F2 */
}

static void flag_waiters_jump_one(void **state)
{
    (void)state;
    run(false, false, 1);
    H_EXPECT({10000, "A", 0}, {10000, "F2", 0}, {10000, "F1", 0},
             {10000, "B", 0});
}

/* The largest jump puts each flag waiter at the front of the batch; the
 * timers keep their arming order behind them. */
static void flag_waiters_jump_to_the_front_of_the_batch(void **state)
{
    (void)state;
    run(false, false, 99);
    H_EXPECT({10000, "F1", 0}, {10000, "F2", 0}, {10000, "A", 0},
             {10000, "B", 0});
}

/* A task made ready before the pass began is never jumped (FIFO). */
static void a_task_ready_before_the_pass_stays_first(void **state)
{
    (void)state;
    run(false, true, 99);
    H_EXPECT({10000, "P", 0}, {10000, "F1", 0}, {10000, "F2", 0},
             {10000, "A", 0}, {10000, "B", 0});
    assert_int_equal(last_choices, 4); /* P is not part of the batch */
}

/* With the I/O lane the flag waiters are a batch of their own: they may
 * swap, the lane still runs first and the timers keep their order. */
static void io_lane_flag_waiters_swap_among_themselves(void **state)
{
    (void)state;
    run(true, true, 99);
    H_EXPECT({10000, "F1", 0}, {10000, "F2", 0}, {10000, "P", 0},
             {10000, "A", 0}, {10000, "B", 0});
    assert_int_equal(hook_calls, 1); /* F2 alone in its batch: no choice */
    assert_int_equal(last_choices, 2);
    run(true, true, 0);
    H_EXPECT({10000, "F2", 0}, {10000, "F1", 0}, {10000, "P", 0},
             {10000, "A", 0}, {10000, "B", 0});
}

#else

/* Board builds (UA_TRACE=0): the hook compiles out; the order is the
 * loop's own whatever a port says. */
static void board_builds_never_ask(void **state)
{
    (void)state;
    run(false, true, 99);
    H_EXPECT({10000, "P", 0}, {10000, "A", 0}, {10000, "B", 0},
             {10000, "F2", 0}, {10000, "F1", 0});
    assert_int_equal(hook_calls, 0);
}

#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if UA_TRACE
        cmocka_unit_test(default_order_asks_the_hook),
        cmocka_unit_test(flag_waiters_jump_one),
        cmocka_unit_test(flag_waiters_jump_to_the_front_of_the_batch),
        cmocka_unit_test(a_task_ready_before_the_pass_stays_first),
        cmocka_unit_test(io_lane_flag_waiters_swap_among_themselves),
#else
        cmocka_unit_test(board_builds_never_ask),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
