/*
 * How firmware reports what it did without knowing where it runs: the app
 * calls notify(ctx, "page", a, b) and the board decides what that means --
 * a trace note in the simulator, a log line over a UART on a board.
 */
#ifndef APP_NOTIFY_H
#define APP_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

typedef void (*app_notify_fn)(void *ctx, const char *event, int32_t a,
                              int32_t b);

typedef struct app_notify {
    app_notify_fn fn;
    void *ctx;
} app_notify_t;

static inline void app_notify(const app_notify_t *n, const char *event,
                              int32_t a, int32_t b)
{
    if (n->fn != NULL)
        n->fn(n->ctx, event, a, b);
}

#endif /* APP_NOTIFY_H */
