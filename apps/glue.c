/* Helpers shared by the apps' simulator glue. */
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
