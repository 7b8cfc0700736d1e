/*
 * CPU hogs (sim_board_add_hog): the CPU taken at exact moments, steps wait,
 * interrupts still run at their instants and stretch the hog by their cost,
 * a busy CPU delays a hog but not its later moments, the trace shows it as
 * a task, power counts it as run time, and bad values are refused naming
 * the value and its range.
 */
#include "simtest.h"

/* A task that wakes every 10 ms (from its spawn) and logs when it runs. */
static int ticker(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 10));
        st_add(sim_now(t->sim), "tick", t->i);
    }
    UA_END();
}

static void log_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    st_add(sim_now(arg), "irq", 0);
}

/* Times of the records of one kind for one task. */
static size_t times_of(sim_t *sim, unsigned kind, uint32_t task, uint64_t *t,
                       size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind == kind && r->obj == task) {
            if (n < max)
                t[n] = r->t_ns;
            n++;
        }
    }
    return n;
}

/* The hog holds the CPU 15..27 ms: the tick due at 20 ms runs when it ends,
 * stretched by the 10 us of the interrupt that ran at 18 ms, inside it. */
static void hog_delays_steps_not_interrupts(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 0, 10 * SIM_US);
    st_task_t tk;
    st_reset();
    st_spawn(b, &tk, ticker, "ticker", 3, 0, NULL);
    sim_pin_t *p = sim_board_pin(b, 2);
    ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(p), UA_EDGE_FALLING, log_isr, sim);
    sim_source_at(sim_source_new(p), 18 * SIM_MS, 0);
    int id = sim_board_add_hog(b, "hog", 15 * SIM_MS, 0, 12 * SIM_MS, 1);
    assert_true(id > 0);
    assert_int_equal((uint32_t)id, 2); /* the ticker is task 1 */
    sim_run_until(sim, 100 * SIM_MS);
    ST_EXPECT({10 * SIM_MS, "tick", 0},
              {18 * SIM_MS, "irq", 0},
              {27010 * SIM_US, "tick", 1},
              {37010 * SIM_US, "tick", 2});
    sim_task_stats_t st;
    assert_int_equal(sim_task_stats(sim, &tk.task, &st), 0);
    assert_int_equal(st.worst_latency_ns, 7010 * SIM_US);
    char *txt = st_text_trace(sim);
    assert_non_null(strstr(txt, "# task 2 hog\n"));
    assert_non_null(strstr(txt, "\n15000.000 wake       b0 task2:hog 3\n"));
    assert_non_null(strstr(txt, "\n15000.000 resume     b0 task2:hog 3\n"));
    assert_non_null(strstr(txt, "\n15000.000 step       b0 task2:hog 12000000\n"));
    assert_non_null(strstr(txt, "\n27000.000 done       b0 task2:hog 0\n"));
    free(txt);
    sim_free(sim);
}

/* A step that charges 10..15 ms: the hog due at 12 ms starts at 15 ms; a
 * second hog due at 12.5 ms waits for the first; the first's later moments
 * (22, 32 ms) stay where they were chosen. */
static int charger(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 10));
    ua_delay_us(5000);
    UA_END();
}

static void hog_waits_for_a_busy_cpu_and_keeps_its_moments(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_task_t c;
    st_spawn(b, &c, charger, "charger", 0, 0, NULL);
    int a = sim_board_add_hog(b, "hogA", 12 * SIM_MS, 10 * SIM_MS, 2 * SIM_MS, 3);
    int h2 = sim_board_add_hog(b, "hogB", 12500 * SIM_US, 0, 1 * SIM_MS, 1);
    assert_true(a > 0 && h2 > 0 && a != h2);
    sim_run_until(sim, 100 * SIM_MS);
    uint64_t t[8];
    assert_int_equal(times_of(sim, UA_TR_WAKE, (uint32_t)a, t, 8), 3);
    assert_int_equal(t[0], 12 * SIM_MS);
    assert_int_equal(t[1], 22 * SIM_MS);
    assert_int_equal(t[2], 32 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_RESUME, (uint32_t)a, t, 8), 3);
    assert_int_equal(t[0], 15 * SIM_MS);
    assert_int_equal(t[1], 22 * SIM_MS);
    assert_int_equal(t[2], 32 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_SUSPEND, (uint32_t)a, t, 8), 2);
    assert_int_equal(t[0], 17 * SIM_MS);
    assert_int_equal(t[1], 24 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_DONE, (uint32_t)a, t, 8), 1);
    assert_int_equal(t[0], 34 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_RESUME, (uint32_t)h2, t, 8), 1);
    assert_int_equal(t[0], 17 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_DONE, (uint32_t)h2, t, 8), 1);
    assert_int_equal(t[0], 18 * SIM_MS);
    assert_int_equal(sim_board_busy_until(b), 34 * SIM_MS);
    sim_free(sim);
}

/* Without end: every 10 ms from 0, 1 ms each; the run state counts them. */
static void hog_forever_is_run_time(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    int id = sim_board_add_hog(b, "hog", 0, 10 * SIM_MS, 1 * SIM_MS,
                               SIM_HOG_FOREVER);
    assert_true(id > 0);
    sim_run_until(sim, 95 * SIM_MS);
    uint64_t t[16];
    assert_int_equal(times_of(sim, UA_TR_RESUME, (uint32_t)id, t, 16), 10);
    assert_int_equal(t[9], 90 * SIM_MS);
    assert_int_equal(times_of(sim, UA_TR_DONE, (uint32_t)id, t, 16), 0);
    assert_int_equal(sim_pending_events(sim), 1); /* the moment at 100 ms */
    sim_power_stats_t ps;
    sim_board_power_stats(b, &ps);
    assert_int_equal(ps.state_ns[SIM_POWER_RUN], 10 * SIM_MS);
    assert_int_equal(ps.wakeups, 10);
    sim_free(sim);
}

/* busy 0: the moments are traced, nothing else changes. */
static void hog_of_zero_changes_nothing(void **state)
{
    (void)state;
    uint64_t ticks[2][3];
    uint32_t wakeups[2];
    for (int with = 0; with < 2; with++) {
        sim_t *sim = sim_new(1);
        sim_board_t *b = sim_board_new(sim, "b0", 0);
        st_task_t tk;
        st_reset();
        st_spawn(b, &tk, ticker, "ticker", 3, 0, NULL);
        if (with)
            assert_true(sim_board_add_hog(b, "hog", 10 * SIM_MS, 10 * SIM_MS,
                                          0, 3) > 0);
        sim_run_until(sim, 100 * SIM_MS);
        assert_int_equal(st_n, 3);
        for (int i = 0; i < 3; i++)
            ticks[with][i] = st_log[i].t;
        sim_power_stats_t ps;
        sim_board_power_stats(b, &ps);
        wakeups[with] = ps.wakeups;
        sim_free(sim);
    }
    assert_memory_equal(ticks[0], ticks[1], sizeof ticks[0]);
    assert_int_equal(wakeups[0], wakeups[1]);
}

static void refused(sim_t *sim, sim_board_t *b, const char *name, uint64_t first,
                    uint64_t every, uint64_t busy, uint32_t count,
                    const char *msg)
{
    uint64_t pending = sim_pending_events(sim);
    assert_int_equal(sim_board_add_hog(b, name, first, every, busy, count),
                     UA_EINVAL);
    if (strcmp(sim_last_error(sim), msg) != 0)
        fail_msg("got '%s', want '%s'", sim_last_error(sim), msg);
    assert_int_equal(sim_pending_events(sim), pending);
}

static void bad_values_are_refused_with_their_range(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_run_until(sim, 5 * SIM_MS);
    refused(sim, b, "", 6 * SIM_MS, 0, 1, 1,
            "hog: the name is empty: a hog needs a name for its trace lane");
    refused(sim, b, NULL, 6 * SIM_MS, 0, 1, 1,
            "hog: the name is empty: a hog needs a name for its trace lane");
    refused(sim, b, "h", 4 * SIM_MS, 0, 1, 1,
            "hog h: first_ns=4000000 is out of range: first_ns is "
            "5000000..18446744073709551614 (now .. the end of the clock)");
    refused(sim, b, "h", 6 * SIM_MS, 0, 4294967296ull, 1,
            "hog h: busy_ns=4294967296 is out of range: busy_ns is "
            "0..4294967295 (what a step record holds)");
    refused(sim, b, "h", 6 * SIM_MS, 10, 1, 0,
            "hog h: count=0 is out of range: count is 1..4294967295 "
            "(4294967295: without end)");
    refused(sim, b, "h", 6 * SIM_MS, 999, 1000, 2,
            "hog h: every_ns=999 is out of range: with busy_ns=1000 and "
            "count=2, every_ns is 1000..18446744073709551615 (a hog may not "
            "start again before it ends)");
    refused(sim, b, "h", 6 * SIM_MS, 0, 0, 2,
            "hog h: every_ns=0 is out of range: with busy_ns=0 and count=2, "
            "every_ns is 1..18446744073709551615 (a hog may not start again "
            "before it ends)");
    assert_int_equal(sim_board_add_hog(NULL, "h", 6 * SIM_MS, 0, 1, 1), UA_EINVAL);
    /* the edges of the ranges are accepted */
    assert_true(sim_board_add_hog(b, "h", 5 * SIM_MS, 1000, 1000, 2) > 0);
    assert_true(sim_board_add_hog(b, "h", 6 * SIM_MS, 0, UINT32_MAX, 1) > 0);
    sim_free(sim);
}

/* A board by name: a hog on a board the scenario did not create. */
static void board_found_by_name(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0);
    sim_board_t *b = sim_board_new(sim, "a_peer", 0);
    assert_ptr_equal(sim_board_find(sim, "a"), a);
    assert_ptr_equal(sim_board_find(sim, "a_peer"), b);
    assert_null(sim_board_find(sim, "b"));
    assert_null(sim_board_find(sim, NULL));
    sim_free(sim);
}

/* A flag waiter with a 50 ms timeout on a board that costs 300 us per step:
 * armed after its first step's cost, the deadline is 50.3 ms.  An interrupt
 * sets the flag at 1 ms, during a hog from 0.5 ms.  A hog ending at 50.2 ms
 * leaves the wait its flag: the pass reads the clock when the step begins,
 * before that step's cost.  A hog ending at the deadline, 50.3 ms, times
 * the wait out (the pass turns passed deadlines into wake-ups before ISR
 * flags). */
static int timed_flag_waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->i, ua_flag_wait(self, &t->flag, 50));
    st_add(sim_now(t->sim), "waited", t->i);
    UA_END();
}

static void hog_ending_before_a_deadline_leaves_the_flag(void **state)
{
    (void)state;
    for (int late = 0; late < 2; late++) {
        sim_t *sim = sim_new(1);
        sim_board_t *b = sim_board_new(sim, "b0", 0);
        st_task_t w;
        st_reset();
        sim_board_set_costs(b, 300 * SIM_US, 0);
        st_spawn(b, &w, timed_flag_waiter, "waiter", 0, 0, NULL);
        ua_flag_init(&w.flag, sim_board_loop(b));
        sim_pin_t *p = sim_board_pin(b, 0);
        ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
        ua_pin_set_irq(sim_pin_hw(p), UA_EDGE_FALLING, st_flag_isr, &w);
        sim_source_at(sim_source_new(p), SIM_MS, 0);
        assert_true(sim_board_add_hog(b, "hog", 500 * SIM_US, 0,
                                      (late ? 49800 : 49700) * SIM_US, 1) > 0);
        sim_run_until(sim, 100 * SIM_MS);
        if (late)
            ST_EXPECT({50600 * SIM_US, "waited", UA_ETIMEDOUT});
        else
            ST_EXPECT({50500 * SIM_US, "waited", 0});
        sim_free(sim);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hog_delays_steps_not_interrupts),
        cmocka_unit_test(hog_waits_for_a_busy_cpu_and_keeps_its_moments),
        cmocka_unit_test(hog_forever_is_run_time),
        cmocka_unit_test(hog_of_zero_changes_nothing),
        cmocka_unit_test(bad_values_are_refused_with_their_range),
        cmocka_unit_test(board_found_by_name),
        cmocka_unit_test(hog_ending_before_a_deadline_leaves_the_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
