/*
 * Event, Lock, Semaphore, BoundedSemaphore, Condition, Queue and Barrier
 * (MicroPython's asyncio_event, _event_fair, _lock, _lock_cancel, and the
 * seed's asyn.py primitives), each with its cancel-safety: a cancelled or
 * timed-out waiter loses no item, no permit and no lock.
 */
#include "harness.h"

/* --- Event ----------------------------------------------------------------- */

/* Wait on obj (event) with timeout a; log status and value. */
static int ev_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_event_wait(self, t->obj, t->a));
    h_log(t->name, t->st);
    if (t->st == 0)
        h_log("value", (int32_t)ua_event_value(t->obj));
    UA_END();
}

static int ev_setter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("set", t->b);
    ua_event_set_value(t->obj, t->b);
    UA_END();
}

static void event_wakes_all_waiters_in_order_with_value(void **state)
{
    (void)state;
    ua_event_t ev;
    tk_t w1, w2, w3, s;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&w1, ev_waiter, "w1", UA_FOREVER, 0, &ev);
    tk_spawn(&w2, ev_waiter, "w2", 5, 0, &ev);
    tk_spawn(&w3, ev_waiter, "w3", UA_FOREVER, 0, &ev);
    tk_spawn(&s, ev_setter, "", 10, 77, &ev);
    assert_int_equal(h_run(&w3.task), 0);
    H_EXPECT({5000, "w2", UA_ETIMEDOUT}, {10000, "set", 77}, {10000, "w1", 0},
             {10000, "value", 77}, {10000, "w3", 0}, {10000, "value", 77});
    /* Already set: returns at once; clear resets the value. */
    assert_true(ua_event_is_set(&ev));
    h_count = 0;
    tk_spawn(&w1, ev_waiter, "again", UA_FOREVER, 0, &ev);
    assert_int_equal(h_run(&w1.task), 0);
    H_EXPECT({10000, "again", 0}, {10000, "value", 77});
    ua_event_clear(&ev);
    assert_false(ua_event_is_set(&ev));
    assert_int_equal(ua_event_value(&ev), 0);
}

/* asyncio_event_fair: a task doing set()+clear() in a loop does not starve
 * waiters: each set() wakes them even though clear() follows at once. */
static int set_clear_loop(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 3; t->i++) {
        ua_event_set(t->obj);
        ua_event_clear(t->obj);
        UA_AWAIT(ua_sleep_ms(self, 1));
    }
    UA_END();
}

static void event_set_then_clear_still_wakes(void **state)
{
    (void)state;
    ua_event_t ev;
    tk_t w, s;
    h_setup(0);
    ua_event_init(&ev);
    tk_spawn(&w, ev_waiter, "w", UA_FOREVER, 0, &ev);
    tk_spawn(&s, set_clear_loop, "", 0, 0, &ev);
    assert_int_equal(h_run(&s.task), 0);
    H_EXPECT({0, "w", 0}, {0, "value", 0});
}

/* --- Lock ------------------------------------------------------------------ */

/* Acquire obj (lock) with timeout b, hold it a ms, release (in FINALLY). */
static int locker(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_lock_acquire(self, t->obj, t->b));
    h_log(t->name, t->st);
    if (t->st != 0)
        UA_EXIT();
    t->i = 1; /* holding */
    UA_AWAIT(ua_sleep_ms(self, t->a));
    UA_FINALLY
    if (t->i) {
        h_log("release", ua_lock_release(self, t->obj));
        t->i = 0;
    }
    UA_END();
}

static void lock_serves_waiters_first_come_first_served(void **state)
{
    (void)state;
    ua_lock_t lk;
    tk_t a, b, c, d;
    h_setup(0);
    ua_lock_init(&lk);
    tk_spawn(&a, locker, "a", 10, UA_FOREVER, &lk);
    tk_spawn(&b, locker, "b", 10, UA_FOREVER, &lk);
    tk_spawn(&c, locker, "c", 10, 15, &lk); /* gives up at 15 ms */
    tk_spawn(&d, locker, "d", 10, UA_FOREVER, &lk);
    assert_int_equal(h_run(&d.task), 0);
    H_EXPECT({0, "a", 0}, {10000, "release", 0}, {10000, "b", 0},
             {15000, "c", UA_ETIMEDOUT}, {20000, "release", 0}, {20000, "d", 0},
             {30000, "release", 0});
    assert_false(ua_lock_locked(&lk));
    assert_int_equal(ua_lock_release(&a.task, &lk), UA_ENOTOWNER);
}

/* asyncio_lock_cancel: cancel 2 of 4 waiters, then the holder releases;
 * the lock passes to the remaining ones and ends unlocked. */
static void lock_cancelled_waiters_leave_lock_consistent(void **state)
{
    (void)state;
    ua_lock_t lk;
    tk_t t[4];
    static const char *const names[] = {"t0", "t1", "t2", "t3"};
    h_setup(0);
    ua_lock_init(&lk);
    for (int i = 0; i < 4; i++)
        tk_spawn(&t[i], locker, names[i], 10, UA_FOREVER, &lk);
    assert_true(ua_loop_step(&h_loop)); /* t0 takes it */
    assert_true(ua_loop_step(&h_loop));
    assert_true(ua_loop_step(&h_loop));
    assert_true(ua_loop_step(&h_loop)); /* t1..t3 queue */
    assert_int_equal(ua_task_cancel(&t[1].task), 1);
    assert_int_equal(ua_task_cancel(&t[2].task), 1);
    assert_int_equal(h_run(&t[3].task), 0);
    H_EXPECT({0, "t0", 0}, {0, "t1", UA_ECANCELLED}, {0, "t2", UA_ECANCELLED},
             {10000, "release", 0}, {10000, "t3", 0}, {20000, "release", 0});
    assert_false(ua_lock_locked(&lk));
}

/* A waiter that was handed the lock and then cancelled before it ran still
 * owns the lock; the cancellation reaches it at its next await, and its
 * FINALLY releases: nothing is lost. */
static void lock_granted_then_cancelled_still_releases(void **state)
{
    (void)state;
    ua_lock_t lk;
    tk_t a, b, c;
    h_setup(0);
    ua_lock_init(&lk);
    tk_spawn(&a, locker, "a", 10, UA_FOREVER, &lk);
    tk_spawn(&b, locker, "b", 10, UA_FOREVER, &lk);
    tk_spawn(&c, locker, "c", 10, UA_FOREVER, &lk);
    while (ua_loop_step(&h_loop)) {
    }
    h_vp.now_us = 10000;
    /* a's sleep ends: a releases, b is granted the lock ... */
    while (ua_task_status(&a.task) == UA_ENOTDONE)
        ua_loop_step(&h_loop);
    assert_ptr_equal(lk.owner, &b.task);
    /* ... and is cancelled before it runs. */
    assert_int_equal(ua_task_cancel(&b.task), 1);
    assert_int_equal(h_run(&c.task), 0);
    H_EXPECT({0, "a", 0}, {10000, "release", 0}, {10000, "b", 0},
             {10000, "release", 0}, {10000, "c", 0}, {20000, "release", 0});
    assert_int_equal(ua_task_status(&b.task), UA_ECANCELLED);
    assert_false(ua_lock_locked(&lk));
}

/* --- Semaphores ------------------------------------------------------------- */

static int sem_user(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_sem_acquire(self, t->obj, t->b));
    h_log(t->name, t->st);
    if (t->st != 0)
        UA_EXIT();
    UA_AWAIT(ua_sleep_ms(self, t->a));
    h_log("release", ua_sem_release(t->obj));
    UA_END();
}

static void semaphore_limits_concurrency_in_order(void **state)
{
    (void)state;
    ua_sem_t sem;
    tk_t t[5];
    static const char *const names[] = {"t0", "t1", "t2", "t3", "t4"};
    h_setup(0);
    ua_sem_init(&sem, 2, false);
    for (int i = 0; i < 5; i++)
        tk_spawn(&t[i], sem_user, names[i], 10 * (i + 1), i == 3 ? 5 : UA_FOREVER,
                 &sem);
    assert_int_equal(h_run(&t[4].task), 0);
    H_EXPECT({0, "t0", 0}, {0, "t1", 0}, {5000, "t3", UA_ETIMEDOUT},
             {10000, "release", 0}, {10000, "t2", 0}, {20000, "release", 0},
             {20000, "t4", 0}, {40000, "release", 0}, {70000, "release", 0});
    assert_int_equal(ua_sem_value(&sem), 2);
}

static void bounded_semaphore_refuses_over_release(void **state)
{
    (void)state;
    ua_sem_t sem, plain;
    ua_sem_init(&sem, 1, true);
    ua_sem_init(&plain, 1, false);
    assert_int_equal(ua_sem_release(&sem), UA_EOVERRELEASE);
    assert_int_equal(ua_sem_value(&sem), 1);
    assert_int_equal(ua_sem_try_acquire(&sem), 0);
    assert_int_equal(ua_sem_try_acquire(&sem), UA_EBUSY);
    assert_int_equal(ua_sem_release(&sem), 0);
    assert_int_equal(ua_sem_release(&plain), 0);
    assert_int_equal(ua_sem_value(&plain), 2);
}

static void semaphore_cancelled_waiter_takes_no_permit(void **state)
{
    (void)state;
    ua_sem_t sem;
    tk_t holder, victim, next;
    h_setup(0);
    ua_sem_init(&sem, 1, true);
    tk_spawn(&holder, sem_user, "holder", 10, UA_FOREVER, &sem);
    tk_spawn(&victim, sem_user, "victim", 10, UA_FOREVER, &sem);
    tk_spawn(&next, sem_user, "next", 10, UA_FOREVER, &sem);
    while (ua_loop_step(&h_loop)) {
    }
    assert_int_equal(ua_task_cancel(&victim.task), 1);
    assert_int_equal(h_run(&next.task), 0);
    H_EXPECT({0, "holder", 0}, {0, "victim", UA_ECANCELLED},
             {10000, "release", 0}, {10000, "next", 0}, {20000, "release", 0});
    assert_int_equal(ua_sem_value(&sem), 1);
}

/* --- Condition ---------------------------------------------------------------- */

typedef struct {
    ua_lock_t lock;
    ua_cond_t cond;
    int items;
} shared_t;

static bool has_items(void *arg)
{
    return ((shared_t *)arg)->items > 0;
}

/* Take the lock, wait_for items (timeout a), consume one, release. */
static int consumer(ua_task_t *self)
{
    tk_t *t = TK(self);
    shared_t *sh = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &sh->lock, UA_FOREVER));
    UA_AWAIT_STATUS(t->st, ua_cond_wait_for(self, &sh->cond, has_items, sh, t->a));
    h_log(t->name, t->st);
    h_log("owner", sh->lock.owner == self);
    if (t->st == 0)
        sh->items--;
    ua_lock_release(self, &sh->lock);
    UA_END();
}

/* Every 10 ms add b items and notify (all if a, else one per item). */
static int producer(ua_task_t *self)
{
    tk_t *t = TK(self);
    shared_t *sh = t->obj;
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < 2; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, 10));
        UA_AWAIT(ua_lock_acquire(self, &sh->lock, UA_FOREVER));
        sh->items += t->b;
        h_log("notify", t->a ? ua_cond_notify_all(self, &sh->cond)
                             : ua_cond_notify(self, &sh->cond, t->b));
        ua_lock_release(self, &sh->lock);
    }
    UA_END();
}

static void condition_notify_and_wait_for(void **state)
{
    (void)state;
    shared_t sh = {0};
    tk_t c1, c2, c3, p;
    h_setup(0);
    ua_lock_init(&sh.lock);
    ua_cond_init(&sh.cond, &sh.lock);
    tk_spawn(&c1, consumer, "c1", UA_FOREVER, 0, &sh);
    tk_spawn(&c2, consumer, "c2", UA_FOREVER, 0, &sh);
    tk_spawn(&c3, consumer, "c3", 15, 0, &sh); /* times out at 15 ms */
    tk_spawn(&p, producer, "", 0, 1, &sh);     /* one item, notify(1) */
    assert_int_equal(h_run(&c2.task), 0);
    assert_int_equal(h_run(&c3.task), 0);
    H_EXPECT({10000, "notify", 1}, {10000, "c1", 0}, {10000, "owner", 1},
             {15000, "c3", UA_ETIMEDOUT}, {15000, "owner", 1},
             {20000, "notify", 1}, {20000, "c2", 0}, {20000, "owner", 1});
    assert_false(ua_lock_locked(&sh.lock));
    assert_int_equal(ua_cond_notify(&c1.task, &sh.cond, 1), UA_ENOTOWNER);
}

/* Not holding the lock: wait is refused. */
static int bad_cond_user(ua_task_t *self)
{
    tk_t *t = TK(self);
    shared_t *sh = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT_STATUS(t->st, ua_cond_wait(self, &sh->cond, 10));
    h_log("wait without lock", t->st);
    UA_END();
}

static void condition_requires_the_lock(void **state)
{
    (void)state;
    shared_t sh = {0};
    tk_t t;
    h_setup(0);
    ua_lock_init(&sh.lock);
    ua_cond_init(&sh.cond, &sh.lock);
    tk_spawn(&t, bad_cond_user, "", 0, 0, &sh);
    assert_int_equal(h_run(&t.task), 0);
    H_EXPECT({0, "wait without lock", UA_ENOTOWNER});
}

/* A wait refused for its timeout (longer than the longest delay) keeps the
 * lock: the caller still owns it and a task queued for it is not let in
 * until the caller releases it. */
static int cond_too_long(ua_task_t *self)
{
    tk_t *t = TK(self);
    shared_t *sh = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &sh->lock, UA_FOREVER));
    UA_AWAIT_STATUS(t->st, ua_cond_wait(self, &sh->cond, t->a));
    h_log("wait", t->st);
    h_log("owner", sh->lock.owner == self);
    UA_AWAIT(ua_sleep_ms(self, 5));
    ua_lock_release(self, &sh->lock);
    UA_END();
}

static int lock_taker(ua_task_t *self)
{
    tk_t *t = TK(self);
    shared_t *sh = t->obj;
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &sh->lock, UA_FOREVER));
    h_log("taker", 0);
    ua_lock_release(self, &sh->lock);
    UA_END();
}

static void condition_wait_refused_keeps_the_lock(void **state)
{
    (void)state;
    shared_t sh = {0};
    tk_t w, taker;
    h_setup(0);
    ua_lock_init(&sh.lock);
    ua_cond_init(&sh.cond, &sh.lock);
    tk_spawn(&w, cond_too_long, "", 2147484, 0, &sh);
    tk_spawn(&taker, lock_taker, "", 0, 0, &sh);
    assert_int_equal(h_run(&taker.task), 0);
    H_EXPECT({0, "wait", UA_ERANGE}, {0, "owner", 1}, {5000, "taker", 0});
    assert_false(ua_lock_locked(&sh.lock));
}

/* --- Queue ---------------------------------------------------------------------- */

/* Get b items from obj (queue) with timeout a, logging each. */
static int q_getter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        UA_AWAIT_STATUS(t->st, ua_queue_get(self, t->obj, &t->item, t->a));
        h_log(t->name, t->st == 0 ? t->item : t->st);
    }
    UA_END();
}

/* Put items 1..b, one every a ms (a = 0: as fast as the queue allows). */
static int q_putter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 1; t->i <= t->b; t->i++) {
        if (t->a > 0)
            UA_AWAIT(ua_sleep_ms(self, t->a));
        t->item = t->i;
        UA_AWAIT(ua_queue_put(self, t->obj, &t->item, UA_FOREVER));
        h_log("put", t->i);
    }
    UA_END();
}

static void queue_nowait_codes_and_sizes(void **state)
{
    (void)state;
    int32_t buf[2], v = 5, out = 0;
    ua_queue_t q;
    assert_int_equal(ua_queue_init(&q, buf, sizeof buf[0], 0), UA_EINVAL);
    assert_int_equal(ua_queue_init(&q, buf, sizeof buf[0], 2), 0);
    assert_true(ua_queue_empty(&q));
    assert_int_equal(ua_queue_get_nowait(&q, &out), UA_EEMPTY);
    assert_int_equal(ua_queue_put_nowait(&q, &v), 0);
    v = 6;
    assert_int_equal(ua_queue_put_nowait(&q, &v), 0);
    assert_true(ua_queue_full(&q));
    assert_int_equal(ua_queue_size(&q), 2);
    assert_int_equal(ua_queue_put_nowait(&q, &v), UA_EFULL);
    assert_int_equal(ua_queue_get_nowait(&q, &out), 0);
    assert_int_equal(out, 5);
    assert_int_equal(ua_queue_get_nowait(&q, &out), 0);
    assert_int_equal(out, 6);
    assert_true(ua_queue_empty(&q));
}

static void queue_blocks_producer_and_consumer(void **state)
{
    (void)state;
    int32_t buf[2];
    ua_queue_t q;
    tk_t p, c;
    h_setup(0);
    ua_queue_init(&q, buf, sizeof buf[0], 2);
    tk_spawn(&p, q_putter, "", 0, 5, &q);      /* fills, then blocks */
    tk_spawn(&c, q_getter, "got", UA_FOREVER, 5, &q);
    assert_int_equal(h_run(&c.task), 0);
    /* The getter empties the queue before the putter it unblocked runs. */
    H_EXPECT({0, "put", 1}, {0, "put", 2}, {0, "got", 1}, {0, "got", 2},
             {0, "put", 3}, {0, "put", 4}, {0, "got", 3}, {0, "got", 4},
             {0, "put", 5}, {0, "got", 5});
}

static void queue_get_timeout_and_late_item(void **state)
{
    (void)state;
    int32_t buf[4];
    ua_queue_t q;
    tk_t p, c;
    h_setup(0);
    ua_queue_init(&q, buf, sizeof buf[0], 4);
    tk_spawn(&c, q_getter, "got", 15, 3, &q);
    tk_spawn(&p, q_putter, "", 20, 1, &q);
    assert_int_equal(h_run(&c.task), 0);
    H_EXPECT({15000, "got", UA_ETIMEDOUT}, {20000, "put", 1}, {20000, "got", 1},
             {35000, "got", UA_ETIMEDOUT});
}

/* A getter handed an item and cancelled before it runs keeps the item;
 * a get_nowait() meanwhile cannot steal it; a cancelled waiting getter
 * takes nothing. */
static void queue_cancelled_getters_lose_no_item(void **state)
{
    (void)state;
    int32_t buf[4], v, out = 0;
    ua_queue_t q;
    tk_t g1, g2, g3;
    h_setup(0);
    ua_queue_init(&q, buf, sizeof buf[0], 4);
    tk_spawn(&g1, q_getter, "g1", UA_FOREVER, 1, &q);
    tk_spawn(&g2, q_getter, "g2", UA_FOREVER, 1, &q);
    tk_spawn(&g3, q_getter, "g3", UA_FOREVER, 1, &q);
    while (ua_loop_step(&h_loop)) {
    }
    assert_int_equal(ua_task_cancel(&g2.task), 1); /* waiting: leaves */
    v = 11;
    assert_int_equal(ua_queue_put_nowait(&q, &v), 0); /* handed to g1 */
    assert_int_equal(ua_queue_get_nowait(&q, &out), UA_EEMPTY);
    assert_int_equal(ua_task_cancel(&g1.task), 1); /* granted: keeps it */
    v = 12;
    assert_int_equal(ua_queue_put_nowait(&q, &v), 0); /* handed to g3 */
    assert_int_equal(h_run(&g3.task), 0);
    assert_int_equal(h_run(&g1.task), 0);
    H_EXPECT({0, "g2", UA_ECANCELLED}, {0, "g1", 11}, {0, "g3", 12});
    assert_true(ua_queue_empty(&q));
}

/* --- Barrier ------------------------------------------------------------------- */

static void on_round(void *arg)
{
    h_log("round", ++*(int *)arg);
}

/* Arrive at obj (barrier) after a ms, b rounds. */
static int party(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->b; t->i++) {
        UA_AWAIT(ua_sleep_ms(self, t->a));
        UA_AWAIT_STATUS(t->st, ua_barrier_wait(self, t->obj, 100));
        h_log(t->name, t->st);
    }
    UA_END();
}

static void barrier_releases_all_and_is_reusable(void **state)
{
    (void)state;
    ua_barrier_t b;
    int rounds = 0;
    tk_t p1, p2, p3;
    h_setup(0);
    assert_int_equal(ua_barrier_init(&b, 3, on_round, &rounds), 0);
    tk_spawn(&p1, party, "p1", 10, 2, &b);
    tk_spawn(&p2, party, "p2", 20, 2, &b);
    tk_spawn(&p3, party, "p3", 30, 2, &b);
    assert_int_equal(h_run(&p3.task), 0);
    assert_int_equal(h_run(&p1.task), 0);
    assert_int_equal(h_run(&p2.task), 0);
    H_EXPECT({30000, "round", 1}, {30000, "p3", 0}, {30000, "p1", 0},
             {30000, "p2", 0}, {60000, "round", 2}, {60000, "p3", 0},
             {60000, "p1", 0}, {60000, "p2", 0});
    assert_false(ua_barrier_busy(&b));
}

static void barrier_timeout_leaves_the_count(void **state)
{
    (void)state;
    ua_barrier_t b;
    int rounds = 0;
    tk_t p1;
    h_setup(0);
    ua_barrier_init(&b, 2, on_round, &rounds);
    tk_spawn(&p1, party, "p1", 0, 1, &b);
    assert_int_equal(h_run(&p1.task), 0);
    H_EXPECT({100000, "p1", UA_ETIMEDOUT});
    assert_false(ua_barrier_busy(&b));
    ua_barrier_trigger(&b);
    assert_true(ua_barrier_busy(&b));
    ua_barrier_trigger(&b);
    assert_int_equal(rounds, 1);
    assert_int_equal(ua_barrier_init(&b, 0, NULL, NULL), UA_EINVAL);
}

/* --- The longest timeout ----------------------------------------------------- */

/* Every timed wait lasts at most UA_TICKS_MAX_DELAY (2^31 - 1 us): a timeout
 * of 2147484 ms is UA_ERANGE at once, 2147483 ms ends on time. */
enum {
    RG_EVENT, RG_SEM, RG_LOCK, RG_QUEUE, RG_FLAG, RG_JOIN, RG_WAIT_FOR,
    RG_AFTER, RG_KINDS
};
static const char *const rg_names[RG_KINDS] = {
    "event", "sem", "lock", "queue", "flag", "join", "wait_for", "after"};
static ua_event_t rg_event; /* never set */
static ua_sem_t rg_sem;     /* no permit */
static ua_lock_t rg_lock;   /* held by rg_target */
static ua_queue_t rg_queue; /* empty */
static int32_t rg_buf[1];
static ua_flag_t rg_flag; /* never set */
static tk_t rg_target;    /* waits for rg_event until cancelled */

static int rg_target_fn(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_event_wait(self, &rg_event, UA_FOREVER));
    UA_END();
}

/* One wait of kind b with timeout a (ms); logs its status under its kind. */
static int rg_waiter(ua_task_t *self)
{
    tk_t *t = TK(self);
    UA_BEGIN(self, &t->co);
    if (t->b == RG_EVENT)
        UA_AWAIT_STATUS(t->st, ua_event_wait(self, &rg_event, t->a));
    else if (t->b == RG_SEM)
        UA_AWAIT_STATUS(t->st, ua_sem_acquire(self, &rg_sem, t->a));
    else if (t->b == RG_LOCK)
        UA_AWAIT_STATUS(t->st, ua_lock_acquire(self, &rg_lock, t->a));
    else if (t->b == RG_QUEUE)
        UA_AWAIT_STATUS(t->st, ua_queue_get(self, &rg_queue, &t->item, t->a));
    else if (t->b == RG_FLAG)
        UA_AWAIT_STATUS(t->st, ua_flag_wait(self, &rg_flag, t->a));
    else if (t->b == RG_JOIN)
        UA_AWAIT_STATUS(t->st, ua_join(self, &rg_target.task, t->a));
    else if (t->b == RG_WAIT_FOR)
        UA_AWAIT_STATUS(t->st, ua_wait_for(self, &rg_target.task, t->a));
    else
        UA_AWAIT_STATUS(t->st, ua_after_ms(self, t->a));
    h_log(rg_names[t->b], t->st);
    UA_END();
}

static void every_timed_wait_refuses_more_than_half_a_period(void **state)
{
    (void)state;
    for (int kind = 0; kind < RG_KINDS; kind++) {
        tk_t too_long, longest;
        h_setup(0);
        ua_event_init(&rg_event);
        ua_sem_init(&rg_sem, 0, false);
        ua_lock_init(&rg_lock);
        assert_int_equal(ua_queue_init(&rg_queue, rg_buf, sizeof rg_buf[0], 1), 0);
        assert_int_equal(ua_flag_init(&rg_flag, &h_loop), 0);
        tk_spawn(&rg_target, rg_target_fn, "target", 0, 0, NULL);
        assert_int_equal(ua_lock_try_acquire(&rg_target.task, &rg_lock), 0);
        tk_spawn(&too_long, rg_waiter, "", 2147484, kind, NULL);
        tk_spawn(&longest, rg_waiter, "", 2147483, kind, NULL);
        assert_int_equal(h_run(&longest.task), 0);
        /* a sleep's deadline is its point; wait_for waited for the
         * cancelled target's end */
        H_EXPECT({0, rg_names[kind], UA_ERANGE},
                 {2147483000ull, rg_names[kind],
                  kind == RG_AFTER ? 0 : UA_ETIMEDOUT});
        ua_flag_deinit(&rg_flag);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_wakes_all_waiters_in_order_with_value),
        cmocka_unit_test(event_set_then_clear_still_wakes),
        cmocka_unit_test(lock_serves_waiters_first_come_first_served),
        cmocka_unit_test(lock_cancelled_waiters_leave_lock_consistent),
        cmocka_unit_test(lock_granted_then_cancelled_still_releases),
        cmocka_unit_test(semaphore_limits_concurrency_in_order),
        cmocka_unit_test(bounded_semaphore_refuses_over_release),
        cmocka_unit_test(semaphore_cancelled_waiter_takes_no_permit),
        cmocka_unit_test(condition_notify_and_wait_for),
        cmocka_unit_test(condition_requires_the_lock),
        cmocka_unit_test(condition_wait_refused_keeps_the_lock),
        cmocka_unit_test(queue_nowait_codes_and_sizes),
        cmocka_unit_test(queue_blocks_producer_and_consumer),
        cmocka_unit_test(queue_get_timeout_and_late_item),
        cmocka_unit_test(queue_cancelled_getters_lose_no_item),
        cmocka_unit_test(barrier_releases_all_and_is_reusable),
        cmocka_unit_test(barrier_timeout_leaves_the_count),
        cmocka_unit_test(every_timed_wait_refuses_more_than_half_a_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
