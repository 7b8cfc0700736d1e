/*
 * The viewer, run as a program under SDL's offscreen video driver with a
 * script of input events: zoom, pan (a mouse drag), cursors, lane
 * selection, next event, search, hover and a screenshot whose pixels are
 * checked.
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
#include "tl_viewer.h"

#define MS 1000000ull

static const char *view_exe;
static char out[8192];

static void run_viewer(const char *script)
{
    char cmd[2048];
    assert_int_equal(synth_write("test_view_synth.txt"), 0);
    /* Leak checking is off for the child: libraries SDL loads for video
     * keep allocations to exit (reported from unloaded modules); the
     * renderer itself is leak-checked by test_render. */
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy "
             "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" %s "
             "test_view_synth.txt --width 1000 --height 260 --script '%s'",
             view_exe, script);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    remove("test_view_synth.txt");
}

/* The value after `key` on the line that starts with `prefix`. */
static const char *find(const char *prefix)
{
    const char *p = strstr(out, prefix);
    if (p == NULL)
        fail_msg("no '%s' in viewer output:\n%s", prefix, out);
    return p;
}

static void zoom_pan_cursors_and_screenshot(void **state)
{
    (void)state;
    if (view_exe == NULL)
        skip();
    run_viewer("zoom_in;pan 87;cursor_a 0.25;cursor_b 0.5;"
               "screenshot test_view.png;quit");
    /* zoom 2x about the middle: 250-750 ms; a drag of 87 px = 1/10 of the
     * plot moves it by 50 ms; A and B at a quarter and half of it */
    find("cursor A=425 ms B=- delta=-");
    find("cursor A=425 ms B=550 ms delta=125 ms");
    find("saved test_view.png");

    uint32_t *px;
    int w, h;
    const char *why = "";
    assert_int_equal(pngdec_file("test_view.png", &px, &w, &h, &why), 0);
    remove("test_view.png");
    assert_int_equal(w, 1000);
    assert_int_equal(h, 260);

    /* the same view drawn here: lanes where the screenshot has them */
    tl_trace_t *tr = tl_trace_new();
    assert_int_equal(synth_write("test_view_synth.txt"), 0);
    assert_int_equal(tl_trace_load(tr, "test_view_synth.txt"), 0);
    remove("test_view_synth.txt");
    tl_view_t v = tl_view_default(tr, 1000);
    v.t0 = 300 * MS;
    v.t1 = 800 * MS;
    v.height = 260 - TL_STATUS_H;
#define PX(t, lane, dy) \
    px[(tl_lane_y(tr, &v, lane) + (dy)) * w + tl_time_x(&v, t)]
    int mid = TL_LANE_H / 2;
    assert_int_equal(PX(450 * MS, L_WORKER, mid), TL_C_RUN);
    assert_int_equal(PX(650 * MS, L_WORKER, mid), TL_C_READY);
    assert_int_equal(PX(330 * MS, L_WORKER, mid), TL_C_BLOCKED);
    assert_int_equal(PX(600 * MS, L_HOG, mid), TL_C_RUN);
    assert_int_equal(PX(500 * MS, L_LED, TL_BAND_Y + 1), TL_C_PIN);
    /* the cursors: A blue at 425 ms, B pink at 550 ms, through the lanes */
    assert_int_equal(PX(425 * MS, L_LED, mid), TL_C_CUR_A);
    assert_int_equal(PX(550 * MS, L_I2C, mid), TL_C_CUR_B);
    /* the worker lane is selected (the first lane by default) */
    assert_int_equal(px[(tl_lane_y(tr, &v, L_WORKER) + 1) * w + 5],
                     TL_C_SELECT);
    free(px);
    tl_trace_free(tr);
}

static void clicks_navigation_search_and_hover(void **state)
{
    (void)state;
    if (view_exe == NULL)
        skip();
    /* whole second on 870 px: x = 120 + t * 0.87 px/ms; lane 0 at y 32 */
    run_viewer("click 381 41;click 642 41 right;"
               "select led;next;next;prev;"
               "key Home;search irq_enter;"
               "hover 511 41;key q");
    /* x 381 -> 300 ms; x 642 -> 600 ms */
    find("cursor A=300 ms B=- delta=-");
    find("cursor A=300 ms B=600 ms delta=300 ms");
    find("event: led = 0 for 200 ms from 800 ms");
    find("no next event in this lane");
    find("event: led = 1 for 600 ms from 200 ms");
    find("found: irq_enter at 820 ms in irq b0");
    /* x 511 over the worker lane: 449.4 ms, it was running then */
    find("worker running for 100 ms at 400 ms");
}

int main(int argc, char **argv)
{
    view_exe = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zoom_pan_cursors_and_screenshot),
        cmocka_unit_test(clicks_navigation_search_and_hover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
