/*
 * door: the Switch driver's example firmware.  A door contact (normally
 * open, to ground) is debounced by polling; each debounced change is
 * reported as "close" or "open" (a = running count of that kind).  A
 * second task awaits each close with switch_wait and reports "closed_wait"
 * (a = its status), to show the awaitable side of the same events.
 */
#ifndef DOOR_APP_H
#define DOOR_APP_H

#include "app_notify.h"
#include "switch.h"

typedef struct door_app {
    switch_t sw;
    app_notify_t notify;
    ua_task_t waiter;
    ua_co_t co;
    int st;
} door_app_t;

int door_app_start(door_app_t *app, ua_loop_t *loop, ua_pin_t *pin,
                   uint16_t debounce_ms, app_notify_t notify);

#endif /* DOOR_APP_H */
