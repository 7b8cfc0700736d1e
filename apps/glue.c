/* Helpers shared by the apps' simulator glue. */
#include <stdio.h>
#include <string.h>

#include "sim_app.h"
#include "sim_glue.h"
#include "sim_trace.h"

/* Note codes are assigned per distinct event name, process-wide, so one
 * name always has one code; the simulation is told the name once. */
#define MAX_NOTES 64
static const char *note_names[MAX_NOTES];

static uint32_t note_code(sim_t *sim, const char *event)
{
    uint32_t i;
    for (i = 0; i < MAX_NOTES && note_names[i] != NULL; i++)
        if (strcmp(note_names[i], event) == 0)
            break;
    if (i == MAX_NOTES)
        return 0;
    if (note_names[i] == NULL)
        note_names[i] = event; /* event names are string literals */
    sim_trace_note_name(sim, i + 1, event);
    return i + 1;
}

static void notify_trace(void *ctx, const char *event, int32_t a, int32_t b)
{
    sim_app_t *app = ctx;
    sim_t *sim = sim_app_sim(app);
    sim_trace_note(sim, sim_board_index(sim_app_board(app)),
                   note_code(sim, event), (uint32_t)a, (uint32_t)b);
}

app_notify_t sim_glue_notify(sim_app_t *app)
{
    app_notify_t n = {notify_trace, app};
    return n;
}

static void notify_board(void *ctx, const char *event, int32_t a, int32_t b)
{
    sim_board_t *board = ctx;
    sim_t *sim = sim_board_sim(board);
    sim_trace_note(sim, sim_board_index(board), note_code(sim, event),
                   (uint32_t)a, (uint32_t)b);
}

app_notify_t sim_glue_notify_board(sim_board_t *board)
{
    app_notify_t n = {notify_board, board};
    return n;
}

static void power_crash(sim_t *sim, void *arg, uint64_t data)
{
    sim_glue_power_t *p = arg;
    (void)sim;
    (void)data;
    if (!p->up)
        return;
    p->up = false;
    sim_board_enter(p->board);
    p->stop(p->fw);
    app_notify(&p->notify, "reset", (int32_t)*p->boots, 0);
}

int sim_glue_power_on(sim_glue_power_t *p)
{
    if (p->up)
        return 0;
    p->up = true;
    sim_board_enter(p->board);
    int st = p->start(p->fw);
    if (st != 0)
        app_notify(&p->notify, "boot_err", st, 0);
    return st;
}

static void power_boot(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    sim_glue_power_on(arg);
}

void sim_glue_power_reset(sim_glue_power_t *p, int64_t down_ms)
{
    sim_t *sim = sim_board_sim(p->board);
    uint64_t now = sim_now(sim);
    sim_at(sim, now, power_crash, p, 0);
    if (down_ms > 0)
        sim_at(sim, now + (uint64_t)down_ms * SIM_MS, power_boot, p, 0);
}

static void power_pin(void *arg, int level, uint64_t t_ns)
{
    sim_glue_power_t *p = arg;
    sim_at(sim_board_sim(p->board), t_ns, level ? power_boot : power_crash, p,
           0);
}

void sim_glue_power_follow(sim_glue_power_t *p, sim_pin_t *reset_in)
{
    sim_pin_watch(reset_in, power_pin, p);
}

int64_t sim_glue_probe_u32(void *ctx)
{
    return *(const uint32_t *)ctx;
}

int64_t sim_glue_probe_u8(void *ctx)
{
    return *(const uint8_t *)ctx;
}

void sim_glue_add_counters(sim_app_t *app, const char *prefix,
                           const sim_glue_counter_t *counters, size_t n)
{
    char name[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s.%s", prefix, counters[i].name);
        sim_app_add_probe(app, name, sim_glue_probe_u32,
                          (void *)counters[i].field);
    }
}
