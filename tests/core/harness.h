/*
 * Test harness for core behaviour tests: one loop on the virtual-clock port
 * and a log of (virtual time, tag, value) records that tests compare with
 * what they expect, to the microsecond.
 */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ua.h"
#include "ua_vport.h"

typedef struct h_event {
    uint64_t t_us;
    const char *tag;
    int32_t value;
} h_event_t;

#define H_MAX_EVENTS 4096

extern ua_vport_t h_vp;
extern ua_loop_t h_loop;
extern h_event_t h_events[H_MAX_EVENTS];
extern size_t h_count;

/* Fresh loop at virtual time 0 with the 32-bit tick at start_tick. */
void h_setup(uint32_t start_tick);

/* Record `tag` with `value` at the current virtual time. */
void h_log(const char *tag, int32_t value);

/* Virtual microseconds since h_setup. */
uint64_t h_now(void);

/* Assert the log is exactly the given (t_us, tag, value) triples. */
#define H_EXPECT(...)                                                          \
    do {                                                                       \
        const h_event_t h__want[] = {__VA_ARGS__};                             \
        h_expect_log(h__want, sizeof h__want / sizeof h__want[0], __FILE__,    \
                     __LINE__);                                                \
    } while (0)
void h_expect_log(const h_event_t *want, size_t n, const char *file, int line);

/*
 * A general-purpose test task: coroutine bodies in tests use these fields as
 * their frame (name for the log, two parameters, a loop counter, a status
 * slot and an object pointer).
 */
typedef struct tk {
    ua_task_t task;
    ua_co_t co;
    const char *name;
    int32_t a, b;
    int i;
    int st;
    void *obj;
    int32_t item;
} tk_t;

#define TK(self) UA_CONTAINER_OF(self, tk_t, task)

/* Initialise and spawn `t` with body `fn`. */
void tk_spawn(tk_t *t, ua_task_fn fn, const char *name, int32_t a, int32_t b,
              void *obj);

/* A task body: sleep a ms, cancel obj (a tk_t) and log "cancel" with what
 * ua_task_cancel returned. */
int tk_canceller(ua_task_t *self);

/* Spawn and run a task to completion; returns its status. */
int h_run(ua_task_t *t);

#endif
