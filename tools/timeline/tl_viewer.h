/*
 * The interactive timeline viewer's state and what it does on an input
 * event.  The picture is drawn off-screen by tl_render plus an overlay
 * (cursors, status bar); view_main.c only shows it in a window, so the
 * viewer runs the same without a display (scripts, tests, screenshots).
 *
 * Every user action arrives as an SDL event -- real ones from the window,
 * or events a script pushed (view_main.c) -- so a scripted run goes through
 * the same code as a person with a mouse.
 */
#ifndef TL_VIEWER_H
#define TL_VIEWER_H

#include <stdbool.h>
#include <stdio.h>

#include <SDL.h>

#include "tl_render.h"

#define TL_STATUS_H 26
#define TL_C_CUR_A 0x0050FFu /* cursor A */
#define TL_C_CUR_B 0xFF00AAu /* cursor B */

/* User event codes (SDL_USEREVENT, event.user.code). */
enum tl_user_ev { TL_EV_SCREENSHOT = 1, TL_EV_QUIT, TL_EV_HOVER };

typedef struct tl_viewer {
    tl_trace_t *tr;
    tl_view_t v;
    tl_surface_t *img; /* the frame, width x height */
    int width, height;
    bool has_a, has_b;
    uint64_t a, b;
    int mouse_x, mouse_y;
    bool dragging, dragged;
    int drag_x;
    uint64_t drag_t0, drag_t1;
    bool searching;
    char query[32];
    char hover[200];
    char note[320]; /* last message for the status bar */
    unsigned shots;
    bool quit;
    FILE *out; /* where cursor deltas, jumps and saves are printed */
} tl_viewer_t;

/* Set up a viewer of `tr` for a width x height frame; 0 or -1. */
int tl_viewer_init(tl_viewer_t *vw, tl_trace_t *tr, int width, int height,
                   FILE *out);
void tl_viewer_free(tl_viewer_t *vw);

/* Handle one event (keys, mouse, wheel, TL_EV_* user events). */
void tl_viewer_event(tl_viewer_t *vw, const SDL_Event *e);

/* Draw the current frame into vw->img. */
void tl_viewer_draw(tl_viewer_t *vw);

/* Actions (also reachable through events). */
void tl_viewer_zoom(tl_viewer_t *vw, double factor, int x);
void tl_viewer_pan(tl_viewer_t *vw, int dx);
void tl_viewer_set_cursor(tl_viewer_t *vw, bool b, uint64_t t);
void tl_viewer_jump(tl_viewer_t *vw, int dir);
void tl_viewer_search(tl_viewer_t *vw, const char *kind);
int tl_viewer_screenshot(tl_viewer_t *vw, const char *path);

#endif /* TL_VIEWER_H */
