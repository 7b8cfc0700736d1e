/*
 * Helpers for simulator tests: a log of (virtual ns, tag, value) and a
 * generic task with a few parameters.
 */
#ifndef SIMTEST_H
#define SIMTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"
#include "sim_trace.h"

typedef struct st_ev {
    uint64_t t;
    const char *tag;
    int64_t v;
} st_ev_t;

#define ST_MAX 8192
static st_ev_t st_log[ST_MAX];
static size_t st_n;

static inline void st_reset(void) { st_n = 0; }

static inline void st_add(uint64_t t, const char *tag, int64_t v)
{
    assert_true(st_n < ST_MAX);
    st_log[st_n++] = (st_ev_t){t, tag, v};
}

static inline void st_expect(const st_ev_t *want, size_t n, int line)
{
    bool same = n == st_n;
    for (size_t i = 0; same && i < n; i++)
        same = want[i].t == st_log[i].t && strcmp(want[i].tag, st_log[i].tag) == 0 &&
               want[i].v == st_log[i].v;
    if (!same) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "# want %llu %s %lld\n", (unsigned long long)want[i].t,
                    want[i].tag, (long long)want[i].v);
        for (size_t i = 0; i < st_n; i++)
            fprintf(stderr, "# got  %llu %s %lld\n", (unsigned long long)st_log[i].t,
                    st_log[i].tag, (long long)st_log[i].v);
        fail_msg("log differs (line %d)", line);
    }
}

#define ST_EXPECT(...)                                                         \
    do {                                                                       \
        const st_ev_t w__[] = {__VA_ARGS__};                                   \
        st_expect(w__, sizeof w__ / sizeof w__[0], __LINE__);                  \
    } while (0)

/* A generic task: a, b parameters, i a counter, p a pointer. */
typedef struct st_task {
    ua_task_t task;
    ua_co_t co;
    sim_t *sim;
    const char *name;
    int32_t a, b, i;
    void *p;
    ua_flag_t flag;
} st_task_t;

#define ST(self) UA_CONTAINER_OF(self, st_task_t, task)

static inline void st_spawn(sim_board_t *b, st_task_t *t, ua_task_fn fn,
                            const char *name, int32_t a, int32_t bb, void *p)
{
    memset(t, 0, sizeof *t);
    ua_task_init(&t->task, fn);
    t->sim = sim_board_sim(b);
    t->name = name;
    t->a = a;
    t->b = bb;
    t->p = p;
    assert_int_equal(sim_spawn(b, &t->task, name), 0);
}

/* A pin interrupt handler that sets the flag of the st_task_t it is given. */
static inline void st_flag_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((st_task_t *)arg)->flag);
}

/* Count records of a kind (and obj, unless obj is UINT32_MAX). */
static inline size_t st_count(sim_t *sim, unsigned kind, uint32_t obj)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        n += r->kind == kind && (obj == UINT32_MAX || r->obj == obj);
    }
    return n;
}

/* The whole text trace (sim_export_text_fp) in a malloc'd string; the
 * caller frees it.  open_memstream: tests build with _GNU_SOURCE. */
static inline char *st_text_trace(sim_t *sim)
{
    char *buf = NULL;
    size_t n;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    assert_int_equal(sim_export_text_fp(sim, f), 0);
    fclose(f);
    return buf;
}

#endif
