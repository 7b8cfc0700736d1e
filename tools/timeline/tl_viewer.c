/*
 * Viewer state, actions and event handling; see tl_viewer.h.
 */
#include <stdlib.h>
#include <string.h>

#include "tl_font.h"
#include "tl_viewer.h"

#define MIN_SPAN 100u /* ns: the deepest zoom */

int tl_viewer_init(tl_viewer_t *vw, tl_trace_t *tr, int width, int height,
                   FILE *out)
{
    memset(vw, 0, sizeof *vw);
    vw->tr = tr;
    vw->width = width;
    vw->height = height;
    vw->out = out;
    vw->v = tl_view_default(tr, width);
    vw->v.height = height - TL_STATUS_H;
    vw->v.selected = tr->nlanes ? 0 : -1;
    vw->img = tl_surface_new(width, height);
    return vw->img ? 0 : -1;
}

void tl_viewer_free(tl_viewer_t *vw)
{
    if (vw->img)
        tl_surface_free(vw->img);
    vw->img = NULL;
}

static void say(tl_viewer_t *vw, const char *msg)
{
    snprintf(vw->note, sizeof vw->note, "%s", msg);
    if (vw->out) {
        fprintf(vw->out, "%s\n", msg);
        fflush(vw->out);
    }
}

/* --- actions ----------------------------------------------------------------- */

static uint64_t trace_end(const tl_viewer_t *vw)
{
    return vw->tr->t_end ? vw->tr->t_end : 1000;
}

static void set_window(tl_viewer_t *vw, double t0, double t1)
{
    double span = t1 - t0, end = (double)trace_end(vw);
    if (span < MIN_SPAN)
        span = MIN_SPAN;
    if (span > 2 * end + MIN_SPAN)
        span = 2 * end + MIN_SPAN;
    if (t0 < 0)
        t0 = 0;
    if (t0 > end)
        t0 = end;
    vw->v.t0 = (uint64_t)(t0 + 0.5);
    vw->v.t1 = vw->v.t0 + (uint64_t)(span + 0.5);
}

/* Zoom by `factor` (> 1: in) keeping the time under x in place. */
void tl_viewer_zoom(tl_viewer_t *vw, double factor, int x)
{
    int px = tl_plot_x(&vw->v), pw = vw->width - px - TL_MARGIN_R;
    if (x < px || x >= px + pw)
        x = px + pw / 2;
    double t = (double)tl_x_time(&vw->v, x);
    double span = (double)(vw->v.t1 - vw->v.t0) / factor;
    double f = (double)(x - px) / pw;
    set_window(vw, t - f * span, t - f * span + span);
}

/* Move the window by dx pixels (dx > 0: later times come into view). */
void tl_viewer_pan(tl_viewer_t *vw, int dx)
{
    int pw = vw->width - tl_plot_x(&vw->v) - TL_MARGIN_R;
    double span = (double)(vw->v.t1 - vw->v.t0);
    double t0 = (double)vw->v.t0 + dx * span / pw;
    set_window(vw, t0, t0 + span);
}

static void show_cursors(tl_viewer_t *vw)
{
    char a[32] = "-", b[32] = "-", d[32] = "-", line[160];
    if (vw->has_a)
        tl_fmt_time(vw->a, a, sizeof a);
    if (vw->has_b)
        tl_fmt_time(vw->b, b, sizeof b);
    if (vw->has_a && vw->has_b)
        tl_fmt_time(vw->a > vw->b ? vw->a - vw->b : vw->b - vw->a, d, sizeof d);
    snprintf(line, sizeof line, "cursor A=%s B=%s delta=%s", a, b, d);
    say(vw, line);
}

void tl_viewer_set_cursor(tl_viewer_t *vw, bool b, uint64_t t)
{
    if (b) {
        vw->has_b = true;
        vw->b = t;
    } else {
        vw->has_a = true;
        vw->a = t;
    }
    show_cursors(vw);
}

static void focus(tl_viewer_t *vw, uint64_t t)
{
    uint64_t span = vw->v.t1 - vw->v.t0;
    if (t < vw->v.t0 || t >= vw->v.t1)
        set_window(vw, (double)t - span / 2.0, (double)t + span / 2.0);
}

/* The time navigation starts from: cursor A, else the window's middle. */
static uint64_t here(const tl_viewer_t *vw)
{
    return vw->has_a ? vw->a : vw->v.t0 + (vw->v.t1 - vw->v.t0) / 2;
}

/* Next (dir > 0) or previous item start of the selected lane. */
void tl_viewer_jump(tl_viewer_t *vw, int dir)
{
    char line[240], d[200];
    if (vw->v.selected < 0 || (size_t)vw->v.selected >= vw->tr->nlanes)
        return;
    const tl_lane_t *l = &vw->tr->lanes[vw->v.selected];
    uint64_t t = here(vw);
    size_t i = tl_lane_seek(l, t);
    const tl_item_t *it = NULL;
    if (dir > 0) {
        while (i < l->n && l->items[i].t0 <= t)
            i++;
        it = i < l->n ? &l->items[i] : NULL;
    } else {
        while (i > 0 && (i >= l->n || l->items[i].t0 >= t))
            i--;
        it = l->n && l->items[i].t0 < t ? &l->items[i] : NULL;
    }
    if (it == NULL) {
        say(vw, dir > 0 ? "no next event in this lane"
                        : "no previous event in this lane");
        return;
    }
    vw->has_a = true;
    vw->a = it->t0;
    focus(vw, it->t0);
    tl_item_describe(vw->tr, l, it, d, sizeof d);
    snprintf(line, sizeof line, "event: %s", d);
    say(vw, line);
}

/* The lane a record was drawn in (-1 when none: scheduler-only kinds). */
static int lane_of(const tl_trace_t *tr, const tl_rec_t *r)
{
    for (size_t i = 0; i < tr->nlanes; i++) {
        const tl_lane_t *l = &tr->lanes[i];
        bool task = r->kind < UA_TR_KIND_COUNT || r->kind == SIM_TR_STEP;
        if ((l->type == TL_LANE_TASK && task && l->obj == r->obj &&
             l->board == r->board) ||
            (l->type == TL_LANE_IRQ && r->kind == SIM_TR_IRQ_ENTER &&
             l->board == r->board) ||
            ((l->type == TL_LANE_PIN || l->type == TL_LANE_NEC) &&
             r->name == l->obj && !task))
            return (int)i;
    }
    return -1;
}

/* Next record after the cursor whose kind name contains `kind`. */
void tl_viewer_search(tl_viewer_t *vw, const char *kind)
{
    char line[200], at[32];
    uint64_t t = here(vw);
    const tl_trace_t *tr = vw->tr;
    for (size_t i = 0; i < tr->nrec; i++) {
        const tl_rec_t *r = &tr->recs[i];
        if (r->t_ns <= t || !strstr(tl_kind_name(r->kind), kind))
            continue;
        vw->has_a = true;
        vw->a = r->t_ns;
        focus(vw, r->t_ns);
        int lane = lane_of(tr, r);
        if (lane >= 0)
            vw->v.selected = lane;
        tl_fmt_time(r->t_ns, at, sizeof at);
        snprintf(line, sizeof line, "found: %s at %s%s%s",
                 tl_kind_name(r->kind), at, lane >= 0 ? " in " : "",
                 lane >= 0 ? tr->lanes[lane].name : "");
        say(vw, line);
        return;
    }
    snprintf(line, sizeof line, "not found: %s", kind);
    say(vw, line);
}

int tl_viewer_screenshot(tl_viewer_t *vw, const char *path)
{
    char line[300];
    tl_viewer_draw(vw);
    int st = tl_surface_png(vw->img, path);
    snprintf(line, sizeof line, st ? "cannot save %s" : "saved %s", path);
    say(vw, line);
    return st;
}

/* --- hover ---------------------------------------------------------------------- */

static void update_hover(tl_viewer_t *vw)
{
    vw->hover[0] = '\0';
    int lane = tl_lane_at(vw->tr, &vw->v, vw->mouse_y);
    if (lane < 0 || vw->mouse_x < tl_plot_x(&vw->v))
        return;
    const tl_lane_t *l = &vw->tr->lanes[lane];
    uint64_t lo = tl_x_time(&vw->v, vw->mouse_x - 2);
    uint64_t hi = tl_x_time(&vw->v, vw->mouse_x + 3);
    for (size_t i = tl_lane_seek(l, lo); i < l->n && l->items[i].t0 < hi; i++) {
        tl_item_describe(vw->tr, l, &l->items[i], vw->hover, sizeof vw->hover);
        if (l->items[i].t1 >= tl_x_time(&vw->v, vw->mouse_x))
            return; /* the item under the pointer itself */
    }
}

/* --- events ------------------------------------------------------------------------ */

static void on_key(tl_viewer_t *vw, const SDL_KeyboardEvent *k)
{
    SDL_Keycode sym = k->keysym.sym;
    bool shift = k->keysym.mod & KMOD_SHIFT;
    int pw = vw->width - tl_plot_x(&vw->v) - TL_MARGIN_R;

    if (vw->searching) {
        size_t n = strlen(vw->query);
        if (sym == SDLK_RETURN || sym == SDLK_KP_ENTER) {
            vw->searching = false;
            tl_viewer_search(vw, vw->query);
        } else if (sym == SDLK_ESCAPE) {
            vw->searching = false;
        } else if (sym == SDLK_BACKSPACE && n > 0) {
            vw->query[n - 1] = '\0';
        }
        return; /* characters come as SDL_TEXTINPUT */
    }
    switch (sym) {
    case SDLK_q:
    case SDLK_ESCAPE:
        vw->quit = true;
        break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        tl_viewer_zoom(vw, 2.0, vw->has_a ? tl_time_x(&vw->v, vw->a) : -1);
        break;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        tl_viewer_zoom(vw, 0.5, -1);
        break;
    case SDLK_LEFT:
        tl_viewer_pan(vw, -pw / 8);
        break;
    case SDLK_RIGHT:
        tl_viewer_pan(vw, pw / 8);
        break;
    case SDLK_UP:
        if (vw->v.selected > 0)
            vw->v.selected--;
        break;
    case SDLK_DOWN:
        if (vw->v.selected + 1 < (int)vw->tr->nlanes)
            vw->v.selected++;
        break;
    case SDLK_PAGEUP:
        vw->v.first_lane = vw->v.first_lane > 4 ? vw->v.first_lane - 4 : 0;
        break;
    case SDLK_PAGEDOWN:
        if (vw->v.first_lane + 4 < (int)vw->tr->nlanes)
            vw->v.first_lane += 4;
        break;
    case SDLK_n:
    case SDLK_p:
    case SDLK_TAB:
        tl_viewer_jump(vw, (sym == SDLK_p || (sym == SDLK_TAB && shift)) ? -1
                                                                         : 1);
        break;
    case SDLK_HOME:
        set_window(vw, 0, (double)trace_end(vw));
        break;
    case SDLK_SLASH:
        vw->searching = true;
        vw->query[0] = '\0';
        break;
    case SDLK_s: {
        char path[64];
        snprintf(path, sizeof path, "uasync-view-%u.png", ++vw->shots);
        tl_viewer_screenshot(vw, path);
        break;
    }
    default:
        break;
    }
}

static void on_button(tl_viewer_t *vw, const SDL_MouseButtonEvent *b)
{
    vw->mouse_x = b->x;
    vw->mouse_y = b->y;
    if (b->type == SDL_MOUSEBUTTONUP) {
        if (b->button == SDL_BUTTON_LEFT && vw->dragging && !vw->dragged &&
            b->x >= tl_plot_x(&vw->v))
            tl_viewer_set_cursor(vw, SDL_GetModState() & KMOD_SHIFT,
                                 tl_x_time(&vw->v, b->x));
        vw->dragging = false;
        return;
    }
    int lane = tl_lane_at(vw->tr, &vw->v, b->y);
    if (lane >= 0)
        vw->v.selected = lane;
    if (b->button == SDL_BUTTON_RIGHT && b->x >= tl_plot_x(&vw->v)) {
        tl_viewer_set_cursor(vw, true, tl_x_time(&vw->v, b->x));
    } else if (b->button == SDL_BUTTON_LEFT) {
        /* a click sets cursor A on release; a drag pans instead */
        vw->dragging = true;
        vw->dragged = false;
        vw->drag_x = b->x;
        vw->drag_t0 = vw->v.t0;
        vw->drag_t1 = vw->v.t1;
    }
}

static void on_motion(tl_viewer_t *vw, const SDL_MouseMotionEvent *m)
{
    vw->mouse_x = m->x;
    vw->mouse_y = m->y;
    if (vw->dragging && (m->x - vw->drag_x > 2 || vw->drag_x - m->x > 2)) {
        vw->dragged = true;
        vw->v.t0 = vw->drag_t0;
        vw->v.t1 = vw->drag_t1;
        tl_viewer_pan(vw, vw->drag_x - m->x);
    }
    update_hover(vw);
}

void tl_viewer_event(tl_viewer_t *vw, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT:
        vw->quit = true;
        break;
    case SDL_KEYDOWN:
        on_key(vw, &e->key);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        on_button(vw, &e->button);
        break;
    case SDL_MOUSEMOTION:
        on_motion(vw, &e->motion);
        break;
    case SDL_TEXTINPUT: {
        size_t n = strlen(vw->query);
        /* the '/' that opened the search arrives as text too */
        if (vw->searching && !(n == 0 && strcmp(e->text.text, "/") == 0))
            snprintf(vw->query + n, sizeof vw->query - n, "%.*s",
                     (int)(sizeof vw->query - n - 1), e->text.text);
        break;
    }
    case SDL_MOUSEWHEEL:
        tl_viewer_zoom(vw, e->wheel.y > 0 ? 1.25 : 0.8, vw->mouse_x);
        break;
    case SDL_USEREVENT:
        if (e->user.code == TL_EV_SCREENSHOT)
            tl_viewer_screenshot(vw, e->user.data1);
        else if (e->user.code == TL_EV_QUIT)
            vw->quit = true;
        else if (e->user.code == TL_EV_HOVER && vw->hover[0])
            say(vw, vw->hover);
        free(e->user.data1);
        break;
    default:
        break;
    }
}

/* --- drawing --------------------------------------------------------------------- */

static void cursor_line(tl_viewer_t *vw, uint64_t t, uint32_t rgb)
{
    int x = tl_time_x(&vw->v, t);
    if (x >= tl_plot_x(&vw->v) && x < vw->width - TL_MARGIN_R)
        tl_fill(vw->img, x, TL_TITLE_H, 1, vw->v.height - TL_TITLE_H, rgb, NULL);
}

void tl_viewer_draw(tl_viewer_t *vw)
{
    char line[600], a[32], b[32], d[32];
    tl_render(vw->tr, &vw->v, vw->img, NULL);
    if (vw->has_a)
        cursor_line(vw, vw->a, TL_C_CUR_A);
    if (vw->has_b)
        cursor_line(vw, vw->b, TL_C_CUR_B);

    int y = vw->height - TL_STATUS_H;
    tl_fill(vw->img, 0, y, vw->width, TL_STATUS_H, 0x24292Fu, NULL);
    snprintf(a, sizeof a, "-");
    snprintf(b, sizeof b, "-");
    snprintf(d, sizeof d, "-");
    if (vw->has_a)
        tl_fmt_time(vw->a, a, sizeof a);
    if (vw->has_b)
        tl_fmt_time(vw->b, b, sizeof b);
    if (vw->has_a && vw->has_b)
        tl_fmt_time(vw->a > vw->b ? vw->a - vw->b : vw->b - vw->a, d, sizeof d);
    snprintf(line, sizeof line, "A %s  B %s  B-A %s  | lane: %s  | %s", a, b,
             d, vw->v.selected >= 0 ? vw->tr->lanes[vw->v.selected].name : "-",
             vw->searching ? "search kind: " : vw->note);
    if (vw->searching)
        strncat(line, vw->query, sizeof line - strlen(line) - 1);
    tl_text(vw->img, 4, y + 3, line, 0xFFFFFFu);
    tl_text(vw->img, 4, y + 15,
            vw->hover[0] ? vw->hover
                         : "wheel/+/-: zoom  drag/arrows: pan  click: A  "
                           "right/shift-click: B  up/down: lane  n/p: next/prev"
                           "  /: search  s: screenshot  q: quit",
            0xC8D1DAu);
}
