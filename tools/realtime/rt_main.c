/*
 * uasync-board: run an app of apps/ in real time on a virtual board window.
 *
 *   uasync-board [--app demo] [--args "k=v,..."] [--seed N] [--speed X]
 *                [--duration MS] [--script "cmd;cmd;..."] [--headless]
 *                [--list]
 *
 * The window shows the LCD, the LEDs, a clickable button and the IR
 * remote's keypad (keys: space holds the button, digits send keys, q or
 * Esc quits).  --headless draws into memory only (no video driver at all);
 * SDL_VIDEODRIVER=offscreen or dummy gives a window nobody sees.  The
 * script language is described in rt_script.c.  At the end the LCD and the
 * LEDs are printed, and the exit status is 1 if an `expect` failed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_app.h"
#include "rt_draw.h"
#include "sim_trace.h"

uint64_t rt_wall_ns(const rt_t *rt)
{
    return uv_hrtime() - rt->t0;
}

void rt_sync(rt_t *rt)
{
    rt_board_advance(&rt->board, rt_wall_ns(rt));
    rt_draw(rt->surf, &rt->board, rt->title, rt->key_down);
    rt_pace(rt);
}

void rt_quit(rt_t *rt)
{
    uv_stop(rt->uv);
}

static void pace_cb(uv_timer_t *t)
{
    rt_t *rt = t->data;
    rt_board_advance(&rt->board, rt_wall_ns(rt));
    rt_pace(rt);
}

/* libuv timers count whole milliseconds: round up, so the simulation is
 * never asked to run ahead of the wall clock (it runs every event at its
 * exact virtual time either way; only when it is observed is rounded). */
void rt_pace(rt_t *rt)
{
    uint64_t next = rt_board_next_wall(&rt->board);
    uint64_t now = rt_wall_ns(rt);

    if (next == UINT64_MAX) {
        uv_timer_stop(&rt->pace); /* idle until input comes */
        return;
    }
    uint64_t ms = next > now ? (next - now + 999999) / 1000000 : 0;
    uv_timer_start(&rt->pace, pace_cb, ms, 0);
}

static void on_mouse(rt_t *rt, const SDL_MouseButtonEvent *m, bool down)
{
    rt_board_advance(&rt->board, rt_wall_ns(rt));
    if (!down) {
        if (rt->mouse_on_button)
            rt_board_button(&rt->board, false);
        rt->mouse_on_button = false;
        rt->key_down = -1;
        return;
    }
    int hit = rt_draw_hit(m->x, m->y);
    if (hit == RT_HIT_BUTTON) {
        rt->mouse_on_button = true;
        rt_board_button(&rt->board, true);
    } else if (hit >= 0) {
        rt->key_down = hit;
        rt_board_ir(&rt->board, rt_key_command(hit));
    }
}

static void on_key(rt_t *rt, SDL_Keycode k, bool down)
{
    rt_board_advance(&rt->board, rt_wall_ns(rt));
    if (k == SDLK_q || k == SDLK_ESCAPE) {
        rt_quit(rt);
    } else if (k == SDLK_SPACE) {
        rt_board_button(&rt->board, down);
    } else if (down && k >= SDLK_0 && k <= SDLK_9) {
        char label[2] = {(char)('0' + (k - SDLK_0)), '\0'};
        rt_board_ir(&rt->board, rt_key_command(rt_key_find(label)));
    }
}

static void frame_cb(uv_timer_t *t)
{
    rt_t *rt = t->data;
    SDL_Event e;
    while (rt->win != NULL && SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT)
            rt_quit(rt);
        else if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP)
            on_mouse(rt, &e.button, e.type == SDL_MOUSEBUTTONDOWN);
        else if ((e.type == SDL_KEYDOWN && !e.key.repeat) || e.type == SDL_KEYUP)
            on_key(rt, e.key.keysym.sym, e.type == SDL_KEYDOWN);
    }
    rt_sync(rt);
    if (rt->win != NULL) {
        SDL_Surface *ws = SDL_GetWindowSurface(rt->win);
        if (ws != NULL) {
            SDL_BlitSurface(rt->surf, NULL, ws, NULL);
            SDL_UpdateWindowSurface(rt->win);
        }
    }
}

static void stop_cb(uv_timer_t *t)
{
    rt_quit(t->data);
}

static void sigint_cb(uv_signal_t *s, int signum)
{
    (void)signum;
    rt_quit(s->data);
}

static void close_all(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void summary(rt_t *rt)
{
    char rows[RT_LCD_ROWS][RT_LCD_COLS + 1];
    rt_board_advance(&rt->board, rt_wall_ns(rt));
    printf("ran %.3f s virtual; button clicks %u, IR keys %u\n",
           (double)rt_board_now(&rt->board) / 1e9, rt->board.clicks,
           rt->board.keys_sent);
    if (rt_board_lcd(&rt->board, rows))
        printf("LCD |%s|\n    |%s|\n", rows[0], rows[1]);
    for (unsigned i = 0; i < rt->board.nleds; i++) {
        int level = 0;
        const char *name = rt_board_led(&rt->board, i, &level);
        printf("LED %s %s\n", name, level ? "on" : "off");
    }
}

static int list_apps(void)
{
    for (unsigned i = 0; i < sim_app_count(); i++)
        printf("%-12s %s\n", sim_app_name(i), sim_app_description(i));
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: uasync-board [--app NAME] [--args ARGS] [--seed N] "
                    "[--speed X] [--duration MS] [--script CMDS] [--headless] "
                    "[--list]\n");
    return 2;
}

static int open_video(rt_t *rt, bool headless)
{
    rt->surf = SDL_CreateRGBSurfaceWithFormat(0, RT_WIN_W, RT_WIN_H, 32,
                                              SDL_PIXELFORMAT_ARGB8888);
    if (rt->surf == NULL)
        return -1;
    if (headless)
        return 0;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "uasync-board: no display (%s); use --headless or "
                        "SDL_VIDEODRIVER=offscreen\n", SDL_GetError());
        return -1;
    }
    char title[96];
    snprintf(title, sizeof title, "uasync virtual board: %s", rt->title);
    rt->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, RT_WIN_W, RT_WIN_H, 0);
    if (rt->win == NULL) {
        fprintf(stderr, "uasync-board: %s\n", SDL_GetError());
        return -1;
    }
    return 0;
}

static void start_timers(rt_t *rt, long duration_ms)
{
    uv_timer_t *timers[] = {&rt->pace, &rt->frame, &rt->script_timer,
                            &rt->stop_timer};
    for (size_t i = 0; i < 4; i++) {
        uv_timer_init(rt->uv, timers[i]);
        timers[i]->data = rt;
    }
    rt_pace(rt);
    uv_timer_start(&rt->frame, frame_cb, 0, 16);
    if (duration_ms > 0)
        uv_timer_start(&rt->stop_timer, stop_cb, (uint64_t)duration_ms, 0);
    uv_signal_init(rt->uv, &rt->sigint);
    rt->sigint.data = rt;
    uv_signal_start(&rt->sigint, sigint_cb, SIGINT);
}

int main(int argc, char **argv)
{
    static rt_t rt;
    const char *app = "demo", *args = "", *script = NULL;
    long duration_ms = 0;
    unsigned long long seed = 1;
    double speed = 1.0;
    bool headless = false;
    char err[256];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--list") == 0)
            return list_apps();
        if (strcmp(a, "--headless") == 0) {
            headless = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage();
            return 0;
        }
        if (v == NULL) {
            fprintf(stderr, "uasync-board: %s %s\n", a,
                    a[0] == '-' ? "needs a value" : "is not an option");
            return usage();
        }
        i++;
        char *end = NULL;
        if (strcmp(a, "--app") == 0) {
            app = v;
        } else if (strcmp(a, "--args") == 0) {
            args = v;
        } else if (strcmp(a, "--seed") == 0) {
            errno = 0;
            seed = strtoull(v, &end, 0);
            if (end == v || *end != '\0' || errno == ERANGE || v[0] == '-') {
                fprintf(stderr, "uasync-board: --seed %s: not a whole number "
                                "from 0 to 18446744073709551615\n", v);
                return 2;
            }
        } else if (strcmp(a, "--speed") == 0) {
            speed = strtod(v, &end);
            if (end == v || *end != '\0' || !(speed >= 0.01 && speed <= 1000)) {
                fprintf(stderr, "uasync-board: --speed %s: not a number from "
                                "0.01 to 1000\n", v);
                return 2;
            }
        } else if (strcmp(a, "--duration") == 0) {
            errno = 0;
            duration_ms = strtol(v, &end, 10);
            if (end == v || *end != '\0' || errno == ERANGE ||
                duration_ms < 0 || duration_ms > INT32_MAX) {
                fprintf(stderr, "uasync-board: --duration %s: not a whole number "
                                "of ms from 0 to %ld\n", v, (long)INT32_MAX);
                return 2;
            }
        } else if (strcmp(a, "--script") == 0) {
            script = v;
        } else {
            fprintf(stderr, "uasync-board: unknown option %s\n", a);
            return usage();
        }
    }
    if (rt_board_open(&rt.board, app, args, seed, err, sizeof err) != 0) {
        fprintf(stderr, "uasync-board: %s\n", err);
        return 2;
    }
    rt.board.speed = speed > 0 ? speed : 1.0;
    rt.title = app;
    rt.key_down = -1;
    rt.uv = uv_default_loop();
    if (SDL_Init(0) != 0 || open_video(&rt, headless) != 0) {
        rt_board_close(&rt.board);
        return 2;
    }
    /* With no display SDL falls back to a driver whose window nobody sees:
     * a run with nothing to end it (no script, no duration) would go on
     * forever, invisibly. */
    const char *drv = rt.win != NULL ? SDL_GetCurrentVideoDriver() : NULL;
    if (drv != NULL && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0) &&
        script == NULL && duration_ms == 0) {
        fprintf(stderr, "uasync-board: no display: SDL's video driver is '%s', "
                        "nobody would see the window; run it where a window can "
                        "open (DISPLAY or WAYLAND_DISPLAY), or give --headless "
                        "with --duration or --script\n", drv);
        SDL_DestroyWindow(rt.win);
        SDL_Quit();
        rt_board_close(&rt.board);
        return 2;
    }
    printf("uasync-board: app %s in real time%s; Ctrl-C or q to quit\n", app,
           rt.win != NULL ? " (window open)" : " (no window)");
    fflush(stdout);
    rt.t0 = uv_hrtime();
    start_timers(&rt, duration_ms);
    rt_sync(&rt);
    if (script != NULL)
        rt_script_start(&rt, script);
    if (script == NULL || rt.next != NULL)
        uv_run(rt.uv, UV_RUN_DEFAULT);
    summary(&rt);

    uv_walk(rt.uv, close_all, NULL);
    uv_run(rt.uv, UV_RUN_DEFAULT);
    uv_loop_close(rt.uv);
    if (rt.win != NULL)
        SDL_DestroyWindow(rt.win);
    SDL_FreeSurface(rt.surf);
    SDL_Quit();
    rt_board_close(&rt.board);
    free(rt.script);
    return rt.status;
}
