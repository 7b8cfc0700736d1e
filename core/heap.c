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
 * seq has 20 bits.  Instead of comparing it modulo 2^20, the heap renumbers
 * its live entries 0..n-1 (in key order) when the counter runs out, so seq
 * comparisons are plain integer comparisons and never wrong.
 */
#include "ua_loop.h"

#define SEQ_LIMIT (1u << 20)

static bool key_less(const ua_task_t *a, const ua_task_t *b)
{
    int32_t d = ua_ticks_diff(a->u.deadline, b->u.deadline);
    return d < 0 || (d == 0 && a->seq < b->seq);
}

static void detach(ua_task_t *t)
{
    t->heap_next = NULL;
    t->heap_prev = NULL;
}

/* Meld two roots (either may be NULL); the loser becomes the winner's first
 * child. */
static ua_task_t *meld(ua_task_t *a, ua_task_t *b)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (key_less(b, a)) {
        ua_task_t *tmp = a;
        a = b;
        b = tmp;
    }
    b->heap_prev = a;
    b->heap_next = a->heap_child;
    if (a->heap_child != NULL)
        a->heap_child->heap_prev = b;
    a->heap_child = b;
    return a;
}

/* Standard two-pass pairing of a sibling list into one heap. */
static ua_task_t *merge_pairs(ua_task_t *first)
{
    ua_task_t *stack = NULL;

    while (first != NULL) {
        ua_task_t *a = first;
        ua_task_t *b = a->heap_next;
        first = b != NULL ? b->heap_next : NULL;
        detach(a);
        if (b != NULL)
            detach(b);
        ua_task_t *m = meld(a, b);
        m->heap_next = stack; /* push; melds below clear it again */
        stack = m;
    }
    ua_task_t *root = NULL;
    while (stack != NULL) {
        ua_task_t *next = stack->heap_next;
        stack->heap_next = NULL;
        root = meld(stack, root);
        stack = next;
    }
    if (root != NULL)
        detach(root);
    return root;
}

static void renumber(ua_loop_t *loop)
{
    ua_task_t *sorted = NULL, *tail = NULL;
    ua_task_t *t;

    /* Pop everything in key order into a list linked through heap_prev
     * (free once a node is out of the heap). */
    while ((t = loop->timers) != NULL) {
        loop->timers = merge_pairs(t->heap_child);
        t->heap_child = NULL;
        detach(t);
        if (tail != NULL)
            tail->heap_prev = t;
        else
            sorted = t;
        tail = t;
    }
    uint32_t n = 0;
    while (sorted != NULL) {
        ua_task_t *next = sorted->heap_prev;
        detach(sorted);
        sorted->seq = n++;
        loop->timers = meld(loop->timers, sorted);
        sorted = next;
    }
    loop->seq = n;
    loop->heap_renumbers++;
}

void ua__heap_insert(ua_loop_t *loop, ua_task_t *t)
{
    if (loop->seq >= SEQ_LIMIT)
        renumber(loop);
    t->seq = loop->seq++;
    t->heap_child = NULL;
    detach(t);
    t->in_heap = 1;
    loop->timers = meld(loop->timers, t);
    if (loop->timers != NULL)
        loop->timers->heap_prev = NULL;
    loop->timers_armed++;
}

void ua__heap_remove(ua_loop_t *loop, ua_task_t *t)
{
    if (!t->in_heap)
        return;
    t->in_heap = 0;
    if (t == loop->timers) {
        loop->timers = merge_pairs(t->heap_child);
    } else {
        ua_task_t *prev = t->heap_prev;
        if (prev->heap_child == t)
            prev->heap_child = t->heap_next;
        else
            prev->heap_next = t->heap_next;
        if (t->heap_next != NULL)
            t->heap_next->heap_prev = prev;
        loop->timers = meld(loop->timers, merge_pairs(t->heap_child));
    }
    t->heap_child = NULL;
    detach(t);
}

ua_task_t *ua__heap_pop(ua_loop_t *loop)
{
    ua_task_t *t = loop->timers;
    if (t != NULL)
        ua__heap_remove(loop, t);
    return t;
}
