/* Scripted input pin on the virtual-clock port (see fake_pin.h). */
#include "fake_pin.h"

#include <stdlib.h>
#include <string.h>

static int fp_configure(ua_pin_t *pin, enum ua_pin_mode mode)
{
    ((fake_pin_t *)pin->ctx)->mode = (int)mode;
    return 0;
}

static int fp_read(ua_pin_t *pin)
{
    return ((fake_pin_t *)pin->ctx)->level;
}

static void fp_write(ua_pin_t *pin, int level)
{
    ((fake_pin_t *)pin->ctx)->level = level != 0;
}

static int fp_set_irq(ua_pin_t *pin, unsigned edges, ua_pin_irq_cb cb,
                      void *arg)
{
    fake_pin_t *fp = pin->ctx;
    fp->irq_edges = cb != NULL ? edges : 0;
    fp->cb = cb;
    fp->arg = arg;
    return 0;
}

static const struct ua_pin_ops fp_ops = {fp_configure, fp_read, fp_write,
                                         fp_set_irq};

void fp_init(fake_pin_t *fp, ua_vport_t *vp, ua_loop_t *loop)
{
    memset(fp, 0, sizeof *fp);
    fp->pin.ops = &fp_ops;
    fp->pin.ctx = fp;
    fp->vp = vp;
    fp->loop = loop;
    fp->level = 1;
}

void fp_free(fake_pin_t *fp)
{
    free(fp->edges);
    fp->edges = NULL;
    fp->n = fp->cap = fp->next = 0;
}

void fp_at(fake_pin_t *fp, uint64_t t_us, int level)
{
    size_t i;

    if (fp->n == fp->cap) {
        fp->cap = fp->cap ? 2 * fp->cap : 256;
        fp->edges = realloc(fp->edges, fp->cap * sizeof fp->edges[0]);
        if (fp->edges == NULL)
            abort();
    }
    for (i = fp->n; i > fp->next && fp->edges[i - 1].t_us > t_us; i--)
        fp->edges[i] = fp->edges[i - 1];
    fp->edges[i] = (fp_edge_t){t_us, level != 0};
    fp->n++;
}

uint64_t fp_last_time(const fake_pin_t *fp)
{
    return fp->n ? fp->edges[fp->n - 1].t_us : 0;
}

static ua_ticks_t tick_at(const fake_pin_t *fp, uint64_t t_us)
{
    return (ua_ticks_t)(t_us + fp->vp->tick_offset);
}

/* Interrupts for every edge due by now, each with its own tick. */
static void deliver_due(fake_pin_t *fp)
{
    while (fp->next < fp->n && fp->edges[fp->next].t_us <= fp->vp->now_us) {
        const fp_edge_t *e = &fp->edges[fp->next++];
        int was = fp->level;
        fp->level = e->level;
        if (was == e->level || fp->cb == NULL)
            continue;
        unsigned kind = e->level ? UA_EDGE_RISING : UA_EDGE_FALLING;
        if (fp->irq_edges & kind) {
            fp->irqs++;
            fp->cb(fp->arg, e->level, tick_at(fp, e->t_us));
        }
    }
}

void fp_run_until(fake_pin_t *fp, uint64_t t_us)
{
    ua_loop_enter(fp->loop);
    for (;;) {
        deliver_due(fp);
        if (ua_loop_step(fp->loop) || ua_loop_has_work(fp->loop))
            continue;
        uint64_t now = fp->vp->now_us, next = t_us;
        ua_ticks_t dl;
        if (fp->next < fp->n && fp->edges[fp->next].t_us < next)
            next = fp->edges[fp->next].t_us;
        if (ua_loop_next_deadline(fp->loop, &dl)) {
            int32_t d = ua_ticks_diff(dl, tick_at(fp, now));
            if (d > 0 && now + (uint64_t)d < next)
                next = now + (uint64_t)d;
        }
        if (next <= now)
            break;
        fp->vp->now_us = next;
    }
}
