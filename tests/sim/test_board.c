/*
 * Boards: a wake record for every wake-up, at the time the task became
 * ready and naming who woke it, and wake-up latencies measured from there
 * (an event set by a task, an ISR flag set among other interrupts, a flag
 * set by a task, lock grant, join completion, cancel, a late deadline).
 */
#include "simtest.h"

#include "ua_event.h"
#include "ua_lock.h"

/* The wake records of one task: time, reason, waker (SIM_WAKE_BY). */
static size_t wakes_of(sim_t *sim, uint32_t task, uint64_t *t, uint32_t *reason,
                       uint32_t *by, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind != UA_TR_WAKE || r->obj != task)
            continue;
        if (n < max) {
            t[n] = r->t_ns;
            reason[n] = r->arg;
            by[n] = r->arg2;
        }
        n++;
    }
    return n;
}

/* --- an event set by another task ----------------------------------------- */

static ua_event_t ev;

static int setter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 10));
    ua_delay_us(300);
    ua_event_set(&ev); /* 5 us step cost + 300 us into the step */
    ua_delay_us(700);  /* the waiter waits for the CPU meanwhile */
    UA_END();
}

static int ev_waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_event_wait(self, &ev, UA_FOREVER));
    st_add(sim_now(t->sim), "woken", 0);
    UA_END();
}

static void event_set_wake_latency_is_exact(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 5 * SIM_US, 0);
    st_task_t s, w;
    ua_event_init(&ev);
    st_reset();
    st_spawn(b, &s, setter, "setter", 0, 0, NULL);
    st_spawn(b, &w, ev_waiter, "waiter", 0, 0, NULL);
    sim_run_until(sim, 50 * SIM_MS);
    /* The setter slept from 5 us (its first step's cost): its step runs
     * from 10.005 ms for 1005 us, the waiter's from 11.010 ms. */
    ST_EXPECT({11015 * SIM_US, "woken", 0});
    uint64_t t[4];
    uint32_t why[4], by[4];
    assert_int_equal(wakes_of(sim, sim_task_id(sim, &w.task), t, why, by, 4), 1);
    assert_int_equal(t[0], 10310 * SIM_US);
    assert_int_equal(why[0], UA_WAKE_SIGNAL);
    assert_int_equal(by[0], SIM_WAKE_BY(SIM_WAKE_TASK, sim_task_id(sim, &s.task)));
    sim_task_stats_t st;
    assert_int_equal(sim_task_stats(sim, &w.task, &st), 0);
    assert_int_equal(st.worst_latency_ns, 700 * SIM_US);
    assert_int_equal(st.last_latency_ns, 700 * SIM_US);
    char *txt = st_text_trace(sim);
    assert_non_null(strstr(txt, "\n10310.000 wake       b0 task2:waiter 1 by task1:setter\n"));
    free(txt);
    sim_free(sim);
}

/* --- an unhandled task error ------------------------------------------------ */

static int failer(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 7));
    UA_THROW(UA_EIO);
    UA_END();
}

static void unhandled_error_is_recorded(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_task_t f;
    uint32_t id = 0;
    int32_t status = 0;
    st_reset();
    st_spawn(b, &f, failer, "failer", 0, 0, NULL);
    sim_run_until(sim, 5 * SIM_MS);
    assert_int_equal(sim_unhandled_errors(sim, NULL, NULL), 0);
    sim_run_until(sim, 50 * SIM_MS);
    assert_int_equal(sim_unhandled_errors(sim, &id, &status), 1);
    assert_int_equal(id, sim_task_id(sim, &f.task));
    assert_int_equal(status, UA_EIO);
    /* Reported at the pass after the failure, at the same instant. */
    char *txt = st_text_trace(sim);
    assert_non_null(strstr(txt, "\n7000.000 unhandled  b0 task1:failer"));
    free(txt);
    sim_free(sim);
}

/* --- an ISR flag among other interrupts ------------------------------------ */

static void quiet_isr(void *arg, int level, ua_ticks_t when)
{
    (void)arg;
    (void)level;
    (void)when;
}

static int flag_waiter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, &t->flag, UA_FOREVER));
    st_add(sim_now(t->sim), "woken", 0);
    UA_END();
}

static int hog(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    ua_delay_us((uint32_t)t->a);
    UA_AWAIT(ua_yield(self));
    UA_END();
}

static sim_pin_t *irq_pin(sim_board_t *b, unsigned n, ua_pin_irq_cb cb,
                          void *arg, uint64_t at)
{
    sim_pin_t *p = sim_board_pin(b, n);
    ua_pin_configure(sim_pin_hw(p), UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(sim_pin_hw(p), UA_EDGE_FALLING, cb, arg);
    sim_source_at(sim_source_new(p), at, 0);
    return p;
}

/* The flag is set by the interrupt at 5 ms; another source interrupts at
 * 8 ms; the hog holds the CPU until 20 ms: the waiter was ready from 5 ms,
 * whatever interrupted last. */
static void isr_flag_wake_is_the_interrupt_that_set_it(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 0, 10 * SIM_US);
    st_task_t w, h;
    st_reset();
    st_spawn(b, &w, flag_waiter, "waiter", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    st_spawn(b, &h, hog, "hog", 20000, 0, NULL);
    sim_pin_t *ir = irq_pin(b, 3, st_flag_isr, &w, 5 * SIM_MS);
    sim_pin_set_name(ir, "ir");
    irq_pin(b, 4, quiet_isr, NULL, 8 * SIM_MS);
    sim_run_until(sim, 100 * SIM_MS);
    /* two 10 us interrupts stretch the hog's step */
    ST_EXPECT({20020 * SIM_US, "woken", 0});
    uint64_t t[4];
    uint32_t why[4], by[4];
    assert_int_equal(wakes_of(sim, sim_task_id(sim, &w.task), t, why, by, 4), 1);
    assert_int_equal(t[0], 5 * SIM_MS);
    assert_int_equal(why[0], UA_WAKE_GRANT);
    assert_int_equal(by[0], SIM_WAKE_BY(SIM_SRC_PIN, sim_pin_id(ir)));
    sim_task_stats_t st;
    assert_int_equal(sim_task_stats(sim, &w.task, &st), 0);
    assert_int_equal(st.worst_latency_ns, 15020 * SIM_US);
    char *txt = st_text_trace(sim);
    assert_non_null(strstr(txt, "\n5000.000 wake       b0 task1:waiter 2 by pin0:ir\n"));
    assert_non_null(strstr(txt, "\n20020.000 flag_set   b0 task1:waiter 0\n"));
    free(txt);
    sim_free(sim);
}

/* A model's event sets the flag itself (no interrupt): ready then, and no
 * later interrupt of another source takes the credit. */
static void model_sets_flag(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    ua_flag_set(&((st_task_t *)arg)->flag);
}

static void flag_set_by_a_model_is_nobodys_interrupt(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 0, 10 * SIM_US);
    st_task_t w, h;
    st_reset();
    st_spawn(b, &w, flag_waiter, "waiter", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    st_spawn(b, &h, hog, "hog", 20000, 0, NULL);
    sim_at(sim, 5 * SIM_MS, model_sets_flag, &w, 0);
    irq_pin(b, 4, quiet_isr, NULL, 8 * SIM_MS);
    sim_run_until(sim, 100 * SIM_MS);
    ST_EXPECT({20010 * SIM_US, "woken", 0});
    uint64_t t[4];
    uint32_t why[4], by[4];
    assert_int_equal(wakes_of(sim, sim_task_id(sim, &w.task), t, why, by, 4), 1);
    assert_int_equal(t[0], 5 * SIM_MS);
    assert_int_equal(by[0], 0);
    sim_task_stats_t st;
    assert_int_equal(sim_task_stats(sim, &w.task, &st), 0);
    assert_int_equal(st.worst_latency_ns, 15010 * SIM_US);
    sim_free(sim);
}

/* A flag set by a task (Delay_ms does this): ready when that step ends. */
static int flag_setter(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 2));
    ua_flag_set(&((st_task_t *)t->p)->flag);
    ua_delay_us(400);
    UA_END();
}

static void flag_set_by_a_task_names_it(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    st_task_t w, s;
    st_reset();
    st_spawn(b, &w, flag_waiter, "waiter", 0, 0, NULL);
    ua_flag_init(&w.flag, sim_board_loop(b));
    st_spawn(b, &s, flag_setter, "setter", 0, 0, &w);
    sim_run_until(sim, 10 * SIM_MS);
    ST_EXPECT({2400 * SIM_US, "woken", 0});
    uint64_t t[4];
    uint32_t why[4], by[4];
    assert_int_equal(wakes_of(sim, sim_task_id(sim, &w.task), t, why, by, 4), 1);
    assert_int_equal(t[0], 2400 * SIM_US);
    assert_int_equal(by[0], SIM_WAKE_BY(SIM_WAKE_TASK, sim_task_id(sim, &s.task)));
    sim_free(sim);
}

/* --- lock grant, join completion, cancel, a late deadline ------------------- */

static ua_lock_t lock;
static st_task_t owner, locker, joiner, victim, canceller, late;

static int owner_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
    UA_AWAIT(ua_sleep_ms(self, 1));
    ua_lock_release(self, &lock); /* grants the lock to locker: 1 ms */
    UA_AWAIT(ua_sleep_ms(self, 2)); /* finishes at 3 ms: joiner wakes */
    UA_END();
}

static int locker_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_lock_acquire(self, &lock, UA_FOREVER));
    ua_lock_release(self, &lock);
    UA_END();
}

static int joiner_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_join(self, &owner.task, UA_FOREVER));
    UA_END();
}

static int victim_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 1000));
    UA_END();
}

static int canceller_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 4));
    ua_task_cancel(&victim.task);
    ua_delay_us(3000); /* late's 5 ms deadline passes meanwhile */
    UA_END();
}

static int late_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 5));
    UA_END();
}

static void expect_wake(sim_t *sim, const st_task_t *t, uint64_t at,
                        uint32_t reason, uint32_t by, uint64_t latency)
{
    uint64_t tt[4];
    uint32_t why[4], who[4];
    sim_task_stats_t st;
    assert_int_equal(wakes_of(sim, sim_task_id(sim, &t->task), tt, why, who, 4), 1);
    assert_int_equal(tt[0], at);
    assert_int_equal(why[0], reason);
    assert_int_equal(who[0], by);
    assert_int_equal(sim_task_stats(sim, &t->task, &st), 0);
    assert_int_equal(st.last_latency_ns, latency);
}

static void every_wake_has_a_record(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    ua_lock_init(&lock);
    st_spawn(b, &owner, owner_fn, "owner", 0, 0, NULL);
    st_spawn(b, &locker, locker_fn, "locker", 0, 0, NULL);
    st_spawn(b, &joiner, joiner_fn, "joiner", 0, 0, NULL);
    st_spawn(b, &victim, victim_fn, "victim", 0, 0, NULL);
    st_spawn(b, &canceller, canceller_fn, "canceller", 0, 0, NULL);
    st_spawn(b, &late, late_fn, "late", 0, 0, NULL);
    sim_run_until(sim, 20 * SIM_MS);
    uint32_t by_owner = SIM_WAKE_BY(SIM_WAKE_TASK, sim_task_id(sim, &owner.task));
    uint32_t by_canceller =
        SIM_WAKE_BY(SIM_WAKE_TASK, sim_task_id(sim, &canceller.task));
    expect_wake(sim, &locker, 1 * SIM_MS, UA_WAKE_GRANT, by_owner, 0);
    expect_wake(sim, &joiner, 3 * SIM_MS, UA_WAKE_SIGNAL, by_owner, 0);
    /* the cancel lands at 4 ms, the victim runs when the canceller is done */
    expect_wake(sim, &victim, 4 * SIM_MS, UA_WAKE_CANCEL, by_canceller,
                3 * SIM_MS);
    /* a deadline that passed while the CPU was busy: ready at the deadline */
    expect_wake(sim, &late, 5 * SIM_MS, UA_WAKE_TIMEOUT, 0, 2 * SIM_MS);
    assert_int_equal(ua_task_status(&victim.task), UA_ECANCELLED);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_set_wake_latency_is_exact),
        cmocka_unit_test(isr_flag_wake_is_the_interrupt_that_set_it),
        cmocka_unit_test(flag_set_by_a_model_is_nobodys_interrupt),
        cmocka_unit_test(flag_set_by_a_task_names_it),
        cmocka_unit_test(every_wake_has_a_record),
        cmocka_unit_test(unhandled_error_is_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
