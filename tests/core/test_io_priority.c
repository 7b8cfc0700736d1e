/*
 * The I/O-priority lane (fast_io): how long a task woken by an ISR flag waits
 * while ten other tasks keep the CPU busy for 2 ms per step.
 *
 * An "interrupt" sets the flag at a fixed virtual time, in the middle of a
 * busy step (the virtual port's busy-wait is hooked to raise it).  With the
 * lane on, the woken task runs as soon as that step ends; without it, it is
 * queued at the next pass behind every busy task.  tools/bench/bench_io.c
 * prints the same figures as a benchmark.
 */
#include "harness.h"

#include <string.h>

#define BUSY_TASKS 10
#define STEP_US 2000u

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t index;
} io_task_t;

static ua_flag_t flag;
static io_task_t waiter, busy[BUSY_TASKS];
static uint64_t isr_at;
static int isr_done;
static int32_t last_busy;

/* The port's busy-wait, raising the interrupt when time crosses isr_at. */
static void delay_with_isr(void *ctx, uint32_t us)
{
    ua_vport_t *v = ctx;
    uint64_t end = v->now_us + us;

    if (!isr_done && v->now_us < isr_at && end >= isr_at) {
        v->now_us = isr_at;
        ua_flag_set(&flag);
        isr_done = 1;
        h_log("isr", 0);
    }
    v->now_us = end;
}

static int waiter_fn(ua_task_t *self)
{
    io_task_t *w = UA_CONTAINER_OF(self, io_task_t, task);
    UA_BEGIN(self, &w->co);
    h_log("wait", 0);
    UA_AWAIT(ua_flag_wait(self, &flag, UA_FOREVER));
    h_log("woken after busy", last_busy);
    UA_END();
}

static int busy_fn(ua_task_t *self)
{
    io_task_t *b = UA_CONTAINER_OF(self, io_task_t, task);
    UA_BEGIN(self, &b->co);
    for (;;) {
        ua_delay_us(STEP_US);
        last_busy = b->index;
        UA_YIELD();
    }
    UA_END();
}

/* Waiter first, then the busy tasks; run until the waiter has woken. */
static void run_scenario(bool io_priority, uint64_t isr_time)
{
    h_setup(0xFFFFF000u); /* the 32-bit tick wraps during the run */
    h_vp.port.delay_us = delay_with_isr;
    ua_loop_set_io_priority(&h_loop, io_priority);
    ua_flag_init(&flag, &h_loop);
    isr_at = isr_time;
    isr_done = 0;
    last_busy = -1;

    memset(&waiter, 0, sizeof waiter);
    ua_task_init(&waiter.task, waiter_fn);
    assert_int_equal(ua_spawn(&h_loop, &waiter.task), 0);
    for (int i = 0; i < BUSY_TASKS; i++) {
        memset(&busy[i], 0, sizeof busy[i]);
        busy[i].index = i;
        ua_task_init(&busy[i].task, busy_fn);
        assert_int_equal(ua_spawn(&h_loop, &busy[i].task), 0);
    }
    assert_int_equal(h_run(&waiter.task), 0);
    assert_true(isr_done);
}

/* ISR at 10.5 ms, during busy task 5's first step (10-12 ms). */
static void io_lane_wakes_after_the_current_step(void **state)
{
    (void)state;
    run_scenario(true, 10500);
    H_EXPECT({0, "wait", 0}, {10500, "isr", 0},
             {12000, "woken after busy", 5}); /* latency 1500 us */
}

static void round_robin_wakes_after_a_whole_pass(void **state)
{
    (void)state;
    run_scenario(false, 10500);
    /* Busy tasks 6-9 finish the pass (20 ms); the next pass queues the
     * waiter behind all ten: latency 29500 us. */
    H_EXPECT({0, "wait", 0}, {10500, "isr", 0},
             {40000, "woken after busy", 9});
}

/* ISR during the last step of a pass: the lane still costs one step, the
 * ready queue a whole pass. */
static void io_lane_at_the_end_of_a_pass(void **state)
{
    (void)state;
    run_scenario(true, 19000);
    H_EXPECT({0, "wait", 0}, {19000, "isr", 0},
             {20000, "woken after busy", 9}); /* latency 1000 us */
}

static void round_robin_at_the_end_of_a_pass(void **state)
{
    (void)state;
    run_scenario(false, 19000);
    H_EXPECT({0, "wait", 0}, {19000, "isr", 0},
             {40000, "woken after busy", 9}); /* latency 21000 us */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(io_lane_wakes_after_the_current_step),
        cmocka_unit_test(round_robin_wakes_after_a_whole_pass),
        cmocka_unit_test(io_lane_at_the_end_of_a_pass),
        cmocka_unit_test(round_robin_at_the_end_of_a_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
