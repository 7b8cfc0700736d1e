/*
 * Lanes to pixels.  Each lane is first reduced to pixel columns (coverage
 * of up to three categories and a presence bit for each), then runs of
 * equal columns become rectangles; see tl_render.h for why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_font.h"
#include "tl_render.h"

void tl__draw_backdrop(const tl_trace_t *tr, const tl_view_t *v,
                       tl_surface_t *s, tl_render_stats_t *st);
void tl__draw_legend(const tl_trace_t *tr, const tl_view_t *v,
                     tl_surface_t *s, tl_render_stats_t *st);

typedef struct cols {
    int n;
    double span; /* ns in the window */
    uint64_t t0;
    float *cov[3];
    uint8_t *pres;
} cols_t;

/* The column of time t; times far outside the window clamp to just
 * outside it (they are off screen, and must fit in an int). */
static double col_of(const cols_t *c, uint64_t t)
{
    double x = ((double)t - (double)c->t0) * c->n / c->span;
    return x < -2 ? -2 : x > c->n + 2 ? c->n + 2 : x;
}

/* Add [x0, x1) (in columns) of category cat; an instant marks presence. */
static void cover(cols_t *c, int cat, double x0, double x1)
{
    if (x0 < 0)
        x0 = 0;
    if (x1 > c->n)
        x1 = c->n;
    if (x1 < x0 || x0 >= c->n)
        return;
    int a = (int)x0, b = (int)x1;
    if (b >= c->n || (x1 == b && b > a))
        b = b >= c->n ? c->n - 1 : b - 1; /* [x0, x1) ends before b */
    if (a == b) {
        c->cov[cat][a] += (float)(x1 - x0);
    } else {
        c->cov[cat][a] += (float)(a + 1 - x0);
        for (int k = a + 1; k < b; k++)
            c->cov[cat][k] += 1.0f;
        c->cov[cat][b] += (float)(x1 - b);
    }
    /* A span shows in a column it only clips if it fills half of it, so
     * an edge is a clean step rather than a column of both levels. */
    uint8_t bit = (uint8_t)(1u << cat);
    if (a == b || a + 1 - x0 >= 0.5)
        c->pres[a] |= bit;
    for (int k = a + 1; k < b; k++)
        c->pres[k] |= bit;
    if (b > a && x1 - b >= 0.5)
        c->pres[b] |= bit;
}

static void cols_reset(cols_t *c)
{
    for (int k = 0; k < 3; k++)
        memset(c->cov[k], 0, sizeof(float) * (size_t)c->n);
    memset(c->pres, 0, (size_t)c->n);
}

static int bar_h(const cols_t *c, int cat, int k)
{
    if (!(c->pres[k] & (1u << cat)))
        return 0;
    /* at least a third of the band, so one short step stays visible */
    int h = (int)lround(c->cov[cat][k] * TL_BAND_H);
    return h < 5 ? 5 : h > TL_BAND_H ? TL_BAND_H : h;
}

/* --- tasks, pins, interrupts: pure column lanes ------------------------------------ */

/* A column's look, as a small integer, so runs of equal columns merge. */
static unsigned task_sig(const cols_t *c, int k)
{
    uint8_t p = c->pres[k];
    if (p == 1)
        return TL_BAND_H;              /* running throughout */
    if (p == 2)
        return TL_BAND_H << 5;         /* ready throughout */
    return (unsigned)bar_h(c, 0, k) | (unsigned)bar_h(c, 1, k) << 5 |
           (unsigned)(p & 4) << 8;
}

static void task_draw(tl_surface_t *s, int x, int w, int y, unsigned sig,
                      tl_render_stats_t *st)
{
    int run = (int)(sig & 31), ready = (int)(sig >> 5 & 31);
    int band = y + TL_BAND_Y;
    if (sig & (4u << 8))
        tl_fill(s, x, band + 5, w, 4, TL_C_BLOCKED, st);
    if (ready)
        tl_fill(s, x, band + TL_BAND_H - run - ready, w, ready, TL_C_READY, st);
    if (run)
        tl_fill(s, x, band + TL_BAND_H - run, w, run, TL_C_RUN, st);
}

static unsigned pin_sig(const cols_t *c, int k) { return c->pres[k] & 3u; }

static void pin_draw(tl_surface_t *s, int x, int w, int y, unsigned sig,
                     unsigned prev, tl_render_stats_t *st)
{
    int band = y + TL_BAND_Y;
    if (sig == 3) {
        tl_fill(s, x, band + 1, w, TL_BAND_H - 1, TL_C_PIN_DENSE, st);
        return;
    }
    if (sig == 2) {
        tl_fill(s, x, band + 3, w, TL_BAND_H - 3, TL_C_PIN_FILL, st);
        tl_fill(s, x, band + 1, w, 2, TL_C_PIN, st);
    } else if (sig == 1) {
        tl_fill(s, x, band + TL_BAND_H - 2, w, 2, TL_C_PIN, st);
    }
    if ((sig | prev) == 3 && sig != prev) /* an edge between two columns */
        tl_fill(s, x, band + 1, 1, TL_BAND_H - 1, TL_C_PIN, st);
}

static unsigned irq_sig(const cols_t *c, int k) { return c->pres[k] & 1u; }

/* Power: the share of the column the CPU ran (a bar, like a task's) over a
 * thin line for the sleep state seen in it (idle, deep, or both). */
static unsigned power_sig(const cols_t *c, int k)
{
    return (unsigned)bar_h(c, 0, k) | (unsigned)(c->pres[k] & 6u) << 5;
}

static void power_draw(tl_surface_t *s, int x, int w, int y, unsigned sig,
                       tl_render_stats_t *st)
{
    int band = y + TL_BAND_Y, run = (int)(sig & 31);
    if (sig & (4u << 5))
        tl_fill(s, x, band + TL_BAND_H - 3, w, 3, TL_C_DEEP, st);
    if (sig & (2u << 5))
        tl_fill(s, x, band + TL_BAND_H - 6, w, 3, TL_C_IDLE, st);
    if (run)
        tl_fill(s, x, band + TL_BAND_H - run, w, run, TL_C_RUN, st);
}

static unsigned lane_sig(const tl_lane_t *l, const cols_t *c, int k)
{
    return l->type == TL_LANE_TASK    ? task_sig(c, k)
           : l->type == TL_LANE_PIN   ? pin_sig(c, k)
           : l->type == TL_LANE_POWER ? power_sig(c, k)
                                      : irq_sig(c, k);
}

static void column_lane(const tl_lane_t *l, cols_t *c, tl_surface_t *s, int px,
                        int y, tl_render_stats_t *st)
{
    unsigned prev = 0;
    for (int k = 0; k < c->n;) {
        unsigned sig = lane_sig(l, c, k);
        int e = k + 1;
        while (e < c->n && lane_sig(l, c, e) == sig)
            e++;
        if (l->type == TL_LANE_TASK)
            task_draw(s, px + k, e - k, y, sig, st);
        else if (l->type == TL_LANE_POWER)
            power_draw(s, px + k, e - k, y, sig, st);
        else if (l->type == TL_LANE_PIN)
            pin_draw(s, px + k, e - k, y, sig, prev, st);
        else if (sig)
            tl_fill(s, px + k, y + TL_BAND_Y, e - k, TL_BAND_H, TL_C_IRQ, st);
        prev = sig;
        k = e;
    }
}

/* --- buses and annotations: boxes with labels where they fit ----------------------- */

static uint32_t lane_colour(const tl_lane_t *l, const tl_item_t *it)
{
    if (it->flags & TL_F_ERROR)
        return TL_C_ERROR;
    switch (l->type) {
    case TL_LANE_UART:
        return it->flags & TL_F_READ ? TL_C_UART_RX : TL_C_UART_TX;
    case TL_LANE_I2C:
        return TL_C_I2C;
    case TL_LANE_NEC:
        return TL_C_NEC;
    default:
        return TL_C_NOTE;
    }
}

static void item_label(const tl_trace_t *tr, const tl_lane_t *l,
                       const tl_item_t *it, int room, char *buf, size_t n)
{
    const int ch = TL_FONT_W;
    buf[0] = '\0';
    if (l->type == TL_LANE_UART) {
        if (room >= 5 * ch && it->val >= 33 && it->val < 127)
            snprintf(buf, n, "%02X %c", it->val, it->val);
        else if (room >= 2 * ch)
            snprintf(buf, n, "%02X", it->val);
    } else if (l->type == TL_LANE_I2C) {
        const char *rw = it->flags & TL_F_REPEAT ? "W+R"
                         : it->flags & TL_F_READ ? "R" : "W";
        if (room >= 14 * ch)
            snprintf(buf, n, "0x%02X %s %uB", it->val, rw, it->a);
        else if (room >= 4 * ch)
            snprintf(buf, n, "%02X%s", it->val, rw);
    } else if (l->type == TL_LANE_NEC) {
        if (it->flags & TL_F_REPEAT)
            snprintf(buf, n, "rep");
        else
            snprintf(buf, n, "a%02X c%02X", it->a, it->b);
    } else {
        snprintf(buf, n, "%s", tl_trace_name(tr, tr->recs[it->rec].name));
    }
}

static void box_lane(const tl_trace_t *tr, const tl_lane_t *l, cols_t *c,
                     tl_surface_t *s, int px, int y, size_t i0, uint64_t t1,
                     uint32_t bg, tl_render_stats_t *st)
{
    int band = y + TL_BAND_Y, label_end = -1;
    bool instants = l->type == TL_LANE_NEC || l->type == TL_LANE_NOTE;
    char lab[48];

    for (size_t i = i0; i < l->n && l->items[i].t0 < t1; i++) {
        const tl_item_t *it = &l->items[i];
        double x0 = col_of(c, it->t0), x1 = col_of(c, it->t1);
        int w = (int)floor(x1) - (int)floor(x0);
        if (st)
            st->items++;
        if (!instants && w >= 2 * TL_FONT_W + 3 && x0 >= 0 && x1 <= c->n) {
            int bx = px + (int)floor(x0);
            tl_fill(s, bx, band, w - 1, TL_BAND_H, lane_colour(l, it), st);
            item_label(tr, l, it, w - 3, lab, sizeof lab);
            int lw = tl_text_width(lab);
            int g = tl_text(s, bx + (w - 1 - lw) / 2, band + 4, lab, TL_C_BG);
            if (st)
                st->glyphs += (unsigned long)g;
            continue;
        }
        cover(c, it->flags & TL_F_ERROR ? 1 : 0, x0, instants ? x0 : x1);
    }
    /* what was too narrow for a box: busy shading, height = coverage */
    for (int k = 0; k < c->n;) {
        unsigned sig = (unsigned)(instants ? (c->pres[k] ? TL_BAND_H : 0)
                                           : bar_h(c, 0, k)) |
                       (unsigned)(c->pres[k] & 2) << 6;
        int e = k + 1;
        while (e < c->n &&
               ((unsigned)(instants ? (c->pres[e] ? TL_BAND_H : 0)
                                    : bar_h(c, 0, e)) |
                (unsigned)(c->pres[e] & 2) << 6) == sig)
            e++;
        int h = (int)(sig & 63);
        if (sig & 128)
            tl_fill(s, px + k, band, e - k, TL_BAND_H, TL_C_ERROR, st);
        else if (h)
            tl_fill(s, px + k, band + TL_BAND_H - h, instants && e - k < 2 ? 2 : e - k, h,
                    l->items ? lane_colour(l, &l->items[0]) : TL_C_NOTE, st);
        k = e;
    }
    /* labels of instants last, on the lane's background, never overlapping */
    for (size_t i = i0; instants && i < l->n && l->items[i].t0 < t1; i++) {
        double x0 = col_of(c, l->items[i].t0);
        int lx = px + (int)floor(x0) + 4;
        if (x0 < 0 || lx <= label_end)
            continue;
        item_label(tr, l, &l->items[i], 0, lab, sizeof lab);
        int lw = tl_text_width(lab);
        tl_fill(s, lx - 1, band + 3, lw + 1, 9, bg, st);
        st->glyphs += (unsigned long)tl_text(s, lx, band + 4, lab, TL_C_TEXT);
        label_end = lx + lw + TL_FONT_W;
    }
}

void tl_render(const tl_trace_t *tr, const tl_view_t *v, tl_surface_t *s,
               tl_render_stats_t *stats)
{
    tl_render_stats_t dummy;
    tl_render_stats_t *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    if (v->t1 <= v->t0)
        return;
    cols_t c = {.n = v->width - v->label_w - TL_MARGIN_R,
                .span = (double)(v->t1 - v->t0), .t0 = v->t0};
    if (c.n < 1)
        return;
    for (int k = 0; k < 3; k++)
        c.cov[k] = malloc(sizeof(float) * (size_t)c.n);
    c.pres = malloc((size_t)c.n);
    if (!c.cov[0] || !c.cov[1] || !c.cov[2] || !c.pres)
        abort();

    tl__draw_backdrop(tr, v, s, st);
    for (size_t li = 0; li < tr->nlanes; li++) {
        const tl_lane_t *l = &tr->lanes[li];
        int y = tl_lane_y(tr, v, li);
        if (y < 0)
            continue;
        cols_reset(&c);
        size_t i0 = tl_lane_seek(l, v->t0);
        if (l->type >= TL_LANE_UART) {
            uint32_t bg = (int)li == v->selected ? TL_C_SELECT
                          : (li & 1)              ? TL_C_STRIPE
                                                  : TL_C_BG;
            box_lane(tr, l, &c, s, v->label_w, y, i0, v->t1, bg, st);
            continue;
        }
        for (size_t i = i0; i < l->n && l->items[i].t0 < v->t1; i++) {
            const tl_item_t *it = &l->items[i];
            int cat = l->type == TL_LANE_TASK
                          ? (it->val == TL_ST_RUN ? 0
                             : it->val == TL_ST_READY ? 1 : 2)
                      : l->type == TL_LANE_PIN   ? (it->val ? 1 : 0)
                      : l->type == TL_LANE_POWER ? (it->val < 3 ? it->val : 0)
                                                 : 0;
            cover(&c, cat, col_of(&c, it->t0), col_of(&c, it->t1));
            st->items++;
        }
        column_lane(l, &c, s, v->label_w, y, st);
    }
    tl__draw_legend(tr, v, s, st);
    for (int k = 0; k < 3; k++)
        free(c.cov[k]);
    free(c.pres);
}

int tl_render_png(const tl_trace_t *tr, const tl_view_t *v, const char *path,
                  tl_render_stats_t *stats)
{
    tl_surface_t *s = tl_surface_new(v->width, tl_view_height(tr, v));
    if (s == NULL)
        return -1;
    tl_render(tr, v, s, stats);
    int st = tl_surface_png(s, path);
    tl_surface_free(s);
    return st;
}
