/* libuv port (see ua_uvport.h). */
#include "ua_uvport.h"

static ua_ticks_t port_ticks(void *ctx)
{
    return ua_uvport_ticks(ctx);
}

/* Nothing to do: its only job is to make uv_run return. */
static void timer_cb(uv_timer_t *t)
{
    (void)t;
}

static void async_cb(uv_async_t *a)
{
    (void)a;
}

static void port_idle(void *ctx, bool has_deadline, ua_ticks_t deadline)
{
    ua_uvport_t *p = ctx;

    if (has_deadline) {
        int32_t wait_us = ua_ticks_diff(deadline, ua_uvport_ticks(p));
        if (wait_us <= 0)
            return;
        /* Round up: libuv counts whole milliseconds from its cached time,
         * which uv_update_time refreshes so the timer is not armed late. */
        uv_update_time(p->uv);
        uv_timer_start(&p->timer, timer_cb, ((uint64_t)wait_us + 999u) / 1000u,
                       0);
    } else if (!uv_loop_alive(p->uv)) {
        /* No deadline and nothing could ever wake us: never returns. */
        p->deadlocks++;
        ua_loop_stop(p->loop);
        return;
    }
    p->idles++;
    uv_run(p->uv, UV_RUN_ONCE);
    if (has_deadline) {
        uv_timer_stop(&p->timer);
        if (ua_ticks_diff(deadline, ua_uvport_ticks(p)) > 0 &&
            !p->loop->isr_pending)
            p->early++;
    }
}

/* A spin on the monotonic clock: the caller asked for busy time. */
static void port_delay_us(void *ctx, uint32_t us)
{
    const ua_uvport_t *p = ctx;
    uint64_t end = uv_hrtime() + (uint64_t)us * 1000u;
    (void)p;
    while (uv_hrtime() < end) {
    }
}

int ua_uvport_init(ua_uvport_t *p, ua_loop_t *loop, uv_loop_t *uv,
                   uint32_t start_tick)
{
    p->port.ticks = port_ticks;
    p->port.idle = port_idle;
    p->port.critical_enter = NULL;
    p->port.critical_exit = NULL;
    p->port.delay_us = port_delay_us;
    p->port.trace = NULL;
    p->port.ctx = p;
    p->uv = uv != NULL ? uv : uv_default_loop();
    p->async_on = false;
    p->t0_ns = uv_hrtime();
    p->start_tick = start_tick;
    p->loop = loop;
    p->idles = p->early = p->deadlocks = 0;
    if (uv_timer_init(p->uv, &p->timer) != 0)
        return UA_EIO;
    ua_loop_init(loop, &p->port);
    return 0;
}

void ua_uvport_close(ua_uvport_t *p)
{
    uv_close((uv_handle_t *)&p->timer, NULL);
    if (p->async_on)
        uv_close((uv_handle_t *)&p->async, NULL);
    p->async_on = false;
    /* Close callbacks run on the next turn; nothing else is left to do. */
    uv_run(p->uv, UV_RUN_NOWAIT);
}

ua_ticks_t ua_uvport_ticks(const ua_uvport_t *p)
{
    return (ua_ticks_t)(ua_uvport_elapsed_ns(p) / 1000u + p->start_tick);
}

uint64_t ua_uvport_elapsed_ns(const ua_uvport_t *p)
{
    return uv_hrtime() - p->t0_ns;
}

int ua_uvport_enable_threads(ua_uvport_t *p)
{
    if (p->async_on)
        return 0;
    if (uv_async_init(p->uv, &p->async, async_cb) != 0)
        return UA_EIO;
    p->async_on = true;
    return 0;
}

void ua_uvport_thread_wake(ua_uvport_t *p)
{
    if (p->async_on)
        uv_async_send(&p->async);
}
