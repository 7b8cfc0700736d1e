/*
 * Everything around the lanes: geometry, the title line, the time axis with
 * its grid, lane names, the legend, and surfaces to PNG.
 */
#define _DEFAULT_SOURCE 1 /* mmap's MAP_ANONYMOUS and MAP_POPULATE */
#include <sys/mman.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_font.h"
#include "tl_png.h"
#include "tl_render.h"

#define LANES_Y (TL_TITLE_H + TL_AXIS_H)

tl_view_t tl_view_default(const tl_trace_t *tr, int width)
{
    tl_view_t v = {.t0 = 0, .t1 = tr->t_end ? tr->t_end : 1000,
                   .width = width, .label_w = 120, .selected = -1};
    /* lane names whole ("board: task"), up to a quarter of the width */
    size_t longest = 0;
    for (size_t i = 0; i < tr->nlanes; i++)
        if (strlen(tr->lanes[i].name) > longest)
            longest = strlen(tr->lanes[i].name);
    int need = 8 + (int)longest * TL_FONT_W;
    if (need > v.label_w)
        v.label_w = need < width / 4 ? need : width / 4;
    return v;
}

static int lanes_shown(const tl_trace_t *tr, const tl_view_t *v)
{
    int n = (int)tr->nlanes - v->first_lane;
    return n > 0 ? n : 0;
}

int tl_view_height(const tl_trace_t *tr, const tl_view_t *v)
{
    if (v->height > 0)
        return v->height;
    return LANES_Y + lanes_shown(tr, v) * TL_LANE_H + 4 + TL_LEGEND_H;
}

int tl_plot_x(const tl_view_t *v) { return v->label_w; }

static int plot_w(const tl_view_t *v)
{
    int w = v->width - v->label_w - TL_MARGIN_R;
    return w > 1 ? w : 1;
}

int tl_time_x(const tl_view_t *v, uint64_t t)
{
    double span = (double)(v->t1 - v->t0);
    double x = ((double)t - (double)v->t0) * plot_w(v) / span;
    /* far outside the window: just off screen, and within an int */
    x = x < -(1 << 20) ? -(1 << 20) : x > (1 << 20) ? (1 << 20) : x;
    return v->label_w + (int)floor(x);
}

uint64_t tl_x_time(const tl_view_t *v, int x)
{
    double span = (double)(v->t1 - v->t0);
    double t = (double)v->t0 + (double)(x - v->label_w) * span / plot_w(v);
    return t < 0 ? 0 : (uint64_t)(t + 0.5);
}

/* Lanes end where the legend begins (a fixed height may cut them). */
static int lanes_bottom(const tl_trace_t *tr, const tl_view_t *v)
{
    return tl_view_height(tr, v) - TL_LEGEND_H - 4;
}

int tl_lane_y(const tl_trace_t *tr, const tl_view_t *v, size_t lane)
{
    int i = (int)lane - v->first_lane;
    int y = LANES_Y + i * TL_LANE_H;
    if (i < 0 || lane >= tr->nlanes || y + TL_LANE_H > lanes_bottom(tr, v))
        return -1;
    return y;
}

int tl_lane_at(const tl_trace_t *tr, const tl_view_t *v, int y)
{
    if (y < LANES_Y)
        return -1;
    int lane = v->first_lane + (y - LANES_Y) / TL_LANE_H;
    return tl_lane_y(tr, v, (size_t)lane) >= 0 ? lane : -1;
}

/* --- surfaces ------------------------------------------------------------------ */

tl_surface_t *tl_surface_new(int w, int h)
{
    if (w < 0 || h < 0 || (h > 0 && (size_t)w > SIZE_MAX / 4 / (size_t)h - 1))
        return NULL;
    tl_surface_t *s = malloc(sizeof *s);
    if (s == NULL)
        return NULL;
    *s = (tl_surface_t){.w = w, .h = h, .pitch = w};
    size_t bytes = ((size_t)w * (size_t)h + 1) * sizeof *s->pixels;
#ifdef MAP_POPULATE
    /* Every pixel is drawn: its pages are had in one call rather than one
     * page fault each (power's 1600 x 138 picture: 216 faults, ~2 ms of
     * uasync-png's 8 on the machine this was measured on). */
    if (bytes >= 65536) {
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p != MAP_FAILED) {
            s->pixels = p;
            s->mapped = bytes;
            return s;
        }
    }
#endif
    /* calloc: fresh pages come zeroed, and one of 0 pixels is no NULL */
    s->pixels = calloc(bytes / sizeof *s->pixels, sizeof *s->pixels);
    if (s->pixels == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

void tl_surface_free(tl_surface_t *s)
{
    if (s == NULL)
        return;
    if (s->mapped)
        munmap(s->pixels, s->mapped);
    else
        free(s->pixels);
    free(s);
}

void tl_fill(tl_surface_t *s, int x, int y, int w, int h, uint32_t rgb,
             tl_render_stats_t *stats)
{
    if (w <= 0 || h <= 0)
        return;
    if (stats)
        stats->rects++;
    /* clip in 64 bits: x + w must not overflow */
    int64_t x0 = x > 0 ? x : 0, y0 = y > 0 ? y : 0;
    int64_t x1 = (int64_t)x + w, y1 = (int64_t)y + h;
    if (x1 > s->w)
        x1 = s->w;
    if (y1 > s->h)
        y1 = s->h;
    if (x0 >= x1 || y0 >= y1)
        return;
    uint32_t px = rgb & 0xFFFFFFu;
    for (int64_t r = y0; r < y1; r++) {
        uint32_t *line = s->pixels + (size_t)r * (size_t)s->pitch;
        for (int64_t c = x0; c < x1; c++)
            line[c] = px;
    }
}

uint32_t tl_pixel(const tl_surface_t *s, int x, int y)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return 0xFFFFFFFFu;
    return s->pixels[(size_t)y * (size_t)s->pitch + (size_t)x] & 0xFFFFFFu;
}

int tl_surface_png(const tl_surface_t *s, const char *path)
{
    return tl_png_write(path, s->pixels, s->w, s->h, s->pitch);
}

/* --- title, axis, names, legend ---------------------------------------------------- */

static void text(tl_surface_t *s, int x, int y, const char *t, uint32_t rgb,
                 tl_render_stats_t *st)
{
    int n = tl_text(s, x, y, t, rgb);
    if (st)
        st->glyphs += (unsigned long)n;
}

static void draw_title(const tl_trace_t *tr, const tl_view_t *v,
                       tl_surface_t *s, tl_render_stats_t *st)
{
    char a[32], b[32], w[32], line[256];
    tl_fmt_time(v->t0, a, sizeof a);
    tl_fmt_time(v->t1, b, sizeof b);
    tl_fmt_time(v->t1 - v->t0, w, sizeof w);
    int n = snprintf(line, sizeof line, "uasync timeline  scenario: %s",
                     tr->scenario[0] ? tr->scenario : "-");
    if (tr->has_seed)
        n += snprintf(line + n, sizeof line - (size_t)n, "  seed: %llu",
                      (unsigned long long)tr->seed);
    snprintf(line + n, sizeof line - (size_t)n, "  window: %s .. %s (%s)", a,
             b, w);
    text(s, 4, 3, line, TL_C_TEXT, st);
}

/* Tick step: 1, 2 or 5 times a power of ten, about 110 px apart. */
static uint64_t tick_step(const tl_view_t *v)
{
    double want = (double)(v->t1 - v->t0) * 110.0 / plot_w(v);
    uint64_t p = 1;
    for (;;) {
        if ((double)p >= want)
            return p;
        if ((double)(2 * p) >= want)
            return 2 * p;
        if ((double)(5 * p) >= want)
            return 5 * p;
        if (p > UINT64_MAX / 100)
            return p * 10;
        p *= 10;
    }
}

/* One unit for the whole axis: the largest that divides the step. */
static void tick_label(uint64_t t, uint64_t step, char *buf, size_t n)
{
    static const struct { uint64_t div; const char *unit; } u[] = {
        {1000000000ull, "s"}, {1000000ull, "ms"}, {1000ull, "us"}, {1, "ns"}};
    size_t k = 0;
    while (k < 3 && step < u[k].div)
        k++;
    snprintf(buf, n, "%llu %s", (unsigned long long)(t / u[k].div), u[k].unit);
}

static void draw_axis(const tl_trace_t *tr, const tl_view_t *v,
                      tl_surface_t *s, tl_render_stats_t *st)
{
    uint64_t step = tick_step(v);
    int y = TL_TITLE_H, bottom = lanes_bottom(tr, v);
    tl_fill(s, v->label_w, y + TL_AXIS_H - 2, plot_w(v), 1, TL_C_DIM, st);
    /* the first multiple of step at or after t0; times near UINT64_MAX
     * must not wrap around (the loop would never end) */
    uint64_t t = v->t0 / step * step;
    if (t < v->t0) {
        if (t > UINT64_MAX - step)
            return;
        t += step;
    }
    for (; t < v->t1; t = t > UINT64_MAX - step ? v->t1 : t + step) {
        char lab[32];
        int x = tl_time_x(v, t);
        tl_fill(s, x, y + TL_AXIS_H - 6, 1, 4, TL_C_DIM, st);
        tl_fill(s, x, y + TL_AXIS_H, 1, bottom - y - TL_AXIS_H, TL_C_GRID, st);
        tick_label(t, step, lab, sizeof lab);
        int lw = tl_text_width(lab);
        if (x + lw / 2 < v->width)
            text(s, x - lw / 2, y + 2, lab, TL_C_TEXT, st);
    }
}

void tl__draw_backdrop(const tl_trace_t *tr, const tl_view_t *v,
                       tl_surface_t *s, tl_render_stats_t *st)
{
    tl_fill(s, 0, 0, s->w, s->h, TL_C_BG, st);
    for (size_t i = 0; i < tr->nlanes; i++) {
        int y = tl_lane_y(tr, v, i);
        if (y < 0)
            continue;
        uint32_t bg = (int)i == v->selected ? TL_C_SELECT
                      : (i & 1)             ? TL_C_STRIPE
                                            : TL_C_BG;
        if (bg != TL_C_BG)
            tl_fill(s, 0, y, v->width, TL_LANE_H, bg, st);
        char name[64];
        int max = (v->label_w - 8) / TL_FONT_W;
        snprintf(name, sizeof name, "%.*s", max < 63 ? max : 63,
                 tr->lanes[i].name);
        text(s, 4, y + 5, name, TL_C_TEXT, st);
    }
    draw_title(tr, v, s, st);
    draw_axis(tr, v, s, st);
}

void tl__draw_legend(const tl_trace_t *tr, const tl_view_t *v,
                     tl_surface_t *s, tl_render_stats_t *st)
{
    static const struct { uint32_t c; const char *what; } keys[] = {
        {TL_C_RUN, "running"},       {TL_C_READY, "ready, waiting for CPU"},
        {TL_C_BLOCKED, "blocked"},   {TL_C_PIN, "pin level"},
        {TL_C_PIN_DENSE, "edges < 1 px"}, {TL_C_IRQ, "interrupt"},
        {TL_C_UART_TX, "uart tx"},   {TL_C_UART_RX, "uart rx"},
        {TL_C_I2C, "i2c"},           {TL_C_NEC, "ir nec"},
        {TL_C_NOTE, "note"},         {TL_C_ERROR, "error"},
        {TL_C_IDLE, "cpu idle (wfi)"}, {TL_C_DEEP, "cpu deep sleep"},
    };
    int y = lanes_bottom(tr, v) + 6, x = 4;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int w = 14 + tl_text_width(keys[i].what) + 12;
        if (x + w > v->width) {
            x = 4;
            y += 12;
        }
        tl_fill(s, x, y, 10, 8, keys[i].c, st);
        text(s, x + 14, y, keys[i].what, TL_C_TEXT, st);
        x += w;
    }
}
