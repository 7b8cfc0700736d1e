/*
 * buttons: the Pushbutton driver's example firmware.  One button; every
 * press, release, long press and double click is reported through
 * app_notify as "press", "release", "long" and "double" (a = running count
 * of that kind).
 */
#ifndef BUTTONS_APP_H
#define BUTTONS_APP_H

#include "app_notify.h"
#include "pushbutton.h"

struct buttons_app;

/* One callback registration: which app, which kind. */
typedef struct buttons_slot {
    struct buttons_app *app;
    enum pb_kind kind;
} buttons_slot_t;

typedef struct buttons_app {
    pushbutton_t pb;
    app_notify_t notify;
    int32_t counts[PB_NKINDS];
    buttons_slot_t slots[PB_NKINDS];
} buttons_app_t;

int buttons_app_start(buttons_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                      const pb_config_t *cfg, app_notify_t notify);

#endif /* BUTTONS_APP_H */
