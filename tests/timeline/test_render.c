/*
 * The trace reader and the renderer: a known trace drawn off-screen, checked
 * by the colour at the x of known times in known lanes; the same picture
 * through PNG and back; a 60 s trace with a million edges drawn with a
 * bounded number of primitives; and a real simulator trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pngdec.h"
#include "synth.h"
#include "tl_render.h"

#define MS 1000000ull

static const char *mktrace_exe;

static tl_trace_t *load_synth(void)
{
    assert_int_equal(synth_write("test_render_synth.txt"), 0);
    tl_trace_t *tr = tl_trace_new();
    assert_int_equal(tl_trace_load(tr, "test_render_synth.txt"), 0);
    remove("test_render_synth.txt");
    return tr;
}

/* Colour in the middle row of lane `lane` at time t. */
static uint32_t at(const tl_trace_t *tr, const tl_view_t *v, tl_surface_t *s,
                   int lane, uint64_t t, int dy)
{
    int y = tl_lane_y(tr, v, (size_t)lane);
    assert_true(y >= 0);
    return tl_pixel(s, tl_time_x(v, t), y + dy);
}

static void lanes_header_and_states(void **state)
{
    (void)state;
    tl_trace_t *tr = load_synth();
    static const char *names[] = {"worker", "hog", "irq b0", "led",
                                  "uart0 tx", "i2c0", "nec ir", "notes"};
    assert_int_equal(tr->nlanes, L_COUNT);
    for (int i = 0; i < L_COUNT; i++)
        assert_string_equal(tr->lanes[i].name, names[i]);
    assert_string_equal(tr->scenario, "synthetic");
    assert_true(tr->has_seed);
    assert_int_equal(tr->seed, 42);
    assert_int_equal(tr->t_end, 1000 * MS);

    /* worker: ready, run, blocked, run, blocked, ready (late deadline), run */
    const tl_lane_t *w = &tr->lanes[L_WORKER];
    static const struct { uint64_t t0, t1; int st; } want[] = {
        {0, 300 * MS, TL_ST_READY},         {300 * MS, 310 * MS, TL_ST_RUN},
        {310 * MS, 400 * MS, TL_ST_BLOCKED}, {400 * MS, 500 * MS, TL_ST_RUN},
        {500 * MS, 600 * MS, TL_ST_BLOCKED}, {600 * MS, 700 * MS, TL_ST_READY},
        {700 * MS, 750 * MS, TL_ST_RUN},
    };
    assert_int_equal(w->n, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(w->items[i].t0, want[i].t0);
        assert_int_equal(w->items[i].t1, want[i].t1);
        assert_int_equal(w->items[i].val, want[i].st);
    }
    /* i2c: one write transaction, one data byte after the address */
    const tl_item_t *i2c = &tr->lanes[L_I2C].items[0];
    assert_int_equal(i2c->val, 0x40);
    assert_int_equal(i2c->a, 1);
    assert_int_equal(i2c->flags & (TL_F_READ | TL_F_ERROR), 0);
    /* uart: the frame length is estimated (115200 baud) */
    const tl_item_t *u = &tr->lanes[L_UART].items[0];
    assert_int_equal(u->t1 - u->t0, 86806);
    assert_int_equal(u->val, 'A');
    char d[200];
    tl_item_describe(tr, &tr->lanes[L_NEC], &tr->lanes[L_NEC].items[0], d,
                     sizeof d);
    assert_string_equal(d, "nec ir frame addr=0x0004 cmd=0x12 at 850 ms");
    tl_trace_free(tr);
}

static void colours_at_known_times(void **state)
{
    (void)state;
    tl_trace_t *tr = load_synth();
    tl_view_t v = tl_view_default(tr, 1000);
    assert_int_equal(tl_view_height(tr, &v),
                     TL_TITLE_H + TL_AXIS_H + L_COUNT * TL_LANE_H + 4 +
                         TL_LEGEND_H);
    for (int i = 0; i < L_COUNT; i++)
        assert_int_equal(tl_lane_y(tr, &v, (size_t)i),
                         TL_TITLE_H + TL_AXIS_H + i * TL_LANE_H);
    assert_int_equal(tl_time_x(&v, 500 * MS), 120 + 435);
    tl_surface_t *s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render_stats_t st;
    tl_render(tr, &v, s, &st);
    int mid = TL_LANE_H / 2;

    assert_int_equal(at(tr, &v, s, L_WORKER, 150 * MS, mid), TL_C_READY);
    assert_int_equal(at(tr, &v, s, L_WORKER, 350 * MS, mid), TL_C_BLOCKED);
    assert_int_equal(at(tr, &v, s, L_WORKER, 450 * MS, mid), TL_C_RUN);
    assert_int_equal(at(tr, &v, s, L_WORKER, 650 * MS, mid), TL_C_READY);
    assert_int_equal(at(tr, &v, s, L_WORKER, 720 * MS, mid), TL_C_RUN);
    assert_int_equal(at(tr, &v, s, L_WORKER, 900 * MS, mid), TL_C_BG);
    assert_int_equal(at(tr, &v, s, L_HOG, 150 * MS, mid), TL_C_RUN);
    assert_int_equal(at(tr, &v, s, L_HOG, 420 * MS, mid), TL_C_BLOCKED);
    assert_int_equal(at(tr, &v, s, L_HOG, 600 * MS, mid), TL_C_RUN);
    /* blocked is a thin bar: above it the lane background shows */
    assert_int_equal(at(tr, &v, s, L_HOG, 420 * MS, TL_BAND_Y), TL_C_STRIPE);

    /* led: low line at the bottom, high line at the top, an edge between */
    int hi = TL_BAND_Y + 1, lo = TL_BAND_Y + TL_BAND_H - 2;
    assert_int_equal(at(tr, &v, s, L_LED, 100 * MS, lo), TL_C_PIN);
    assert_int_equal(at(tr, &v, s, L_LED, 100 * MS, hi), TL_C_STRIPE);
    assert_int_equal(at(tr, &v, s, L_LED, 500 * MS, hi), TL_C_PIN);
    assert_int_equal(at(tr, &v, s, L_LED, 500 * MS, mid), TL_C_PIN_FILL);
    assert_int_equal(at(tr, &v, s, L_LED, 200 * MS, mid), TL_C_PIN);
    assert_int_equal(at(tr, &v, s, L_LED, 900 * MS, lo), TL_C_PIN);
    /* interrupt, NEC and a byte too narrow for a box (a busy bar) */
    assert_int_equal(at(tr, &v, s, L_IRQ, 820 * MS, mid), TL_C_IRQ);
    assert_int_equal(at(tr, &v, s, L_NEC, 850 * MS, TL_BAND_Y + TL_BAND_H - 1),
                     TL_C_NEC);
    assert_int_equal(at(tr, &v, s, L_UART, 100 * MS - 1000,
                        TL_BAND_Y + TL_BAND_H - 1), TL_C_UART_TX);
    assert_int_equal(at(tr, &v, s, L_UART, 300 * MS, TL_BAND_Y + TL_BAND_H - 1),
                     TL_C_BG);
    /* a few hundred primitives, not one per pixel */
    assert_true(st.rects > 20 && st.rects < 300);
    tl_surface_free(s);
    tl_trace_free(tr);
}

static int count_colour(tl_surface_t *s, int x0, int x1, int y0, int y1,
                        uint32_t rgb)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += tl_pixel(s, x, y) == rgb;
    return n;
}

static void zoomed_boxes_carry_labels(void **state)
{
    (void)state;
    tl_trace_t *tr = load_synth();
    tl_view_t v = tl_view_default(tr, 1000);
    v.t0 = 100 * MS - 200000; /* 200 us around the end of the UART byte */
    v.t1 = 100 * MS + 50000;
    tl_surface_t *s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render(tr, &v, s, NULL);
    int y = tl_lane_y(tr, &v, L_UART) + TL_BAND_Y;
    int x0 = tl_time_x(&v, 100 * MS - 86806), x1 = tl_time_x(&v, 100 * MS);
    assert_int_equal(tl_pixel(s, x0 + 3, y + 1), TL_C_UART_TX);
    assert_int_equal(tl_pixel(s, x1 - 3, y + 1), TL_C_UART_TX);
    assert_int_equal(tl_pixel(s, x1 + 3, y + 1), TL_C_BG);
    /* "41 A" in white inside the box: 4 glyphs' worth of ink */
    int ink = count_colour(s, x0, x1, y, y + TL_BAND_H, TL_C_BG);
    assert_true(ink > 30 && ink < 4 * 35);
    tl_surface_free(s);

    v.t0 = 449900000;
    v.t1 = 451100000;
    s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render(tr, &v, s, NULL);
    y = tl_lane_y(tr, &v, L_I2C) + TL_BAND_Y;
    assert_int_equal(tl_pixel(s, tl_time_x(&v, 450010000), y + 1), TL_C_I2C);
    assert_int_equal(tl_pixel(s, tl_time_x(&v, 450990000), y + 1), TL_C_I2C);
    assert_true(count_colour(s, tl_time_x(&v, 450 * MS), tl_time_x(&v, 451 * MS),
                             y, y + TL_BAND_H, TL_C_BG) > 60); /* 0x40 W 1B */
    tl_surface_free(s);
    tl_trace_free(tr);
}

static void png_file_holds_the_rendered_pixels(void **state)
{
    (void)state;
    tl_trace_t *tr = load_synth();
    tl_view_t v = tl_view_default(tr, 700);
    tl_surface_t *s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render(tr, &v, s, NULL);
    assert_int_equal(tl_render_png(tr, &v, "test_render.png", NULL), 0);
    uint32_t *px;
    int w, h;
    const char *why = "";
    assert_int_equal(pngdec_file("test_render.png", &px, &w, &h, &why), 0);
    assert_int_equal(w, s->w);
    assert_int_equal(h, s->h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (px[y * w + x] != tl_pixel(s, x, y))
                fail_msg("pixel %d,%d differs", x, y);
    free(px);
    remove("test_render.png");
    tl_surface_free(s);
    tl_trace_free(tr);
}

/* 60 s: a pin toggling every 60 us (a million edges) and a task stepping
 * every 200 us, built in memory. */
static void dense_minute_is_drawn_in_bounded_primitives(void **state)
{
    (void)state;
    tl_trace_t *tr = tl_trace_new();
    tl_rec_t r = {.board = 0};
    uint64_t next_task = 0;
    for (uint32_t i = 0; i < 1000000; i++) {
        uint64_t t = (uint64_t)i * 60000;
        while (next_task <= t) {
            tl_rec_t k = {.t_ns = next_task, .board = 0, .obj = 1};
            k.kind = UA_TR_RESUME;
            tl_trace_add(tr, &k, "busy");
            k.kind = UA_TR_SUSPEND;
            k.t_ns += 20000;
            k.arg = UA_W_SLEEP;
            tl_trace_add(tr, &k, "busy");
            next_task += 200000;
        }
        r.t_ns = t;
        r.kind = SIM_TR_PIN;
        r.arg = i & 1;
        tl_trace_add(tr, &r, "clk");
    }
    tl_trace_finish(tr);
    assert_int_equal(tr->nlanes, 2);
    assert_int_equal(tr->lanes[1].n, 1000000);
    tl_view_t v = tl_view_default(tr, 1600);
    tl_surface_t *s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render_stats_t st;
    tl_render(tr, &v, s, &st);
    /* every item was considered, but drawn per pixel column at most */
    assert_true(st.items >= 1000000 + 300000);
    assert_true(st.rects < 1000);
    assert_true(st.glyphs < 1000);
    int mid = TL_LANE_H / 2;
    assert_int_equal(at(tr, &v, s, 1, 30000 * MS, mid), TL_C_PIN_DENSE);
    /* 10% busy: a bar a tenth of the band high, at least the minimum */
    assert_int_equal(at(tr, &v, s, 0, 31234 * MS, TL_BAND_Y + TL_BAND_H - 1),
                     TL_C_RUN);
    assert_int_equal(at(tr, &v, s, 0, 31234 * MS, TL_BAND_Y), TL_C_BG);

    /* zoomed to 1 ms the edges are separate again */
    v.t0 = 30000 * MS;
    v.t1 = 30001 * MS;
    tl_render(tr, &v, s, &st);
    assert_true(st.items < 100);
    int y = tl_lane_y(tr, &v, 1);
    assert_int_equal(tl_pixel(s, tl_time_x(&v, 30000 * MS + 30000), y + TL_BAND_Y + TL_BAND_H - 2),
                     TL_C_PIN); /* low for the first 60 us */
    assert_int_equal(tl_pixel(s, tl_time_x(&v, 30000 * MS + 90000), y + TL_BAND_Y + 1),
                     TL_C_PIN); /* then high */
    tl_surface_free(s);
    tl_trace_free(tr);
}

/* A trace the simulator wrote: the ticker's 10 ms deadline passes while the
 * hog burns 40 ms of CPU, so it is ready from its deadline to its resume. */
static void real_simulator_trace(void **state)
{
    (void)state;
    char cmd[512];
    if (mktrace_exe == NULL)
        skip();
    snprintf(cmd, sizeof cmd, "%s test_render_real.txt 1", mktrace_exe);
    assert_int_equal(system(cmd), 0);
    tl_trace_t *tr = tl_trace_new();
    assert_int_equal(tl_trace_load(tr, "test_render_real.txt"), 0);
    remove("test_render_real.txt");
    assert_int_equal(tr->seed, 7);
    const tl_lane_t *ticker = NULL;
    for (size_t i = 0; i < tr->nlanes; i++)
        if (strcmp(tr->lanes[i].name, "ticker") == 0)
            ticker = &tr->lanes[i];
    assert_non_null(ticker);
    size_t k = tl_lane_seek(ticker, 320 * MS);
    assert_true(k < ticker->n);
    assert_int_equal(ticker->items[k].val, TL_ST_READY);
    /* 4 us later than before the I2C bus free time: the sensor's write and
     * read are 4.7 us apart, and the ticker's deadlines are on 1 us ticks */
    assert_int_equal(ticker->items[k].t0, 300569000);
    assert_int_equal(ticker->items[k].t1, 340032000);
    tl_view_t v = tl_view_default(tr, 1200);
    tl_surface_t *s = tl_surface_new(v.width, tl_view_height(tr, &v));
    tl_render(tr, &v, s, NULL);
    assert_int_equal(at(tr, &v, s, (int)(ticker - tr->lanes), 320 * MS,
                        TL_LANE_H / 2), TL_C_READY);
    tl_surface_free(s);
    tl_trace_free(tr);
}

static void bad_input_is_reported(void **state)
{
    (void)state;
    tl_trace_t *tr = tl_trace_new();
    assert_int_equal(tl_trace_load(tr, "/nonexistent/trace.txt"), -1);
    assert_non_null(strstr(tr->err, "cannot open"));
    assert_int_equal(tl_trace_parse_line(tr, "12.000 bogus b0 x\n"), -1);
    assert_int_equal(tl_trace_parse_line(tr, "12.000 uart_tx b0 nonsense\n"), -1);
    assert_int_equal(tl_trace_parse_line(tr, "# anything new\n"), 0);
    tl_trace_free(tr);
    uint64_t t;
    assert_int_equal(tl_parse_time("12.5ms", &t), 1);
    assert_int_equal(t, 12500000);
    assert_int_equal(tl_parse_time("0.25", &t), 0);
    char buf[32];
    tl_fmt_time(125 * MS, buf, sizeof buf);
    assert_string_equal(buf, "125 ms");
    tl_fmt_time(1500, buf, sizeof buf);
    assert_string_equal(buf, "1.5 us");
}

int main(int argc, char **argv)
{
    mktrace_exe = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lanes_header_and_states),
        cmocka_unit_test(colours_at_known_times),
        cmocka_unit_test(zoomed_boxes_carry_labels),
        cmocka_unit_test(png_file_holds_the_rendered_pixels),
        cmocka_unit_test(dense_minute_is_drawn_in_bounded_primitives),
        cmocka_unit_test(real_simulator_trace),
        cmocka_unit_test(bad_input_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
