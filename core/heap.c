/*
 * The timer heap: a pairing heap threaded through the tasks.
 *
 * Each node has a first child, a next sibling and a back link (previous
 * sibling, or parent when it is a first child), so an arbitrary task can be
 * removed when it is cancelled or signalled before its deadline.  Keys are
 * (deadline, seq): deadlines compare wrap-safely, and seq -- the arming
 * order -- makes the order total, so tasks due at the same tick fire
 * first-armed first whatever shape the heap has.
 *
 * seq has 32 bits.  Instead of comparing it modulo 2^32, the heap renumbers
 * its live entries 0..n-1 (in key order) when the counter runs out, so seq
 * comparisons are plain integer comparisons and never wrong.  n is far below
 * 2^32 (every entry is a task in memory), so a renumbering, O(n log n),
 * comes at most once per 2^32 - n arms: amortised O(1).
 */
#include "ua_loop.h"

#ifndef UA_HEAP_SEQ_LIMIT
#define UA_HEAP_SEQ_LIMIT UINT32_MAX /* tests lower it to reach a renumber */
#endif
#define SEQ_LIMIT ((uint32_t)UA_HEAP_SEQ_LIMIT)

static bool key_less(const ua_task_t *a, const ua_task_t *b)
{
    int32_t d = ua_ticks_diff(a->u.deadline, b->u.deadline);
    return d < 0 || (d == 0 && a->seq < b->seq);
}

/* Link two trees: the root that sorts later becomes the first child of the
 * other, which is returned.  The winner's sibling links are left as they
 * were; callers fix them where it matters. */
static ua_task_t *link(ua_task_t *a, ua_task_t *b)
{
    if (key_less(b, a)) {
        ua_task_t *tmp = a;
        a = b;
        b = tmp;
    }
    ua_task_t *c = a->heap_child;
    b->heap_next = c;
    if (c != NULL)
        c->heap_prev = b;
    b->heap_prev = a;
    a->heap_child = b;
    return a;
}

/* The standard two-pass pairing of a sibling list into one tree: link pairs
 * left to right (stacking the winners through heap_next), then link the
 * winners right to left.  NULL for an empty list. */
static ua_task_t *merge_pairs(ua_task_t *first)
{
    ua_task_t *stack = NULL, *root;

    while (first != NULL) {
        ua_task_t *a = first, *b = a->heap_next;
        first = NULL;
        if (b != NULL) {
            first = b->heap_next;
            a = link(a, b);
        }
        a->heap_next = stack;
        stack = a;
    }
    if ((root = stack) == NULL)
        return NULL;
    for (stack = root->heap_next; stack != NULL;) {
        ua_task_t *next = stack->heap_next;
        root = link(root, stack);
        stack = next;
    }
    root->heap_next = NULL;
    root->heap_prev = NULL;
    return root;
}

static void push(ua_loop_t *loop, ua_task_t *t)
{
    t->heap_child = t->heap_next = t->heap_prev = NULL;
    loop->timers = loop->timers != NULL ? link(loop->timers, t) : t;
}

static void renumber(ua_loop_t *loop)
{
    ua_task_t *rest = loop->timers, *t, *last = NULL;
    uint32_t n = 0;

    /* Pop everything in key order, numbering it, and hang each popped
     * root under the previous one as its only child: a chain in key order
     * is a valid heap. */
    while ((t = rest) != NULL) {
        rest = merge_pairs(t->heap_child);
        t->seq = n++;
        t->heap_child = t->heap_next = NULL;
        t->heap_prev = last; /* its parent */
        if (last != NULL)
            last->heap_child = t;
        else
            loop->timers = t;
        last = t;
    }
    loop->seq = n;
    loop->heap_renumbers++;
}

void ua__heap_insert(ua_loop_t *loop, ua_task_t *t)
{
    if (loop->seq >= SEQ_LIMIT)
        renumber(loop);
    t->seq = loop->seq++;
    t->in_heap = 1;
    push(loop, t);
    loop->timers_armed++;
}

void ua__heap_remove(ua_loop_t *loop, ua_task_t *t)
{
    if (!t->in_heap)
        return;
    t->in_heap = 0;
    ua_task_t *sub = merge_pairs(t->heap_child);
    t->heap_child = NULL;
    if (t == loop->timers) {
        loop->timers = sub;
        return;
    }
    ua_task_t *prev = t->heap_prev; /* parent if first child, else sibling */
    if (prev->heap_child == t)
        prev->heap_child = t->heap_next;
    else
        prev->heap_next = t->heap_next;
    if (t->heap_next != NULL)
        t->heap_next->heap_prev = prev;
    if (sub != NULL)
        loop->timers = link(loop->timers, sub);
}
