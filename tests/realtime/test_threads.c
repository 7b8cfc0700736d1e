/*
 * ISR flags set from another thread, under ThreadSanitizer.
 *
 * A producer thread plays the interrupt: it writes items into a
 * single-producer single-consumer ring (the item, then the index, with
 * release order), sets an ISR flag and wakes the libuv loop.  A task waits on
 * the flag and drains the ring (the index with acquire order, then the
 * items).  Every item must arrive, in order, with no wake-up lost -- a lost
 * one would leave the task waiting with items in the ring, and the test's
 * own deadline would fail it.  Built with -fsanitize=thread (gcc's
 * ThreadSanitizer), together with the core's own sources so that the
 * flag's atomics are instrumented too: a data race anywhere fails the run.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ua.h"
#include "ua_uvport.h"

#define ITEMS 200000u
#define RING 64u /* a power of two */

static ua_uvport_t port;
static ua_loop_t loop;
static ua_flag_t flag;

static uint32_t ring[RING];
static _Atomic uint32_t ring_head; /* written by the producer only */
static _Atomic uint32_t ring_tail; /* written by the consumer only */

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < ITEMS; i++) {
        uint32_t head = atomic_load_explicit(&ring_head, memory_order_relaxed);
        while (head - atomic_load_explicit(&ring_tail, memory_order_acquire) ==
               RING)
            sched_yield(); /* full: the consumer is behind */
        ring[head % RING] = i;
        atomic_store_explicit(&ring_head, head + 1, memory_order_release);
        ua_flag_set(&flag);
        ua_uvport_thread_wake(&port);
    }
    return NULL;
}

typedef struct consumer {
    ua_task_t task;
    ua_co_t co;
    uint32_t expected;
    uint32_t out_of_order;
    uint32_t wakes;
} consumer_t;

static int consumer_fn(ua_task_t *self)
{
    consumer_t *c = UA_CONTAINER_OF(self, consumer_t, task);
    UA_BEGIN(self, &c->co);
    while (c->expected < ITEMS) {
        /* A generous bound: only a lost wake-up can reach it. */
        UA_AWAIT(ua_flag_wait(self, &flag, 20000));
        c->wakes++;
        uint32_t tail = atomic_load_explicit(&ring_tail, memory_order_relaxed);
        uint32_t head = atomic_load_explicit(&ring_head, memory_order_acquire);
        for (; tail != head; tail++) {
            if (ring[tail % RING] != c->expected)
                c->out_of_order++;
            c->expected++;
        }
        atomic_store_explicit(&ring_tail, tail, memory_order_release);
    }
    UA_END();
}

static void flag_set_from_a_thread_loses_nothing(void **state)
{
    (void)state;
    consumer_t c;
    pthread_t thread;

    memset(&c, 0, sizeof c);
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, 0), 0);
    assert_int_equal(ua_uvport_enable_threads(&port), 0);
    ua_flag_init(&flag, &loop);
    ua_task_init(&c.task, consumer_fn);
    assert_int_equal(ua_spawn(&loop, &c.task), 0);
    assert_int_equal(pthread_create(&thread, NULL, producer, NULL), 0);
    int st = ua_loop_run_until_complete(&loop, &c.task);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(st, 0);
    assert_int_equal(c.expected, ITEMS);
    assert_int_equal(c.out_of_order, 0);
    assert_true(c.wakes >= 1 && c.wakes <= ITEMS);
    ua_flag_deinit(&flag);
    ua_uvport_close(&port);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flag_set_from_a_thread_loses_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
