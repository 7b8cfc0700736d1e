/*
 * The libuv port in real time: sleeps end in deadline order and never
 * early, the tick crosses the 32-bit wrap, an idle with nothing to wait for
 * stops the loop, ISR flags set from libuv watchers wake tasks, and a task
 * sleeping 1 s at a time costs one libuv iteration per sleep (the port
 * idles with a one-shot timer to the deadline: tickless).
 * Wall-clock limits are never asserted (the machine is shared): only order
 * and "elapsed >= requested".  UART and pin tests: test_uvio.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ua.h"
#include "ua_uvport.h"

static ua_uvport_t port;
static ua_loop_t loop;

typedef struct sleeper {
    ua_task_t task;
    ua_co_t co;
    int32_t us;
    ua_ticks_t t0, t1;
} sleeper_t;

static const sleeper_t *order[8];
static unsigned norder;

static int sleeper_fn(ua_task_t *self)
{
    sleeper_t *s = UA_CONTAINER_OF(self, sleeper_t, task);
    UA_BEGIN(self, &s->co);
    s->t0 = ua_loop_now(&loop);
    UA_AWAIT(ua_sleep_us(self, s->us));
    s->t1 = ua_loop_now(&loop);
    order[norder++] = s;
    UA_END();
}

static void setup_port(uint32_t start_tick)
{
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, start_tick), 0);
    norder = 0;
}

static void sleeps_end_in_order_and_never_early(void **state)
{
    (void)state;
    sleeper_t s[4] = {{.us = 30000}, {.us = 1500}, {.us = 12000}, {.us = 250}};
    setup_port(0);
    for (int i = 0; i < 4; i++) {
        ua_task_init(&s[i].task, sleeper_fn);
        assert_int_equal(ua_spawn(&loop, &s[i].task), 0);
    }
    assert_int_equal(ua_loop_run_until_complete(&loop, &s[0].task), 0);
    assert_int_equal(norder, 4);
    assert_ptr_equal(order[0], &s[3]);
    assert_ptr_equal(order[1], &s[1]);
    assert_ptr_equal(order[2], &s[2]);
    assert_ptr_equal(order[3], &s[0]);
    for (int i = 0; i < 4; i++)
        assert_true(ua_ticks_diff(s[i].t1, s[i].t0) >= s[i].us);
    assert_true(port.idles > 0); /* it slept in uv_run, not in a spin */
    ua_uvport_close(&port);
}

/* --- Tickless: one libuv iteration per sleep ---------------------------- */

static unsigned uv_iterations;

static void count_iteration(uv_prepare_t *h)
{
    (void)h;
    uv_iterations++; /* prepare callbacks run once per loop iteration */
}

typedef struct napper {
    ua_task_t task;
    ua_co_t co;
    int i;
} napper_t;

static int napper_fn(ua_task_t *self)
{
    napper_t *s = UA_CONTAINER_OF(self, napper_t, task);
    UA_BEGIN(self, &s->co);
    for (s->i = 0; s->i < 2; s->i++)
        UA_AWAIT(ua_sleep_ms(self, 1000));
    UA_END();
}

/* Two 1 s sleeps: two idles, two libuv iterations (a timer firing every
 * millisecond would make 2,000); counts only, no wall-clock limit. */
static void one_second_sleeps_idle_once_each(void **state)
{
    (void)state;
    static napper_t s;
    uv_prepare_t prep;
    setup_port(0);
    uv_iterations = 0;
    assert_int_equal(uv_prepare_init(port.uv, &prep), 0);
    assert_int_equal(uv_prepare_start(&prep, count_iteration), 0);
    s = (napper_t){0};
    ua_task_init(&s.task, napper_fn);
    ua_ticks_t t0 = ua_uvport_ticks(&port);
    assert_int_equal(ua_loop_run_until_complete(&loop, &s.task), 0);
    assert_true(ua_ticks_diff(ua_uvport_ticks(&port), t0) >= 2000000);
    uv_prepare_stop(&prep);
    uv_close((uv_handle_t *)&prep, NULL);
    print_message("# 2 x 1 s: %u idles, %u early, %u libuv iterations\n",
                  (unsigned)port.idles, (unsigned)port.early, uv_iterations);
    /* a wake-up a little early (the timer's millisecond rounding against
     * the microsecond clock) idles once more: allow one per sleep */
    assert_true(port.idles >= 2 && port.idles <= 4);
    assert_true(uv_iterations >= 2 && uv_iterations <= 4);
    ua_uvport_close(&port);
}

static void ticks_cross_the_wrap(void **state)
{
    (void)state;
    sleeper_t s = {.us = 5000};
    setup_port(0xFFFFFFFFu - 1000u); /* wraps 1 ms in */
    ua_task_init(&s.task, sleeper_fn);
    assert_int_equal(ua_loop_run_until_complete(&loop, &s.task), 0);
    assert_true(s.t0 > 0xFFFF0000u);
    assert_true(s.t1 < 0x10000000u); /* wrapped */
    assert_true(ua_ticks_diff(s.t1, s.t0) >= 5000);
    ua_uvport_close(&port);
}

/* A task waiting forever on a flag nobody can set: the port must stop the
 * loop instead of blocking. */
typedef struct waiter {
    ua_task_t task;
    ua_co_t co;
    ua_flag_t *flag;
    int st;
    ua_ticks_t woke;
} waiter_t;

static int waiter_fn(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT_STATUS(w->st, ua_flag_wait(self, w->flag, UA_FOREVER));
    w->woke = ua_loop_now(&loop);
    UA_END();
}

static void idle_without_wakers_stops_the_loop(void **state)
{
    (void)state;
    ua_flag_t flag;
    waiter_t w = {.flag = &flag, .st = 99};
    setup_port(0);
    ua_flag_init(&flag, &loop);
    ua_task_init(&w.task, waiter_fn);
    assert_int_equal(ua_loop_run_until_complete(&loop, &w.task), UA_ESTOPPED);
    assert_int_equal(port.deadlocks, 1);
    assert_int_equal(w.st, 99); /* still waiting, not woken by mistake */
    ua_task_cancel(&w.task);
    ua_uvport_close(&port);
}

/* A libuv timer (an "interrupt source") sets the flag 20 ms in. */
static ua_flag_t timer_flag;
static ua_ticks_t set_at;

static void isr_timer_cb(uv_timer_t *t)
{
    (void)t;
    set_at = ua_uvport_ticks(&port);
    ua_flag_set(&timer_flag);
}

static void flag_set_from_a_watcher_wakes_the_task(void **state)
{
    (void)state;
    uv_timer_t isr;
    waiter_t w = {.flag = &timer_flag, .st = 99};
    setup_port(0);
    ua_flag_init(&timer_flag, &loop);
    uv_timer_init(port.uv, &isr);
    uv_timer_start(&isr, isr_timer_cb, 20, 0);
    ua_task_init(&w.task, waiter_fn);
    ua_ticks_t t0 = ua_uvport_ticks(&port);
    assert_int_equal(ua_loop_run_until_complete(&loop, &w.task), 0);
    assert_int_equal(w.st, 0);
    assert_true(ua_ticks_diff(set_at, t0) >= 19000); /* libuv rounds to ms */
    assert_true(ua_ticks_diff(w.woke, set_at) >= 0);  /* after, never before */
    assert_int_equal(port.deadlocks, 0);
    uv_close((uv_handle_t *)&isr, NULL);
    ua_flag_deinit(&timer_flag);
    ua_uvport_close(&port);
}

/* ua_delay_us spins on the clock: at least the time asked. */
static int delayer_fn(ua_task_t *self)
{
    sleeper_t *s = UA_CONTAINER_OF(self, sleeper_t, task);
    UA_BEGIN(self, &s->co);
    s->t0 = ua_uvport_ticks(&port);
    ua_delay_us((uint32_t)s->us);
    s->t1 = ua_uvport_ticks(&port);
    UA_END();
}

static void delay_us_busy_waits_at_least(void **state)
{
    (void)state;
    sleeper_t s = {.us = 700};
    setup_port(0);
    ua_task_init(&s.task, delayer_fn);
    assert_int_equal(ua_loop_run_until_complete(&loop, &s.task), 0);
    assert_true(ua_ticks_diff(s.t1, s.t0) >= 700);
    ua_uvport_close(&port);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sleeps_end_in_order_and_never_early),
        cmocka_unit_test(ticks_cross_the_wrap),
        cmocka_unit_test(idle_without_wakers_stops_the_loop),
        cmocka_unit_test(flag_set_from_a_watcher_wakes_the_task),
        cmocka_unit_test(delay_us_busy_waits_at_least),
        cmocka_unit_test(one_second_sleeps_idle_once_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
