/*
 * uasync-board: the real-time runner (see rt_main.c for the command line).
 * One libuv loop drives everything: a one-shot timer paces the simulation
 * to the wall clock, set each time for the moment the simulation next has
 * something to do (sim_next_time), a 16 ms timer polls SDL's events and
 * redraws the window, and the script runs its commands from a third timer.
 * Between them the process sleeps in uv_run.
 */
#ifndef RT_APP_H
#define RT_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>
#include <uv.h>

#include "rt_board.h"

typedef struct rt {
    uv_loop_t *uv;
    uv_timer_t pace, frame, script_timer, stop_timer;
    uv_signal_t sigint;
    rt_board_t board;
    uint64_t t0;            /* uv_hrtime at start */
    const char *title;
    SDL_Window *win;        /* NULL when headless */
    SDL_Surface *surf;      /* what is drawn, ARGB8888 */
    int key_down;           /* keypad key held with the mouse, -1 none */
    bool mouse_on_button;
    /* Script. */
    char *script;           /* owned copy, commands separated by ';' */
    char *next;             /* next command, NULL when done */
    int status;             /* exit status: 1 once an expectation failed */
} rt_t;

/* Wall time since start, ns. */
uint64_t rt_wall_ns(const rt_t *rt);

/* Bring the simulation up to the wall clock and redraw the surface. */
void rt_sync(rt_t *rt);

/* Arm the pacing timer for the simulation's next event or step; called
 * after anything that may have queued events (input, a script command). */
void rt_pace(rt_t *rt);

/* Stop the libuv loop (the run ends). */
void rt_quit(rt_t *rt);

/* Start running `script` (copied) at once. */
void rt_script_start(rt_t *rt, const char *script);

#endif /* RT_APP_H */
