/*
 * uasync-view: the interactive timeline viewer (SDL2 window), with a
 * script mode that feeds it the same events a person would, so it can be
 * driven and screenshotted without a display (SDL_VIDEODRIVER=offscreen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_viewer.h"

static const char usage[] =
    "usage: uasync-view TRACE.txt [--width W] [--height H] [--title NAME]\n"
    "                   [--script \"CMD;CMD;...\"] [--script-file FILE]\n"
    "keys: wheel, +/- zoom; drag, left/right pan; click sets cursor A,\n"
    "  right- or shift-click cursor B (the status bar shows B-A); up/down\n"
    "  select a lane, n/p (tab/shift-tab) jump to its next/previous event;\n"
    "  hover shows an event's details; / KIND Enter finds the next record of\n"
    "  that kind; Home: whole trace; PgUp/PgDn scroll lanes; s screenshot;\n"
    "  q or Esc quits.\n"
    "script commands (run in order, as input events): zoom_in, zoom_out,\n"
    "  wheel N, pan PX, key NAME, type TEXT, move X Y, click X Y [right],\n"
    "  hover X Y, cursor_a T, cursor_b T, select LANE, next, prev,\n"
    "  search KIND, screenshot FILE, sleep MS, quit.  T is a time (12.5ms,\n"
    "  300us, 2s) or a bare fraction of the visible window (0.25).\n";

static void push(SDL_Event *e) { SDL_PushEvent(e); }

static void push_key(SDL_Keycode k)
{
    SDL_Event e = {.type = SDL_KEYDOWN};
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    push(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    push(&e);
}

static void push_text(const char *s)
{
    SDL_Event e = {.type = SDL_TEXTINPUT};
    snprintf(e.text.text, sizeof e.text.text, "%s", s);
    push(&e);
}

static void push_mouse(Uint32 type, int x, int y, Uint8 button)
{
    SDL_Event e = {.type = type};
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = x;
        e.motion.y = y;
        e.motion.state = button ? SDL_BUTTON_LMASK : 0;
    } else {
        e.button.x = x;
        e.button.y = y;
        e.button.button = button;
        e.button.clicks = 1;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED
                                                     : SDL_RELEASED;
    }
    push(&e);
}

static void push_user(int code, const char *arg)
{
    SDL_Event e = {.type = SDL_USEREVENT};
    e.user.code = code;
    e.user.data1 = arg ? strdup(arg) : NULL;
    push(&e);
}

static uint64_t script_time(const tl_viewer_t *vw, const char *s)
{
    uint64_t t;
    int unit = tl_parse_time(s, &t);
    if (unit == 0) /* a fraction of the visible window */
        t = vw->v.t0 + (uint64_t)(strtod(s, NULL) *
                                  (double)(vw->v.t1 - vw->v.t0) + 0.5);
    return t;
}

/* Turn one script command into events (or a direct action).  -1: unknown. */
static int run_command(tl_viewer_t *vw, char *cmd)
{
    char *w = strtok(cmd, " \t\n"), *a1 = strtok(NULL, " \t\n");
    char *a2 = strtok(NULL, " \t\n"), *a3 = strtok(NULL, " \t\n");
    int mid_y = tl_lane_y(vw->tr, &vw->v, 0) + TL_LANE_H / 2;
    int mid_x = (tl_plot_x(&vw->v) + vw->width) / 2;

    if (w == NULL)
        return 0;
    if (strcmp(w, "zoom_in") == 0) {
        push_key(SDLK_EQUALS);
    } else if (strcmp(w, "zoom_out") == 0) {
        push_key(SDLK_MINUS);
    } else if (strcmp(w, "wheel") == 0 && a1) {
        SDL_Event e = {.type = SDL_MOUSEWHEEL};
        e.wheel.y = atoi(a1);
        push(&e);
    } else if (strcmp(w, "pan") == 0 && a1) {
        int dx = atoi(a1);
        push_mouse(SDL_MOUSEBUTTONDOWN, mid_x, mid_y, SDL_BUTTON_LEFT);
        push_mouse(SDL_MOUSEMOTION, mid_x - dx, mid_y, SDL_BUTTON_LEFT);
        push_mouse(SDL_MOUSEBUTTONUP, mid_x - dx, mid_y, SDL_BUTTON_LEFT);
    } else if (strcmp(w, "key") == 0 && a1) {
        SDL_Keycode k = SDL_GetKeyFromName(a1);
        if (k == SDLK_UNKNOWN)
            return -1;
        push_key(k);
    } else if (strcmp(w, "type") == 0 && a1) {
        push_text(a1);
    } else if ((strcmp(w, "move") == 0 || strcmp(w, "hover") == 0) && a2) {
        push_mouse(SDL_MOUSEMOTION, atoi(a1), atoi(a2), 0);
        if (w[0] == 'h')
            push_user(TL_EV_HOVER, NULL);
    } else if (strcmp(w, "click") == 0 && a2) {
        Uint8 btn = a3 && strcmp(a3, "right") == 0 ? SDL_BUTTON_RIGHT
                                                    : SDL_BUTTON_LEFT;
        push_mouse(SDL_MOUSEBUTTONDOWN, atoi(a1), atoi(a2), btn);
        push_mouse(SDL_MOUSEBUTTONUP, atoi(a1), atoi(a2), btn);
    } else if ((strcmp(w, "cursor_a") == 0 || strcmp(w, "cursor_b") == 0) &&
               a1) {
        tl_viewer_set_cursor(vw, w[7] == 'b', script_time(vw, a1));
    } else if (strcmp(w, "select") == 0 && a1) {
        int n = atoi(a1);
        for (size_t i = 0; i < vw->tr->nlanes; i++)
            if (strcmp(vw->tr->lanes[i].name, a1) == 0)
                n = (int)i;
        if (n >= 0 && n < (int)vw->tr->nlanes)
            vw->v.selected = n;
    } else if (strcmp(w, "next") == 0 || strcmp(w, "prev") == 0) {
        push_key(w[0] == 'n' ? SDLK_n : SDLK_p);
    } else if (strcmp(w, "search") == 0 && a1) {
        push_key(SDLK_SLASH);
        push_text(a1);
        push_key(SDLK_RETURN);
    } else if (strcmp(w, "screenshot") == 0 && a1) {
        push_user(TL_EV_SCREENSHOT, a1);
    } else if (strcmp(w, "sleep") == 0 && a1) {
        SDL_Delay((Uint32)atoi(a1));
    } else if (strcmp(w, "quit") == 0) {
        push_user(TL_EV_QUIT, NULL);
    } else {
        return -1;
    }
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s != NULL && fread(s, 1, (size_t)n, f) != (size_t)n)
        s[0] = '\0';
    fclose(f);
    for (char *p = s; p && *p; p++)
        if (*p == '\n')
            *p = ';';
    return s;
}

static void present(SDL_Window *win, tl_viewer_t *vw)
{
    tl_viewer_draw(vw);
    if (win == NULL)
        return;
    /* the frame's pixels, seen as an SDL surface (no copy) to blit */
    SDL_Surface *ws = SDL_GetWindowSurface(win);
    SDL_Surface *img = SDL_CreateRGBSurfaceWithFormatFrom(
        vw->img->pixels, vw->img->w, vw->img->h, 32, vw->img->pitch * 4,
        SDL_PIXELFORMAT_XRGB8888);
    if (ws != NULL && img != NULL) {
        SDL_BlitSurface(img, NULL, ws, NULL);
        SDL_UpdateWindowSurface(win);
    }
    SDL_FreeSurface(img);
}

static void resize(tl_viewer_t *vw, int w, int h)
{
    tl_surface_t *img = tl_surface_new(w, h);
    if (img == NULL)
        return;
    tl_surface_free(vw->img);
    vw->img = img;
    vw->width = vw->v.width = w;
    vw->height = h;
    vw->v.height = h - TL_STATUS_H;
}

/* The event loop; script commands run one at a time once the events of
 * the previous one are handled. */
static int run(tl_viewer_t *vw, SDL_Window *win, char *script, bool stop_at_end)
{
    char *next = script;
    SDL_Event e;
    while (!vw->quit) {
        if (next != NULL && SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT,
                                           SDL_FIRSTEVENT, SDL_LASTEVENT) == 0) {
            char *cmd = next;
            next = strchr(next, ';');
            if (next != NULL)
                *next++ = '\0';
            if (run_command(vw, cmd) != 0) {
                fprintf(stderr, "uasync-view: bad script command: %s\n", cmd);
                return 2;
            }
            if (next == NULL && stop_at_end)
                push_user(TL_EV_QUIT, NULL);
        }
        bool any = false;
        while (SDL_PollEvent(&e)) {
            if (e.type == SDL_WINDOWEVENT &&
                e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
                resize(vw, e.window.data1, e.window.data2);
            tl_viewer_event(vw, &e);
            any = true;
        }
        if (any)
            present(win, vw);
        else if (next == NULL && SDL_WaitEventTimeout(NULL, 100) == 0)
            continue;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *title = NULL;
    char *script = NULL;
    int width = 1280, height = 0;

    for (int i = 1; i < argc; i++) {
        bool more = i + 1 < argc;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--width") == 0 && more) {
            width = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--height") == 0 && more) {
            height = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--title") == 0 && more) {
            title = argv[++i];
        } else if (strcmp(argv[i], "--script") == 0 && more) {
            free(script);
            script = strdup(argv[++i]);
        } else if (strcmp(argv[i], "--script-file") == 0 && more) {
            free(script);
            script = read_file(argv[++i]);
            if (script == NULL) {
                fprintf(stderr, "uasync-view: cannot read %s\n", argv[i]);
                return 1;
            }
        } else if (in == NULL && argv[i][0] != '-') {
            in = argv[i];
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (in == NULL || width < 300) {
        fputs(usage, stderr);
        return 2;
    }
    tl_trace_t *tr = tl_trace_new();
    if (tl_trace_load(tr, in) != 0) {
        fprintf(stderr, "uasync-view: %s\n", tr->err);
        tl_trace_free(tr);
        return 1;
    }
    if (title != NULL)
        snprintf(tr->scenario, sizeof tr->scenario, "%s", title);
    if (height <= 0) {
        tl_view_t v = tl_view_default(tr, width);
        height = tl_view_height(tr, &v) + TL_STATUS_H;
        height = height < 240 ? 240 : height > 900 ? 900 : height;
    }

    /* Without a display a script can still run: events need no window. */
    SDL_Window *win = NULL;
    if (SDL_Init(SDL_INIT_VIDEO) == 0) {
        char cap[96];
        snprintf(cap, sizeof cap, "uasync-view: %s",
                 tr->scenario[0] ? tr->scenario : in);
        win = SDL_CreateWindow(cap, SDL_WINDOWPOS_UNDEFINED,
                               SDL_WINDOWPOS_UNDEFINED, width, height,
                               SDL_WINDOW_RESIZABLE);
    }
    const char *drv = SDL_GetCurrentVideoDriver();
    bool headless = win == NULL || (drv && (strcmp(drv, "offscreen") == 0 ||
                                            strcmp(drv, "dummy") == 0));
    /* With no display SDL falls back to a driver whose windows nobody sees:
     * without a script the viewer would wait forever for input. */
    if (headless && script == NULL) {
        fprintf(stderr, "uasync-view: no display: %s; run it where a window "
                        "can open (X11 or Wayland: DISPLAY or WAYLAND_DISPLAY), "
                        "or give --script for a scripted run\n",
                win == NULL ? SDL_GetError()
                            : drv ? (strcmp(drv, "dummy") == 0
                                         ? "SDL's video driver is 'dummy'"
                                         : "SDL's video driver is 'offscreen'")
                                  : "no video driver");
        if (win != NULL)
            SDL_DestroyWindow(win);
        SDL_Quit();
        tl_trace_free(tr);
        return 2;
    }
    if (win == NULL)
        SDL_Init(SDL_INIT_EVENTS);
    tl_viewer_t vw;
    int rc = 1;
    if (tl_viewer_init(&vw, tr, width, height, stdout) == 0) {
        present(win, &vw);
        rc = run(&vw, win, script, headless);
    }
    tl_viewer_free(&vw);
    if (win != NULL)
        SDL_DestroyWindow(win);
    SDL_Quit();
    free(script);
    tl_trace_free(tr);
    return rc;
}
