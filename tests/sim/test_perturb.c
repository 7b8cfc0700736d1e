/*
 * Schedule exploration in the simulator (sim.h, "Schedule exploration"):
 * the three kinds of decision points, a plan replayed exactly, random
 * draws reproducible from their seed, and bad input refused.
 */
#include "simtest.h"

static void flag_isr(void *arg, int level, ua_ticks_t when)
{
    st_task_t *t = arg;
    (void)level;
    t->i = (int32_t)when; /* the tick the handler saw */
    ua_flag_set(&t->flag);
}

static int flag_waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, &t->flag, UA_FOREVER));
    st_add(sim_now(t->sim), t->name, 0);
    UA_END();
}

static int sleeper(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    st_add(sim_now(t->sim), t->name, 0);
    UA_END();
}

static int hog(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->b));
    ua_delay_us((uint32_t)t->a);
    UA_END();
}

static sim_pin_t *irq_pin(sim_board_t *b, unsigned n, st_task_t *w, uint64_t at)
{
    sim_pin_t *p = sim_board_pin(b, n);
    ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(p), UA_EDGE_FALLING, flag_isr, w);
    sim_source_at(sim_source_new(p), at, 0);
    return p;
}

/* Sleeper S (10 ms) and flag waiters F1 (pin 1) and F2 (pin 2), both pins
 * falling at 10 ms: one pass wakes all three. */
static st_task_t s, f1, f2;

static sim_t *three_at_one_tick(void)
{
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_reset();
    st_spawn(b, &s, sleeper, "S", 10, 0, NULL);
    st_spawn(b, &f1, flag_waiter, "F1", 0, 0, NULL);
    st_spawn(b, &f2, flag_waiter, "F2", 0, 0, NULL);
    ua_flag_init(&f1.flag, sim_board_loop(b));
    ua_flag_init(&f2.flag, sim_board_loop(b));
    irq_pin(b, 1, &f1, 10 * SIM_MS);
    irq_pin(b, 2, &f2, 10 * SIM_MS);
    return sim;
}

static void without_exploration_nothing_moves(void **state)
{
    (void)state;
    sim_t *sim = three_at_one_tick();
    sim_run_until(sim, 20 * SIM_MS);
    ST_EXPECT({10 * SIM_MS, "S", 0}, {10 * SIM_MS, "F2", 0},
              {10 * SIM_MS, "F1", 0});
    assert_int_equal(sim_perturb_count(sim), 0);
    sim_free(sim);
}

/* Point 0 is F2's place (behind S), point 1 F1's (behind S, F2). */
static void a_planned_order_decision_is_taken_and_marked(void **state)
{
    (void)state;
    sim_t *sim = three_at_one_tick();
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_ORDER, 0, 1, 2), 0);
    sim_run_until(sim, 20 * SIM_MS);
    ST_EXPECT({10 * SIM_MS, "F1", 0}, {10 * SIM_MS, "S", 0},
              {10 * SIM_MS, "F2", 0});
    assert_int_equal(sim_perturb_count(sim), 1);
    sim_perturb_t p;
    assert_int_equal(sim_perturb_get(sim, 0, &p), 0);
    assert_int_equal(p.kind, SIM_PERTURB_ORDER);
    assert_int_equal(p.board, 0);
    assert_int_equal(p.point, 1);
    assert_int_equal(p.value, 2);
    assert_int_equal(p.t_ns, 10 * SIM_MS);
    assert_int_equal(sim_perturb_get(sim, 1, &p), -1);
    /* on the timeline: a note at the instant, named for its kind */
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind == SIM_TR_NOTE &&
            strcmp(sim_trace_note_name_of(sim, r->obj), "perturb_order") == 0) {
            assert_int_equal(r->t_ns, 10 * SIM_MS);
            assert_int_equal(r->arg, 1);
            assert_int_equal(r->arg2, 2);
            n++;
        }
    }
    assert_int_equal(n, 1);
    sim_free(sim);
}

/* A jump larger than the batch is clamped to its front, and recorded as
 * what was taken. */
static void a_planned_jump_is_clamped_to_the_batch(void **state)
{
    (void)state;
    sim_t *sim = three_at_one_tick();
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_ORDER, 0, 0, 50), 0);
    sim_run_until(sim, 20 * SIM_MS);
    ST_EXPECT({10 * SIM_MS, "F2", 0}, {10 * SIM_MS, "S", 0},
              {10 * SIM_MS, "F1", 0});
    sim_perturb_t p;
    assert_int_equal(sim_perturb_get(sim, 0, &p), 0);
    assert_int_equal(p.value, 1);
    sim_free(sim);
}

/* An edge at 5 ms while a 3 ms busy step (from 4 ms) runs: held off by the
 * planned 7 us, with the edge's own tick; an edge while the CPU sleeps is
 * no decision point at all. */
static void an_interrupt_in_a_busy_step_is_held_off(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_task_t w, w2, h;
    st_reset();
    sim_board_set_irq_latency(b, 10 * SIM_US);
    st_spawn(b, &h, hog, "hog", 3000, 4, NULL);
    st_spawn(b, &w, flag_waiter, "W", 0, 0, NULL);
    st_spawn(b, &w2, flag_waiter, "W2", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    ua_flag_init(&w2.flag, sim_board_loop(b));
    irq_pin(b, 1, &w, 5 * SIM_MS);
    irq_pin(b, 2, &w2, 9 * SIM_MS); /* idle by then */
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_IRQ, 0, 0, 7 * SIM_US), 0);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_IRQ, 0, 1, 7 * SIM_US), 0);
    sim_run_until(sim, 20 * SIM_MS);
    ST_EXPECT({7 * SIM_MS, "W", 0}, {9 * SIM_MS, "W2", 0});
    assert_int_equal(w.i, 5000); /* the edge's tick, not the handler's */
    assert_int_equal(sim_perturb_count(sim), 1);
    size_t enters = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind == SIM_TR_IRQ_ENTER)
            assert_int_equal(r->t_ns, enters++ == 0 ? 5007 * SIM_US : 9 * SIM_MS);
    }
    assert_int_equal(enters, 2);
    sim_free(sim);
}

/* The window is the board's interrupt-latency bound; none by default. */
static void the_irq_window_is_the_latency_bound(void **state)
{
    (void)state;
    for (int bound = 0; bound < 2; bound++) {
        sim_t *sim = sim_new(1);
        sim_board_t *b = sim_board_new(sim, "b0", 0);
        st_task_t w, h;
        st_reset();
        sim_board_set_irq_latency(b, bound ? 2 * SIM_US : 0);
        st_spawn(b, &h, hog, "hog", 3000, 4, NULL);
        st_spawn(b, &w, flag_waiter, "W", 0, 0, NULL);
        ua_flag_init(&w.flag, sim_board_loop(b));
        irq_pin(b, 1, &w, 5 * SIM_MS);
        assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_IRQ, 0, 0, SIM_MS), 0);
        sim_run_until(sim, 20 * SIM_MS);
        sim_perturb_t p;
        if (bound) {
            assert_int_equal(sim_perturb_get(sim, 0, &p), 0);
            assert_int_equal(p.value, 2 * SIM_US);
        } else {
            assert_int_equal(sim_perturb_count(sim), 0);
        }
        sim_free(sim);
    }
}

static void a_stimulus_moves_within_its_jitter_never_into_the_past(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_STIM, SIM_PERTURB_ANY_BOARD,
                                      0, -3000), 0);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_STIM, SIM_PERTURB_ANY_BOARD,
                                      2, 5000), 0);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_STIM, SIM_PERTURB_ANY_BOARD,
                                      3, -9000), 0);
    assert_int_equal(sim_perturb_stimulus(sim, SIM_MS, 10 * SIM_US), SIM_MS - 3000);
    assert_int_equal(sim_perturb_stimulus(sim, SIM_MS, 10 * SIM_US), SIM_MS);
    assert_int_equal(sim_perturb_stimulus(sim, SIM_MS, 2000), SIM_MS + 2000);
    assert_int_equal(sim_perturb_stimulus(sim, 1000, SIM_MS), 0);
    /* no jitter declared: not a point (point 4 would be the next one) */
    assert_int_equal(sim_perturb_stimulus(sim, 7, 0), 7);
    assert_int_equal(sim_perturb_count(sim), 3);
    sim_free(sim);
}

/* The same seed takes the same decisions; every order decision is within
 * the batch and every stimulus within its jitter. */
static void random_draws_are_reproducible_and_in_range(void **state)
{
    (void)state;
    sim_perturb_t first[64];
    size_t nfirst = 0;
    for (int run = 0; run < 2; run++) {
        sim_t *sim = sim_new(1);
        assert_int_equal(sim_explore_random(sim, 42, 500), 0);
        for (int i = 0; i < 64; i++) {
            uint64_t t = sim_perturb_stimulus(sim, SIM_MS, 4000);
            assert_true(t >= SIM_MS - 4000 && t <= SIM_MS + 4000);
        }
        size_t n = sim_perturb_count(sim);
        assert_true(n > 10 && n < 54); /* about half of 64 */
        for (size_t i = 0; i < n; i++) {
            sim_perturb_t p;
            assert_int_equal(sim_perturb_get(sim, i, &p), 0);
            assert_true(p.value != 0 && p.value >= -4000 && p.value <= 4000);
            if (run == 0)
                first[nfirst++] = p;
            else
                assert_memory_equal(&first[i], &p, sizeof p);
        }
        if (run == 1)
            assert_int_equal(n, nfirst);
        sim_free(sim);
    }
}

/* Two boards with a task due at 0 (spawned) and at 10 ms: b0 steps first
 * unless a decision lets b1 go first.  Point 0 is the instant 0, point 1
 * the instant 10 ms; without sim_perturb_boards there are no points. */
static void boards_due_at_one_instant_may_swap(void **state)
{
    (void)state;
    for (uint32_t point = 0; point < 4; point++) {
        sim_t *sim = sim_new(1);
        sim_board_t *b0 = sim_board_new(sim, "b0", 0);
        sim_board_t *b1 = sim_board_new(sim, "b1", 0);
        st_task_t t0, t1;
        st_reset();
        st_spawn(b0, &t0, sleeper, "on b0", 10, 0, NULL);
        st_spawn(b1, &t1, sleeper, "on b1", 10, 0, NULL);
        /* run 3: point 1 again, but the order was not declared free */
        uint32_t planned = point == 3 ? 1 : point;
        sim_perturb_boards(sim, point < 3);
        assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_BOARD,
                                          SIM_PERTURB_ANY_BOARD, planned, 1), 0);
        sim_run_until(sim, 20 * SIM_MS);
        assert_int_equal(st_n, 2);
        /* point 2 does not exist: nothing taken, the default order */
        assert_int_equal(sim_perturb_count(sim), point < 2 ? 1 : 0);
        assert_string_equal(st_log[0].tag, point == 1 ? "on b1" : "on b0");
        assert_string_equal(st_log[1].tag, point == 1 ? "on b0" : "on b1");
        sim_perturb_t p;
        if (point == 1) {
            assert_int_equal(sim_perturb_get(sim, 0, &p), 0);
            assert_int_equal(p.kind, SIM_PERTURB_BOARD);
            assert_int_equal(p.t_ns, 10 * SIM_MS);
        }
        sim_free(sim);
    }
}

static void bad_input_is_refused_with_a_reason(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    assert_int_equal(sim_explore_random(sim, 1, 1001), -1);
    assert_non_null(strstr(sim_last_error(sim), "permille=1001 is out of range 0..1000"));
    assert_int_equal(sim_perturb_plan(sim, 9, 0, 0, 1), -1);
    assert_non_null(strstr(sim_last_error(sim), "kind 9"));
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_ORDER, 0, 0, 0), -1);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_IRQ, 0, 0, -5), -1);
    assert_int_equal(sim_perturb_plan(sim, SIM_PERTURB_ORDER, 0, 0, 1), 0);
    assert_int_equal(sim_explore_random(sim, 1, 10), -1);
    assert_non_null(strstr(sim_last_error(sim), "already replays a plan"));
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_exploration_nothing_moves),
        cmocka_unit_test(a_planned_order_decision_is_taken_and_marked),
        cmocka_unit_test(a_planned_jump_is_clamped_to_the_batch),
        cmocka_unit_test(an_interrupt_in_a_busy_step_is_held_off),
        cmocka_unit_test(the_irq_window_is_the_latency_bound),
        cmocka_unit_test(a_stimulus_moves_within_its_jitter_never_into_the_past),
        cmocka_unit_test(random_draws_are_reproducible_and_in_range),
        cmocka_unit_test(boards_due_at_one_instant_may_swap),
        cmocka_unit_test(bad_input_is_refused_with_a_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
