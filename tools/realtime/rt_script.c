/*
 * Scripted input for the real-time runner, so the window can be driven
 * without a person (and without a display, for tests):
 *
 *   click [HOLD_MS]        press the button now, release HOLD_MS later (120)
 *   press / release        the button
 *   key LABEL              click a remote key ("1", "0", "<"...)
 *   ir CMD                 send NEC command CMD (decimal or 0x..)
 *   wait MS                let MS milliseconds of wall time pass
 *   set NAME VALUE         call the app's setter (temperature 2345)
 *   screenshot FILE.bmp    save the window as drawn
 *   lcd                    print the LCD's rows
 *   notes                  print the latest app notes (newest first)
 *   probe NAME             print an app probe
 *   expect NAME VALUE      fail (exit status 1) unless probe NAME == VALUE
 *   expect-lcd ROW TEXT    fail unless row ROW shows TEXT (the rest blank),
 *                          both in the model and in the drawn pixels
 *   quit                   end the run
 * Commands are separated by ';'.  Each runs after the simulation has been
 * brought up to the wall clock, so a `wait` covers at least that much
 * virtual time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_app.h"
#include "rt_draw.h"

static void script_cb(uv_timer_t *t);

static void fail(rt_t *rt, const char *fmt, const char *a, const char *b)
{
    printf("FAIL: ");
    printf(fmt, a, b);
    printf("\n");
    rt->status = 1;
}

static void expect_lcd(rt_t *rt, const char *arg)
{
    char rows[RT_LCD_ROWS][RT_LCD_COLS + 1], want[RT_LCD_COLS + 1];
    unsigned row = (unsigned)atoi(arg);
    const char *text = strchr(arg, ' ');
    text = text != NULL ? text + 1 : "";
    snprintf(want, sizeof want, "%-16s", text);
    if (row >= RT_LCD_ROWS || !rt_board_lcd(&rt->board, rows)) {
        fail(rt, "expect-lcd %s%s: no such LCD row", arg, "");
        return;
    }
    if (strcmp(rows[row], want) != 0)
        fail(rt, "LCD model shows '%s', expected '%s'", rows[row], want);
    int bad = rt_draw_lcd_mismatches(rt->surf, row, want);
    if (bad != 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", bad);
        fail(rt, "LCD pixels: %s cells differ from '%s'", n, want);
    } else {
        printf("ok: lcd row %u shows '%s' (model and pixels)\n", row, want);
    }
}

static void probe_cmd(rt_t *rt, const char *arg, bool check)
{
    char name[64];
    long long want = 0;
    int64_t v;
    if (sscanf(arg, "%63s %lli", name, &want) < (check ? 2 : 1) ||
        sim_app_probe(rt->board.app, name, &v) != 0) {
        fail(rt, "no probe: %s%s", arg, "");
        return;
    }
    if (!check) {
        printf("probe %s = %lld\n", name, (long long)v);
    } else if (v != want) {
        char got[32];
        snprintf(got, sizeof got, "%lld", (long long)v);
        fail(rt, "probe %s is %s", arg, got);
    } else {
        printf("ok: probe %s\n", arg);
    }
}

/* Run one command; returns the milliseconds to wait before the next. */
static long run_command(rt_t *rt, char *cmd)
{
    while (*cmd == ' ')
        cmd++;
    char *arg = strchr(cmd, ' ');
    if (arg != NULL)
        *arg++ = '\0';
    else
        arg = cmd + strlen(cmd);
    rt_sync(rt);
    rt_board_t *b = &rt->board;
    if (strcmp(cmd, "click") == 0) {
        rt_board_click(b, *arg ? (uint32_t)atoi(arg) : 120);
    } else if (strcmp(cmd, "press") == 0 || strcmp(cmd, "release") == 0) {
        rt_board_button(b, cmd[0] == 'p');
    } else if (strcmp(cmd, "key") == 0) {
        int k = rt_key_find(arg);
        if (k < 0)
            fail(rt, "no key '%s'%s", arg, "");
        else
            rt_board_ir(b, rt_key_command(k));
    } else if (strcmp(cmd, "ir") == 0) {
        rt_board_ir(b, (uint8_t)strtoul(arg, NULL, 0));
    } else if (strcmp(cmd, "wait") == 0) {
        return atol(arg);
    } else if (strcmp(cmd, "set") == 0) {
        char name[64];
        long long v;
        if (sscanf(arg, "%63s %lli", name, &v) != 2 ||
            sim_app_set(b->app, name, v) != 0)
            fail(rt, "set %s: no such setter%s", arg, "");
    } else if (strcmp(cmd, "screenshot") == 0) {
        if (SDL_SaveBMP(rt->surf, arg) != 0)
            fail(rt, "screenshot %s: %s", arg, SDL_GetError());
        else
            printf("screenshot %s\n", arg);
    } else if (strcmp(cmd, "lcd") == 0) {
        char rows[RT_LCD_ROWS][RT_LCD_COLS + 1];
        if (rt_board_lcd(b, rows))
            printf("lcd |%s|\nlcd |%s|\n", rows[0], rows[1]);
    } else if (strcmp(cmd, "notes") == 0) {
        for (unsigned i = 0; i < RT_NOTES && i < b->nnotes; i++)
            printf("note %s %d %d at %.6f ms\n", b->notes[i].name,
                   (int)(int32_t)b->notes[i].arg,
                   (int)(int32_t)b->notes[i].arg2,
                   (double)b->notes[i].t_ns / 1e6);
    } else if (strcmp(cmd, "probe") == 0 || strcmp(cmd, "expect") == 0) {
        probe_cmd(rt, arg, cmd[0] == 'e');
    } else if (strcmp(cmd, "expect-lcd") == 0) {
        expect_lcd(rt, arg);
    } else if (strcmp(cmd, "quit") == 0) {
        rt->next = NULL;
        rt_quit(rt);
        return -1;
    } else if (*cmd != '\0') {
        fail(rt, "unknown script command '%s'%s", cmd, "");
    }
    fflush(stdout);
    return 0;
}

/* Run commands until one asks to wait. */
static void script_step(rt_t *rt)
{
    while (rt->next != NULL) {
        char *cmd = rt->next;
        char *end = strchr(cmd, ';');
        if (end != NULL)
            *end = '\0';
        rt->next = end != NULL ? end + 1 : NULL;
        long ms = run_command(rt, cmd);
        if (ms < 0)
            return;
        rt_pace(rt); /* the command may have queued input */
        if (ms > 0) {
            uv_timer_start(&rt->script_timer, script_cb, (uint64_t)ms, 0);
            return;
        }
    }
}

static void script_cb(uv_timer_t *t)
{
    script_step(t->data);
}

void rt_script_start(rt_t *rt, const char *script)
{
    rt->script = strdup(script);
    rt->next = rt->script;
    rt->script_timer.data = rt;
    script_step(rt);
}
