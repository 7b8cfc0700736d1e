/*
 * Task-switch workloads on the POSIX port: round-robin yields, Event
 * ping-pong and a bounded Queue.  Every task here is always either ready or
 * waiting on its partner, so the loop never idles and the port only decides
 * what "now" is.
 */
#include "bench.h"
#include "posix_port.h"
#include "ua.h"

static ua_port_t port;
static ua_loop_t loop;

/* Run until `last` finishes and return the CPU nanoseconds it took. */
static uint64_t run_until(ua_task_t *last, uint64_t t0)
{
    int st = ua_loop_run_until_complete(&loop, last);
    uint64_t dt = bench_cpu_ns() - t0;
    if (st != 0)
        return 0; /* 0 tells the caller the run failed */
    return dt ? dt : 1;
}

/* --- round-robin: 100 tasks each yield N times (Peter Hinch's rate.py) --- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    uint64_t i;
} rr_task_t;

static rr_task_t rr[BENCH_RR_TASKS];
static uint64_t rr_yields;

static int rr_fn(ua_task_t *self)
{
    rr_task_t *r = UA_CONTAINER_OF(self, rr_task_t, task);
    UA_BEGIN(self, &r->co);
    for (r->i = 0; r->i < rr_yields; r->i++)
        UA_YIELD();
    UA_END();
}

uint64_t bench_round_robin(uint64_t yields_per_task)
{
    bench_posix_port_init(&port, &loop);
    rr_yields = yields_per_task;
    uint64_t t0 = bench_cpu_ns();
    for (int i = 0; i < BENCH_RR_TASKS; i++) {
        rr[i].co = (ua_co_t){0};
        ua_task_init(&rr[i].task, rr_fn);
        ua_spawn(&loop, &rr[i].task);
    }
    /* Round-robin order: the task spawned last finishes last. */
    return run_until(&rr[BENCH_RR_TASKS - 1].task, t0);
}

/* --- Event ping-pong: one op = set, wait, clear in both directions ------- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    uint64_t i;
} pp_task_t;

static pp_task_t pinger, ponger;
static ua_event_t ping, pong;
static uint64_t pp_rounds;

static int pinger_fn(ua_task_t *self)
{
    pp_task_t *p = UA_CONTAINER_OF(self, pp_task_t, task);
    UA_BEGIN(self, &p->co);
    for (p->i = 0; p->i < pp_rounds; p->i++) {
        ua_event_set(&ping);
        UA_AWAIT(ua_event_wait(self, &pong, UA_FOREVER));
        ua_event_clear(&pong);
    }
    UA_END();
}

static int ponger_fn(ua_task_t *self)
{
    pp_task_t *p = UA_CONTAINER_OF(self, pp_task_t, task);
    UA_BEGIN(self, &p->co);
    for (p->i = 0; p->i < pp_rounds; p->i++) {
        UA_AWAIT(ua_event_wait(self, &ping, UA_FOREVER));
        ua_event_clear(&ping);
        ua_event_set(&pong);
    }
    UA_END();
}

uint64_t bench_event_pingpong(uint64_t round_trips)
{
    bench_posix_port_init(&port, &loop);
    pp_rounds = round_trips;
    uint64_t t0 = bench_cpu_ns();
    ua_event_init(&ping);
    ua_event_init(&pong);
    pinger.co = ponger.co = (ua_co_t){0};
    ua_task_init(&pinger.task, pinger_fn);
    ua_task_init(&ponger.task, ponger_fn);
    ua_spawn(&loop, &pinger.task);
    ua_spawn(&loop, &ponger.task);
    return run_until(&pinger.task, t0);
}

/* --- Queue: items from a producer to a consumer through 16 slots -------- */

typedef struct {
    ua_task_t task;
    ua_co_t co;
    uint64_t i;
    int32_t item;
    int64_t sum;
} q_task_t;

static q_task_t producer, consumer;
static ua_queue_t queue;
static int32_t queue_buf[BENCH_QUEUE_CAPACITY];
static uint64_t q_items;

static int producer_fn(ua_task_t *self)
{
    q_task_t *p = UA_CONTAINER_OF(self, q_task_t, task);
    UA_BEGIN(self, &p->co);
    for (p->i = 0; p->i < q_items; p->i++) {
        p->item = (int32_t)p->i;
        UA_AWAIT(ua_queue_put(self, &queue, &p->item, UA_FOREVER));
    }
    UA_END();
}

static int consumer_fn(ua_task_t *self)
{
    q_task_t *c = UA_CONTAINER_OF(self, q_task_t, task);
    UA_BEGIN(self, &c->co);
    for (c->i = 0; c->i < q_items; c->i++) {
        UA_AWAIT(ua_queue_get(self, &queue, &c->item, UA_FOREVER));
        c->sum += c->item;
    }
    UA_END();
}

uint64_t bench_queue(uint64_t items)
{
    bench_posix_port_init(&port, &loop);
    q_items = items;
    uint64_t t0 = bench_cpu_ns();
    ua_queue_init(&queue, queue_buf, sizeof queue_buf[0], BENCH_QUEUE_CAPACITY);
    producer.co = consumer.co = (ua_co_t){0};
    consumer.sum = 0;
    ua_task_init(&producer.task, producer_fn);
    ua_task_init(&consumer.task, consumer_fn);
    ua_spawn(&loop, &producer.task);
    ua_spawn(&loop, &consumer.task);
    uint64_t dt = run_until(&consumer.task, t0);
    /* The sum proves every item arrived once, in a way the optimiser must
     * honour. */
    uint64_t n = items;
    return consumer.sum == (int64_t)(n * (n - 1) / 2) ? dt : 0;
}
