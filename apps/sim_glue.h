/* Helpers shared by the apps' simulator glue (apps/<name>/<name>_sim.c). */
#ifndef SIM_GLUE_H
#define SIM_GLUE_H

#include "app_notify.h"
#include "sim_app.h"

/* A notifier that records each app event as a trace note named after it. */
app_notify_t sim_glue_notify(sim_app_t *app);

/* The same for firmware on another board than the app's: glue that builds
 * two boards (a link between them) gives each its own notifier. */
app_notify_t sim_glue_notify_board(sim_board_t *board);

#endif /* SIM_GLUE_H */
