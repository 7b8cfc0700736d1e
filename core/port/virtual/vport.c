/* Virtual-clock port (see ua_vport.h). */
#include "ua_vport.h"

static ua_ticks_t vport_ticks(void *ctx)
{
    const ua_vport_t *vp = ctx;
    return (ua_ticks_t)(vp->now_us + vp->tick_offset);
}

static void vport_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    ua_vport_t *vp = ctx;

    vp->idles++;
    if (!has_deadline) {
        vp->deadlocks++;
        ua_loop_stop(vp->loop);
        return;
    }
    if (!vp->auto_advance)
        return;
    int32_t wait = ua_ticks_diff(deadline, vport_ticks(vp));
    if (wait > 0)
        vp->now_us += (uint64_t)wait;
}

/* Busy time simply passes: the virtual CPU does nothing else meanwhile. */
static void vport_delay_us(void *ctx, uint32_t us)
{
    ((ua_vport_t *)ctx)->now_us += us;
}

void ua_vport_init(ua_vport_t *vp, ua_loop_t *loop, uint32_t start_tick,
                   bool auto_advance)
{
    vp->port.ticks = vport_ticks;
    vp->port.idle = vport_idle;
    vp->port.critical_enter = NULL;
    vp->port.critical_exit = NULL;
    vp->port.delay_us = vport_delay_us;
    vp->port.trace = NULL;
    vp->port.ctx = vp;
    vp->now_us = 0;
    vp->tick_offset = start_tick;
    vp->auto_advance = auto_advance;
    vp->loop = loop;
    vp->idles = 0;
    vp->deadlocks = 0;
    ua_loop_init(loop, &vp->port);
}

void ua_vport_advance(ua_vport_t *vp, uint64_t us)
{
    vp->now_us += us;
}
