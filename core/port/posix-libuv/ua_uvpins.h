/*
 * GPIO pins of the libuv port, driven by text commands.
 *
 * A bank of UA_UVPINS_MAX pins whose inputs are "wired" to a command
 * stream: stdin when a person types, or any descriptor (a pipe from a test
 * or a script).  One command per line:
 *
 *     pin N L     drive input N to level L (0 or 1) from outside
 *     pin N z     stop driving it (it reads its pull resistor again)
 *     pins        print every configured pin and its level
 *     # ...       a comment; blank lines are ignored
 *
 * A change of level on a pin whose edge interrupt is enabled calls the
 * driver's callback at once, from the stream's watcher (this port's
 * interrupt context), with the tick at which the line was read.  Pins the
 * application configures as outputs print `pin N -> L` on the report
 * stream when their level changes (LEDs, a backlight), so a person or a
 * script sees them.  A line that cannot be parsed is reported there as
 * `error: ...`, counted, and changes nothing.
 */
#ifndef UA_UVPINS_H
#define UA_UVPINS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "ua_err.h"
#include "ua_hw.h"
#include "ua_uvport.h"

#define UA_UVPINS_MAX 32
#define UA_UVPINS_LINE 128

struct ua_uvpins;

typedef struct ua_uvpin {
    ua_pin_t hw;
    struct ua_uvpins *bank;
    int8_t mode;     /* enum ua_pin_mode, -1 unconfigured */
    int8_t ext;      /* level driven by commands, -1 none */
    uint8_t out;     /* output latch */
    uint8_t level;   /* last level seen (for edges) */
    unsigned edges;
    ua_pin_irq_cb cb;
    void *cb_arg;
} ua_uvpin_t;

typedef struct ua_uvpins {
    ua_uvpin_t pin[UA_UVPINS_MAX];
    ua_uvport_t *port;
    FILE *report;    /* where outputs and errors are printed; may be NULL */
    uv_poll_t poll;
    bool poll_on;
    int fd;
    char line[UA_UVPINS_LINE];
    size_t nline;
    bool eof;
    /* Counters. */
    uint32_t commands, errors, irqs;
} ua_uvpins_t;

/* Set up the bank (every pin an unconfigured input reading 0) on `port`'s
 * loop, printing to `report` (NULL: silent). */
void ua_uvpins_init(ua_uvpins_t *b, ua_uvport_t *port, FILE *report);

/* Read commands from descriptor `fd` (made non-blocking) until its end.
 * 0, or UA_EIO if libuv cannot watch it. */
int ua_uvpins_listen(ua_uvpins_t *b, int fd);

/* Stop reading (the descriptor is not closed). */
void ua_uvpins_close(ua_uvpins_t *b);

/* Run one command line (without its newline): 0, or UA_EINVAL. */
int ua_uvpins_command(ua_uvpins_t *b, const char *line);

/* The handle of pin n (n < UA_UVPINS_MAX), for drivers. */
ua_pin_t *ua_uvpins_pin(ua_uvpins_t *b, unsigned n);

#endif /* UA_UVPINS_H */
