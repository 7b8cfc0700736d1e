/*
 * Drawing a trace's lanes onto a surface (tl_surface.h: off-screen, no
 * display or graphics library needed), and saving the picture as PNG.
 *
 * Layout, top to bottom: a title line (scenario, seed, window), the time
 * axis, one lane per row (name on the left, TL_LANE_H pixels high), then
 * the legend.  Time runs left to right over the plot area [plot_x,
 * width - TL_MARGIN_R).
 *
 * Density.  Nothing is drawn per event.  Every lane is reduced to pixel
 * columns first (how much of each column each state covers, and whether a
 * state is present at all, so a 1 us step in a 60 s window still shows as
 * one pixel), then equal neighbouring columns are merged into one rectangle.
 * Labels (UART byte values, I2C addresses, NEC codes) are drawn only where
 * the item is wide enough to hold them.  So a lane costs at most a few
 * primitives per pixel column whatever the number of events;
 * tl_render_stats_t counts them so tests can check it.
 */
#ifndef TL_RENDER_H
#define TL_RENDER_H

#include "tl_surface.h"
#include "tl_trace.h"

/* Colours (0xRRGGBB). */
#define TL_C_BG 0xFFFFFFu
#define TL_C_STRIPE 0xF4F6F8u   /* every other lane */
#define TL_C_SELECT 0xFFF4C2u   /* the selected lane (viewer) */
#define TL_C_GRID 0xE0E3E8u
#define TL_C_TEXT 0x202428u
#define TL_C_DIM 0x707880u
#define TL_C_RUN 0x2DA44Eu      /* task running */
#define TL_C_READY 0xF08C00u    /* task woken, waiting for the CPU */
#define TL_C_BLOCKED 0xAFC3DAu  /* task waiting for something */
#define TL_C_PIN 0x1F4FB4u      /* pin level line */
#define TL_C_PIN_FILL 0xD6E2F8u /* under a high level */
#define TL_C_PIN_DENSE 0x7B9AD6u /* several edges within one pixel */
#define TL_C_IRQ 0xD1242Fu
#define TL_C_IDLE 0xC9CED6u     /* power lane: CPU idle (WFI) */
#define TL_C_DEEP 0x33415Cu     /* power lane: CPU in deep sleep */
#define TL_C_UART_TX 0x1B998Bu
#define TL_C_UART_RX 0x8250DFu
#define TL_C_I2C 0xBF8700u
#define TL_C_NEC 0xA0365Fu
#define TL_C_NOTE 0x57606Au
#define TL_C_ERROR 0xFF0000u

/* Layout. */
#define TL_TITLE_H 14
#define TL_AXIS_H 18
#define TL_LANE_H 18
#define TL_BAND_Y 2   /* the drawn band of a lane: y + 2 .. y + 15 */
#define TL_BAND_H 14
#define TL_MARGIN_R 10
#define TL_LEGEND_H 30

typedef struct tl_view {
    uint64_t t0, t1;  /* visible window [t0, t1) in ns */
    int width;        /* image width */
    int label_w;      /* width of the lane-name column */
    int height;       /* 0: just what the lanes need */
    int selected;     /* highlighted lane or -1 */
    int first_lane;   /* first lane drawn (vertical scroll) */
} tl_view_t;

typedef struct tl_render_stats {
    unsigned long rects;  /* filled rectangles */
    unsigned long glyphs; /* characters of text */
    unsigned long items;  /* items visited */
} tl_render_stats_t;

/* A view of the whole trace, `width` pixels wide. */
tl_view_t tl_view_default(const tl_trace_t *tr, int width);

/* Image height for the view (lanes from first_lane, legend included). */
int tl_view_height(const tl_trace_t *tr, const tl_view_t *v);

/* Geometry: the plot's left edge, x of a time, time at an x, top of lane i
 * (-1 when it is scrolled out), and the lane at a y (-1 if none). */
int tl_plot_x(const tl_view_t *v);
int tl_time_x(const tl_view_t *v, uint64_t t);
uint64_t tl_x_time(const tl_view_t *v, int x);
int tl_lane_y(const tl_trace_t *tr, const tl_view_t *v, size_t lane);
int tl_lane_at(const tl_trace_t *tr, const tl_view_t *v, int y);

/* Draw the view onto s (of tl_view_height's size or larger).  stats may be
 * NULL. */
void tl_render(const tl_trace_t *tr, const tl_view_t *v, tl_surface_t *s,
               tl_render_stats_t *stats);

/* Fill a rectangle (clipped to the surface) in colour 0xRRGGBB, counted in
 * stats (which may be NULL) unless w or h is 0 or less. */
void tl_fill(tl_surface_t *s, int x, int y, int w, int h, uint32_t rgb,
             tl_render_stats_t *stats);

/* Save a surface as PNG: 0 or -1. */
int tl_surface_png(const tl_surface_t *s, const char *path);

/* Render the view to a PNG file: 0 or -1. */
int tl_render_png(const tl_trace_t *tr, const tl_view_t *v, const char *path,
                  tl_render_stats_t *stats);

#endif /* TL_RENDER_H */
