/*
 * watchdog: the Delay_ms driver's example firmware.  A software watchdog
 * of timeout_ms is fed by falling edges on a heartbeat pin (the interrupt
 * retriggers it with the edge's own tick) or by the application calling
 * watchdog_app_kick with a duration (longer extends, shorter shortens).
 * When it runs out it reports "expired" (a = expiries so far); a task
 * awaiting the expiry event reports "expired_wait" (a = its status) and
 * clears the event.
 */
#ifndef WATCHDOG_APP_H
#define WATCHDOG_APP_H

#include "app_notify.h"
#include "delay_ms.h"
#include "ua_hw.h"

typedef struct watchdog_app {
    delay_ms_t wd;
    app_notify_t notify;
    ua_pin_t *heartbeat;
    ua_task_t waiter;
    ua_co_t co;
    int st;
    uint32_t kicks;
} watchdog_app_t;

int watchdog_app_start(watchdog_app_t *app, ua_loop_t *loop,
                       ua_pin_t *heartbeat, int32_t timeout_ms,
                       app_notify_t notify);

/* Retrigger for duration_ms (<= 0: the timeout).  Any context. */
int watchdog_app_kick(watchdog_app_t *app, int32_t duration_ms);

#endif /* WATCHDOG_APP_H */
