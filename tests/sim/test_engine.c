/*
 * The kernel and boards: event order and ties, CPU cost and pre-emption,
 * in-step time, several boards, the 32-bit tick wrap, determinism.
 */
#include "simtest.h"

static void log_event(sim_t *sim, void *arg, uint64_t data)
{
    st_add(sim_now(sim), arg, (int64_t)data);
}

static void events_fire_in_time_then_insertion_order(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    st_reset();
    sim_at(sim, 300, log_event, "c", 0);
    sim_at(sim, 100, log_event, "a", 1);
    sim_at(sim, 100, log_event, "a", 2);
    sim_at(sim, 200, log_event, "b", 0);
    sim_at(sim, 100, log_event, "a", 3);
    assert_int_equal(sim_run_until(sim, 250), 4);
    assert_int_equal(sim_now(sim), 250);
    sim_run_until(sim, SIM_FOREVER);
    ST_EXPECT({100, "a", 1}, {100, "a", 2}, {100, "a", 3}, {200, "b", 0},
              {300, "c", 0});
    sim_free(sim);
}

/* --- the next thing to happen ------------------------------------------------ */

static int napper(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    ua_delay_us(40); /* busy until 40 us */
    UA_AWAIT(ua_sleep_ms(self, 2));
    UA_END();
}

static void next_time_is_the_earliest_event_or_step(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    assert_int_equal(sim_next_time(sim), SIM_FOREVER);
    sim_at(sim, 300 * SIM_US, log_event, "e", 0);
    assert_int_equal(sim_next_time(sim), 300 * SIM_US);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_task_t t;
    st_reset();
    st_spawn(b, &t, napper, "napper", 0, 0, NULL);
    assert_int_equal(sim_next_time(sim), 0); /* ready now */
    sim_run_until(sim, 10 * SIM_US);
    assert_int_equal(sim_next_time(sim), 300 * SIM_US);
    sim_run_until(sim, 300 * SIM_US);
    /* the sleep began 40 us into the first step */
    assert_int_equal(sim_next_time(sim), 2040 * SIM_US);
    sim_run_until(sim, 2040 * SIM_US);
    assert_int_equal(sim_next_time(sim), SIM_FOREVER);
    assert_true(ua_task_done(&t.task));
    sim_free(sim);
}

/* --- busy task, interrupt pre-emption ------------------------------------- */

static st_task_t *isr_task;

static void edge_isr(void *arg, int level, ua_ticks_t when)
{
    st_task_t *t = arg;
    st_add(sim_now(t->sim), "isr", (int64_t)when);
    (void)level;
    ua_flag_set(&t->flag);
}

static int waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, &t->flag, UA_FOREVER));
    st_add(sim_now(t->sim), "woken", (int64_t)ua_loop_now(ua_loop_current()));
    UA_END();
}

static int hog(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    st_add(sim_now(t->sim), "hog", 0);
    ua_delay_us((uint32_t)t->a);
    st_add(sim_now(t->sim), "hog", 1);
    UA_AWAIT(ua_yield(self));
    st_add(sim_now(t->sim), "hog", 2);
    UA_END();
}

static void interrupt_preempts_busy_task_and_waiter_runs_after(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 0, 10 * SIM_US);
    sim_pin_t *pin = sim_board_pin(b, 3);
    sim_source_t *src = sim_source_new(pin);
    st_task_t w, h;
    st_reset();
    st_spawn(b, &w, waiter, "waiter", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    isr_task = &w;
    ua_pin_configure(sim_pin_hw(pin), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(pin), UA_EDGE_FALLING, edge_isr, &w);
    st_spawn(b, &h, hog, "hog", 20000, 0, NULL);
    sim_source_at(src, 5 * SIM_MS, 0);
    assert_int_equal(sim_run_until_done(sim, &w.task, SIM_S), 0);
    sim_run_until(sim, 100 * SIM_MS);
    /* ISR at exactly 5 ms; its 10 us cost delays the hog's yield, and the
     * woken task waits for the hog's step to end (and, without I/O
     * priority, for the hog's yield, queued before the flag was polled). */
    ST_EXPECT({0, "hog", 0}, {20 * SIM_MS, "hog", 1}, {5 * SIM_MS, "isr", 5000},
              {20010 * SIM_US, "hog", 2}, {20010 * SIM_US, "woken", 20010});
    sim_task_stats_t st;
    assert_int_equal(sim_task_stats(sim, &w.task, &st), 0);
    assert_int_equal(st.worst_latency_ns, 15010 * SIM_US);
    assert_int_equal(sim_task_stats(sim, &h.task, &st), 0);
    assert_int_equal(st.resumes, 2);
    assert_int_equal(st.busy_ns, 20 * SIM_MS);
    sim_free(sim);
}

/* --- in-step time: ticks and pin writes follow the CPU consumed ----------- */

static int bitbang(ua_task_t *self)
{
    st_task_t *t = ST(self);
    ua_pin_t *p = t->p;
    UA_BEGIN(self, &t->co);
    st_add(sim_now(t->sim), "tick", ua_loop_now(ua_loop_current()));
    ua_pin_write(p, 1);
    ua_delay_us(100);
    ua_pin_write(p, 0);
    st_add(sim_now(t->sim), "tick", ua_loop_now(ua_loop_current()));
    UA_END();
}

static void pin_writes_inside_a_step_take_effect_at_in_step_time(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 2 * SIM_US, 0);
    sim_pin_t *pin = sim_board_pin(b, 1);
    ua_pin_configure(sim_pin_hw(pin), UA_PIN_OUTPUT);
    st_task_t t;
    st_reset();
    st_spawn(b, &t, bitbang, "bb", 0, 0, sim_pin_hw(pin));
    sim_run_until(sim, SIM_MS);
    ST_EXPECT({2000, "tick", 2}, {102000, "tick", 102});
    uint64_t edges[2];
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind == SIM_TR_PIN && r->obj == sim_pin_id(pin) && n < 2)
            edges[n++] = r->t_ns;
    }
    assert_int_equal(n, 2);
    assert_int_equal(edges[0], 2000);
    assert_int_equal(edges[1], 102000);
    assert_int_equal(sim_board_busy_until(b), 102000);
    sim_free(sim);
}

/* --- several boards wired together ------------------------------------------ */

static int toggler(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 4; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 1));
        ua_pin_write(t->p, t->i & 1);
    }
    UA_END();
}

static void log_isr(void *arg, int level, ua_ticks_t when)
{
    st_add(sim_now(arg), level ? "rise" : "fall", (int64_t)when);
}

static void two_boards_share_a_wire(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0);
    sim_board_t *b = sim_board_new(sim, "b", 1000000);
    sim_pin_t *pa = sim_board_pin(a, 0), *pb = sim_board_pin(b, 7);
    sim_wire(pa, pb);
    ua_pin_configure(sim_pin_hw(pa), UA_PIN_OUTPUT);
    ua_pin_write(sim_pin_hw(pa), 1);
    sim_run_until(sim, 0);
    ua_pin_set_irq(sim_pin_hw(pb), UA_EDGE_BOTH, log_isr, sim);
    st_task_t t;
    st_reset();
    st_spawn(a, &t, toggler, "tog", 0, 0, sim_pin_hw(pa));
    sim_run_until(sim, 10 * SIM_MS);
    /* b's tick is offset by 1 s. */
    ST_EXPECT({1 * SIM_MS, "fall", 1001000}, {2 * SIM_MS, "rise", 1002000},
              {3 * SIM_MS, "fall", 1003000}, {4 * SIM_MS, "rise", 1004000});
    assert_int_equal(sim_pin_level(pb), 1);
    sim_free(sim);
}

/* --- the 32-bit tick wrap ------------------------------------------------- */

static int wrap_sleeper(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 3; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, t->a));
        st_add(sim_now(t->sim), t->name, ua_loop_now(ua_loop_current()));
    }
    UA_END();
}

static void timers_cross_the_32bit_wrap(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0xFFFFF000u); /* wraps at 4.096 ms */
    st_task_t x, y;
    st_reset();
    st_spawn(b, &x, wrap_sleeper, "3ms", 3, 0, NULL);
    st_spawn(b, &y, wrap_sleeper, "5ms", 5, 0, NULL);
    assert_int_equal(sim_run_until_done(sim, &y.task, SIM_S), 0);
    ST_EXPECT({3 * SIM_MS, "3ms", 0xFFFFF000u + 3000},
              {5 * SIM_MS, "5ms", 5000 - 4096},
              {6 * SIM_MS, "3ms", 6000 - 4096},
              {9 * SIM_MS, "3ms", 9000 - 4096},
              {10 * SIM_MS, "5ms", 10000 - 4096},
              {15 * SIM_MS, "5ms", 15000 - 4096});
    sim_free(sim);
}

/* --- determinism ------------------------------------------------------------ */

static char *scenario_trace(uint64_t seed, size_t *len)
{
    sim_t *sim = sim_new(seed);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_pin_t *btn = sim_board_pin(b, 0), *ir = sim_board_pin(b, 1);
    ua_pin_configure(sim_pin_hw(btn), UA_PIN_INPUT_PULLUP);
    sim_button_t *bt = sim_button_new(btn, 0);
    sim_button_click(bt, 10 * SIM_MS, 200 * SIM_MS);
    sim_nec_t *nec = sim_nec_new(ir);
    sim_nec_set_jitter(nec, 30 * SIM_US);
    sim_nec_set_glitches(nec, 0.5, 40 * SIM_US);
    sim_nec_send(nec, 50 * SIM_MS, 0x12, 0x34, 2);
    sim_uart_t *u = sim_board_uart(b, 0, 9600);
    sim_uart_set_noise(u, 0.2, 0.1);
    sim_uart_feed(u, 0, (const uint8_t *)"$GPGGA,hello*00\r\n", 17);
    ua_pin_set_irq(sim_pin_hw(btn), UA_EDGE_BOTH, log_isr, sim);
    sim_run_until(sim, SIM_S);
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    sim_export_text_fp(sim, f);
    fclose(f);
    sim_free(sim);
    return buf;
}

static void same_seed_gives_identical_trace(void **state)
{
    (void)state;
    size_t n1, n2, n3;
    st_reset();
    char *a = scenario_trace(7, &n1), *b = scenario_trace(7, &n2);
    char *c = scenario_trace(8, &n3);
    assert_true(n1 > 1000);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_fire_in_time_then_insertion_order),
        cmocka_unit_test(next_time_is_the_earliest_event_or_step),
        cmocka_unit_test(interrupt_preempts_busy_task_and_waiter_runs_after),
        cmocka_unit_test(pin_writes_inside_a_step_take_effect_at_in_step_time),
        cmocka_unit_test(two_boards_share_a_wire),
        cmocka_unit_test(timers_cross_the_32bit_wrap),
        cmocka_unit_test(same_seed_gives_identical_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
