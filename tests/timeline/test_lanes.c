/*
 * Records -> task lanes: ready spans start when the task became ready, as
 * the wake records say; an ISR flag's wake-up is never pinned on another
 * source's interrupt.  The traces are shaped like the demo's: the GPS
 * UART interrupts at 0.5 s while the IR task waits on its flag, and the IR
 * edge at 5 s wakes it at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tl_font.h"
#include "tl_render.h"
#include "tl_trace.h"

#define MS 1000000ull

static tl_trace_t *parse(const char *text)
{
    tl_trace_t *tr = tl_trace_new();
    char line[256];
    while (*text) {
        size_t n = strcspn(text, "\n");
        assert_true(n < sizeof line);
        memcpy(line, text, n);
        line[n] = '\0';
        if (tl_trace_parse_line(tr, line) != 0)
            fail_msg("cannot read: %s", line);
        text += n + (text[n] == '\n');
    }
    tl_trace_finish(tr);
    return tr;
}

static const tl_lane_t *lane(const tl_trace_t *tr, const char *name)
{
    for (size_t i = 0; i < tr->nlanes; i++)
        if (strcmp(tr->lanes[i].name, name) == 0)
            return &tr->lanes[i];
    fail_msg("no lane %s", name);
    return NULL;
}

static size_t count_state(const tl_lane_t *l, int st)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->items[i].val == st;
    return n;
}

#define DEMO_HEAD                                          \
    "# uasync sim trace v1 seed=1 records=20\n"            \
    "# scenario demo\n"                                    \
    "# end 6000000.000\n"                                  \
    "# board b0 board start_tick=0\n"                      \
    "# task 1 nec_ir\n"                                    \
    "# task 2 gps\n"                                       \
    "# pin 0 button\n"                                     \
    "# pin 1 ir\n"                                         \
    "0.000 pin        b0 pin1 ir=1\n"                      \
    "0.000 spawn      b0 task1:nec_ir 0\n"                 \
    "0.000 spawn      b0 task2:gps 0\n"                    \
    "0.000 resume     b0 task1:nec_ir 0\n"                 \
    "0.000 suspend    b0 task1:nec_ir 8\n"                 \
    "0.000 resume     b0 task2:gps 0\n"                    \
    "0.000 suspend    b0 task2:gps 8\n"                    \
    "500000.000 irq_enter  b0 uart 0\n"                    \
    "500000.000 irq_exit   b0 uart 0\n"                    \
    "500000.000 uart_rx    b0 uart0 0x24 dur=1041666\n"    \
    "500000.000 wake       b0 task2:gps 2 by uart0\n"      \
    "500000.000 flag_set   b0 task2:gps 0\n"               \
    "500000.000 resume     b0 task2:gps 2\n"               \
    "500000.000 suspend    b0 task2:gps 8\n"               \
    "5000000.000 pin        b0 pin1 ir=0\n"                \
    "5000000.000 irq_enter  b0 pin 1 ir\n"                 \
    "5000000.000 irq_exit   b0 pin 1 ir\n"

/* The IR task was blocked on its flag from 0 to 5 s and resumed at the
 * instant the IR edge set it: no ready span at all, in particular none from
 * the UART's interrupt at 0.5 s. */
static void isr_flag_wake_is_not_another_sources_interrupt(void **state)
{
    (void)state;
    tl_trace_t *tr = parse(DEMO_HEAD
                           "5000000.000 flag_set   b0 task1:nec_ir 0\n"
                           "5000000.000 wake       b0 task1:nec_ir 2 by pin1:ir\n"
                           "5000000.000 resume     b0 task1:nec_ir 2\n"
                           "5000000.000 suspend    b0 task1:nec_ir 4\n");
    assert_string_equal(tr->scenario, "demo");
    assert_int_equal(tr->t_end, 6000 * MS);
    const tl_lane_t *ir = lane(tr, "nec_ir");
    assert_int_equal(count_state(ir, TL_ST_READY), 0);
    assert_int_equal(ir->items[0].val, TL_ST_RUN);
    assert_int_equal(ir->items[1].val, TL_ST_BLOCKED);
    assert_int_equal(ir->items[1].t0, 0);
    assert_int_equal(ir->items[1].t1, 5000 * MS);
    assert_int_equal(ir->items[2].val, TL_ST_RUN);
    assert_int_equal(ir->items[2].t0, 5000 * MS);
    /* the record kept who woke it, and the pin line its id */
    const tl_rec_t *w = NULL;
    for (size_t i = 0; i < tr->nrec; i++)
        if (tr->recs[i].kind == UA_TR_WAKE && tr->recs[i].obj == 1)
            w = &tr->recs[i];
    assert_non_null(w);
    assert_int_equal(w->arg, 2);
    assert_int_equal(w->arg2, SIM_WAKE_BY(SIM_SRC_PIN, 1));
    assert_int_equal(tr->recs[0].obj, 1);
    assert_string_equal(lane(tr, "ir")->name, "ir");
    /* the UART frame length came from dur= */
    const tl_lane_t *rx = lane(tr, "uart0 rx");
    assert_int_equal(rx->items[0].t1 - rx->items[0].t0, 1041666);
    assert_int_equal(rx->items[0].flags & TL_F_GUESS, 0);
    tl_trace_free(tr);
}

/* The same trace from before wake records: the flag_set record is all
 * there is, so the ready span starts there (here: none). */
static void old_trace_isr_flag_is_ready_at_its_flag_set(void **state)
{
    (void)state;
    tl_trace_t *tr = parse(DEMO_HEAD
                           "5000000.000 flag_set   b0 task1:nec_ir 0\n"
                           "5000000.000 resume     b0 task1:nec_ir 2\n"
                           "5000000.000 suspend    b0 task1:nec_ir 4\n");
    assert_int_equal(count_state(lane(tr, "nec_ir"), TL_ST_READY), 0);
    tl_trace_free(tr);

    /* a hog delays the pass that sees the flag: ready from the flag_set */
    tr = parse(DEMO_HEAD
               "5000000.000 spawn      b0 task3:hog 0\n"
               "5000000.000 resume     b0 task3:hog 0\n"
               "5000000.000 step       b0 task3:hog 30000000\n"
               "5030000.000 flag_set   b0 task1:nec_ir 0\n"
               "5030000.000 done       b0 task3:hog 0\n"
               "5040000.000 resume     b0 task1:nec_ir 2\n"
               "5040000.000 suspend    b0 task1:nec_ir 4\n");
    const tl_lane_t *ir = lane(tr, "nec_ir");
    assert_int_equal(count_state(ir, TL_ST_READY), 1);
    assert_int_equal(ir->items[2].val, TL_ST_READY);
    assert_int_equal(ir->items[2].t0, 5030 * MS);
    assert_int_equal(ir->items[2].t1, 5040 * MS);
    tl_trace_free(tr);
}

/* With wake records the ready span starts at the interrupt (its time is
 * the wake's), and says who woke the task. */
static void ready_span_starts_at_the_wake(void **state)
{
    (void)state;
    tl_trace_t *tr = parse(DEMO_HEAD
                           "5000000.000 wake       b0 task1:nec_ir 2 by pin1:ir\n"
                           "5000000.000 spawn      b0 task3:hog 0\n"
                           "5000000.000 resume     b0 task3:hog 0\n"
                           "5000000.000 step       b0 task3:hog 30000000\n"
                           "5030000.000 flag_set   b0 task1:nec_ir 0\n"
                           "5030000.000 wake       b0 task2:gps 1 by task3:hog\n"
                           "5030000.000 done       b0 task3:hog 0\n"
                           "5030000.000 resume     b0 task1:nec_ir 2\n"
                           "5030000.000 suspend    b0 task1:nec_ir 4\n"
                           "5030000.000 resume     b0 task2:gps 1\n"
                           "5030000.000 suspend    b0 task2:gps 8\n");
    const tl_lane_t *ir = lane(tr, "nec_ir");
    assert_int_equal(count_state(ir, TL_ST_READY), 1);
    const tl_item_t *it = &ir->items[2];
    assert_int_equal(it->val, TL_ST_READY);
    assert_int_equal(it->t0, 5000 * MS);
    assert_int_equal(it->t1, 5030 * MS);
    char d[200];
    tl_item_describe(tr, ir, it, d, sizeof d);
    assert_string_equal(d, "nec_ir ready (waiting for CPU) for 30 ms at 5 s, "
                           "woken by the pin1 ir interrupt");
    /* a wake by a task at the instant it ran: no span, but the record */
    const tl_lane_t *gps = lane(tr, "gps");
    assert_int_equal(count_state(gps, TL_ST_READY), 0);
    tl_trace_free(tr);
}

static void wake_by_a_task_and_i2c_slave_interrupts(void **state)
{
    (void)state;
    tl_trace_t *tr = parse("# task 1 waiter\n"
                           "# task 2 setter\n"
                           "0.000 spawn      b0 task1:waiter 0\n"
                           "0.000 resume     b0 task1:waiter 0\n"
                           "0.000 suspend    b0 task1:waiter 5\n"
                           "100.000 irq_enter  b0 i2cs 0\n"
                           "100.500 irq_exit   b0 i2cs 0\n"
                           "1000.000 resume     b0 task2:setter 0\n"
                           "1000.000 step       b0 task2:setter 700000\n"
                           "1300.000 wake       b0 task1:waiter 1 by task2:setter\n"
                           "1700.000 done       b0 task2:setter 0\n"
                           "1700.000 resume     b0 task1:waiter 1\n"
                           "1700.000 done       b0 task1:waiter 0\n");
    const tl_lane_t *w = lane(tr, "waiter");
    assert_int_equal(count_state(w, TL_ST_READY), 1);
    const tl_item_t *it = &w->items[2];
    assert_int_equal(it->t0, 1300000);
    assert_int_equal(it->t1, 1700000);
    assert_int_equal(it->a, SIM_WAKE_BY(SIM_WAKE_TASK, 2));
    char d[200];
    tl_item_describe(tr, w, it, d, sizeof d);
    assert_non_null(strstr(d, ", woken by task2 setter"));
    const tl_lane_t *irq = lane(tr, "irq b0");
    assert_int_equal(irq->items[0].val, SIM_SRC_I2C_SLAVE);
    tl_item_describe(tr, irq, &irq->items[0], d, sizeof d);
    assert_string_equal(d, "irq b0: i2cs 0  at 100 us (500 ns)");
    tl_trace_free(tr);
}

/* Two boards with the same task and pin names: one lane each, named with
 * the board's name; a model's pin wired to a board's pin of the same name
 * gets no lane; pins are in pin order, not in the order they first moved. */
static void boards_are_named_and_pins_kept_apart(void **state)
{
    (void)state;
    tl_trace_t *tr = parse(
        "# uasync sim trace v1 seed=1 records=10\n"
        "# board b0 std start_tick=0\n"
        "# board b1 ext start_tick=0\n"
        "# task 1 nec_ir\n"
        "# task 2 nec_ir\n"
        "0.000 spawn      b0 task1:nec_ir 0\n"
        "0.000 spawn      b1 task2:nec_ir 0\n"
        "0.000 pin        b0 pin3 lcd_e=0\n"
        "0.000 pin        b0 pin1 ir=1\n"
        "0.000 pin        b1 pin2 ir=1\n"
        "0.000 pin        b0 pin0 lcd_rs=0\n"
        "0.000 pin        -  pin4 lcd_rs=0\n"
        "5.000 pin        b1 pin2 ir=0\n"
        "6.000 pin        b0 pin0 lcd_rs=1\n"
        "6.000 pin        -  pin4 lcd_rs=1\n");
    assert_int_equal(lane(tr, "std: nec_ir")->board, 0);
    assert_int_equal(lane(tr, "ext: nec_ir")->board, 1);
    const tl_lane_t *a = lane(tr, "std: ir"), *b = lane(tr, "ext: ir");
    assert_int_equal(a->n, 1); /* high throughout: one span at the end */
    assert_int_equal(b->n, 2); /* the 5 us edge is ext's alone */
    assert_int_equal(b->items[0].t1, 5000);
    size_t pins = 0, rs = 0;
    const char *order[4];
    for (size_t i = 0; i < tr->nlanes; i++)
        if (tr->lanes[i].type == TL_LANE_PIN) {
            if (pins < 4)
                order[pins] = tr->lanes[i].name;
            pins++;
            rs += strstr(tr->lanes[i].name, "lcd_rs") != NULL;
        }
    assert_int_equal(pins, 4);
    assert_int_equal(rs, 1); /* the model's lcd_rs is the board's */
    assert_string_equal(order[0], "std: lcd_rs"); /* pin0 */
    assert_string_equal(order[1], "std: ir");     /* pin1 */
    assert_string_equal(order[2], "std: lcd_e");  /* pin3 */
    assert_string_equal(order[3], "ext: ir");
    /* the label column fits the longest name whole */
    tl_view_t v = tl_view_default(tr, 1200);
    assert_true(v.label_w >= 8 + (int)strlen("std: lcd_rs") * 6);
    tl_trace_free(tr);
}

/* g, j, p, q, y have descenders: ink below the baseline (rows 7 and 8),
 * and "g" is not drawn as "9" nor "p" as "P". */
static void font_has_descenders(void **state)
{
    (void)state;
    const char *desc = "gjpqy";
    for (const char *c = desc; *c; c++)
        assert_true(tl_font_row(*c, 7) != 0 || tl_font_row(*c, 8) != 0);
    for (int ch = 'A'; ch <= 'Z'; ch++)
        assert_true(tl_font_row(ch, 7) == 0 && tl_font_row(ch, 8) == 0);
    int same9 = 1, sameP = 1;
    for (int r = 0; r < TL_FONT_ROWS; r++) {
        same9 &= tl_font_row('g', r) == tl_font_row('9', r);
        sameP &= tl_font_row('p', r) == tl_font_row('P', r);
    }
    assert_false(same9);
    assert_false(sameP);
    assert_int_equal(tl_font_row('g', TL_FONT_ROWS), 0);
}

/* Power records: the CPU's state periods become a lane per board; load
 * records are read but draw no lane; a bad state name is refused. */
static void power_records_make_a_lane(void **state)
{
    (void)state;
    tl_trace_t *tr = parse("# end 20000.000\n"
                           "0.000 power      b0 load1:backlight ua=20000\n"
                           "0.000 power      b0 cpu run\n"
                           "1000.000 power      b0 cpu idle\n"
                           "3100.000 power      b0 cpu deep\n"
                           "13100.000 power      b0 cpu run\n"
                           "13200.000 power      b0 cpu deep\n");
    const tl_lane_t *p = lane(tr, "power b0");
    assert_int_equal(p->type, TL_LANE_POWER);
    assert_int_equal(p->n, 5);
    assert_int_equal(p->items[1].t0, 1 * MS);
    assert_int_equal(p->items[1].t1, 3100000);
    assert_int_equal(p->items[1].val, SIM_POWER_IDLE);
    assert_int_equal(p->items[4].t1, 20 * MS); /* open until the end */
    assert_int_equal(p->items[4].val, SIM_POWER_DEEP);
    char d[200];
    tl_item_describe(tr, p, &p->items[2], d, sizeof d);
    assert_string_equal(d, "power b0: deep sleep for 10 ms from 3.1 ms");
    for (size_t i = 0; i < tr->nlanes; i++)
        assert_true(tr->lanes[i].type == TL_LANE_POWER);
    tl_trace_free(tr);
    tr = tl_trace_new();
    assert_int_equal(tl_trace_parse_line(tr, "0.000 power      b0 cpu nap"), -1);
    assert_int_equal(tl_trace_parse_line(tr, "0.000 power      b0 load0:x ua=1"), -1);
    tl_trace_free(tr);
}

/* A task on a board past the 16 the header can name (or on none) whose
 * trace has no wake records: its deadline is read on ticks from 0 (the
 * reader once indexed the 16 boards' tick origins with its board). */
static void deadline_on_a_board_without_tick_origin(void **state)
{
    (void)state;
    static const char *const boards[] = {"b40", "-", "b65535"};
    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "0.000 spawn      %1$s task1:late 0\n"
                 "0.000 resume     %1$s task1:late 0\n"
                 "10.000 timer_arm  %1$s task1:late 100\n"
                 "10.000 suspend    %1$s task1:late 4\n"
                 "300.000 resume     %1$s task1:late 3\n",
                 boards[i]);
        tl_trace_t *tr = parse(text);
        const tl_lane_t *l = lane(tr, "late");
        /* run 0-10 us, blocked to the deadline, ready to the resume */
        assert_int_equal(count_state(l, TL_ST_READY), 1);
        assert_int_equal(l->items[2].val, TL_ST_READY);
        assert_int_equal(l->items[2].t0, 100000);
        assert_int_equal(l->items[2].t1, 300000);
        tl_trace_free(tr);
    }
}

/* Lanes built in one pass as the lines are read (uasync-png's way) against
 * lanes built at the end; `restart` when one pass cannot know. */
static void one_pass(const char *text, bool restart)
{
    const char *path = "test_lanes_one_pass.txt";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    tl_trace_t *all = tl_trace_new(), *one = tl_trace_new();
    if (tl_trace_load(all, path) != 0)
        fail_msg("%s", all->err);
    tl_trace_lanes_only(one);
    assert_int_equal(tl_trace_load(one, path), 0);
    assert_int_equal(one->restart, restart);
    if (restart) { /* read again normally */
        tl_trace_free(one);
        one = tl_trace_new();
        assert_int_equal(tl_trace_load_lanes(one, path), 0);
        assert_false(one->lanes_only);
    } else {
        assert_true(one->nrec < all->nrec); /* most records not kept */
    }
    remove(path);
    assert_int_equal(one->nread, all->nrec);
    assert_int_equal(one->nlanes, all->nlanes);
    for (size_t i = 0; i < all->nlanes; i++) {
        const tl_lane_t *a = &all->lanes[i], *b = &one->lanes[i];
        assert_string_equal(a->name, b->name);
        assert_int_equal(a->n, b->n);
        for (size_t k = 0; k < a->n; k++) {
            assert_int_equal(a->items[k].t0, b->items[k].t0);
            assert_int_equal(a->items[k].t1, b->items[k].t1);
            assert_int_equal(a->items[k].val, b->items[k].val);
        }
    }
    tl_trace_free(all);
    tl_trace_free(one);
}

static void one_pass_lanes_are_the_end_lanes(void **state)
{
    (void)state;
    one_pass(DEMO_HEAD
             "5000000.000 flag_set   b0 task1:nec_ir 0\n"
             "5000000.000 wake       b0 task1:nec_ir 2 by pin1:ir\n"
             "5000002.000 resume     b0 task1:nec_ir 2\n"
             "5000002.000 suspend    b0 task1:nec_ir 4\n"
             "6000000.000 note       b0 done 1 2\n",
             false);
    /* a deadline passed without a wake record, on a board whose header has
     * no start_tick: its origin comes from a timer_fire further on (1 ms),
     * which puts the deadline before the sleep: never ready */
    static const char legacy[] =
        "# uasync sim trace v1 seed=1 records=6\n"
        "# board b0 main\n"
        "0.000 spawn      b0 task1:late 0\n"
        "0.000 resume     b0 task1:late 0\n"
        "10.000 timer_arm  b0 task1:late 100\n"
        "10.000 suspend    b0 task1:late 4\n"
        "300.000 resume     b0 task1:late 3\n"
        "1000.000 timer_fire b0 task1:late 1500\n";
    one_pass(legacy, true);
    tl_trace_t *tr = parse(legacy);
    assert_int_equal(count_state(lane(tr, "late"), TL_ST_READY), 0);
    tl_trace_free(tr);
    /* a task named after its first record */
    one_pass("# uasync sim trace v1 seed=1 records=2\n"
             "0.000 spawn      b0 task1:x 0\n"
             "# task 1 named_late\n"
             "5.000 resume     b0 task1:x 0\n",
             true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(isr_flag_wake_is_not_another_sources_interrupt),
        cmocka_unit_test(old_trace_isr_flag_is_ready_at_its_flag_set),
        cmocka_unit_test(ready_span_starts_at_the_wake),
        cmocka_unit_test(wake_by_a_task_and_i2c_slave_interrupts),
        cmocka_unit_test(boards_are_named_and_pins_kept_apart),
        cmocka_unit_test(font_has_descenders),
        cmocka_unit_test(power_records_make_a_lane),
        cmocka_unit_test(deadline_on_a_board_without_tick_origin),
        cmocka_unit_test(one_pass_lanes_are_the_end_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
