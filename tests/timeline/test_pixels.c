/*
 * The rendered pixels of reference traces, pinned: each case (a trace and a
 * view) draws off-screen and through uasync-png's path (tl_render_png, then
 * the PNG decoded by pngdec), and the FNV-1a hash of the 0xRRGGBB pixels must
 * be the one recorded when the renderer drew on SDL surfaces (the reference
 * files are also read in one pass, as uasync-png reads).  So a change to
 * the drawing code, the parser, the lane builder or the PNG encoder that
 * moves a single pixel fails here.  On a mismatch the picture is written to
 * pixels_CASE.png in the test's folder, to look at.
 *
 *   test_timeline_pixels REF_DIR [--print]
 *
 * --print lists the hashes as the table below (to record them after a
 * deliberate change of the picture).  The reference traces (ref/) are cuts
 * of scenario traces (syncom: two boards, wake by pin; lcd: a model's pins;
 * gps: uart rx) and mktrace's second, kept as files so a change of the
 * simulator cannot move them.
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

static const char *ref_dir;
static bool print_only;

typedef struct pinned {
    const char *name;
    int w, h;
    uint64_t hash;
} pinned_t;

/* Recorded with the SDL renderer (before issue 19). */
static const pinned_t pinned[] = {
    {"mktrace_1600", 1600, 318, 0x370435170CDEA673ull},
    {"mktrace_400", 400, 318, 0x69715867F8512135ull},
    {"mktrace_zoom", 1000, 318, 0xD01557187C09C26Aull},
    {"mktrace_viewer", 900, 200, 0xB47DA389F165E073ull},
    {"mktrace_after", 700, 318, 0x2956B4DF3C643412ull},
    {"syncom_1600", 1600, 408, 0x400D01D993B8E67Cull},
    {"syncom_400", 400, 408, 0xE29990566FBF6EEFull},
    {"syncom_zoom", 1000, 408, 0x34E3555859AC64E6ull},
    {"syncom_viewer", 900, 200, 0xA98FEE29FEC03C95ull},
    {"syncom_after", 700, 408, 0x8C160FABF213266Dull},
    {"lcd_1600", 1600, 390, 0xC403FACF722AD7E8ull},
    {"lcd_400", 400, 390, 0x7ABAA49BEC27CD76ull},
    {"lcd_zoom", 1000, 390, 0x3D98B4443903F6FDull},
    {"lcd_viewer", 900, 200, 0x9B7FB33A9ABF9D81ull},
    {"lcd_after", 700, 390, 0xC5313A7D82D5C998ull},
    {"gps_1600", 1600, 156, 0xE22E83ED4358692Aull},
    {"gps_400", 400, 156, 0x9CAA8D226E224825ull},
    {"gps_zoom", 1000, 156, 0xCB46944E9BB56863ull},
    {"gps_viewer", 900, 200, 0xDE36884C5B4023B7ull},
    {"gps_after", 700, 156, 0x434D017DCB998540ull},
    {"demo_1600", 1600, 300, 0xED1A6D7D5CCD0923ull},
    {"demo_400", 400, 300, 0x25F521B243B47BE1ull},
    {"demo_zoom", 1000, 300, 0xF4403F4EDE86FE33ull},
    {"demo_viewer", 900, 200, 0xFD91A0F7F03CBAE8ull},
    {"demo_after", 700, 300, 0x455B1CEC3CF2CC1Aull},
    {"nec_1600", 1600, 192, 0xDEED979D51567957ull},
    {"nec_400", 400, 192, 0xB8B2B41920B7A0F2ull},
    {"nec_zoom", 1000, 192, 0xFF6AA69A680D7B63ull},
    {"nec_viewer", 900, 200, 0xB6FB819E846ADA79ull},
    {"nec_after", 700, 192, 0xB62FEB0033193104ull},
    {"far_1600", 1600, 138, 0x36C16BE7C08B062Cull},
    {"far_400", 400, 138, 0x911931A53FC60621ull},
    {"far_zoom", 1000, 138, 0xFDC848FD90B7DD7Cull},
    {"far_viewer", 900, 200, 0x5DC472A149838C9Dull},
    {"far_after", 700, 138, 0x689E82FD5C027A48ull},
    {"end_of_time_1600", 1600, 84, 0x6C75F2BEEED7C940ull},
    {"end_of_time_400", 400, 84, 0xEAE62A85AB95C5D0ull},
    {"end_of_time_zoom", 1000, 84, 0xC62944713AD84899ull},
    {"end_of_time_viewer", 900, 200, 0x245A39F72E055B58ull},
    {"end_of_time_after", 700, 84, 0x8009BF8E4252F846ull},
    {"synth_1600", 1600, 210, 0x47F9A6302E3E183Bull},
    {"synth_400", 400, 210, 0x120813347E346F99ull},
    {"synth_zoom", 1000, 210, 0x8938AFCFD21DDA5Bull},
    {"synth_viewer", 900, 200, 0x558176372C1891EEull},
    {"synth_after", 700, 210, 0xB4355589F6972F72ull},
    {"synth_uart_box", 1000, 210, 0xBD7BB3B7A9AC5DB7ull},
    {"synth_i2c_box", 1000, 210, 0xC06CC0295D42BFF6ull},
    {"dense_1600", 1600, 102, 0x6E4AC607853F1376ull},
    {"dense_400", 400, 102, 0xE36E57B7E7A05043ull},
    {"dense_zoom", 1000, 102, 0x053268981ABA3FFBull},
    {"dense_viewer", 900, 200, 0x7E66C4CD09870AABull},
    {"dense_after", 700, 102, 0xFCA522AD6ACD2EB5ull},
};

static uint64_t fnv_px(uint64_t h, uint32_t rgb)
{
    for (int k = 16; k >= 0; k -= 8) {
        h ^= (rgb >> k) & 0xFF;
        h *= 0x100000001B3ull;
    }
    return h;
}

static const pinned_t *find_pinned(const char *name)
{
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++)
        if (strcmp(pinned[i].name, name) == 0)
            return &pinned[i];
    return NULL;
}

/* Draw view v of tr both ways, compare with the pinned hash. */
static void check_view(const tl_trace_t *tr, const tl_view_t *v,
                       const char *name)
{
    int w = v->width, h = tl_view_height(tr, v);
    tl_surface_t *s = tl_surface_new(w, h);
    assert_non_null(s);
    tl_render(tr, v, s, NULL);
    uint64_t hash = 0xCBF29CE484222325ull;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            hash = fnv_px(hash, tl_pixel(s, x, y));
    tl_surface_free(s);

    char path[128];
    snprintf(path, sizeof path, "pixels_%s.png", name);
    assert_int_equal(tl_render_png(tr, v, path, NULL), 0);
    uint32_t *px;
    int dw, dh;
    const char *why = "";
    assert_int_equal(pngdec_file(path, &px, &dw, &dh, &why), 0);
    uint64_t file_hash = 0xCBF29CE484222325ull;
    for (int i = 0; i < dw * dh; i++)
        file_hash = fnv_px(file_hash, px[i]);
    free(px);

    if (print_only) {
        printf("    {\"%s\", %d, %d, 0x%016llXull},\n", name, w, h,
               (unsigned long long)hash);
        remove(path);
        return;
    }
    const pinned_t *p = find_pinned(name);
    if (p == NULL)
        fail_msg("%s: no pinned hash (run with --print)", name);
    if (w != p->w || h != p->h || hash != p->hash)
        fail_msg("%s: %dx%d hash %016llx, pinned %dx%d %016llx (see %s)", name,
                 w, h, (unsigned long long)hash, p->w, p->h,
                 (unsigned long long)p->hash, path);
    if (dw != w || dh != h || file_hash != hash)
        fail_msg("%s: the PNG file decodes to other pixels (see %s)", name,
                 path);
    remove(path);
}

/* The views a trace is pinned in: uasync-png's default, narrow, a zoom
 * into the middle, the viewer's (a selected lane, scrolled by one, a fixed
 * height) and a window past the end. */
static void check_trace(const tl_trace_t *tr, const char *name)
{
    char what[96];
    tl_view_t v = tl_view_default(tr, 1600);
    snprintf(what, sizeof what, "%s_1600", name);
    check_view(tr, &v, what);

    v = tl_view_default(tr, 400);
    snprintf(what, sizeof what, "%s_400", name);
    check_view(tr, &v, what);

    v = tl_view_default(tr, 1000);
    uint64_t mid = tr->t_end / 2, half = tr->t_end / 200 + 1;
    v.t0 = mid > half ? mid - half : 0;
    v.t1 = mid + half;
    snprintf(what, sizeof what, "%s_zoom", name);
    check_view(tr, &v, what);

    v = tl_view_default(tr, 900);
    v.selected = 1;
    v.first_lane = 1;
    v.height = 200;
    v.t0 = tr->t_end / 3;
    snprintf(what, sizeof what, "%s_viewer", name);
    check_view(tr, &v, what);

    v = tl_view_default(tr, 700);
    v.t0 = tr->t_end + 1000;
    v.t1 = tr->t_end + 5000000;
    snprintf(what, sizeof what, "%s_after", name);
    check_view(tr, &v, what);
}

static tl_trace_t *load(const char *path)
{
    tl_trace_t *tr = tl_trace_new();
    if (tl_trace_load(tr, path) != 0)
        fail_msg("%s", tr->err);
    return tr;
}

/* A fuzz corpus file, read as the fuzz target does: a line that cannot be
 * read is skipped. */
static tl_trace_t *load_lenient(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    tl_trace_t *tr = tl_trace_new();
    char line[512];
    while (fgets(line, sizeof line, f) != NULL)
        (void)tl_trace_parse_line(tr, line);
    fclose(f);
    tl_trace_finish(tr);
    return tr;
}

static void reference_traces(void **state)
{
    (void)state;
    static const char *const files[][2] = {
        {"ref/mktrace.txt", "mktrace"}, {"ref/syncom.txt", "syncom"},
        {"ref/lcd.txt", "lcd"},         {"ref/gps.txt", "gps"},
    };
    static const char *const corpus[][2] = {
        {"corpus_trace/demo", "demo"},  {"corpus_trace/nec", "nec"},
        {"corpus_trace/far_outside_window", "far"},
        {"corpus_trace/end_of_time", "end_of_time"},
    };
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", ref_dir, files[i][0]);
        tl_trace_t *tr = load(path);
        check_trace(tr, files[i][1]);
        tl_trace_free(tr);
        /* read in one pass, as uasync-png does: the same pictures */
        tr = tl_trace_new();
        if (tl_trace_load_lanes(tr, path) != 0)
            fail_msg("%s", tr->err);
        assert_true(tr->lanes_only);
        check_trace(tr, files[i][1]);
        tl_trace_free(tr);
    }
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", ref_dir, corpus[i][0]);
        tl_trace_t *tr = load_lenient(path);
        check_trace(tr, corpus[i][1]);
        tl_trace_free(tr);
    }
}

static void synthetic_trace(void **state)
{
    (void)state;
    assert_int_equal(synth_write("test_pixels_synth.txt"), 0);
    tl_trace_t *tr = load("test_pixels_synth.txt");
    remove("test_pixels_synth.txt");
    check_trace(tr, "synth");
    /* the zooms of test_render: a UART box and an I2C box with labels */
    tl_view_t v = tl_view_default(tr, 1000);
    v.t0 = 100 * MS - 200000;
    v.t1 = 100 * MS + 50000;
    check_view(tr, &v, "synth_uart_box");
    v.t0 = 449900000;
    v.t1 = 451100000;
    check_view(tr, &v, "synth_i2c_box");
    tl_trace_free(tr);
}

/* Ten seconds of a pin toggling every 60 us and a task stepping every
 * 200 us (dense columns), built in memory. */
static void dense_trace(void **state)
{
    (void)state;
    tl_trace_t *tr = tl_trace_new();
    uint64_t next_task = 0;
    for (uint32_t i = 0; i < 166000; i++) {
        uint64_t t = (uint64_t)i * 60000 + (i % 7) * 1000;
        while (next_task <= t) {
            tl_rec_t k = {.t_ns = next_task, .board = 0, .obj = 1,
                          .kind = UA_TR_RESUME};
            tl_trace_add(tr, &k, "busy");
            k.kind = UA_TR_SUSPEND;
            k.t_ns += 20000 + (next_task / 200000 % 5) * 7000;
            k.arg = UA_W_SLEEP;
            tl_trace_add(tr, &k, "busy");
            next_task += 200000;
        }
        tl_rec_t r = {.t_ns = t, .board = 0, .kind = SIM_TR_PIN, .arg = i & 1};
        tl_trace_add(tr, &r, "clk");
    }
    tl_trace_finish(tr);
    check_trace(tr, "dense");
    tl_trace_free(tr);
}

int main(int argc, char **argv)
{
    ref_dir = argc > 1 ? argv[1] : ".";
    print_only = argc > 2 && strcmp(argv[2], "--print") == 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_traces),
        cmocka_unit_test(synthetic_trace),
        cmocka_unit_test(dense_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
