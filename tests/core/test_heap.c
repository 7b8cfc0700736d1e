/*
 * The timer heap: many timers fire in (deadline, arming order); timers
 * removed from the middle (cancelled) never fire; the arming counter's
 * renumbering keeps first-armed-first order.
 */
#include <stdlib.h>

#include "harness.h"

#define N 1000

static tk_t tasks[N];
static int fired[N];
static uint64_t fired_at[N];
static int nfired;

static int timed(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    fired_at[nfired] = h_now();
    fired[nfired++] = t->b;
    UA_END();
}

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

static int32_t deadline_of[N];

static int by_deadline_then_index(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    if (deadline_of[a] != deadline_of[b])
        return deadline_of[a] < deadline_of[b] ? -1 : 1;
    return a - b;
}

/* With every task's timer armed: cancel every third task, run to the end,
 * and check that the others fired in (deadline, arming) order, each at its
 * deadline, and the cancelled ones never. */
static void cancel_every_third_then_check_the_rest(void)
{
    int expect[N], nexpect = 0;
    for (int i = 0; i < N; i++) {
        if (i % 3 == 1)
            assert_int_equal(ua_task_cancel(&tasks[i].task), 1);
        else
            expect[nexpect++] = i;
    }
    qsort(expect, (size_t)nexpect, sizeof expect[0], by_deadline_then_index);
    ua_loop_run_forever(&h_loop); /* stops when nothing is left */
    assert_int_equal(nfired, nexpect);
    for (int i = 0; i < nexpect; i++) {
        assert_int_equal(fired[i], expect[i]);
        assert_int_equal(fired_at[i], (uint64_t)deadline_of[expect[i]] * 1000);
    }
    for (int i = 1; i < N; i += 3)
        assert_int_equal(ua_task_status(&tasks[i].task), UA_ECANCELLED);
}

static void many_timers_fire_in_order_and_removed_ones_never(void **state)
{
    (void)state;
    h_setup(0xFFF00000u); /* crosses the 32-bit wrap 1.05 s in */
    nfired = 0;
    rng_state = 12345;
    for (int i = 0; i < N; i++) {
        deadline_of[i] = (int32_t)(rng() % 3000); /* many equal deadlines */
        tk_spawn(&tasks[i], timed, "", deadline_of[i], i, NULL);
    }
    while (ua_loop_step(&h_loop)) { /* everyone arms */
    }
    cancel_every_third_then_check_the_rest();
}

/* The same with the arming counter running out half-way through arming:
 * the renumbered heap keeps (deadline, arming order) and still removes
 * from the middle. */
static void many_timers_keep_their_order_across_a_renumbering(void **state)
{
    (void)state;
    h_setup(0);
    nfired = 0;
    rng_state = 777;
    h_loop.seq = UINT32_MAX - N / 2;
    for (int i = 0; i < N; i++) {
        deadline_of[i] = 1 + (int32_t)(rng() % 300); /* many equal ones */
        tk_spawn(&tasks[i], timed, "", deadline_of[i], i, NULL);
    }
    while (ua_loop_step(&h_loop)) { /* everyone arms */
    }
    assert_int_equal(h_loop.heap_renumbers, 1);
    cancel_every_third_then_check_the_rest();
}

static void renumbering_keeps_first_armed_first(void **state)
{
    (void)state;
    h_setup(0);
    nfired = 0;
    h_loop.seq = UINT32_MAX - 3; /* the counter runs out mid-way */
    for (int i = 0; i < 8; i++)
        tk_spawn(&tasks[i], timed, "", i < 4 ? 7 : 5, i, NULL);
    ua_loop_run_forever(&h_loop);
    assert_int_equal(h_loop.heap_renumbers, 1);
    assert_true(h_loop.seq < 16);
    const int want[] = {4, 5, 6, 7, 0, 1, 2, 3};
    assert_int_equal(nfired, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(fired[i], want[i]);
    assert_int_equal(fired_at[0], 5000);
    assert_int_equal(fired_at[4], 7000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_timers_fire_in_order_and_removed_ones_never),
        cmocka_unit_test(many_timers_keep_their_order_across_a_renumbering),
        cmocka_unit_test(renumbering_keeps_first_armed_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
