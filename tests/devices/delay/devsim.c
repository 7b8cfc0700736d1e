#include "devsim.h"

#include <stdio.h>
#include <string.h>

void dv_setup(uint32_t start_tick)
{
    ua_vport_init(&h_vp, &h_loop, start_tick, false);
    h_count = 0;
}

size_t dv_count_tag(const char *tag)
{
    size_t n = 0;
    for (size_t i = 0; i < h_count; i++)
        n += strcmp(h_events[i].tag, tag) == 0;
    return n;
}

/* Run everything runnable at the current instant. */
static void drain(void)
{
    for (int guard = 0; ua_loop_has_work(&h_loop) || h_loop.in_pass;
         guard++) {
        assert_true(guard < 100000); /* a task spinning at one instant */
        ua_loop_step(&h_loop);
    }
}

void dv_run_until(uint64_t t_us)
{
    assert_true(t_us >= h_vp.now_us);
    for (;;) {
        ua_ticks_t dl;
        drain();
        if (!ua_loop_next_deadline(&h_loop, &dl))
            break;
        int32_t wait = ua_ticks_diff(dl, ua_loop_now(&h_loop));
        uint64_t at = h_vp.now_us + (uint64_t)(wait > 0 ? wait : 0);
        if (at > t_us)
            break;
        h_vp.now_us = at;
    }
    h_vp.now_us = t_us;
    drain();
}

bool dv_loop_quiet(void)
{
    ua_ticks_t dl;
    return !ua_loop_has_work(&h_loop) && !ua_loop_has_ready(&h_loop) &&
           !ua_loop_next_deadline(&h_loop, &dl);
}

/* --- fake pin ------------------------------------------------------------ */

static int fp_configure(ua_pin_t *pin, enum ua_pin_mode mode)
{
    fake_pin_t *p = pin->ctx;
    p->mode = (int)mode;
    return 0;
}

static int fp_read(ua_pin_t *pin)
{
    fake_pin_t *p = pin->ctx;
    p->reads++;
    return p->level;
}

static void fp_write(ua_pin_t *pin, int level)
{
    ((fake_pin_t *)pin->ctx)->level = level != 0;
}

static int fp_set_irq(ua_pin_t *pin, unsigned edges, ua_pin_irq_cb cb,
                      void *arg)
{
    fake_pin_t *p = pin->ctx;
    p->edges = cb != NULL ? edges : 0;
    p->cb = edges != 0 ? cb : NULL;
    p->cb_arg = arg;
    return 0;
}

static const struct ua_pin_ops fp_ops = {fp_configure, fp_read, fp_write,
                                         fp_set_irq};

void fake_pin_init(fake_pin_t *p, int level)
{
    memset(p, 0, sizeof(*p));
    p->pin.ops = &fp_ops;
    p->pin.ctx = p;
    p->level = level;
    p->mode = -1;
}

static void set_level(fake_pin_t *p, int level)
{
    level = level != 0;
    if (level == p->level)
        return;
    p->level = level;
    unsigned edge = level ? UA_EDGE_RISING : UA_EDGE_FALLING;
    if (p->cb != NULL && (p->edges & edge)) {
        p->irqs++;
        p->cb(p->cb_arg, level, ua_loop_now(&h_loop));
    }
}

void dv_pin_at(fake_pin_t *p, uint64_t t_us, int level)
{
    dv_run_until(t_us);
    set_level(p, level);
    drain();
}

uint32_t dv_rand(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

int dv_bounce_at(fake_pin_t *p, uint64_t t_us, int level, uint32_t bounce_us,
                 uint32_t seed, uint64_t *out, int max)
{
    uint32_t rs = seed * 2654435761u + 1;
    int toggles = 1 + 2 * (int)(dv_rand(&rs) % 5); /* 1..9, odd */
    uint64_t t = t_us;
    int n = 0;

    for (int i = 0; i < toggles; i++) {
        if (i > 0) {
            /* spread the remaining toggles over the bounce window */
            uint32_t step = bounce_us / (uint32_t)toggles;
            t += 1 + dv_rand(&rs) % (step ? step : 1);
        }
        dv_pin_at(p, t, (i % 2 == 0) ? level : !level);
        if (out != NULL && n < max)
            out[n] = t;
        n++;
    }
    assert_int_equal(p->level, level != 0);
    return n;
}
