/* The virtual board in real time (see rt_board.h). */
#include "rt_board.h"

#include <stdio.h>
#include <string.h>

#include "gps.h"
#include "sim_trace.h"

/* A slow walk north-east from Greenwich, long enough for any session. */
static const gps_model_point_t walk[] = {
    {0, 51.47790, -0.00140, 46.0, 1.4, 45.0},
    {3600000, 51.50000, 0.03000, 46.0, 1.4, 45.0},
};

static const char *const led_probes[] = {"backlight", "led",  "led0",
                                         "led1",      "led2", "led3"};

int rt_board_open(rt_board_t *b, const char *app, const char *args,
                  uint64_t seed, char *err, size_t n)
{
    memset(b, 0, sizeof *b);
    b->speed = 1.0;
    b->sim = sim_new(seed);
    /* A session can last hours: keep the newest part of the trace only. */
    sim_trace_set_limit(b->sim, 1u << 20);
    b->board = sim_board_new(b->sim, "board", 0);
    b->app = sim_app_start(b->board, app, args);
    if (b->app == NULL) {
        snprintf(err, n, "%s", sim_last_error(b->sim));
        sim_free(b->sim);
        b->sim = NULL;
        return UA_EINVAL;
    }
    b->button = sim_app_object(b->app, "button", SIM_OBJ_BUTTON);
    b->remote = sim_app_object(b->app, "ir_remote", SIM_OBJ_NEC);
    sim_uart_t *uart = sim_app_object(b->app, "gps_uart", SIM_OBJ_UART);
    if (uart != NULL) {
        gps_model_init(&b->gps, b->sim, uart, walk, 2);
        b->gps.mask = GPS_RMC | GPS_GGA;
        gps_model_start(&b->gps, 500 * SIM_MS);
        b->has_gps = true;
    }
    b->has_lcd = sim_app_text(b->app, "lcd") != NULL;
    for (size_t i = 0; i < sizeof led_probes / sizeof led_probes[0]; i++) {
        int64_t v;
        if (b->nleds < RT_MAX_LEDS && sim_app_probe(b->app, led_probes[i], &v) == 0)
            b->leds[b->nleds++] = led_probes[i];
    }
    return 0;
}

void rt_board_close(rt_board_t *b)
{
    if (b->sim == NULL)
        return;
    sim_app_free(b->app);
    sim_free(b->sim);
    b->sim = NULL;
}

uint64_t rt_board_now(const rt_board_t *b)
{
    return sim_now(b->sim);
}

static bool same_note(const rt_note_t *n, const sim_trace_rec_t *r)
{
    return n->t_ns == r->t_ns && n->code == r->obj && n->arg == r->arg &&
           n->arg2 == r->arg2;
}

static void take_note(rt_board_t *b, const sim_trace_rec_t *r)
{
    const char *name = sim_trace_note_name_of(b->sim, r->obj);
    rt_note_t n = {.t_ns = r->t_ns, .code = r->obj, .arg = r->arg,
                   .arg2 = r->arg2};
    snprintf(n.name, sizeof n.name, "%s", name != NULL ? name : "note");
    memmove(&b->notes[1], &b->notes[0], (RT_NOTES - 1) * sizeof n);
    b->notes[0] = n;
    b->nnotes++;
    if (b->nseen == RT_SEEN) {
        memmove(&b->seen[0], &b->seen[1], (RT_SEEN - 1) * sizeof n);
        b->nseen--;
    }
    b->seen[b->nseen++] = n;
}

/* Notes written since the last read.  Once the simulation has reached
 * time T, nothing is recorded before T any more, but records of a step are
 * at its in-step times, which can be past T, and the trace is sorted by
 * time: so read back from the end down to the previous T, and skip what
 * was taken already. */
static void collect_notes(rt_board_t *b)
{
    size_t n = sim_trace_count(b->sim), i = n;
    while (i > 0 && sim_trace_get(b->sim, i - 1)->t_ns >= b->read_from)
        i--;
    for (; i < n; i++) {
        const sim_trace_rec_t *r = sim_trace_get(b->sim, i);
        bool seen = false;
        if (r->kind != SIM_TR_NOTE)
            continue;
        for (unsigned k = 0; k < b->nseen && !seen; k++)
            seen = same_note(&b->seen[k], r);
        if (!seen)
            take_note(b, r);
    }
    b->read_from = sim_now(b->sim);
    /* what lies before the next read's window cannot come back */
    unsigned keep = 0;
    for (unsigned k = 0; k < b->nseen; k++)
        if (b->seen[k].t_ns >= b->read_from)
            b->seen[keep++] = b->seen[k];
    b->nseen = keep;
}

void rt_board_advance(rt_board_t *b, uint64_t wall_ns)
{
    uint64_t t = (uint64_t)((double)wall_ns * b->speed);
    if (t > sim_now(b->sim))
        sim_run_until(b->sim, t);
    collect_notes(b);
}

uint64_t rt_board_next_wall(const rt_board_t *b)
{
    uint64_t t = sim_next_time(b->sim);
    if (t == SIM_FOREVER)
        return UINT64_MAX;
    double wall = (double)t / b->speed;
    return wall >= 1.8e19 ? UINT64_MAX : (uint64_t)wall + 1; /* not early */
}

void rt_board_button(rt_board_t *b, bool down)
{
    if (b->button == NULL || down == b->pressed)
        return;
    b->pressed = down;
    if (down)
        sim_button_press(b->button, sim_now(b->sim));
    else
        sim_button_release(b->button, sim_now(b->sim));
}

void rt_board_click(rt_board_t *b, uint32_t hold_ms)
{
    if (b->button == NULL)
        return;
    sim_button_click(b->button, sim_now(b->sim), (uint64_t)hold_ms * SIM_MS);
    b->clicks++;
}

void rt_board_ir(rt_board_t *b, uint8_t command)
{
    if (b->remote == NULL)
        return;
    sim_nec_send(b->remote, sim_now(b->sim), b->nec_address, command, 0);
    b->keys_sent++;
}

bool rt_board_lcd(rt_board_t *b, char rows[RT_LCD_ROWS][RT_LCD_COLS + 1])
{
    const char *text = b->has_lcd ? sim_app_text(b->app, "lcd") : NULL;
    for (unsigned r = 0; r < RT_LCD_ROWS; r++) {
        memset(rows[r], ' ', RT_LCD_COLS);
        rows[r][RT_LCD_COLS] = '\0';
        for (unsigned c = 0; text != NULL && *text != '\0' && *text != '\n'; c++) {
            if (c < RT_LCD_COLS)
                rows[r][c] = *text;
            text++;
        }
        if (text != NULL && *text == '\n')
            text++;
    }
    return text != NULL;
}

const char *rt_board_led(rt_board_t *b, unsigned i, int *level)
{
    int64_t v = 0;
    if (i >= b->nleds)
        return NULL;
    sim_app_probe(b->app, b->leds[i], &v);
    *level = v != 0;
    return b->leds[i];
}
