/* Helpers shared by the apps' simulator glue (apps/<name>/<name>_sim.c). */
#ifndef SIM_GLUE_H
#define SIM_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app_notify.h"
#include "sim_app.h"
#include "sim_hw.h"

/* A notifier that records each app event as a trace note named after it. */
app_notify_t sim_glue_notify(sim_app_t *app);

/* The same for firmware on another board than the app's: glue that builds
 * two boards (a link between them) gives each its own notifier. */
app_notify_t sim_glue_notify_board(sim_board_t *board);

/*
 * Power for a board whose firmware a scenario crashes and boots again: the
 * glue gives start/stop functions for its firmware, and resets then happen
 * as simulator events.  A crash reports "reset" (a = *boots) through
 * `notify`; a failed start reports "boot_err" (a = status).
 */
typedef struct sim_glue_power {
    sim_board_t *board;
    int (*start)(void *fw);
    void (*stop)(void *fw);
    void *fw;
    const uint32_t *boots;
    app_notify_t notify;
    bool up;
} sim_glue_power_t;

/* Start the firmware now if it is down: 0 or start's status. */
int sim_glue_power_on(sim_glue_power_t *p);

/* Crash the firmware now; boot it again down_ms later (0: stays down). */
void sim_glue_power_reset(sim_glue_power_t *p, int64_t down_ms);

/* Follow a reset input: low = held in reset, high = running. */
void sim_glue_power_follow(sim_glue_power_t *p, sim_pin_t *reset_in);

/* A probe reading a uint32_t counter of the firmware. */
typedef struct sim_glue_counter {
    const char *name;
    const uint32_t *field;
} sim_glue_counter_t;

/* Publish each counter as probe "<prefix>.<name>". */
void sim_glue_add_counters(sim_app_t *app, const char *prefix,
                           const sim_glue_counter_t *counters, size_t n);

/* Define `static int64_t probe_<name>(void *ctx)` that returns `expr`,
 * read through `var`, ctx seen as a `const type *`:
 *     SIM_GLUE_PROBE(demo_sim_t, d, page, d->fw.page)            */
#define SIM_GLUE_PROBE(type, var, name, expr)                                  \
    static int64_t probe_##name(void *ctx)                                     \
    {                                                                          \
        const type *var = ctx;                                                 \
        return (int64_t)(expr);                                                \
    }

/* Probe getters for a uint32_t and a uint8_t field (ctx = the field). */
int64_t sim_glue_probe_u32(void *ctx);
int64_t sim_glue_probe_u8(void *ctx);

#endif /* SIM_GLUE_H */
