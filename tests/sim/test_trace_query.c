/*
 * Trace queries (sim_trace_query): every answer is checked against a plain
 * scan of the whole trace that formats each line with sim_trace_line and
 * looks for the name as a word -- what the scenario verbs did before the
 * index existed -- after each of several runs (the index is incremental),
 * with records that the lazy sort moves before already indexed ones, after
 * a rename, and with a bounded trace that drops its oldest half.
 */
#include <ctype.h>

#include "simtest.h"
#include "sim_internal.h" /* sim__trace: records at chosen times */

/* The reference: name as a word of line (start or white space before;
 * white space, '=' or the end after). */
static bool ref_word(const char *line, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(line, name); p; p = strstr(p + 1, name)) {
        char after = p[nl];
        if ((p == line || isspace((unsigned char)p[-1])) &&
            (after == '\0' || after == '=' || isspace((unsigned char)after)))
            return true;
    }
    return false;
}

static size_t ref_query(sim_t *sim, const sim_trace_query_t *q, uint32_t *out,
                        size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if ((q->kind >= 0 && r->kind != (unsigned)q->kind) || i < q->from ||
            r->t_ns < q->t_lo || r->t_ns > q->t_hi)
            continue;
        if ((q->mask & SIM_TQ_BOARD && r->board != q->board) ||
            (q->mask & SIM_TQ_OBJ && r->obj != q->obj) ||
            (q->mask & SIM_TQ_ARG && r->arg != q->arg) ||
            (q->mask & SIM_TQ_ARG2 && r->arg2 != q->arg2))
            continue;
        if (q->name && q->name[0] && !ref_word(sim_trace_line(sim, r), q->name))
            continue;
        if (n < max)
            out[n] = (uint32_t)i;
        n++;
        if (q->limit && n >= q->limit)
            break;
    }
    return n;
}

static uint32_t want[1 << 16];

static void same_as_ref(sim_t *sim, const sim_trace_query_t *q, int line)
{
    size_t n = ref_query(sim, q, want, sizeof want / sizeof want[0]);
    size_t got = sim_trace_query(sim, q);
    if (got != n)
        fail_msg("line %d: kind %d name %s: %zu matches, the scan finds %zu", line,
                 q->kind, q->name ? q->name : "-", got, n);
    const uint32_t *idx = sim_trace_query_indices(sim);
    const sim_trace_rec_t *rec = sim_trace_query_records(sim);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(idx[i], want[i]);
        assert_memory_equal(&rec[i], sim_trace_get(sim, want[i]), sizeof rec[i]);
    }
}

static sim_trace_query_t Q(int kind, const char *name)
{
    return (sim_trace_query_t){.kind = kind, .name = name, .t_hi = UINT64_MAX};
}

/* A task that toggles a pin every a us, charges b us of CPU per step (so
 * its records land at in-step times past the run's end) and notes i. */
static int toggler(ua_task_t *self)
{
    st_task_t *t = ST(self);
    sim_board_t *b = t->p;
    UA_BEGIN(self, &t->co);
    ua_pin_configure(sim_pin_hw(sim_board_pin(b, 1)), t->b ? UA_PIN_OUTPUT : UA_PIN_INPUT);
    for (t->i = 0;; t->i++) {
        ua_pin_write(sim_pin_hw(sim_board_pin(b, 1)), t->i & 1);
        sim_board_busy_ns(b, (uint64_t)t->b * SIM_US);
        sim_trace_note(t->sim, sim_board_index(b), 7, (uint32_t)t->i, 5);
        UA_AWAIT(ua_sleep_ms(self, (uint32_t)t->a));
    }
    UA_END();
}

static st_task_t tog, tog2;

static sim_t *setup(void)
{
    sim_t *sim = sim_new(3);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_t *c = sim_board_new(sim, "other", 0);
    sim_pin_set_name(sim_board_pin(b, 1), "led");
    sim_wire(sim_board_pin(b, 1), sim_board_pin(c, 1));
    sim_pin_set_name(sim_board_pin(c, 1), "in");
    sim_trace_note_name(sim, 7, "tick");
    sim_board_set_costs(b, 30 * SIM_US, 0);
    st_spawn(b, &tog, toggler, "tog", 1, 250, b);
    st_spawn(c, &tog2, toggler, "tog2", 3, 0, c);
    return sim;
}

static const char *names[] = {
    "led", "in", "tick", "tog", "task1:tog", "pin", "b0", "b1", "pin0", "1",
    "tick 3", "led=1", "resume", "tog2", "0", "250000", "nothing", "",
};

static void check_all(sim_t *sim, int line)
{
    int kinds[] = {-1, UA_TR_RESUME, UA_TR_SUSPEND, UA_TR_TIMER_ARM, SIM_TR_PIN,
                   SIM_TR_NOTE, SIM_TR_STEP, 63};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
            sim_trace_query_t q = Q(kinds[k], names[n]);
            same_as_ref(sim, &q, line);
        }
}

static void names_match_the_scan_as_the_run_goes(void **state)
{
    (void)state;
    sim_t *sim = setup();
    /* run_until ends mid-step: the next run records earlier in-step times
     * after records at later times, and the sort moves them */
    for (uint64_t t = 1; t <= 40; t += 3) {
        sim_run_until(sim, t * SIM_MS + 100 * SIM_US);
        check_all(sim, __LINE__);
    }
    sim_free(sim);
}

static void fields_time_from_and_limit(void **state)
{
    (void)state;
    sim_t *sim = setup();
    sim_run_until(sim, 30 * SIM_MS);
    sim_trace_query_t q = Q(SIM_TR_PIN, NULL);
    q.mask = SIM_TQ_BOARD | SIM_TQ_ARG;
    q.board = 1;
    q.arg = 1;
    same_as_ref(sim, &q, __LINE__);
    assert_true(sim_trace_query(sim, &q) > 5);
    q.t_lo = 10 * SIM_MS;
    q.t_hi = 20 * SIM_MS;
    same_as_ref(sim, &q, __LINE__);
    q.from = sim_trace_count(sim) / 2;
    same_as_ref(sim, &q, __LINE__);
    q.limit = 2;
    same_as_ref(sim, &q, __LINE__);
    assert_int_equal(sim_trace_query(sim, &q), 2);
    sim_trace_query_t n = Q(SIM_TR_NOTE, "tick");
    n.mask = SIM_TQ_ARG2 | SIM_TQ_OBJ;
    n.arg2 = 5;
    n.obj = 7;
    same_as_ref(sim, &n, __LINE__);
    n.arg2 = 6;
    assert_int_equal(sim_trace_query(sim, &n), 0);
    sim_trace_query_t e = Q(SIM_TR_PIN, NULL);
    e.t_lo = 2;
    e.t_hi = 1; /* empty range */
    assert_int_equal(sim_trace_query(sim, &e), 0);
    /* lower_bound: first record at or after t */
    size_t i = sim_trace_lower_bound(sim, 10 * SIM_MS);
    assert_true(i > 0 && i < sim_trace_count(sim));
    assert_true(sim_trace_get(sim, i)->t_ns >= 10 * SIM_MS);
    assert_true(sim_trace_get(sim, i - 1)->t_ns < 10 * SIM_MS);
    assert_int_equal(sim_trace_lower_bound(sim, UINT64_MAX), sim_trace_count(sim));
    assert_int_equal(sim_trace_lower_bound(sim, 0), 0);
    sim_free(sim);
}

static void a_rename_changes_later_answers(void **state)
{
    (void)state;
    sim_t *sim = setup();
    sim_run_until(sim, 10 * SIM_MS);
    sim_trace_query_t q = Q(SIM_TR_PIN, "led");
    size_t before = sim_trace_query(sim, &q);
    assert_true(before > 0);
    /* rename b0's pin 1: every record of it now says "lamp" */
    sim_pin_set_name(sim_board_pin(tog.p, 1), "lamp");
    assert_int_equal(sim_trace_query(sim, &q), 0);
    sim_trace_query_t r = Q(SIM_TR_PIN, "lamp");
    assert_int_equal(sim_trace_query(sim, &r), before);
    same_as_ref(sim, &r, __LINE__);
    sim_trace_note_name(sim, 7, "tock");
    sim_trace_query_t n = Q(SIM_TR_NOTE, "tick");
    assert_int_equal(sim_trace_query(sim, &n), 0);
    sim_run_until(sim, 20 * SIM_MS);
    check_all(sim, __LINE__);
    sim_free(sim);
}

static void a_bounded_trace_drops_and_answers_again(void **state)
{
    (void)state;
    sim_t *sim = setup();
    sim_trace_set_limit(sim, 200);
    for (uint64_t t = 1; t <= 30; t += 7) {
        sim_run_until(sim, t * SIM_MS + 50 * SIM_US);
        check_all(sim, __LINE__);
    }
    assert_true(sim_trace_dropped(sim) > 0);
    sim_free(sim);
}

/* The exporter writes sim_trace_line's text, one record per line. */
static void the_text_export_is_the_lines(void **state)
{
    (void)state;
    sim_t *sim = setup();
    sim_run_until(sim, 15 * SIM_MS);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(sim_export_text_fp(sim, f), 0);
    rewind(f);
    char buf[512];
    size_t i = 0;
    while (fgets(buf, sizeof buf, f)) {
        if (buf[0] == '#')
            continue;
        buf[strcspn(buf, "\n")] = '\0';
        assert_string_equal(buf, sim_trace_line(sim, sim_trace_get(sim, i)));
        i++;
    }
    assert_int_equal(i, sim_trace_count(sim));
    fclose(f);
    sim_free(sim);
}

/* Simulations one after another reuse trace memory: each still sees its
 * own records only. */
static void reused_trace_memory_starts_empty(void **state)
{
    (void)state;
    size_t first = 0;
    for (int k = 0; k < 3; k++) {
        sim_t *empty = sim_new(1); /* on the memory of the previous one */
        sim_run_until(empty, SIM_MS);
        assert_int_equal(sim_trace_count(empty), 0);
        sim_free(empty);
        sim_t *sim = setup();
        sim_run_until(sim, 20 * SIM_MS);
        if (k == 0)
            first = sim_trace_count(sim);
        assert_int_equal(sim_trace_count(sim), first);
        check_all(sim, __LINE__);
        sim_free(sim);
    }
}

/* The trace's order is a stable sort by time of the order of writing,
 * whatever the distance a record moves back (a long step's records are
 * written before the events in between) and however the sorting is split
 * between writing and reading. */
static int by_time_then_seq(const void *a, const void *b)
{
    const sim_trace_rec_t *x = a, *y = b;
    if (x->t_ns != y->t_ns)
        return x->t_ns < y->t_ns ? -1 : 1;
    return (x->arg2 > y->arg2) - (x->arg2 < y->arg2);
}

static void the_sort_is_stable_by_time(void **state)
{
    (void)state;
    enum { N = 30000 };
    static sim_trace_rec_t want[N];
    sim_t *sim = sim_new(1);
    uint64_t x = 12345, base = 0;
    for (uint32_t i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        unsigned r = (unsigned)(x >> 33);
        base += r % 3;                     /* mostly forward, often equal */
        /* some far back, some a few dozen records back: the sort moves
         * those one place at a time up to a bound, the others as a block */
        uint64_t back = r % 7 == 0   ? (r >> 3) % 5000
                        : r % 5 == 0 ? (r >> 3) % 80
                                     : 0;
        uint64_t t = base > back ? base - back : 0;
        sim__trace(sim, t, SIM_TR_NOTE, 0, 1, 0, i);
        want[i] = (sim_trace_rec_t){.t_ns = t, .kind = SIM_TR_NOTE, .obj = 1,
                                    .arg2 = i};
        if (i % 7919 == 0) /* a reader in the middle sorts what is there */
            assert_int_equal(sim_trace_count(sim), i + 1);
    }
    qsort(want, N, sizeof want[0], by_time_then_seq);
    assert_int_equal(sim_trace_count(sim), N);
    for (size_t i = 0; i < N; i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->t_ns != want[i].t_ns || r->arg2 != want[i].arg2)
            fail_msg("record %zu: t %llu seq %u, want t %llu seq %u", i,
                     (unsigned long long)r->t_ns, r->arg2,
                     (unsigned long long)want[i].t_ns, want[i].arg2);
    }
    sim_free(sim);
}

/* Rare kinds among many records, some written far back (across blocks of
 * the per-block kind masks), others a few places back over a block's
 * start: every kind's answer is the scan's, asked as the trace grows --
 * unbounded, and bounded (each drop moves the records to other blocks). */
static void rare_kinds_in(size_t limit)
{
    sim_t *sim = sim_new(1);
    sim_trace_set_limit(sim, limit);
    uint64_t x = 99, base = 0;
    const int kinds[] = {SIM_TR_PIN, SIM_TR_NOTE, SIM_TR_STEP, SIM_TR_POWER};
    for (uint32_t i = 0; i < 20000; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        unsigned r = (unsigned)(x >> 33);
        base += 1 + r % 2;
        unsigned kind = r % 2003 == 0  ? SIM_TR_NOTE
                        : r % 997 == 0 ? SIM_TR_STEP
                        : r % 13 == 0  ? SIM_TR_POWER
                                       : SIM_TR_PIN;
        uint64_t back = kind == SIM_TR_STEP    ? (r >> 4) % 6000
                        : kind == SIM_TR_POWER ? (r >> 4) % 60
                                               : 0;
        sim__trace(sim, base > back ? base - back : 0, kind, 0, 1, 0, i);
        if (i % 2999 == 0 || i == 19999)
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
                sim_trace_query_t q = Q(kinds[k], NULL);
                same_as_ref(sim, &q, __LINE__);
            }
    }
    assert_true(limit == 0 || sim_trace_dropped(sim) > 0);
    sim_free(sim);
}

static void rare_kinds_are_found_wherever_the_sort_puts_them(void **state)
{
    (void)state;
    rare_kinds_in(0);
    rare_kinds_in(5000);
    rare_kinds_in(2 * 1536 + 2); /* keeps 1537: not a whole block */
}

/* A note that ends a block of 1024 records is pushed into the next block
 * by a record that goes back past it: far (moved as a block), then near
 * (moved place by place). */
static void a_note_pushed_into_the_next_block_is_found(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    uint64_t t = 1000;
    for (uint32_t i = 0; i < 1023; i++)
        sim__trace(sim, t++, SIM_TR_PIN, 0, 1, 0, i);
    sim__trace(sim, t++, SIM_TR_NOTE, 0, 1, 0, 1023); /* index 1023 */
    sim__trace(sim, 0, SIM_TR_PIN, 0, 1, 0, 1024);    /* goes first */
    sim_trace_query_t q = Q(SIM_TR_NOTE, NULL);
    same_as_ref(sim, &q, __LINE__);
    assert_int_equal(sim_trace_query_indices(sim)[0], 1024);
    while (sim_trace_count(sim) < 2047)
        sim__trace(sim, t++, SIM_TR_PIN, 0, 1, 0, 0);
    sim__trace(sim, t, SIM_TR_NOTE, 0, 1, 0, 2047);   /* index 2047 */
    sim__trace(sim, t - 5, SIM_TR_PIN, 0, 1, 0, 2048); /* 5 places back */
    same_as_ref(sim, &q, __LINE__);
    assert_int_equal(sim_trace_query_indices(sim)[1], 2048);
    sim_free(sim);
}

/* Thousands of distinct records, half of them named "tick": the memo of
 * a name's matches grows, then starts over, and answers as the scan. */
static void a_name_among_many_distinct_records(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_trace_note_name(sim, 1, "tick");
    sim_trace_note_name(sim, 2, "tock");
    for (uint32_t i = 0; i < 5000; i++) {
        sim__trace(sim, i, SIM_TR_NOTE, 0, 1 + i % 2, i, 0);
        if (i % 1000 == 999) {
            sim_trace_query_t q = Q(SIM_TR_NOTE, "tick");
            same_as_ref(sim, &q, __LINE__);
            q = Q(-1, "tock");
            same_as_ref(sim, &q, __LINE__);
        }
    }
    sim_trace_query_t q = Q(SIM_TR_NOTE, "tick");
    assert_int_equal(sim_trace_query(sim, &q), 2500);
    sim_free(sim);
}

static void board_names(void **state)
{
    (void)state;
    sim_t *sim = setup();
    assert_string_equal(sim_trace_board_name(sim, 0), "b0");
    assert_string_equal(sim_trace_board_name(sim, 1), "other");
    assert_null(sim_trace_board_name(sim, 2));
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_match_the_scan_as_the_run_goes),
        cmocka_unit_test(fields_time_from_and_limit),
        cmocka_unit_test(a_rename_changes_later_answers),
        cmocka_unit_test(a_bounded_trace_drops_and_answers_again),
        cmocka_unit_test(the_text_export_is_the_lines),
        cmocka_unit_test(reused_trace_memory_starts_empty),
        cmocka_unit_test(board_names),
        cmocka_unit_test(the_sort_is_stable_by_time),
        cmocka_unit_test(rare_kinds_are_found_wherever_the_sort_puts_them),
        cmocka_unit_test(a_note_pushed_into_the_next_block_is_found),
        cmocka_unit_test(a_name_among_many_distinct_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
