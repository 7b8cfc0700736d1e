/*
 * I/O-priority latency, in virtual time.
 *
 * Ten tasks are each busy for 2 ms per step (ua_delay_us, which the virtual
 * port charges as CPU time) and then yield; one more task waits on an ISR
 * flag.  An "interrupt" sets the flag at a fixed virtual time, in the middle
 * of a busy step.  With the I/O lane on, the woken task runs as soon as that
 * step ends; without it, it joins the back of the ready queue at the next
 * pass and waits for every busy task to take a step first.
 */
#include "bench.h"
#include "ua.h"
#include "ua_vport.h"

#define IO_BUSY_TASKS 10
#define IO_STEP_US 2000u
#define IO_ISR_AT_US 10500u /* during the sixth busy task's first step */

typedef struct {
    ua_task_t task;
    ua_co_t co;
} io_task_t;

static ua_vport_t vp;
static ua_loop_t loop;
static ua_flag_t flag;
static io_task_t waiter, busy[IO_BUSY_TASKS];
static int isr_done;
static uint64_t woke_at;

/* The port's busy-wait, with the interrupt firing when time crosses it. */
static void delay_with_isr(void *ctx, uint32_t us)
{
    ua_vport_t *v = ctx;
    uint64_t end = v->now_us + us;

    if (!isr_done && v->now_us < IO_ISR_AT_US && end >= IO_ISR_AT_US) {
        v->now_us = IO_ISR_AT_US;
        ua_flag_set(&flag); /* what the interrupt handler does */
        isr_done = 1;
    }
    v->now_us = end;
}

static int waiter_fn(ua_task_t *self)
{
    io_task_t *w = UA_CONTAINER_OF(self, io_task_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_flag_wait(self, &flag, UA_FOREVER));
    woke_at = vp.now_us;
    UA_END();
}

static int busy_fn(ua_task_t *self)
{
    io_task_t *b = UA_CONTAINER_OF(self, io_task_t, task);
    UA_BEGIN(self, &b->co);
    for (;;) {
        ua_delay_us(IO_STEP_US);
        UA_YIELD();
    }
    UA_END();
}

uint64_t bench_io_latency_us(int io_priority)
{
    ua_vport_init(&vp, &loop, 0, true);
    vp.port.delay_us = delay_with_isr;
    ua_loop_set_io_priority(&loop, io_priority != 0);
    ua_flag_init(&flag, &loop);
    isr_done = 0;
    woke_at = 0;

    waiter.co = (ua_co_t){0};
    ua_task_init(&waiter.task, waiter_fn);
    ua_spawn(&loop, &waiter.task);
    for (int i = 0; i < IO_BUSY_TASKS; i++) {
        busy[i].co = (ua_co_t){0};
        ua_task_init(&busy[i].task, busy_fn);
        ua_spawn(&loop, &busy[i].task);
    }
    if (ua_loop_run_until_complete(&loop, &waiter.task) != 0 || !isr_done)
        return UINT64_MAX;
    return woke_at - IO_ISR_AT_US;
}
