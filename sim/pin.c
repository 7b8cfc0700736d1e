/*
 * GPIO pins, nets and sources: level resolution, edge interrupts, watchers.
 */
#include <string.h>

#include "sim_internal.h"

static sim_net_t *net_new(sim_t *sim)
{
    sim_net_t *n = sim__alloc(sizeof *n);
    sim__vec_push(&sim->nets, n);
    return n;
}

void sim__net_free(sim_net_t *n)
{
    if (n == NULL)
        return;
    free(n->pins.v);
    free(n->srcs.v);
    free(n);
}

void sim__pin_free(sim_pin_t *p)
{
    sim_watch_t *w = p->watch;
    while (w != NULL) {
        sim_watch_t *next = w->next;
        free(w);
        w = next;
    }
    free(p->name);
    free(p);
}

static int resolve(sim_net_t *n)
{
    unsigned lo = 0, hi = 0;
    int pull = n->pull;

    for (size_t i = 0; i < n->pins.n; i++) {
        const sim_pin_t *p = n->pins.v[i];
        switch (p->mode) {
        case UA_PIN_OUTPUT:
            p->drv ? hi++ : lo++;
            break;
        case UA_PIN_OPEN_DRAIN:
            if (!p->drv)
                lo++;
            break;
        case UA_PIN_INPUT_PULLUP:
            pull = pull < 0 ? pull : 1;
            break;
        case UA_PIN_INPUT_PULLDOWN:
            pull = pull > 0 ? pull : -1;
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < n->srcs.n; i++) {
        const sim_source_t *s = n->srcs.v[i];
        if (s->level == 0)
            lo++;
        else if (s->level == 1)
            hi++;
    }
    n->clash = lo && hi;
    if (n->clash)
        n->contention++;
    if (lo)
        return 0;
    if (hi)
        return 1;
    if (pull)
        return pull > 0;
    return n->level;
}

static bool pin_irq_wanted(const sim_pin_t *p, int level)
{
    unsigned edge = level ? UA_EDGE_RISING : UA_EDGE_FALLING;
    return p->board != NULL && p->cb != NULL && (p->edges & edge);
}

static void pin_irq_run(sim_pin_t *p, int level, uint64_t t)
{
    ua_loop_t *saved = sim__irq_begin(p->board, SIM_SRC_PIN, p->id);
    p->cb(p->cb_arg, level, sim__board_tick_at(p->board, t));
    sim__irq_end(p->board, saved, SIM_SRC_PIN, p->id);
}

/* An interrupt the explorer held off (SIM_PERTURB_IRQ): data is the edge's
 * time << 1 | level; the handler still gets the edge's tick (captured by
 * the hardware), only its running is late. */
static void pin_irq_late(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    if (pin_irq_wanted(arg, (int)(data & 1)))
        pin_irq_run(arg, (int)(data & 1), data >> 1);
}

static void pin_irq(sim_pin_t *p, int level, uint64_t t)
{
    if (!pin_irq_wanted(p, level))
        return;
    uint64_t late = p->sim->exploring ? sim__perturb_irq_delay(p->board) : 0;
    if (late != 0)
        sim_at(p->sim, t + late, pin_irq_late, p, t << 1 | (uint64_t)level);
    else
        pin_irq_run(p, level, t);
}

/* Re-resolve a net now; on a change trace it, run IRQs, then watchers. */
static void net_update(sim_t *sim, sim_net_t *n)
{
    int level = resolve(n);
    if (level == n->level)
        return;
    n->level = level;
    uint64_t t = sim__now(sim);
    for (size_t i = 0; i < n->pins.n; i++) {
        sim_pin_t *p = n->pins.v[i];
        if (sim->tracing)
            sim__trace(sim, t, SIM_TR_PIN,
                       p->board ? p->board->index : SIM_NO_BOARD, p->id,
                       (uint32_t)level, 0);
    }
    for (size_t i = 0; i < n->pins.n; i++)
        pin_irq(n->pins.v[i], level, t);
    for (size_t i = 0; i < n->pins.n; i++)
        for (sim_watch_t *w = ((sim_pin_t *)n->pins.v[i])->watch; w;
             w = w->next)
            w->cb(w->arg, level, t);
}

/* --- ua_pin ops -------------------------------------------------------------- */

static int op_configure(ua_pin_t *hw, enum ua_pin_mode mode)
{
    sim_pin_t *p = hw->ctx;
    if ((unsigned)mode > UA_PIN_OPEN_DRAIN)
        return UA_EINVAL;
    p->mode = (int)mode;
    p->drv = p->out;
    net_update(p->sim, p->net);
    return 0;
}

static int op_read(ua_pin_t *hw)
{
    const sim_pin_t *p = hw->ctx;
    if (p->mode == UA_PIN_OUTPUT)
        return p->out;
    return p->net->level;
}

static void write_event(sim_t *sim, void *arg, uint64_t data)
{
    sim_pin_t *p = arg;
    /* Rewriting the level the pin drives changes nothing: every other
     * input of the net's level was resolved when it changed.  Unless the
     * net is in contention, which each resolution counts. */
    if (p->drv == (int)data && !p->net->clash)
        return;
    p->drv = (int)data;
    net_update(sim, p->net);
}

/* Board code writes the latch now; the net follows at the code's time
 * (through an event, so a step never re-enters interrupt handlers). */
static void op_write(ua_pin_t *hw, int level)
{
    sim_pin_t *p = hw->ctx;
    p->out = level ? 1 : 0;
    sim_at(p->sim, sim__now(p->sim), write_event, p, (uint64_t)p->out);
}

static int op_set_irq(ua_pin_t *hw, unsigned edges, ua_pin_irq_cb cb,
                      void *arg)
{
    sim_pin_t *p = hw->ctx;
    if (edges > UA_EDGE_BOTH)
        return UA_EINVAL;
    p->edges = cb ? edges : 0;
    p->cb = edges ? cb : NULL;
    p->cb_arg = arg;
    return 0;
}

static const struct ua_pin_ops pin_ops = {
    op_configure, op_read, op_write, op_set_irq,
};

static sim_pin_t *pin_new(sim_t *sim, sim_board_t *b, unsigned n,
                          const char *name)
{
    sim_pin_t *p = sim__alloc(sizeof *p);
    char buf[32];
    p->hw.ops = &pin_ops;
    p->hw.ctx = p;
    p->hw.id = n;
    p->sim = sim;
    p->board = b;
    p->id = (uint32_t)sim->pins.n;
    if (name == NULL) {
        snprintf(buf, sizeof buf, "p%u", n);
        name = buf;
    }
    p->name = sim__strdup(name);
    p->mode = UA_PIN_INPUT;
    p->net = net_new(sim);
    sim__vec_push(&p->net->pins, p);
    sim__vec_push(&sim->pins, p);
    return p;
}

sim_pin_t *sim_board_pin(sim_board_t *b, unsigned n)
{
    sim_pin_t *p = sim__vec_get(&b->pins, n);
    if (p == NULL) {
        p = pin_new(b->sim, b, n, NULL);
        sim__vec_set(&b->pins, n, p);
    }
    return p;
}

sim_pin_t *sim_pin_new(sim_t *sim, const char *name)
{
    return pin_new(sim, NULL, (unsigned)sim->pins.n, name);
}

ua_pin_t *sim_pin_hw(sim_pin_t *p) { return &p->hw; }
uint32_t sim_pin_id(const sim_pin_t *p) { return p->id; }
int sim_pin_level(const sim_pin_t *p) { return p->net->level; }
uint32_t sim_pin_contention(const sim_pin_t *p) { return p->net->contention; }

void sim_pin_set_name(sim_pin_t *p, const char *name)
{
    free(p->name);
    p->name = sim__strdup(name);
    p->sim->names_gen++; /* trace lines show names: cached selections redo */
}

void sim_pin_pull(sim_pin_t *p, int dir)
{
    p->net->pull = dir > 0 ? 1 : dir < 0 ? -1 : 0;
    net_update(p->sim, p->net);
}

void sim_wire(sim_pin_t *a, sim_pin_t *b)
{
    sim_net_t *na = a->net, *nb = b->net;
    if (na == nb)
        return;
    for (size_t i = 0; i < nb->pins.n; i++) {
        sim_pin_t *p = nb->pins.v[i];
        p->net = na;
        sim__vec_push(&na->pins, p);
    }
    for (size_t i = 0; i < nb->srcs.n; i++)
        sim__vec_push(&na->srcs, nb->srcs.v[i]);
    if (!na->pull)
        na->pull = nb->pull;
    na->contention += nb->contention;
    nb->pins.n = nb->srcs.n = 0;
    net_update(a->sim, na);
}

void sim_pin_watch(sim_pin_t *p, sim_pin_watch_cb cb, void *arg)
{
    sim_watch_t *w = sim__alloc(sizeof *w);
    sim_watch_t **tail = &p->watch;
    w->cb = cb;
    w->arg = arg;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = w;
}

/* --- sources ----------------------------------------------------------------- */

sim_source_t *sim_source_new(sim_pin_t *p)
{
    sim_source_t *s = sim__own(p->sim, sizeof *s);
    s->pin = p;
    s->level = SIM_Z;
    sim__vec_push(&p->net->srcs, s);
    return s;
}

void sim_source_set(sim_source_t *s, int level)
{
    s->level = level < 0 ? SIM_Z : level ? 1 : 0;
    net_update(s->pin->sim, s->pin->net);
}

static void source_event(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    sim_source_set(arg, (int)(int64_t)data);
}

void sim_source_at(sim_source_t *s, uint64_t t_ns, int level)
{
    sim_at(s->pin->sim, t_ns, source_event, s, (uint64_t)(int64_t)level);
}
