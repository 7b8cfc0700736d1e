/* Precise time from PPS (see gps_timer.h). */
#include "gps_timer.h"

#include <string.h>

#include "gps_format.h"
#include "ua_driver.h"

/* Interrupt context: the edge's own timestamp, nothing else. */
static void pps_irq(void *arg, int level, ua_ticks_t when)
{
    gps_timer_t *t = arg;
    if (level == 1) {
        t->isr_tick = when;
        t->isr_count++;
    }
}

int gps_timer_init(gps_timer_t *t, gps_t *gps, ua_pin_t *pps)
{
    if (t->active)
        return UA_EBUSY;
    memset(t, 0, sizeof *t);
    t->gps = gps;
    t->pps = pps;
    ua_event_init(&t->paired_event);
    return 0;
}

int gps_timer_start(gps_timer_t *t)
{
    if (t->active)
        return UA_EBUSY;
    int r = ua_pin_configure(t->pps, UA_PIN_INPUT);
    if (r < 0)
        return r;
    if ((r = ua_pin_set_irq(t->pps, UA_EDGE_RISING, pps_irq, t)) < 0)
        return r;
    /* Pulses counted while stopped are not there to pair with. */
    t->used_count = t->isr_count;
    t->gps->timer = t;
    t->active = true;
    return 0;
}

void gps_timer_stop(gps_timer_t *t)
{
    if (!t->active)
        return;
    ua_pin_set_irq(t->pps, 0, NULL, NULL);
    t->gps->timer = NULL;
    t->active = false;
    ua_event_fail_waiters(&t->paired_event, GPS_ESTOPPED);
}

/* In the driver's task, after an RMC or ZDA was applied. */
void gps__timer_sentence(gps_timer_t *t, int type)
{
    const gps_nmea_t *p = &t->gps->nmea;
    int64_t s;
    (void)type;
    if (p->utc.millisecond != 0 || gps_utc_epoch(p, &s) != 0)
        return; /* not the start of a second */
    ua_ticks_t now = ua_loop_now(t->gps->loop);
    uint32_t count = t->isr_count;
    ua_ticks_t edge = t->isr_tick;
    if (count != t->used_count && ua_ticks_diff(now, edge) < 1000000) {
        uint32_t pulses = count - t->used_count;
        t->pulses += pulses;
        if (t->synced && s == t->pps_utc_s + 1)
            t->delta_us = ua_ticks_diff(edge, t->pps_tick) - 1000000;
        t->used_count = count;
        t->pps_tick = edge;
        t->pps_utc_s = s;
        t->synced = true;
        t->lost = false;
        t->paired++;
        ua_event_set(&t->paired_event); /* a pulse, as gps fix_event */
        ua_event_clear(&t->paired_event);
    } else if (s != t->pps_utc_s && !t->lost) {
        t->lost = true; /* this second's pulse did not come */
        t->outages++;
    }
}

int gps_timer_time_us(const gps_timer_t *t, int64_t *utc_us)
{
    if (!t->synced)
        return GPS_ENODATA;
    int64_t elapsed = ua_ticks_diff(ua_loop_now(t->gps->loop), t->pps_tick);
    /* Local ticks to true microseconds, rounded. */
    int64_t den = 1000000000 + (int64_t)t->ppb;
    int64_t num = elapsed * 1000000000;
    int64_t us = (num + (num >= 0 ? den / 2 : -den / 2)) / den;
    *utc_us = t->pps_utc_s * 1000000 + us;
    return elapsed > 1500000 ? GPS_ENOPPS : 0;
}

int gps_timer_get_t_split(const gps_timer_t *t, gps_t_split_t *out)
{
    int64_t us;
    int r = gps_timer_time_us(t, &us);
    if (r == GPS_ENODATA)
        return r;
    int64_t day_us = us % 86400000000LL;
    int64_t s = day_us / 1000000;
    out->hours = (uint8_t)(s / 3600);
    out->minutes = (uint8_t)(s / 60 % 60);
    out->seconds = (uint8_t)(s % 60);
    out->us = (uint32_t)(day_us % 1000000);
    return r;
}

int gps_timer_delta_us(const gps_timer_t *t, int32_t *us)
{
    if (t->paired < 2)
        return GPS_ENODATA;
    *us = t->delta_us;
    return 0;
}

int gps_timer_calibrate(ua_task_t *self, gps_timer_t *t, uint32_t seconds,
                        int32_t timeout_ms)
{
    int32_t left = 0;
    UA_BEGIN(self, &t->co);
    if (seconds < 1 || seconds > 2000 ||
        (timeout_ms < 0 && timeout_ms != UA_FOREVER))
        UA_THROW(GPS_EBADARG);
    if (!t->active || !gps_started(t->gps))
        UA_THROW(GPS_ESTOPPED);
    t->cal_seconds = seconds;
    t->cal_deadline = ua_ticks_add(ua_loop_now(t->gps->loop),
                                   timeout_ms < 0 ? 0 : (uint32_t)timeout_ms * 1000u);
    t->cal_s = -1;
    for (;;) {
        if (timeout_ms != UA_FOREVER) {
            left = ua_ticks_diff(t->cal_deadline, ua_loop_now(t->gps->loop));
            if (left <= 0)
                UA_THROW(UA_ETIMEDOUT);
            left = (left + 999) / 1000;
        } else {
            left = UA_FOREVER;
        }
        UA_AWAIT(ua_event_wait(self, &t->paired_event, left));
        if (t->cal_s < 0 || t->lost) {
            t->cal_s = t->pps_utc_s; /* (re)start at this pulse */
            t->cal_tick = t->pps_tick;
            continue;
        }
        if (t->pps_utc_s - t->cal_s >= (int64_t)t->cal_seconds)
            break;
    }
    {
        int64_t n = t->pps_utc_s - t->cal_s;
        int64_t ticks = (int64_t)(uint32_t)(t->pps_tick - t->cal_tick);
        int64_t err = ticks - n * 1000000; /* local us too many */
        int64_t num = err * 1000000000;
        int64_t den = n * 1000000;
        t->ppb = (int32_t)((num + (num >= 0 ? den / 2 : -den / 2)) / den);
    }
    UA_END();
}
