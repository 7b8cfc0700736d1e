/*
 * Fuzz entry point of the trace reader and renderer (what uasync-png and
 * tools/sim view read: tl_parse.c, tl_lanes.c, then tl_render), libFuzzer's
 * signature; tests/sim/fuzz_regress.c runs it in the normal build.  The
 * input is a text trace, read line by line as tl_trace_load does (a line
 * that cannot be read is skipped here, to reach what follows it), then cut
 * into lanes and drawn whole and in a narrow window at its end.
 * Invariants after any input: every lane item ends no earlier than it
 * starts, a lane's items are in time order, and the trace's end is no
 * earlier than any item; and the lanes built in one pass as lines are read
 * (tl_trace_lanes_only, uasync-png's way) are those built at the end,
 * unless that trace asked to be read again (restart).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_render.h"
#include "tl_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const tl_trace_t *tr, const tl_lane_t *l, size_t k,
                   const char *what)
{
    fprintf(stderr, "fuzz_trace: lane %s item %zu [%llu, %llu] (end %llu): %s\n",
            l->name, k, (unsigned long long)l->items[k].t0,
            (unsigned long long)l->items[k].t1, (unsigned long long)tr->t_end,
            what);
    abort();
}

static void check(const tl_trace_t *tr)
{
    for (size_t i = 0; i < tr->nlanes; i++) {
        const tl_lane_t *l = &tr->lanes[i];
        for (size_t k = 0; k < l->n; k++) {
            if (l->items[k].t1 < l->items[k].t0)
                broken(tr, l, k, "ends before it starts");
            if (k > 0 && l->items[k].t0 < l->items[k - 1].t0)
                broken(tr, l, k, "starts before the previous item");
            if (l->items[k].t1 > tr->t_end)
                broken(tr, l, k, "ends after the trace");
        }
    }
}

static void draw(const tl_trace_t *tr, uint64_t t0, uint64_t t1)
{
    tl_view_t v = tl_view_default(tr, 400);
    if (t1 > t0) {
        v.t0 = t0;
        v.t1 = t1;
    }
    int h = tl_view_height(tr, &v);
    if (h <= 0 || h > 4000)
        return;
    tl_surface_t *s = tl_surface_new(v.width, h);
    if (s == NULL)
        abort();
    tl_render(tr, &v, s, NULL);
    tl_surface_free(s);
}

/* The one-pass lanes of `one` against the lanes of `all`: the same items
 * (but for the records they point to, which one-pass keeps only for notes:
 * the same names there). */
static void same_lanes(const tl_trace_t *all, const tl_trace_t *one)
{
    if (one->restart)
        return;
    if (all->nlanes != one->nlanes || all->t_end != one->t_end ||
        all->nrec != one->nread) {
        fprintf(stderr, "fuzz_trace: one pass: %zu lanes to %llu, not %zu to %llu\n",
                one->nlanes, (unsigned long long)one->t_end, all->nlanes,
                (unsigned long long)all->t_end);
        abort();
    }
    for (size_t i = 0; i < all->nlanes; i++) {
        const tl_lane_t *a = &all->lanes[i], *b = &one->lanes[i];
        if (strcmp(a->name, b->name) != 0 || a->type != b->type ||
            a->n != b->n) {
            fprintf(stderr, "fuzz_trace: one pass: lane %zu is %s (%zu items), "
                    "not %s (%zu)\n", i, b->name, b->n, a->name, a->n);
            abort();
        }
        for (size_t k = 0; k < a->n; k++) {
            const tl_item_t *x = &a->items[k], *y = &b->items[k];
            bool named = a->type == TL_LANE_NOTE;
            const char *nx = x->rec < all->nrec ? tl_trace_name(all, all->recs[x->rec].name) : "";
            const char *ny = y->rec < one->nrec ? tl_trace_name(one, one->recs[y->rec].name) : "";
            if (x->t0 != y->t0 || x->t1 != y->t1 || x->val != y->val ||
                x->flags != y->flags || x->a != y->a || x->b != y->b ||
                (named && strcmp(nx, ny) != 0))
                broken(all, a, k, "one pass: another item");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tl_trace_t *tr = tl_trace_new(), *one = tl_trace_new();
    tl_trace_lanes_only(one);
    char line[512];
    size_t i = 0;
    while (i < size) {
        size_t n = 0;
        while (i + n < size && data[i + n] != '\n')
            n++;
        size_t keep = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, data + i, keep);
        line[keep] = '\0';
        if (strlen(line) == keep) { /* no NUL inside: a text line */
            (void)tl_trace_parse_line(tr, line);
            (void)tl_trace_parse_line(one, line);
        }
        i += n + 1;
    }
    tl_trace_finish(tr);
    tl_trace_finish(one);
    check(tr);
    same_lanes(tr, one);
    tl_trace_free(one);
    draw(tr, 0, 0);
    if (tr->t_end > 1000)
        draw(tr, tr->t_end - 1000, tr->t_end);
    tl_trace_free(tr);
    return 0;
}
