/*
 * Trace queries (sim_trace.h): an index of record positions by kind, a
 * cache of (kind, name) selections, both extended incrementally, and the
 * query that scenario verbs (expect, events, probes of the trace) run on
 * them instead of copying every record into the caller's language.
 *
 * Both are lazy: a kind is indexed once somebody asks for it (a scenario
 * asks for two or three kinds out of forty), and a (kind, name) selection
 * remembers, per record contents apart from the time, whether the line has
 * the name -- a pin's edges repeat the same few (pin, level) pairs -- so
 * lines are formatted only for contents not seen before.  Finding a kind's
 * records reads only the blocks of 1,024 records whose kind mask (kept by
 * the sort, sim->tr_kinds) has it; a kind asked by one name only is not
 * indexed, its blocks are read for that name.
 *
 * Invalidation.  Records are sorted lazily (sim__trace_sort); a record
 * written at an in-step time can land before records the index has seen,
 * which shifts their positions.  The sort notes the lowest position it
 * wrote (sim->tr_low); before answering, the index drops every entry at or
 * after it and re-reads from there.  Normally that is only the tail.
 */
#include <string.h>

#include "sim_internal.h"

#define NKINDS 64u      /* kinds are < SIM_TR_KIND_END (44) */
#define NAME_CACHE 32u  /* (kind, name) selections kept */

typedef struct ivec {
    uint32_t *v;
    size_t n, cap;
} ivec_t;

/* A record's contents but its time: what its line after the time says. */
typedef struct memo_key {
    uint16_t kind, board;
    uint32_t obj, arg, arg2;
} memo_key_t;

/* Powers of two: a memo starts small (most names meet a few contents, and
 * a large table is fresh memory to fault in), doubles when 3/4 full up to
 * MEMO_CAP, then is cleared when 3/4 full. */
#define MEMO_FIRST 64u
#define MEMO_CAP 1024u

typedef struct memo {
    memo_key_t *key;
    uint8_t *state; /* 0 empty, 1 no match, 2 match */
    unsigned n, cap;
} memo_t;

static memo_t *memo_new(unsigned cap)
{
    memo_t *m = sim__alloc(sizeof *m);
    m->key = sim__alloc(cap * sizeof *m->key);
    m->state = sim__alloc(cap);
    m->cap = cap;
    return m;
}

static void memo_free(memo_t *m)
{
    if (m == NULL)
        return;
    free(m->key);
    free(m->state);
    free(m);
}

static void memo_clear(memo_t *m)
{
    memset(m->state, 0, m->cap);
    m->n = 0;
}

static unsigned memo_slot(const memo_t *m, const memo_key_t *k)
{
    uint64_t h = ((uint64_t)k->kind << 48 ^ (uint64_t)k->board << 32 ^ k->obj) *
                     0x9E3779B97F4A7C15ull ^
                 ((uint64_t)k->arg << 32 | k->arg2) * 0xC2B2AE3D27D4EB4Full;
    return (unsigned)(h >> 40) & (m->cap - 1);
}

/* Room for one more entry: twice the table, or an empty one at MEMO_CAP. */
static void memo_make_room(memo_t *m)
{
    if (m->cap >= MEMO_CAP) {
        memo_clear(m);
        return;
    }
    memo_t *big = memo_new(2 * m->cap);
    for (unsigned j = 0; j < m->cap; j++) {
        if (m->state[j] == 0)
            continue;
        unsigned i = memo_slot(big, &m->key[j]);
        while (big->state[i] != 0)
            i = (i + 1) & (big->cap - 1);
        big->key[i] = m->key[j];
        big->state[i] = m->state[j];
    }
    free(m->key);
    free(m->state);
    m->key = big->key;
    m->state = big->state;
    m->cap = big->cap;
    free(big);
}

typedef struct name_sel {
    int32_t kind;
    char *name;
    ivec_t idx;     /* matching record indices, ascending */
    size_t scanned; /* records below this index have been looked at */
    uint32_t gen;   /* sim->names_gen when scanned */
    memo_t *memo;   /* NULL when the name may match the time itself */
} name_sel_t;

struct sim_tindex {
    ivec_t kind[NKINDS];
    size_t done[NKINDS]; /* records below done[k] are in kind[k] */
    name_sel_t sel[NAME_CACHE];
    unsigned nsel, next_evict;
    sim_sbuf_t line;
    /* the last query's result */
    ivec_t out_idx;
    sim_trace_rec_t *out_rec;
    size_t out_cap;
};

static void ivec_push(ivec_t *v, uint32_t x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 256;
        v->v = realloc(v->v, v->cap * sizeof *v->v);
        if (v->v == NULL)
            abort();
    }
    v->v[v->n++] = x;
}

/* First position in v whose value is >= x. */
static size_t ivec_lower(const ivec_t *v, size_t x)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void sim__tindex_free(sim_t *sim)
{
    struct sim_tindex *ix = sim->tix;
    free(sim->tline);
    if (ix == NULL)
        return;
    for (unsigned k = 0; k < NKINDS; k++)
        free(ix->kind[k].v);
    for (unsigned i = 0; i < ix->nsel; i++) {
        free(ix->sel[i].name);
        free(ix->sel[i].idx.v);
        memo_free(ix->sel[i].memo);
    }
    free(ix->line.p);
    free(ix->out_idx.v);
    free(ix->out_rec);
    free(ix);
}

/* Sort the trace and drop what the sort moved from every index. */
static struct sim_tindex *sync_index(sim_t *sim)
{
    struct sim_tindex *ix = sim->tix;
    if (ix == NULL)
        ix = sim->tix = sim__alloc(sizeof *ix);
    sim__trace_sort(sim);
    if (sim->ntr > UINT32_MAX)
        abort(); /* indices are 32-bit: 4e9 records is 96 GB of trace */
    size_t low = sim->tr_low;
    sim->tr_low = SIZE_MAX;
    if (low == SIZE_MAX)
        return ix;
    for (unsigned k = 0; k < NKINDS; k++)
        if (ix->done[k] > low) {
            ix->kind[k].n = ivec_lower(&ix->kind[k], low);
            ix->done[k] = low;
        }
    for (unsigned i = 0; i < ix->nsel; i++) {
        name_sel_t *s = &ix->sel[i];
        if (s->scanned > low) {
            s->idx.n = ivec_lower(&s->idx, low);
            s->scanned = low;
        }
    }
    return ix;
}

/* The records of kind k, indexed up to the end of the trace. */
static const ivec_t *kind_index(sim_t *sim, struct sim_tindex *ix, unsigned k)
{
    const sim_trace_rec_t *tr = sim->tr;
    ivec_t *v = &ix->kind[k];
    uint64_t bit = sim__kind_bit(k);
    for (size_t i = ix->done[k], n = sim->ntr; i < n;) {
        /* blocks without the kind are skipped (sorted: their masks are
         * up to date) */
        size_t b = i >> SIM_TRACE_BLOCK_SHIFT;
        size_t end = SIM_MIN(n, (b + 1) << SIM_TRACE_BLOCK_SHIFT);
        if (sim->tr_kinds[b] & bit) {
            for (; i < end; i++)
                if (tr[i].kind == k)
                    ivec_push(v, (uint32_t)i);
        }
        i = end;
    }
    ix->done[k] = sim->ntr;
    return v;
}

/* Whether r's line has the selection's name, remembered by contents. */
static bool sel_match(sim_t *sim, struct sim_tindex *ix, name_sel_t *s,
                      const sim_trace_rec_t *r, size_t nl);

static int is_space(unsigned char c)
{
    /* what Python's \s matches among single bytes */
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* `name` as a word of `line`: after the start or white space, before white
 * space, '=' or the end. */
static bool has_word(const char *line, const char *name, size_t nl)
{
    for (const char *p = strstr(line, name); p != NULL; p = strstr(p + 1, name)) {
        char after = p[nl];
        if ((p == line || is_space((unsigned char)p[-1])) &&
            (after == '\0' || after == '=' || is_space((unsigned char)after)))
            return true;
    }
    return false;
}

static bool rec_has_name(sim_t *sim, struct sim_tindex *ix,
                         const sim_trace_rec_t *r, const char *name, size_t nl)
{
    sim__trace_format(sim, r, &ix->line);
    return has_word(ix->line.p, name, nl);
}

/* Whether the selection's kind is worth its index: asked alone already, or
 * by another name (several names of one kind read its records once). */
static bool kind_shared(const struct sim_tindex *ix, const name_sel_t *s)
{
    if (ix->done[s->kind] > 0)
        return true;
    for (unsigned i = 0; i < ix->nsel; i++)
        if (&ix->sel[i] != s && ix->sel[i].kind == s->kind)
            return true;
    return false;
}

/* The cached selection of records of `kind` whose line has `name`, brought
 * up to date. */
static const ivec_t *name_selection(sim_t *sim, struct sim_tindex *ix,
                                    int32_t kind, const char *name)
{
    name_sel_t *s = NULL;
    for (unsigned i = 0; i < ix->nsel; i++)
        if (ix->sel[i].kind == kind && strcmp(ix->sel[i].name, name) == 0) {
            s = &ix->sel[i];
            break;
        }
    if (s == NULL) {
        if (ix->nsel < NAME_CACHE) {
            s = &ix->sel[ix->nsel++];
        } else { /* full: reuse the slots in turn */
            s = &ix->sel[ix->next_evict];
            ix->next_evict = (ix->next_evict + 1) % NAME_CACHE;
            free(s->name);
            free(s->idx.v);
            memo_free(s->memo);
        }
        memset(s, 0, sizeof *s);
        s->kind = kind;
        s->name = sim__strdup(name);
        s->gen = sim->names_gen;
        /* A line starts with its time ("123.456 "); a word can only begin
         * at the start or after a space, so a name that does not begin
         * with a digit never involves the time: its match depends on the
         * rest of the record alone. */
        if (!(name[0] >= '0' && name[0] <= '9'))
            s->memo = memo_new(MEMO_FIRST);
    }
    if (s->gen != sim->names_gen) { /* a name changed: lines did too */
        s->idx.n = 0;
        s->scanned = 0;
        s->gen = sim->names_gen;
        if (s->memo != NULL)
            memo_clear(s->memo);
    }
    size_t nl = strlen(name);
    if (kind >= 0 && kind_shared(ix, s)) {
        const ivec_t *cand = kind_index(sim, ix, (unsigned)kind);
        for (size_t j = ivec_lower(cand, s->scanned); j < cand->n; j++)
            if (sel_match(sim, ix, s, &sim->tr[cand->v[j]], nl))
                ivec_push(&s->idx, cand->v[j]);
    } else if (kind >= 0) {
        /* The records of the kind, found as kind_index finds them but not
         * indexed: a name picks a few edges among all the pins' (an index
         * of every pin record would be a large array of fresh memory). */
        const sim_trace_rec_t *tr = sim->tr;
        uint64_t bit = sim__kind_bit((unsigned)kind);
        for (size_t i = s->scanned, n = sim->ntr; i < n;) {
            size_t b = i >> SIM_TRACE_BLOCK_SHIFT;
            size_t end = SIM_MIN(n, (b + 1) << SIM_TRACE_BLOCK_SHIFT);
            if (sim->tr_kinds[b] & bit) {
                for (; i < end; i++)
                    if (tr[i].kind == (unsigned)kind && sel_match(sim, ix, s, &tr[i], nl))
                        ivec_push(&s->idx, (uint32_t)i);
            }
            i = end;
        }
    } else {
        for (size_t i = s->scanned; i < sim->ntr; i++)
            if (sel_match(sim, ix, s, &sim->tr[i], nl))
                ivec_push(&s->idx, (uint32_t)i);
    }
    s->scanned = sim->ntr;
    return &s->idx;
}

static bool sel_match(sim_t *sim, struct sim_tindex *ix, name_sel_t *s,
                      const sim_trace_rec_t *r, size_t nl)
{
    memo_t *m = s->memo;
    if (m == NULL)
        return rec_has_name(sim, ix, r, s->name, nl);
    memo_key_t key = {r->kind, r->board, r->obj, r->arg, r->arg2};
    unsigned i = memo_slot(m, &key);
    while (m->state[i] != 0) {
        if (memcmp(&m->key[i], &key, sizeof key) == 0)
            return m->state[i] == 2;
        i = (i + 1) & (m->cap - 1);
    }
    bool hit = rec_has_name(sim, ix, r, s->name, nl);
    if (m->n >= m->cap / 4 * 3) { /* full: grow, or start over */
        memo_make_room(m);
        i = memo_slot(m, &key);
        while (m->state[i] != 0)
            i = (i + 1) & (m->cap - 1);
    }
    m->key[i] = key;
    m->state[i] = hit ? 2 : 1;
    m->n++;
    return hit;
}

static void out_push(struct sim_tindex *ix, const sim_trace_rec_t *r, uint32_t i)
{
    ivec_push(&ix->out_idx, i);
    if (ix->out_idx.n > ix->out_cap) {
        ix->out_cap = ix->out_idx.cap;
        ix->out_rec = realloc(ix->out_rec, ix->out_cap * sizeof *ix->out_rec);
        if (ix->out_rec == NULL)
            abort();
    }
    ix->out_rec[ix->out_idx.n - 1] = *r;
}

static bool fields_match(const sim_trace_query_t *q, const sim_trace_rec_t *r)
{
    return (!(q->mask & SIM_TQ_BOARD) || r->board == q->board) &&
           (!(q->mask & SIM_TQ_OBJ) || r->obj == q->obj) &&
           (!(q->mask & SIM_TQ_ARG) || r->arg == q->arg) &&
           (!(q->mask & SIM_TQ_ARG2) || r->arg2 == q->arg2);
}

/* First record index >= from whose time is >= t. */
static size_t first_at(const sim_t *sim, uint64_t t, size_t from)
{
    size_t lo = from, hi = sim->ntr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sim->tr[mid].t_ns < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}


size_t sim_trace_query(sim_t *sim, const sim_trace_query_t *q)
{
    struct sim_tindex *ix = sync_index(sim);
    ix->out_idx.n = 0;
    if (q->kind >= (int32_t)NKINDS || q->t_lo > q->t_hi)
        return 0;
    const char *name = q->name != NULL && q->name[0] != '\0' ? q->name : NULL;
    const ivec_t *cand = NULL;
    if (name != NULL)
        cand = name_selection(sim, ix, q->kind, name);
    else if (q->kind >= 0)
        cand = kind_index(sim, ix, (unsigned)q->kind);
    /* candidates start at the first record in time and index range */
    size_t start = first_at(sim, q->t_lo, q->from < sim->ntr ? q->from : sim->ntr);
    if (cand != NULL) {
        for (size_t j = ivec_lower(cand, start); j < cand->n; j++) {
            const sim_trace_rec_t *r = &sim->tr[cand->v[j]];
            if (r->t_ns > q->t_hi)
                break;
            if (fields_match(q, r)) {
                out_push(ix, r, cand->v[j]);
                if (q->limit && ix->out_idx.n >= q->limit)
                    break;
            }
        }
    } else {
        for (size_t i = start; i < sim->ntr; i++) {
            const sim_trace_rec_t *r = &sim->tr[i];
            if (r->t_ns > q->t_hi)
                break;
            if (fields_match(q, r)) {
                out_push(ix, r, (uint32_t)i);
                if (q->limit && ix->out_idx.n >= q->limit)
                    break;
            }
        }
    }
    return ix->out_idx.n;
}

const uint32_t *sim_trace_query_indices(const sim_t *sim)
{
    return sim->tix != NULL ? sim->tix->out_idx.v : NULL;
}

const sim_trace_rec_t *sim_trace_query_records(const sim_t *sim)
{
    return sim->tix != NULL ? sim->tix->out_rec : NULL;
}

size_t sim_trace_lower_bound(sim_t *sim, uint64_t t_ns)
{
    sim__trace_sort(sim);
    return first_at(sim, t_ns, 0);
}

const char *sim_trace_line(sim_t *sim, const sim_trace_rec_t *r)
{
    sim_sbuf_t sb = {sim->tline, 0, sim->tline_cap};
    sim__trace_format(sim, r, &sb);
    sim->tline = sb.p;
    sim->tline_cap = sb.cap;
    return sb.p;
}

const char *sim_trace_board_name(const sim_t *sim, unsigned i)
{
    return i < sim->boards.n ? sim_board_name(sim->boards.v[i]) : NULL;
}
