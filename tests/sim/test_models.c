/*
 * Pin stimuli: pushbutton bounce bounds, NEC frame edge times, replay of
 * VCD and mode2 captures, scripted edges and wired-AND nets.
 */
#include "simtest.h"

/* Edge times and levels of one pin from the trace. */
static size_t pin_edges(sim_t *sim, const sim_pin_t *p, uint64_t *t, int *lv,
                        size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind == SIM_TR_PIN && r->obj == sim_pin_id(p) && n < max) {
            t[n] = r->t_ns;
            lv[n++] = (int)r->arg;
        }
    }
    return n;
}

static void button_bounce_stays_within_bounds(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        sim_t *sim = sim_new(seed);
        sim_board_t *b = sim_board_new(sim, "b0", 0);
        sim_pin_t *p = sim_board_pin(b, 0);
        ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
        sim_button_t *bt = sim_button_new(p, 0);
        sim_button_set_bounce(bt, SIM_MS, 4 * SIM_MS, 5);
        sim_button_click(bt, 100 * SIM_MS, 50 * SIM_MS);
        sim_run_until(sim, SIM_S);
        uint64_t t[64];
        int lv[64];
        size_t n = pin_edges(sim, p, t, lv, 64);
        assert_true(n >= 3); /* pull-up, press, release at least */
        assert_int_equal(t[0], 0);
        assert_int_equal(lv[0], 1);
        size_t releases = 0;
        for (size_t i = 1; i < n; i++) {
            bool in_press = t[i] >= 100 * SIM_MS && t[i] <= 104 * SIM_MS;
            bool in_rel = t[i] >= 150 * SIM_MS && t[i] <= 154 * SIM_MS;
            assert_true(in_press || in_rel);
            assert_int_equal(lv[i], !lv[i - 1]);
            releases += in_rel;
        }
        assert_int_equal(t[1], 100 * SIM_MS); /* first contact exact */
        assert_true(releases >= 1);
        assert_int_equal(lv[n - 1], 1);
        assert_int_equal(sim_pin_level(p), 1);
        assert_true(sim_button_settled_at(bt) <= 154 * SIM_MS);
        sim_free(sim);
    }
}

static void nec_frame_edges_are_exact(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_pin_t *p = sim_pin_new(sim, "ir");
    sim_nec_t *nec = sim_nec_new(p);
    uint64_t end = sim_nec_send(nec, 10 * SIM_MS, 0x7A, 0x1D, 1);
    sim_run_until(sim, SIM_S);
    uint64_t t[200];
    int lv[200];
    size_t n = pin_edges(sim, p, t, lv, 200);
    /* idle 1, frame: 2 + 64 + 2 edges... leader, 32 bits, stop mark */
    assert_int_equal(n, 1 + 2 + 64 + 2 + 4);
    assert_int_equal(t[1], 10 * SIM_MS);
    assert_int_equal(lv[1], 0);
    assert_int_equal(t[2], 19 * SIM_MS);
    assert_int_equal(t[3], 23500 * SIM_US);
    uint32_t bits = 0x7A | (0x85u << 8) | (0x1Du << 16) | (0xE2u << 24);
    uint64_t x = 23500 * SIM_US;
    for (int i = 0; i < 32; i++) {
        assert_int_equal(t[3 + 2 * i], x);
        x += 562500;
        assert_int_equal(t[4 + 2 * i], x);
        x += (bits >> i) & 1 ? 1687500 : 562500;
    }
    assert_int_equal(t[67], x);
    assert_int_equal(t[68], x + 562500);
    /* repeat 108 ms after the frame start */
    assert_int_equal(t[69], 118 * SIM_MS);
    assert_int_equal(t[70], 127 * SIM_MS);
    assert_int_equal(t[71], 129250 * SIM_US);
    assert_int_equal(t[72], 129812500);
    assert_int_equal(end, 129812500);
    assert_int_equal(st_count(sim, SIM_TR_NEC_FRAME, UINT32_MAX), 1);
    assert_int_equal(st_count(sim, SIM_TR_NEC_REPEAT, UINT32_MAX), 1);
    sim_free(sim);
}

static void nec_jitter_is_bounded(void **state)
{
    (void)state;
    sim_t *sim = sim_new(3);
    sim_pin_t *p = sim_pin_new(sim, "ir");
    sim_nec_t *nec = sim_nec_new(p);
    sim_nec_set_jitter(nec, 20 * SIM_US);
    sim_nec_send(nec, 0, 0x1234, 0x56, 0);
    sim_run_until(sim, SIM_S);
    uint64_t t[200];
    int lv[200];
    size_t n = pin_edges(sim, p, t, lv, 200);
    assert_int_equal(n, 1 + 68);
    bool moved = false;
    for (size_t i = 2; i < n; i++) {
        uint64_t d = t[i] - t[i - 1];
        uint64_t nom = i == 2 ? 9 * SIM_MS : i == 3 ? 4500 * SIM_US
                       : lv[i - 1] == 0 ? 562500
                       : (d > SIM_MS ? 1687500 : 562500);
        int64_t e = (int64_t)d - (int64_t)nom;
        assert_true(e >= -20000 && e <= 20000);
        moved |= e != 0;
    }
    assert_true(moved);
    sim_free(sim);
}

static void wired_and_on_open_drain(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0), *b = sim_board_new(sim, "b", 0);
    sim_pin_t *pa = sim_board_pin(a, 0), *pb = sim_board_pin(b, 0);
    sim_wire(pa, pb);
    sim_pin_pull(pa, 1);
    ua_pin_configure(sim_pin_hw(pa), UA_PIN_OPEN_DRAIN);
    ua_pin_configure(sim_pin_hw(pb), UA_PIN_OPEN_DRAIN);
    ua_pin_write(sim_pin_hw(pa), 1);
    ua_pin_write(sim_pin_hw(pb), 1);
    sim_run_until(sim, 10);
    assert_int_equal(sim_pin_level(pa), 1);
    ua_pin_write(sim_pin_hw(pa), 0);
    sim_run_until(sim, 20);
    assert_int_equal(sim_pin_level(pb), 0);
    assert_int_equal(ua_pin_read(sim_pin_hw(pb)), 0);
    ua_pin_write(sim_pin_hw(pa), 1);
    sim_run_until(sim, 30);
    assert_int_equal(sim_pin_level(pb), 1);
    assert_int_equal(sim_pin_contention(pa), 0);
    sim_free(sim);
}

/* A pin written the level it already drives changes nothing, except that
 * a net in contention counts it once more (every resolution does). */
static void rewrites_count_contention_only_while_it_lasts(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0), *b = sim_board_new(sim, "b", 0);
    sim_pin_t *pa = sim_board_pin(a, 0), *pb = sim_board_pin(b, 0);
    sim_wire(pa, pb);
    ua_pin_configure(sim_pin_hw(pa), UA_PIN_OUTPUT);
    ua_pin_configure(sim_pin_hw(pb), UA_PIN_OUTPUT);
    uint64_t t = 0;
    const struct {
        sim_pin_t *pin;
        int level, net;
        uint32_t contention;
    } steps[] = {
        {pa, 1, 0, 1}, /* a high against b low: low wins, one clash */
        {pa, 1, 0, 2}, /* the same again: counted again */
        {pb, 0, 0, 3}, /* b rewrites its low: still a clash */
        {pb, 1, 1, 3}, /* both high: the clash is over */
        {pb, 1, 1, 3}, /* rewrites: nothing */
        {pa, 1, 1, 3},
        {pa, 0, 0, 4}, /* a clash again */
        {pa, 0, 0, 5},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ua_pin_write(sim_pin_hw(steps[i].pin), steps[i].level);
        sim_run_until(sim, t += 10);
        assert_int_equal(sim_pin_level(pa), steps[i].net);
        assert_int_equal(sim_pin_contention(pb), steps[i].contention);
    }
    size_t edges = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++)
        edges += sim_trace_get(sim, i)->kind == SIM_TR_PIN;
    assert_int_equal(edges, 2 * 2); /* up and down, on both pins */
    sim_free(sim);
}

/* Pulls: the net's own wins, else the first pin's (in wiring order) that
 * has one; a driven level wins over any pull. */
static void pull_precedence(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0);
    sim_pin_t *up = sim_board_pin(a, 0), *down = sim_board_pin(a, 1),
              *drv = sim_board_pin(a, 2);
    sim_wire(up, down);
    sim_wire(up, drv);
    ua_pin_configure(sim_pin_hw(down), UA_PIN_INPUT_PULLDOWN);
    ua_pin_configure(sim_pin_hw(up), UA_PIN_INPUT_PULLUP);
    assert_int_equal(sim_pin_level(drv), 1); /* up is first */
    ua_pin_configure(sim_pin_hw(up), UA_PIN_INPUT);
    assert_int_equal(sim_pin_level(drv), 0); /* down is the only one */
    ua_pin_configure(sim_pin_hw(up), UA_PIN_INPUT_PULLUP);
    sim_pin_pull(down, -1); /* the net's own */
    assert_int_equal(sim_pin_level(drv), 0);
    ua_pin_configure(sim_pin_hw(drv), UA_PIN_OUTPUT);
    ua_pin_write(sim_pin_hw(drv), 1);
    sim_run_until(sim, 10);
    assert_int_equal(sim_pin_level(up), 1);
    ua_pin_configure(sim_pin_hw(drv), UA_PIN_OPEN_DRAIN); /* lets go */
    assert_int_equal(sim_pin_level(up), 0);
    ua_pin_write(sim_pin_hw(drv), 0);
    sim_pin_pull(down, 1);
    sim_run_until(sim, 20);
    assert_int_equal(sim_pin_level(up), 0); /* pulls down against the pull */
    assert_int_equal(sim_pin_contention(up), 0);
    sim_free(sim);
}

static void scripted_edges(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_pin_t *p = sim_pin_new(sim, "x");
    sim_source_t *s = sim_source_new(p);
    sim_source_at(s, 1500, 1);
    sim_source_at(s, 2500, 0);
    sim_source_at(s, 2500, 1); /* same instant: last one wins, in order */
    sim_source_at(s, 4000, SIM_Z); /* floating keeps the level */
    sim_run_until(sim, 10000);
    uint64_t t[8];
    int lv[8];
    size_t n = pin_edges(sim, p, t, lv, 8);
    assert_int_equal(n, 3);
    assert_int_equal(t[0], 1500);
    assert_int_equal(t[1], 2500);
    assert_int_equal(lv[1], 0);
    assert_int_equal(t[2], 2500);
    assert_int_equal(sim_pin_level(p), 1);
    sim_free(sim);
}

/* Durations between edges of a replayed capture equal the mode2 file's. */
static void replay_mode2_and_vcd_agree(void **state)
{
    (void)state;
    char m2[512], vcd[512];
    snprintf(m2, sizeof m2, "%s/ir/01567_Power_on.mode2", SIM_DATA_DIR);
    snprintf(vcd, sizeof vcd, "%s/ir/01567_Power_on.vcd", SIM_DATA_DIR);
    FILE *f = fopen(m2, "r");
    if (f == NULL) /* tests/data is in the repository */
        fail_msg("cannot open %s", m2);
    unsigned long dur[256];
    size_t nd = 0;
    char w[16];
    while (nd < 256 && fscanf(f, "%15s %lu", w, &dur[nd]) == 2)
        nd++;
    fclose(f);

    sim_t *sim = sim_new(1);
    sim_pin_t *a = sim_pin_new(sim, "m2"), *b = sim_pin_new(sim, "vcd");
    assert_true(sim_replay_mode2(a, m2, SIM_MS) > 0);
    assert_true(sim_replay_vcd(b, vcd, "ir", SIM_MS) > 0);
    assert_int_equal(sim_replay_vcd(b, "/nonexistent.vcd", NULL, 0), UA_EIO);
    sim_run_until(sim, 2 * SIM_S);
    uint64_t ta[300], tb[300];
    int la[300], lb[300];
    size_t na = pin_edges(sim, a, ta, la, 300);
    size_t nb = pin_edges(sim, b, tb, lb, 300);
    assert_int_equal(na, nd + 2); /* idle high, an edge per duration, idle */
    for (size_t i = 0; i < nd; i++)
        assert_int_equal(ta[i + 2] - ta[i + 1], dur[i] * SIM_US);
    /* The VCD has 20 ms of idle first: its first edge (to 1) is at t0. */
    assert_int_equal(tb[0], SIM_MS);
    assert_int_equal(lb[0], 1);
    assert_int_equal(nb, na);
    for (size_t i = 1; i < nb; i++)
        assert_int_equal(tb[i] - tb[1], ta[i] - ta[1]);
    assert_int_equal(tb[1], 21 * SIM_MS);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(button_bounce_stays_within_bounds),
        cmocka_unit_test(nec_frame_edges_are_exact),
        cmocka_unit_test(nec_jitter_is_bounded),
        cmocka_unit_test(wired_and_on_open_drain),
        cmocka_unit_test(rewrites_count_contention_only_while_it_lasts),
        cmocka_unit_test(pull_precedence),
        cmocka_unit_test(scripted_edges),
        cmocka_unit_test(replay_mode2_and_vcd_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
