#include "harness.h"

#include <stdio.h>
#include <string.h>

ua_vport_t h_vp;
ua_loop_t h_loop;
h_event_t h_events[H_MAX_EVENTS];
size_t h_count;

void h_setup(uint32_t start_tick)
{
    ua_vport_init(&h_vp, &h_loop, start_tick, true);
    h_count = 0;
}

uint64_t h_now(void)
{
    return h_vp.now_us;
}

void h_log(const char *tag, int32_t value)
{
    assert_true(h_count < H_MAX_EVENTS);
    h_events[h_count].t_us = h_vp.now_us;
    h_events[h_count].tag = tag;
    h_events[h_count].value = value;
    h_count++;
}

static void dump(const char *title, const h_event_t *ev, size_t n)
{
    fprintf(stderr, "# %s (%zu):\n", title, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "#   %8llu us  %-16s %d\n",
                (unsigned long long)ev[i].t_us, ev[i].tag, (int)ev[i].value);
}

void h_expect_log(const h_event_t *want, size_t n, const char *file, int line)
{
    bool same = n == h_count;
    for (size_t i = 0; same && i < n; i++)
        same = want[i].t_us == h_events[i].t_us &&
               strcmp(want[i].tag, h_events[i].tag) == 0 &&
               want[i].value == h_events[i].value;
    if (!same) {
        fprintf(stderr, "# log mismatch at %s:%d\n", file, line);
        dump("expected", want, n);
        dump("actual", h_events, h_count);
        fail_msg("event log differs from expectation (%s:%d)", file, line);
    }
}

int tk_canceller(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("cancel", ua_task_cancel(&((tk_t *)t->obj)->task));
    UA_END();
}

int h_run(ua_task_t *t)
{
    return ua_loop_run_until_complete(&h_loop, t);
}

void tk_spawn(tk_t *t, ua_task_fn fn, const char *name, int32_t a, int32_t b,
              void *obj)
{
    memset(t, 0, sizeof(*t));
    ua_task_init(&t->task, fn);
    t->name = name;
    t->a = a;
    t->b = b;
    t->obj = obj;
    assert_int_equal(ua_spawn(&h_loop, &t->task), 0);
}
