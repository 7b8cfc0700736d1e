/*
 * Schedule exploration: the decision points of a run (sim.h, "Schedule
 * exploration") and the choice taken at each, drawn at random or replayed
 * from a plan.
 */
#include <string.h>

#include "sim_internal.h"

/* Note codes of the decisions on the timeline: far above any app's. */
#define NOTE_BASE 0xFFFF0000u

typedef struct counter {
    uint32_t kind, board, next;
} counter_t;

struct sim_perturb_state {
    bool random;
    bool boards;         /* sim_perturb_boards: board order may change */
    uint32_t permille;
    uint64_t rng;        /* splitmix64 state */
    sim_perturb_t *plan; /* sorted by (kind, board, point) once used */
    size_t nplan, capplan;
    bool plan_sorted;
    sim_perturb_t *taken;
    size_t ntaken, captaken;
    counter_t *counters;
    size_t ncounters;
    bool named[5]; /* note names registered, by kind */
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t draw(struct sim_perturb_state *ps, uint64_t lo, uint64_t hi)
{
    return lo + splitmix(&ps->rng) % (hi - lo + 1);
}

static struct sim_perturb_state *state(sim_t *sim)
{
    if (sim->perturb == NULL)
        sim->perturb = sim__alloc(sizeof *sim->perturb);
    return sim->perturb;
}

void sim__perturb_free(sim_t *sim)
{
    struct sim_perturb_state *ps = sim->perturb;
    if (ps == NULL)
        return;
    free(ps->plan);
    free(ps->taken);
    free(ps->counters);
    free(ps);
    sim->perturb = NULL;
}

int sim_explore_random(sim_t *sim, uint64_t seed, uint32_t permille)
{
    if (permille > 1000) {
        sim__error(sim, "explore: permille=%u is out of range 0..1000", permille);
        return -1;
    }
    struct sim_perturb_state *ps = state(sim);
    if (ps->nplan > 0) {
        sim__error(sim, "explore: this run already replays a plan");
        return -1;
    }
    ps->random = true;
    sim->exploring = true;
    ps->permille = permille;
    ps->rng = seed ^ 0x5DEECE66Dull;
    return 0;
}

int sim_perturb_plan(sim_t *sim, uint32_t kind, uint32_t board, uint32_t point,
                     int64_t value)
{
    if (kind < SIM_PERTURB_ORDER || kind > SIM_PERTURB_BOARD) {
        sim__error(sim, "perturb: kind %u is not 1 (order), 2 (irq), 3 (stim) "
                   "or 4 (board)", kind);
        return -1;
    }
    if (value == 0 || (kind != SIM_PERTURB_STIM && value < 0)) {
        sim__error(sim, "perturb: value %lld is not a decision for kind %u "
                   "(order, irq, board: 1 or more; stim: any but 0)",
                   (long long)value, kind);
        return -1;
    }
    struct sim_perturb_state *ps = state(sim);
    if (ps->random) {
        sim__error(sim, "perturb: this run already draws at random");
        return -1;
    }
    if (ps->nplan == ps->capplan) {
        ps->capplan = ps->capplan ? ps->capplan * 2 : 16;
        ps->plan = realloc(ps->plan, ps->capplan * sizeof *ps->plan);
        if (ps->plan == NULL)
            abort();
    }
    ps->plan[ps->nplan++] = (sim_perturb_t){kind, board, point, value, 0};
    sim->exploring = true;
    ps->plan_sorted = false;
    return 0;
}

size_t sim_perturb_count(const sim_t *sim)
{
    return sim->perturb != NULL ? sim->perturb->ntaken : 0;
}

int sim_perturb_get(const sim_t *sim, size_t i, sim_perturb_t *out)
{
    if (i >= sim_perturb_count(sim))
        return -1;
    *out = sim->perturb->taken[i];
    return 0;
}

static int key_cmp(const sim_perturb_t *a, uint32_t kind, uint32_t board,
                   uint32_t point)
{
    if (a->kind != kind)
        return a->kind < kind ? -1 : 1;
    if (a->board != board)
        return a->board < board ? -1 : 1;
    if (a->point != point)
        return a->point < point ? -1 : 1;
    return 0;
}

static int plan_cmp(const void *pa, const void *pb)
{
    const sim_perturb_t *b = pb;
    return key_cmp(pa, b->kind, b->board, b->point);
}

static const sim_perturb_t *plan_find(struct sim_perturb_state *ps,
                                      uint32_t kind, uint32_t board,
                                      uint32_t point)
{
    if (!ps->plan_sorted) {
        qsort(ps->plan, ps->nplan, sizeof *ps->plan, plan_cmp);
        ps->plan_sorted = true;
    }
    size_t lo = 0, hi = ps->nplan;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(&ps->plan[mid], kind, board, point);
        if (c == 0)
            return &ps->plan[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static uint32_t next_point(struct sim_perturb_state *ps, uint32_t kind,
                           uint32_t board)
{
    for (size_t i = 0; i < ps->ncounters; i++)
        if (ps->counters[i].kind == kind && ps->counters[i].board == board)
            return ps->counters[i].next++;
    ps->counters = realloc(ps->counters,
                           (ps->ncounters + 1) * sizeof *ps->counters);
    if (ps->counters == NULL)
        abort();
    ps->counters[ps->ncounters++] = (counter_t){kind, board, 1};
    return 0;
}

static void take(sim_t *sim, struct sim_perturb_state *ps, uint32_t kind,
                 uint32_t board, uint32_t point, int64_t value, uint64_t when)
{
    static const char *const names[] = {NULL, "perturb_order", "perturb_irq",
                                        "perturb_stim", "perturb_board"};
    if (ps->ntaken == ps->captaken) {
        ps->captaken = ps->captaken ? ps->captaken * 2 : 16;
        ps->taken = realloc(ps->taken, ps->captaken * sizeof *ps->taken);
        if (ps->taken == NULL)
            abort();
    }
    ps->taken[ps->ntaken++] =
        (sim_perturb_t){kind, board, point, value, when};
    if (!ps->named[kind]) {
        sim_trace_note_name(sim, NOTE_BASE + kind, names[kind]);
        ps->named[kind] = true;
    }
    sim_trace_note(sim, board == SIM_PERTURB_ANY_BOARD ? 0 : board,
                   NOTE_BASE + kind, point, (uint32_t)(int32_t)value);
}

/*
 * One decision point: the value in [lo, hi] (never 0) to take, or 0 for
 * the default.  `lo` may be negative (a stimulus moves either way).
 */
static int64_t decide(sim_t *sim, uint32_t kind, uint32_t board, int64_t lo,
                      int64_t hi, uint64_t when)
{
    struct sim_perturb_state *ps = sim->perturb;
    if (ps == NULL || (!ps->random && ps->nplan == 0))
        return 0;
    uint32_t point = next_point(ps, kind, board);
    int64_t v = 0;
    if (ps->random) {
        if (ps->permille == 0 || draw(ps, 0, 999) >= ps->permille)
            return 0;
        /* uniform over the non-zero values of [lo, hi] */
        uint64_t span = (uint64_t)(hi - lo) + 1 - (lo <= 0 && hi >= 0);
        v = lo + (int64_t)draw(ps, 0, span - 1);
        if (lo <= 0 && v >= 0)
            v++;
    } else {
        const sim_perturb_t *p = plan_find(ps, kind, board, point);
        if (p == NULL)
            return 0;
        v = p->value < lo ? lo : p->value > hi ? hi : p->value;
    }
    if (v != 0)
        take(sim, ps, kind, board, point, v, when);
    return v;
}

uint32_t sim__perturb_reorder(void *ctx, const void *woken, uint32_t choices)
{
    sim_board_t *b = ctx;
    (void)woken;
    return (uint32_t)decide(b->sim, SIM_PERTURB_ORDER, b->index, 1,
                            (int64_t)choices - 1, sim__now(b->sim));
}

uint64_t sim__perturb_irq_delay(sim_board_t *b)
{
    sim_t *sim = b->sim;
    if (sim->perturb == NULL || b->in_step || sim->now >= b->busy_until ||
        b->irq_latency == 0)
        return 0;
    return (uint64_t)decide(sim, SIM_PERTURB_IRQ, b->index, 1,
                            (int64_t)b->irq_latency, sim->now);
}

uint64_t sim_perturb_stimulus(sim_t *sim, uint64_t t_ns, uint64_t max_ns)
{
    if (max_ns == 0)
        return t_ns;
    if (max_ns > INT32_MAX)
        max_ns = INT32_MAX; /* the note carries the offset as an int32 */
    int64_t d = decide(sim, SIM_PERTURB_STIM, SIM_PERTURB_ANY_BOARD,
                       -(int64_t)max_ns, (int64_t)max_ns, t_ns);
    if (d < 0 && (uint64_t)-d > t_ns - SIM_MIN(t_ns, sim->now))
        return sim->now; /* not before now */
    return (uint64_t)((int64_t)t_ns + d);
}

void sim_perturb_boards(sim_t *sim, bool on)
{
    state(sim)->boards = on;
}

sim_board_t *sim__perturb_board(sim_t *sim, sim_board_t *first, uint64_t t)
{
    struct sim_perturb_state *ps = sim->perturb;
    size_t due = 0;
    /* declared but not exploring (a plain run): nothing to decide, and
     * counting the due boards would cost every step */
    if (!ps->boards || (!ps->random && ps->nplan == 0))
        return first;
    for (size_t i = 0; i < sim->boards.n; i++)
        due += sim__board_next(sim->boards.v[i]) == t;
    if (due < 2)
        return first;
    int64_t v = decide(sim, SIM_PERTURB_BOARD, SIM_PERTURB_ANY_BOARD, 1,
                       (int64_t)due - 1, t);
    for (size_t i = 0; v > 0 && i < sim->boards.n; i++) {
        sim_board_t *b = sim->boards.v[i];
        if (b != first && sim__board_next(b) == t && --v == 0)
            return b;
    }
    return first;
}

void sim_board_set_irq_latency(sim_board_t *b, uint64_t max_ns)
{
    b->irq_latency = max_ns;
}
