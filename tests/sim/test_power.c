/*
 * Power accounting (sim.h, "Power and energy"): every figure checked
 * against a hand computation on a small run, the trace's power records at
 * exact virtual times, interrupts waking a sleeping board, loads, and the
 * refusal of bad input.
 */
#include <math.h>

#include "gps_model.h"
#include "simtest.h"

#define MA_MS_TO_MAH(x) ((x) / 3600000.0) /* mA x ms -> mAh */

/* Power records of the trace: (time, obj, arg). */
typedef struct prec {
    uint64_t t;
    uint32_t obj, arg;
} prec_t;

static size_t power_recs(sim_t *sim, unsigned board, prec_t *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind != SIM_TR_POWER || r->board != board)
            continue;
        assert_true(n < max);
        out[n++] = (prec_t){r->t_ns, r->obj, r->arg};
    }
    return n;
}

static void expect_recs(sim_t *sim, unsigned board, const prec_t *want,
                        size_t n)
{
    prec_t got[64];
    size_t k = power_recs(sim, board, got, 64);
    bool same = k == n;
    for (size_t i = 0; same && i < n; i++)
        same = got[i].t == want[i].t && got[i].obj == want[i].obj &&
               got[i].arg == want[i].arg;
    if (!same) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "# want %llu obj %u arg %u\n",
                    (unsigned long long)want[i].t, want[i].obj, want[i].arg);
        for (size_t i = 0; i < k; i++)
            fprintf(stderr, "# got  %llu obj %u arg %u\n",
                    (unsigned long long)got[i].t, got[i].obj, got[i].arg);
        fail_msg("power records differ");
    }
}

#define EXPECT_RECS(sim, board, ...)                                           \
    do {                                                                       \
        const prec_t w__[] = {__VA_ARGS__};                                    \
        expect_recs(sim, board, w__, sizeof w__ / sizeof w__[0]);              \
    } while (0)

/* A task that works 1 ms, sleeps 2 ms (too short for deep sleep), switches
 * the LED on, sleeps 10 ms (deep), switches it off and ends. */
static int worker(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    ua_delay_us(900); /* + the 100 us step cost: busy [0, 1 ms) */
    UA_AWAIT(ua_sleep_ms(self, 2));  /* deadline 3 ms */
    ua_pin_write(t->p, 1);           /* at 3.1 ms: after the step cost */
    UA_AWAIT(ua_sleep_ms(self, 10)); /* deadline 13.1 ms */
    ua_pin_write(t->p, 0);           /* at 13.2 ms */
    UA_END();
}

/*
 * By hand, with run 10 mA, idle 2 mA, deep 0.5 mA, deep sleep from 5 ms:
 *   run   [0, 1) [3, 3.1) [13.1, 13.2)         1.2 ms   12.0 mA ms
 *   idle  [1, 3)  (2 ms to the deadline)       2.0 ms    4.0 mA ms
 *   deep  [3.1, 13.1) [13.2, 20)               16.8 ms   8.4 mA ms
 *   led   20 mA over [3.1, 13.2)               10.1 ms  202.0 mA ms
 *   aux   5 mA [0, 4), 0 [4, 10), 1 mA [10, 20)         30.0 mA ms
 * total 256.4 mA ms over 20 ms: 12.82 mA average, 256.4 / 3.6e6 mAh.
 * Wake-ups: the first step (the board sleeps until its first work), then
 * at 3 ms and 13.1 ms.
 */
static void figures_match_a_hand_computation(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 100 * SIM_US, 0);
    assert_int_equal(sim_board_set_power(b, 10.0, 2.0, 0.5, 5 * SIM_MS), 0);
    sim_pin_t *led = sim_board_pin(b, 2);
    ua_pin_configure(sim_pin_hw(led), UA_PIN_OUTPUT);
    sim_power_load_t *l_led = sim_power_pin_load(b, led, "led", 0.0, 20.0);
    assert_non_null(l_led);
    sim_power_load_t *aux = sim_power_load_new(b, "aux", 5.0);
    assert_non_null(aux);
    assert_int_equal(sim_power_load_set_at(aux, 4 * SIM_MS, 0.0), 0);
    assert_int_equal(sim_power_load_set_at(aux, 10 * SIM_MS, 1.0), 0);
    st_task_t w;
    st_spawn(b, &w, worker, "worker", 0, 0, sim_pin_hw(led));

    sim_run_until(sim, 20 * SIM_MS);

    sim_power_stats_t st;
    sim_board_power_stats(b, &st);
    assert_int_equal(st.state_ns[SIM_POWER_RUN], 1200 * SIM_US);
    assert_int_equal(st.state_ns[SIM_POWER_IDLE], 2 * SIM_MS);
    assert_int_equal(st.state_ns[SIM_POWER_DEEP], 16800 * SIM_US);
    assert_int_equal(st.total_ns, 20 * SIM_MS);
    assert_int_equal(st.wakeups, 3);
    assert_true(fabs(st.cpu_mah - MA_MS_TO_MAH(24.4)) < 1e-15);
    assert_true(fabs(sim_power_load_mah(l_led) - MA_MS_TO_MAH(202.0)) < 1e-15);
    assert_true(fabs(sim_power_load_mah(aux) - MA_MS_TO_MAH(30.0)) < 1e-15);
    assert_true(fabs(st.loads_mah - MA_MS_TO_MAH(232.0)) < 1e-15);
    assert_true(fabs(st.mah - MA_MS_TO_MAH(256.4)) < 1e-15);
    assert_true(fabs(st.avg_ma - 12.82) < 1e-9);
    assert_int_equal(sim_board_power_state(b), SIM_POWER_DEEP);

    EXPECT_RECS(sim, 0,
                {0, 1, 0},                       /* led off */
                {0, 2, 5000},                    /* aux 5 mA */
                {0, 0, SIM_POWER_RUN},
                {1 * SIM_MS, 0, SIM_POWER_IDLE},
                {3 * SIM_MS, 0, SIM_POWER_RUN},
                {3100 * SIM_US, 1, 20000},       /* led on */
                {3100 * SIM_US, 0, SIM_POWER_DEEP},
                {4 * SIM_MS, 2, 0},
                {10 * SIM_MS, 2, 1000},
                {13100 * SIM_US, 0, SIM_POWER_RUN},
                {13200 * SIM_US, 1, 0},
                {13200 * SIM_US, 0, SIM_POWER_DEEP});

    /* Running on adds to the open period; its record is not repeated. */
    sim_run_until(sim, 30 * SIM_MS);
    sim_board_power_stats(b, &st);
    assert_int_equal(st.state_ns[SIM_POWER_DEEP], 26800 * SIM_US);
    assert_int_equal(power_recs(sim, 0, (prec_t[64]){0}, 64), 12);
    sim_free(sim);
}

/* The same board without deep sleep: every idle period is WFI. */
static void without_deep_sleep_every_idle_is_wfi(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 100 * SIM_US, 0);
    sim_pin_t *led = sim_board_pin(b, 2);
    ua_pin_configure(sim_pin_hw(led), UA_PIN_OUTPUT);
    st_task_t w;
    st_spawn(b, &w, worker, "worker", 0, 0, sim_pin_hw(led));
    sim_run_until(sim, 20 * SIM_MS);
    sim_power_stats_t st;
    sim_board_power_stats(b, &st);
    assert_int_equal(st.state_ns[SIM_POWER_RUN], 1200 * SIM_US);
    assert_int_equal(st.state_ns[SIM_POWER_IDLE], 18800 * SIM_US);
    assert_int_equal(st.state_ns[SIM_POWER_DEEP], 0);
    /* the defaults: 10.75 mA running, 3 mA in WFI */
    double want = 1.2 * SIM_POWER_DEFAULT_RUN_MA + 18.8 * SIM_POWER_DEFAULT_IDLE_MA;
    assert_true(fabs(st.mah - MA_MS_TO_MAH(want)) < 1e-15);
    sim_free(sim);
}

/* --- an interrupt wakes a sleeping board ----------------------------------- */

static int flag_waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, &t->flag, UA_FOREVER));
    UA_AWAIT(ua_flag_wait(self, &t->flag, UA_FOREVER));
    UA_END();
}

/* Nothing is due: the board sleeps deep until the edges at 5 ms and 9 ms;
 * each runs a 20 us handler, then the waiter's 10 us step. */
static void an_interrupt_wakes_the_board(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 10 * SIM_US, 20 * SIM_US);
    assert_int_equal(sim_board_set_power(b, 10.0, 2.0, 0.5, 1 * SIM_MS), 0);
    st_task_t w;
    st_spawn(b, &w, flag_waiter, "waiter", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    sim_pin_t *p = sim_board_pin(b, 3);
    ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(p), UA_EDGE_BOTH, st_flag_isr, &w);
    sim_source_t *src = sim_source_new(p);
    sim_source_at(src, 5 * SIM_MS, 0);
    sim_source_at(src, 9 * SIM_MS, 1);
    sim_run_until(sim, 10 * SIM_MS);

    sim_power_stats_t st;
    sim_board_power_stats(b, &st);
    assert_int_equal(st.state_ns[SIM_POWER_RUN], 70 * SIM_US);
    assert_int_equal(st.state_ns[SIM_POWER_IDLE], 0);
    assert_int_equal(st.wakeups, 3);
    EXPECT_RECS(sim, 0,
                {0, 0, SIM_POWER_RUN},
                {10 * SIM_US, 0, SIM_POWER_DEEP},
                {5 * SIM_MS, 0, SIM_POWER_RUN},
                {5030 * SIM_US, 0, SIM_POWER_DEEP},
                {9 * SIM_MS, 0, SIM_POWER_RUN},
                {9030 * SIM_US, 0, SIM_POWER_DEEP});
    sim_free(sim);
}

/* --- a GPS receiver's supply current ---------------------------------------- */

/* Acquiring (25 mA) until the track's first point at 2 s, tracking (20 mA)
 * after; a standby command sent at 4.5 s (0.2 mA once its LF is in) and a
 * byte sent at 5.5 s that wakes it (20 mA once received).  The charge is
 * the sum of the four periods, with the two UART arrival times read from
 * the trace (bounded by the frames' length at 9600 baud). */
static void gps_draws_by_state(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *u = sim_board_uart(b, 0, 9600);
    static const gps_model_point_t track[] = {
        {2000, 51.0, 0.0, 10.0, 0.0, 0.0}, {9000, 51.0, 0.0, 10.0, 0.0, 0.0}};
    static gps_model_t m;
    gps_model_init(&m, sim, u, track, 2);
    gps_model_listen(&m, u); /* its RX line: m.rx */
    gps_model_start(&m, 0);
    assert_non_null(m.power);
    static const char standby[] = "$PMTK161,0*28\r\n";
    sim_uart_feed(m.rx, 4500 * SIM_MS, (const uint8_t *)standby, sizeof standby - 1);
    sim_uart_feed(m.rx, 5500 * SIM_MS, (const uint8_t *)"x", 1);
    sim_run_until(sim, 7000 * SIM_MS);
    /* 16 bytes of 10 bits at 9600 baud: the LF ends 16.7 ms after 4.5 s;
     * the wake byte ends 1.04 ms after 5.5 s */
    prec_t r[64];
    size_t n = power_recs(sim, 0, r, 64);
    uint64_t t_cmd = 0, t_wake = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].obj == 1 && r[i].arg == 200)
            t_cmd = r[i].t;
        if (r[i].obj == 1 && r[i].arg == 20000 && r[i].t > 5 * SIM_S)
            t_wake = r[i].t;
    }
    assert_true(t_cmd > 4500 * SIM_MS && t_cmd < 4520 * SIM_MS);
    assert_true(t_wake > 5500 * SIM_MS && t_wake < 5502 * SIM_MS);
    double want = 25.0 * 2000 + 20.0 * ((double)(t_cmd - 2 * SIM_S) / SIM_MS) +
                  0.2 * ((double)(t_wake - t_cmd) / SIM_MS) +
                  20.0 * ((double)(7 * SIM_S - t_wake) / SIM_MS);
    assert_true(fabs(sim_power_load_mah(m.power) - MA_MS_TO_MAH(want)) < 1e-12);
    EXPECT_RECS(sim, 0, {0, 1, 25000}, {0, 0, SIM_POWER_IDLE},
                {2 * SIM_S, 1, 20000}, {t_cmd, 1, 200}, {t_wake, 1, 20000});
    sim_free(sim);
}

/* --- bad input ----------------------------------------------------------------- */

static void bad_currents_and_names_are_refused(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    assert_int_equal(sim_board_set_power(b, -1.0, 2.0, 0.5, 0), UA_EINVAL);
    assert_non_null(strstr(sim_last_error(sim), "run current -1 mA out of range [0, 10000]"));
    assert_int_equal(sim_board_set_power(b, 1.0, NAN, 0.5, 0), UA_EINVAL);
    assert_non_null(strstr(sim_last_error(sim), "idle current"));
    assert_int_equal(sim_board_set_power(b, 1.0, 2.0, 1e9, 0), UA_EINVAL);
    assert_non_null(strstr(sim_last_error(sim), "deep current"));
    assert_null(sim_power_load_new(b, "two words", 1.0));
    assert_non_null(strstr(sim_last_error(sim), "power load name 'two words'"));
    assert_null(sim_power_load_new(b, "", 1.0));
    assert_null(sim_power_load_new(b, "gps", -0.1));
    assert_non_null(strstr(sim_last_error(sim), "gps current -0.1 mA"));
    sim_power_load_t *l = sim_power_load_new(b, "gps", 25.0);
    assert_int_equal(sim_power_load_set(l, INFINITY), UA_EINVAL);
    assert_int_equal(sim_power_load_set_at(l, SIM_MS, -5.0), UA_EINVAL);
    assert_true(sim_power_load_ma(l) == 25.0); /* unchanged */
    /* refused settings changed nothing: the defaults still apply */
    sim_run_until(sim, 1 * SIM_MS);
    sim_power_stats_t st;
    sim_board_power_stats(b, &st);
    assert_true(fabs(st.cpu_mah - MA_MS_TO_MAH(SIM_POWER_DEFAULT_IDLE_MA)) < 1e-15);
    sim_free(sim);
}

/* The summary prints the same figures. */
static void summary_prints_the_figures(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 100 * SIM_US, 0);
    assert_int_equal(sim_board_set_power(b, 10.0, 2.0, 0.5, 5 * SIM_MS), 0);
    sim_pin_t *led = sim_board_pin(b, 2);
    ua_pin_configure(sim_pin_hw(led), UA_PIN_OUTPUT);
    sim_power_pin_load(b, led, "led", 0.0, 20.0);
    st_task_t w;
    st_spawn(b, &w, worker, "worker", 0, 0, sim_pin_hw(led));
    sim_run_until(sim, 20 * SIM_MS);
    char buf[2048] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_int_equal(sim_print_power_summary(sim, f), 1);
    fclose(f);
    /* mAh by hand: 12, 4, 8.4, 202 and 226.4 mA ms over 3.6e6 */
    const char *want =
        "# power at 20.000000 ms\n"
        "# board    part                     ms   share         mA            mAh\n"
        "  b0       run                1.200000   6.00%     10.000    0.000003333\n"
        "  b0       idle               2.000000  10.00%      2.000    0.000001111\n"
        "  b0       deep              16.800000  84.00%      0.500    0.000002333\n"
        "  b0       led                                     10.100    0.000056111  (load, average)\n"
        "  b0       total             20.000000             11.320    0.000062889  (average; 3 wake-ups)\n";
    if (strcmp(buf, want) != 0)
        fail_msg("summary:\n%s\nwanted:\n%s", buf, want);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_match_a_hand_computation),
        cmocka_unit_test(without_deep_sleep_every_idle_is_wfi),
        cmocka_unit_test(an_interrupt_wakes_the_board),
        cmocka_unit_test(gps_draws_by_state),
        cmocka_unit_test(bad_currents_and_names_are_refused),
        cmocka_unit_test(summary_prints_the_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
