/*
 * The virtual board in real time: a simulated board running an app from
 * apps/ (the same firmware source the scenarios simulate), with the
 * simulator's device models, and the simulation paced to the wall clock.
 *
 * Pacing.  Virtual time follows the wall clock: rt_board_advance(b, wall)
 * runs the simulation up to the virtual instant that corresponds to `wall`
 * (times `speed`).  Everything due by then runs in virtual-time order, so
 * the firmware sees exactly the timing it would see in a scenario; only
 * when it is observed (the window, a script) depends on the host.  Input
 * from a person or a script (a click, an IR key) lands at the virtual time
 * it is applied, which is never earlier than its wall-clock moment.
 *
 * What the board shows is found by name among the objects, probes and
 * texts the app's glue published (apps/sim_app.h): text "lcd" (rows joined
 * by '\n'), object "button" (a sim_button_t), object "ir_remote" (a
 * sim_nec_t), object "gps_uart" (a sim_uart_t: a GPS model is started on
 * it with a short walk near Greenwich), and the LED probes "backlight",
 * "led", "led0".."led3".
 *
 * App events.  The glue reports what the firmware did as notes in the trace
 * ("page", "ir", "press"...); the board keeps the latest few, with their
 * names (sim_trace_note_name_of), for the window to show.
 */
#ifndef RT_BOARD_H
#define RT_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gps_model.h"
#include "sim.h"
#include "sim_app.h"
#include "sim_hw.h"
#include "sim_models.h"

#define RT_LCD_COLS 16
#define RT_LCD_ROWS 2
#define RT_MAX_LEDS 6
#define RT_NOTES 4   /* latest app notes kept for the window */
#define RT_SEEN 16   /* notes remembered to skip when read again */

typedef struct rt_note {
    uint64_t t_ns;
    uint32_t code, arg, arg2;
    char name[24];
} rt_note_t;

typedef struct rt_board {
    sim_t *sim;
    sim_board_t *board;
    sim_app_t *app;
    double speed;          /* virtual seconds per wall second */
    sim_button_t *button;
    sim_nec_t *remote;
    uint32_t nec_address;
    gps_model_t gps;
    bool has_gps, has_lcd;
    const char *leds[RT_MAX_LEDS];
    unsigned nleds;
    bool pressed;
    uint32_t keys_sent, clicks;
    /* app notes: the latest RT_NOTES (notes[0] newest), how many so far,
     * and what the last read of the trace saw (see rt_board.c) */
    rt_note_t notes[RT_NOTES];
    uint64_t nnotes;
    uint64_t read_from;
    rt_note_t seen[RT_SEEN];
    unsigned nseen;
} rt_board_t;

/* Start `app` (with `args`) on a new simulated board.  0, or a negative
 * error with the reason in err[n]. */
int rt_board_open(rt_board_t *b, const char *app, const char *args,
                  uint64_t seed, char *err, size_t n);
void rt_board_close(rt_board_t *b);

/* Virtual time now, in ns. */
uint64_t rt_board_now(const rt_board_t *b);

/* Run the simulation up to the virtual time of wall time wall_ns (and
 * collect the app notes written meanwhile). */
void rt_board_advance(rt_board_t *b, uint64_t wall_ns);

/* Wall time (ns since start) at which the simulation next has something to
 * do (sim_next_time at this speed), UINT64_MAX if nothing is pending. */
uint64_t rt_board_next_wall(const rt_board_t *b);

/* Input, at the current virtual time. */
void rt_board_button(rt_board_t *b, bool down);
void rt_board_click(rt_board_t *b, uint32_t hold_ms);
void rt_board_ir(rt_board_t *b, uint8_t command);

/* The LCD's rows (spaces-padded to RT_LCD_COLS, NUL-terminated); false if
 * the app has no LCD. */
bool rt_board_lcd(rt_board_t *b, char rows[RT_LCD_ROWS][RT_LCD_COLS + 1]);

/* LED i: its name and level (0/1). */
const char *rt_board_led(rt_board_t *b, unsigned i, int *level);

#endif /* RT_BOARD_H */
