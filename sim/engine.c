/*
 * The kernel: event queue (binary heap ordered by time then insertion),
 * the run loop that interleaves events with board steps, and the PRNG.
 */
#include <stdarg.h>
#include <string.h>

#include "power.h"
#include "sim_internal.h"

void *sim__alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (p == NULL) {
        fputs("sim: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *sim__own(sim_t *sim, size_t n)
{
    void *p = sim__alloc(n);
    sim__vec_push(&sim->owned, p);
    return p;
}

char *sim__strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = sim__alloc(n);
    memcpy(d, s ? s : "", n);
    return d;
}

static void vec_grow(sim_vec_t *v, size_t need)
{
    if (need <= v->cap)
        return;
    size_t cap = v->cap ? v->cap * 2 : 8;
    while (cap < need)
        cap *= 2;
    void **nv = realloc(v->v, cap * sizeof(void *));
    if (nv == NULL)
        abort();
    memset(nv + v->cap, 0, (cap - v->cap) * sizeof(void *));
    v->v = nv;
    v->cap = cap;
}

void sim__vec_push(sim_vec_t *v, void *p)
{
    vec_grow(v, v->n + 1);
    v->v[v->n++] = p;
}

void sim__vec_set(sim_vec_t *v, size_t i, void *p)
{
    vec_grow(v, i + 1);
    v->v[i] = p;
    if (v->n < i + 1)
        v->n = i + 1;
}

void *sim__vec_get(const sim_vec_t *v, size_t i)
{
    return i < v->n ? v->v[i] : NULL;
}

void sim__error(sim_t *sim, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim->err, sizeof sim->err, fmt, ap);
    va_end(ap);
}

void sim_set_error(sim_t *sim, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim->err, sizeof sim->err, fmt, ap);
    va_end(ap);
}

const char *sim_last_error(const sim_t *sim)
{
    return sim->err;
}

sim_t *sim_new(uint64_t seed)
{
    sim_t *sim = sim__alloc(sizeof *sim);
    sim->seed = seed;
    sim->tracing = true;
    sim->tr_low = SIZE_MAX;
    return sim;
}

void sim_free(sim_t *sim)
{
    if (sim == NULL)
        return;
    for (size_t i = 0; i < sim->pins.n; i++)
        sim__pin_free(sim->pins.v[i]);
    for (size_t i = 0; i < sim->nets.n; i++)
        sim__net_free(sim->nets.v[i]);
    for (size_t i = 0; i < sim->uarts.n; i++)
        sim__uart_free(sim->uarts.v[i]);
    for (size_t i = 0; i < sim->buses.n; i++)
        sim__i2c_free(sim->buses.v[i]);
    for (size_t i = 0; i < sim->boards.n; i++)
        sim__board_free(sim->boards.v[i]);
    for (size_t i = 0; i < sim->owned.n; i++)
        free(sim->owned.v[i]);
    for (size_t i = 0; i < sim->ntasks; i++)
        free(sim->tasks[i].name);
    for (size_t i = 0; i < sim->nnotes; i++)
        free(sim->notes[i].name);
    free(sim->pins.v);
    free(sim->nets.v);
    free(sim->uarts.v);
    free(sim->buses.v);
    free(sim->boards.v);
    free(sim->owned.v);
    free(sim->tasks);
    free(sim->tmap);
    free(sim->notes);
    free(sim->name);
    sim__tindex_free(sim);
    sim__trace_free(sim);
    free(sim->tr_kinds);
    sim__perturb_free(sim);
    free(sim->heap);
    free(sim);
}

uint64_t sim_seed(const sim_t *sim)
{
    return sim->seed;
}

void sim_set_name(sim_t *sim, const char *name)
{
    free(sim->name);
    sim->name = name != NULL && name[0] != '\0' ? sim__strdup(name) : NULL;
}

const char *sim_name(const sim_t *sim)
{
    return sim->name != NULL ? sim->name : "";
}

uint64_t sim_now(const sim_t *sim)
{
    return sim__now(sim);
}

/* --- event heap ------------------------------------------------------------- */

static bool ev_less(const sim_ev_t *a, const sim_ev_t *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void sim_at(sim_t *sim, uint64_t t_ns, sim_event_cb cb, void *arg,
            uint64_t data)
{
    if (sim->nheap == sim->capheap) {
        sim->capheap = sim->capheap ? sim->capheap * 2 : 256;
        sim->heap = realloc(sim->heap, sim->capheap * sizeof(sim_ev_t));
        if (sim->heap == NULL)
            abort();
    }
    sim_ev_t e = {SIM_MAX(t_ns, sim->now), sim->seq++, cb, arg, data};
    size_t i = sim->nheap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ev_less(&e, &sim->heap[p]))
            break;
        sim->heap[i] = sim->heap[p];
        i = p;
    }
    sim->heap[i] = e;
}

static sim_ev_t ev_pop(sim_t *sim)
{
    sim_ev_t top = sim->heap[0];
    sim_ev_t last = sim->heap[--sim->nheap];
    size_t i = 0, n = sim->nheap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ev_less(&sim->heap[c + 1], &sim->heap[c]))
            c++;
        if (!ev_less(&sim->heap[c], &last))
            break;
        sim->heap[i] = sim->heap[c];
        i = c;
    }
    if (n > 0)
        sim->heap[i] = last;
    return top;
}

uint64_t sim_pending_events(const sim_t *sim)
{
    return sim->nheap;
}

/* --- run loop ---------------------------------------------------------------- */

/* The board that steps first and when (SIM_FOREVER: none has work).
 * `stepped`, if not NULL, is the board whose step just ended: its next
 * time was asked last at the end of the step (sim__board_step) and nothing
 * has run since, so it is not asked again -- but in a checking build. */
static inline uint64_t next_board(const sim_t *sim, sim_board_t **best,
                                  const sim_board_t *stepped)
{
    uint64_t t_b = SIM_FOREVER;
    *best = NULL;
    for (size_t i = 0; i < sim->boards.n; i++) {
        sim_board_t *b = sim->boards.v[i];
        uint64_t t;
        if (b == stepped && b->next_fresh) {
            t = b->next_answer;
#ifdef SIM_CHECK_CACHES
            uint64_t asked = sim__board_next(b);
            if (asked != t) {
                fprintf(stderr, "sim: board %u's next time %llu, not %llu\n",
                        b->index, (unsigned long long)asked,
                        (unsigned long long)t);
                abort();
            }
#endif
        } else {
            t = sim__board_next(b);
        }
        if (t < t_b) {
            t_b = t;
            *best = sim->boards.v[i];
        }
    }
    return t_b;
}

uint64_t sim_next_time(const sim_t *sim)
{
    sim_board_t *best;
    uint64_t t_ev = sim->nheap ? sim->heap[0].t : SIM_FOREVER;
    return SIM_MIN(t_ev, next_board(sim, &best, NULL));
}

/* Run items until t_end, a stop, or `watch` (if any) being done. */
static uint64_t run(sim_t *sim, uint64_t t_end, const ua_task_t *watch)
{
    uint64_t count = 0;

    sim_board_t *stepped = NULL; /* by the previous item */
    sim->stop = false;
    while (!sim->stop && !(watch != NULL && ua_task_done(watch))) {
        uint64_t t_ev = sim->nheap ? sim->heap[0].t : SIM_FOREVER;
        sim_board_t *best = NULL;
        /* No board is due before now, so an event due now runs next
         * whatever they say: they are not asked (half of syncom.py's
         * events are due at the instant of the one before). */
        uint64_t t_b = t_ev == sim->now && t_ev != SIM_FOREVER
                           ? SIM_FOREVER
                           : next_board(sim, &best, stepped);
        stepped = NULL;
        /* Events due at an instant run before the boards step at it. */
        if (t_ev <= t_b) {
            if (t_ev == SIM_FOREVER || t_ev > t_end)
                break;
            sim_ev_t e = ev_pop(sim);
            sim->now = e.t;
            e.cb(sim, e.arg, e.data);
        } else {
            if (t_b > t_end)
                break;
            sim->now = t_b;
            if (sim->exploring) /* who goes first at t_b */
                best = sim__perturb_board(sim, best, t_b);
            sim__board_step(best);
            stepped = best;
        }
        count++;
    }
    return count;
}

uint32_t sim_unhandled_errors(const sim_t *sim, uint32_t *task_id,
                              int32_t *status)
{
    if (task_id != NULL)
        *task_id = sim->first_unhandled_task;
    if (status != NULL)
        *status = sim->first_unhandled_status;
    return sim->unhandled;
}

uint64_t sim_run_until(sim_t *sim, uint64_t t_end)
{
    uint64_t count = run(sim, t_end, NULL);
    if (!sim->stop && t_end != SIM_FOREVER && sim->now < t_end)
        sim->now = t_end;
    sim__power_flush(sim); /* power.c: the trace holds the open periods */
    return count;
}

uint64_t sim_run_for(sim_t *sim, uint64_t ns)
{
    return sim_run_until(sim, ns > SIM_FOREVER - sim->now ? SIM_FOREVER
                                                          : sim->now + ns);
}

void sim_stop(sim_t *sim)
{
    sim->stop = true;
}

int sim_run_until_done(sim_t *sim, const ua_task_t *t, uint64_t limit_ns)
{
    run(sim, limit_ns, t);
    if (ua_task_done(t)) {
        sim__power_flush(sim); /* power.c: the trace holds the open periods */
        return ua_task_status(t);
    }
    if (!sim->stop && limit_ns != SIM_FOREVER && sim->now < limit_ns)
        sim->now = limit_ns;
    sim__power_flush(sim);
    return UA_ETIMEDOUT;
}

/* --- PRNG: splitmix64 seeds xoshiro256** ----------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void sim_rng_stream(const sim_t *sim, uint64_t stream, sim_rng_t *out)
{
    uint64_t x = sim->seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (int i = 0; i < 4; i++)
        out->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(sim_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t sim_rng_range(sim_rng_t *r, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = hi - lo + 1;
    if (span == 0)
        return sim_rng_next(r);
    return lo + sim_rng_next(r) % span;
}

double sim_rng_double(sim_rng_t *r)
{
    return (double)(sim_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
