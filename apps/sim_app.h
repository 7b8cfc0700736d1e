/*
 * Apps in the simulator: firmware that scenarios run on simulated boards.
 *
 * An app is board firmware written against core/ and devices/ only (the
 * same source builds for a board), plus a small piece of glue that builds
 * its simulated hardware -- pins, UARTs, I2C buses and the device models on
 * them -- and starts it on a board.  The glue registers the app by name in
 * apps/registry.c; a scenario starts it with sim_app_start(board, "demo",
 * args) and then reaches, by name, what the glue published: models to drive
 * (a button, an IR remote, a GPS receiver), probes (integers read from the
 * app's state), texts (the LCD's screen) and the app's tasks.
 *
 * Heap use is fine here: this is simulator code.  Every object an app
 * publishes lives until sim_app_free().
 */
#ifndef SIM_APP_H
#define SIM_APP_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"

typedef struct sim_app sim_app_t;

/* Glue: build the hardware and start the firmware; 0 or a negative error
 * (set a message with sim_app_fail). */
typedef int (*sim_app_setup_fn)(sim_app_t *app, sim_board_t *board,
                                const char *args);

typedef struct sim_app_def {
    const char *name;
    const char *description;
    sim_app_setup_fn setup;
} sim_app_def_t;

/*
 * Registering an app.  uasync's own apps are built into libuasync.so.  Your
 * firmware's apps live in your repository: define the app and register it
 * in your glue file, then build a shared library from your firmware, your
 * glue and uasync's simulator (pkg-config uasync-sim; docs/using-uasync.md):
 *
 *     static int thermo_setup(sim_app_t *app, sim_board_t *board,
 *                             const char *args) { ...publish, spawn... }
 *     const sim_app_def_t sim_app_thermo = {"thermo", "a thermostat",
 *                                           thermo_setup};
 *     SIM_APP_REGISTER(sim_app_thermo)
 *
 * The setup function is where the app's published objects, probes, setters
 * and texts are declared (sim_app_add_*, below).  Registration runs when the
 * library is loaded (a constructor), so the glue's object file must be in
 * the shared library itself (its sources, or link_whole), not only in a
 * static archive nothing references.
 */

/* Register `def` (it must outlive the library): 0, or UA_EINVAL for an app
 * without a name or setup function, a name already registered, or more than
 * 64 apps.  A refused registration is kept and reported by every
 * sim_app_start() (and by sim_app_register_error()). */
int sim_app_register(const sim_app_def_t *def);

/* The first registration refused, or NULL if none was. */
const char *sim_app_register_error(void);

#define SIM_APP_REGISTER(def)                                                  \
    __attribute__((constructor)) static void sim_app_register_##def(void)     \
    {                                                                          \
        (void)sim_app_register(&def);                                          \
    }

/* The version of this interface (the library's C API as the Python
 * scenario package binds it): raised on every incompatible change, and
 * checked by the package when it loads a library. */
#define SIM_ABI_VERSION 1u
unsigned sim_abi_version(void);

/* --- Scenario side ------------------------------------------------------- */

unsigned sim_app_count(void);
const char *sim_app_name(unsigned i);
const char *sim_app_description(unsigned i);

/* Start app `name` on `board` with an argument string (may be NULL or "").
 * NULL on error, with the reason in sim_last_error(). */
sim_app_t *sim_app_start(sim_board_t *board, const char *name,
                         const char *args);

/* Free everything the app allocated (call before sim_free). */
void sim_app_free(sim_app_t *app);

/* The types of published objects: every object carries one, and a lookup
 * names the type it expects, so a wrong name can never hand a model of one
 * type to code that expects another. */
enum sim_obj_type {
    SIM_OBJ_PIN = 1, /* sim_pin_t */
    SIM_OBJ_UART,    /* sim_uart_t */
    SIM_OBJ_I2C,     /* sim_i2c_t */
    SIM_OBJ_BUTTON,  /* sim_button_t */
    SIM_OBJ_NEC      /* sim_nec_t */
};

/* The type name of enum sim_obj_type ("pin", "uart"...). */
const char *sim_obj_type_name(int type);

/* A published object by name, if it has `type`; NULL otherwise (see
 * sim_app_object_type to tell "none" from "another type"). */
void *sim_app_object(sim_app_t *app, const char *name, int type);

/* The type of published object `name`, or 0 if there is none. */
int sim_app_object_type(sim_app_t *app, const char *name);

/* Read probe `name` into *out: 0, or UA_EINVAL if there is no such probe. */
int sim_app_probe(sim_app_t *app, const char *name, int64_t *out);

/* Call setter `name` with `value` (e.g. "temperature" in centi-degrees):
 * 0, or UA_EINVAL if there is no such setter. */
int sim_app_set(sim_app_t *app, const char *name, int64_t value);

/* A published text (e.g. "lcd": the screen, rows joined by '\n'); NULL if
 * none.  Valid until the next call. */
const char *sim_app_text(sim_app_t *app, const char *name);

/* The app's tasks, for statistics. */
unsigned sim_app_task_count(sim_app_t *app);
void *sim_app_task(sim_app_t *app, unsigned i);
const char *sim_app_task_name(sim_app_t *app, unsigned i);

/* --- Glue side ------------------------------------------------------------- */

sim_t *sim_app_sim(sim_app_t *app);
sim_board_t *sim_app_board(sim_app_t *app);

/* Zeroed memory owned by the app (aborts when out of memory). */
void *sim_app_alloc(sim_app_t *app, size_t size);

/* Publish a model to scenarios under `name`, with its type. */
void sim_app_add_pin(sim_app_t *app, const char *name, sim_pin_t *pin);
void sim_app_add_uart(sim_app_t *app, const char *name, sim_uart_t *uart);
void sim_app_add_i2c(sim_app_t *app, const char *name, sim_i2c_t *bus);
void sim_app_add_button(sim_app_t *app, const char *name,
                        sim_button_t *button);
void sim_app_add_nec(sim_app_t *app, const char *name, sim_nec_t *nec);
void sim_app_add_probe(sim_app_t *app, const char *name,
                       int64_t (*get)(void *ctx), void *ctx);
void sim_app_add_setter(sim_app_t *app, const char *name,
                        void (*set)(void *ctx, int64_t value), void *ctx);
void sim_app_add_text(sim_app_t *app, const char *name,
                      const char *(*get)(void *ctx, char *buf, size_t n),
                      void *ctx);

/* Name `t` for traces, record it as one of the app's tasks and spawn it. */
int sim_app_spawn(sim_app_t *app, ua_task_t *t, const char *name);

/* Name and record a task the firmware spawned itself. */
void sim_app_add_task(sim_app_t *app, ua_task_t *t, const char *name);

/* Record why setup failed (printf-style); returns UA_EINVAL. */
int sim_app_fail(sim_app_t *app, const char *fmt, ...);

/* Integer argument `key=value` from the args string (decimal, or 0x hex),
 * or `def` when the key is absent.  Every key the glue asks for is an
 * accepted key: once setup returns, sim_app_start() refuses an args string
 * with any other key, a value that is not a whole number, or a value out of
 * [lo, hi] (sim_app_arg_in), naming the key, the accepted keys and ranges. */
long sim_app_arg(const char *args, const char *key, long def);
long sim_app_arg_in(const char *args, const char *key, long def, long lo,
                    long hi);

#endif /* SIM_APP_H */
