/*
 * HTU21D driver against the HTU21D model, on the virtual-clock port.
 *
 * The I2C bus is a test-local fake: transfer() runs the transaction through
 * the model at the current virtual time and then charges the bus time, 9 bit
 * times of 10 us (100 kHz) per byte clocked, like a blocking master would.
 */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "htu21d.h"
#include "htu21d_model.h"

#define BYTE_US 90u

static htu21d_model_t model;
static ua_i2c_t bus;
static uint32_t transfers;

static int fake_transfer(ua_i2c_t *b, uint8_t addr, const uint8_t *wr,
                         size_t wn, uint8_t *rd, size_t rn)
{
    size_t clocked = 0;
    int st = htu21d_model_transfer(b->ctx, h_vp.now_us * 1000, BYTE_US * 1000,
                                   addr, wr, wn, rd, rn, &clocked);
    transfers++;
    h_vp.now_us += clocked * BYTE_US;
    return st;
}

static const struct ua_i2c_ops fake_ops = {.transfer = fake_transfer};

static htu21d_t dev;

static void setup_bus(void)
{
    h_setup(0);
    dev = (htu21d_t){0}; /* a fresh loop: the last test's task is gone */
    htu21d_model_init(&model, 0x40);
    bus = (ua_i2c_t){.ops = &fake_ops, .ctx = &model, .id = 1};
    transfers = 0;
}

/* --- pure helpers -------------------------------------------------------- */

static void crc_datasheet_vectors(void **state)
{
    (void)state;
    const uint8_t a[] = {0x68, 0x3A}, b[] = {0x4E, 0x85}, z[] = {0, 0};
    assert_int_equal(htu21d_crc8(a, 2), 0x7C);
    assert_int_equal(htu21d_crc8(b, 2), 0x6B);
    assert_int_equal(htu21d_crc8(z, 2), 0x00);
    /* The seed's check: the CRC over data and CRC leaves no remainder. */
    const uint8_t full[] = {0x68, 0x3A, 0x7C};
    assert_int_equal(htu21d_crc8(full, 3), 0);
}

static void conversion_at_known_raw_values(void **state)
{
    (void)state;
    /* Datasheet examples: 0x683A -> 24.7 C, 0x7C80 -> 54.8 %RH. */
    assert_int_equal(htu21d_raw_to_centi_c(0x683A), 2469);
    assert_int_equal(htu21d_raw_to_centi_rh(0x7C80), 5479);
    /* Ends of the range; status bits are masked before converting. */
    assert_int_equal(htu21d_raw_to_centi_c(0x0000), -4685);
    assert_int_equal(htu21d_raw_to_centi_c(0x0003), -4685);
    assert_int_equal(htu21d_raw_to_centi_c(0xFFFF), 12886);
    assert_int_equal(htu21d_raw_to_centi_rh(0x0002), -600);
    assert_int_equal(htu21d_raw_to_centi_rh(0xFFFE), 11899);
    /* Agrees with the float formula to the hundredth at every word. */
    for (uint32_t raw = 0; raw <= 0xFFFC; raw += 4) {
        double t = -46.85 + 175.72 * raw / 65536.0;
        double rh = -6.0 + 125.0 * raw / 65536.0;
        assert_true(fabs(htu21d_raw_to_centi_c((uint16_t)raw) - t * 100) <= 0.5 + 1e-6);
        assert_true(fabs(htu21d_raw_to_centi_rh((uint16_t)raw) - rh * 100) <= 0.5 + 1e-6);
    }
}

static void init_rejects_bad_config(void **state)
{
    (void)state;
    htu21d_t dev = {0};
    htu21d_config_t cfg;
    setup_bus();
    htu21d_config_default(&cfg);
    assert_int_equal(cfg.temp_wait_ms, 60);
    assert_int_equal(cfg.period_ms, 10000);
    cfg.period_ms = 0;
    assert_int_equal(htu21d_init(&dev, &bus, &cfg), UA_EINVAL);
    htu21d_config_default(&cfg);
    cfg.address = 0x80;
    assert_int_equal(htu21d_init(&dev, &bus, &cfg), UA_EINVAL);
    assert_int_equal(htu21d_init(&dev, NULL, NULL), UA_EINVAL);
    assert_int_equal(htu21d_init(&dev, &bus, NULL), 0);
    assert_true(isnan(htu21d_temperature_c(&dev)));
}

/* --- the driver on the fake bus ------------------------------------------- */

/* Waits for n periodic cycles, logging each, then stops the driver.  The
 * hook runs after cycle i (to change the scenario between cycles). */
typedef struct {
    ua_task_t task;
    ua_co_t co;
    int n, i;
    void (*hook)(int i);
} watcher_t;

static int watcher(ua_task_t *self)
{
    watcher_t *w = UA_CONTAINER_OF(self, watcher_t, task);
    UA_BEGIN(self, &w->co);
    for (w->i = 0; w->i < w->n; w->i++) {
        UA_AWAIT(htu21d_wait_update(self, &dev, UA_FOREVER));
        h_log("update", htu21d_last_status(&dev));
        if (w->hook != NULL)
            w->hook(w->i);
    }
    htu21d_stop(&dev);
    UA_END();
}

static void run_cycles(const htu21d_config_t *cfg, int n, void (*hook)(int))
{
    watcher_t w = {.n = n, .hook = hook};
    assert_int_equal(htu21d_init(&dev, &bus, cfg), 0);
    assert_int_equal(htu21d_start(&dev, &h_loop), 0);
    assert_int_equal(htu21d_start(&dev, &h_loop), UA_EBUSY);
    ua_task_init(&w.task, watcher);
    assert_int_equal(h_run(&w.task), 0);
    assert_int_equal(h_run(&dev.task), UA_ECANCELLED);
}

static htu21d_config_t config(uint16_t t_ms, uint16_t rh_ms, uint32_t period)
{
    htu21d_config_t cfg;
    htu21d_config_default(&cfg);
    cfg.temp_wait_ms = t_ms;
    cfg.rh_wait_ms = rh_ms;
    cfg.period_ms = period;
    return cfg;
}

/* What the driver must report for the model's current inputs. */
static int32_t model_centi(int kind)
{
    uint16_t raw = htu21d_model_raw(&model, kind);
    return kind == 0 ? htu21d_raw_to_centi_c(raw) : htu21d_raw_to_centi_rh(raw);
}

/*
 * Defaults: write 0xF3 (2 bytes, 180 us), sleep 60 ms, read 4 bytes (360 us),
 * write 0xF5 (180 us), sleep 60 ms, read (360 us): the cycle ends at
 * 121080 us, and the next ones start on the 10 s grid.
 */
static void full_cycle_timing_and_period(void **state)
{
    (void)state;
    setup_bus();
    model.temp_centi = 2345;
    model.rh_centi = 4567;
    run_cycles(NULL, 3, NULL);
    H_EXPECT({121080, "update", 0}, {10121080, "update", 0},
             {20121080, "update", 0});
    const htu21d_value_t *t = htu21d_temperature(&dev);
    const htu21d_value_t *rh = htu21d_humidity(&dev);
    assert_true(t->valid && !t->stale && rh->valid && !rh->stale);
    assert_int_equal(t->centi, model_centi(0));
    assert_int_equal(rh->centi, model_centi(1));
    /* 14-bit and 12-bit steps are 0.011 C and 0.03 %: within a hundredth. */
    assert_in_range(t->centi, 2344, 2346);
    assert_in_range(rh->centi, 4566, 4568);
    assert_int_equal(t->when, 20060540);
    assert_int_equal(rh->when, 20121080);
    assert_true(fabsf(htu21d_temperature_c(&dev) - 23.45f) < 0.01f);
    assert_true(fabsf(htu21d_humidity_pct(&dev) - 45.67f) < 0.02f);
    assert_int_equal(dev.stats.good, 6);
    assert_int_equal(dev.stats.cycles, 3);
    assert_int_equal(dev.stats.retries, 0);
    assert_int_equal(model.conversions, 6);
    assert_int_equal(model.results_read, 6);
    assert_int_equal(model.early_reads, 0);
    assert_int_equal(transfers, 12);
}

/* 50 ms / 16 ms, the datasheet maxima: the conversions end at 50090 and
 * 66630 us (command byte + conversion), before the reads at 50180, 66720. */
static void datasheet_waits_read_sooner(void **state)
{
    (void)state;
    setup_bus();
    htu21d_config_t cfg = config(50, 16, 1000);
    run_cycles(&cfg, 2, NULL);
    H_EXPECT({67080, "update", 0}, {1067080, "update", 0});
    assert_int_equal(model.early_reads, 0);
    assert_int_equal(dev.stats.retries, 0);
}

/* A 40 ms wait is too short for the 50 ms conversion: the read address is
 * NACKed at 40180 (one byte, 90 us), retried 10 ms later, and succeeds. */
static void short_wait_retries_on_read_nack(void **state)
{
    (void)state;
    setup_bus();
    htu21d_config_t cfg = config(40, 16, 1000);
    run_cycles(&cfg, 1, NULL);
    H_EXPECT({67170, "update", 0});
    assert_int_equal(model.early_reads, 1);
    assert_int_equal(dev.stats.retries, 1);
    assert_int_equal(dev.stats.good, 2);
    assert_int_equal(htu21d_temperature(&dev)->when, 50630);
}

static void stuck_after_first(int i)
{
    model.fault_stuck = i == 0;
    model.temp_centi = 3000;
    if (i == 1) {
        /* Cycle 2 failed: the old values are kept, flagged stale. */
        assert_true(htu21d_temperature(&dev)->stale);
        assert_true(htu21d_humidity(&dev)->stale);
        assert_true(htu21d_temperature(&dev)->valid);
        assert_in_range(htu21d_temperature(&dev)->centi, 1999, 2001);
        assert_int_equal(dev.stats.not_ready, 2);
        assert_int_equal(dev.stats.retries, 4);
    }
}

/* Stuck conversions: 3 NACKed reads 10 ms apart for each quantity.  Cycle 2
 * (from 1 s): write to 1000180, reads at 1060180, 1070270, 1080360 (fail at
 * 1080450); write to 1080630, reads at 1140630, 1150720, 1160810 -> 1160900. */
static void stuck_conversion_not_ready_and_stale(void **state)
{
    (void)state;
    setup_bus();
    htu21d_config_t cfg = config(60, 60, 1000);
    run_cycles(&cfg, 3, stuck_after_first);
    H_EXPECT({121080, "update", 0}, {1160900, "update", HTU21D_ENOTREADY},
             {2121080, "update", 0});
    assert_false(htu21d_temperature(&dev)->stale);
    assert_int_equal(htu21d_temperature(&dev)->centi, model_centi(0));
    assert_int_equal(model.early_reads, 6);
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    int st;
} waiter_t;

static int wait_ready_task(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT(htu21d_wait_update(self, &dev, UA_FOREVER));
    h_log("update", htu21d_last_status(&dev));
    UA_AWAIT_STATUS(w->st, htu21d_wait_ready(self, &dev, 500));
    h_log("ready", w->st);
    htu21d_stop(&dev);
    UA_END();
}

/* No device: both command writes are NACKed (90 us each), nothing becomes
 * valid, and "ready" never comes. */
static void nack_gives_enack_and_no_reading(void **state)
{
    (void)state;
    waiter_t w = {0};
    setup_bus();
    model.fault_nack = -1;
    assert_int_equal(htu21d_init(&dev, &bus, NULL), 0);
    /* The update event is a pulse: wait before the first cycle ends. */
    ua_task_init(&w.task, wait_ready_task);
    assert_int_equal(ua_spawn(&h_loop, &w.task), 0);
    assert_int_equal(htu21d_start(&dev, &h_loop), 0);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({180, "update", HTU21D_ENACK}, {500180, "ready", UA_ETIMEDOUT});
    assert_int_equal(dev.stats.nack, 2);
    assert_int_equal(dev.stats.good, 0);
    assert_false(htu21d_temperature(&dev)->valid);
    assert_false(htu21d_temperature(&dev)->stale);
    assert_string_equal(htu21d_strerror(HTU21D_ENACK),
                        "HTU21D did not acknowledge its address");
}

static void bad_crc_after_first(int i)
{
    if (i == 0) {
        model.fault_crc = 1;
        model.temp_centi = 3000;
        model.rh_centi = 6000;
    } else if (i == 1) {
        /* Temperature failed its CRC: old value, stale; humidity is new. */
        assert_true(htu21d_temperature(&dev)->stale);
        assert_in_range(htu21d_temperature(&dev)->centi, 1999, 2001);
        assert_int_equal(htu21d_temperature(&dev)->when, 60540);
        assert_false(htu21d_humidity(&dev)->stale);
        assert_in_range(htu21d_humidity(&dev)->centi, 5999, 6001);
    }
}

static void crc_error_keeps_last_value_stale(void **state)
{
    (void)state;
    setup_bus();
    htu21d_config_t cfg = config(60, 60, 1000);
    run_cycles(&cfg, 3, bad_crc_after_first);
    H_EXPECT({121080, "update", 0}, {1121080, "update", HTU21D_ECRC},
             {2121080, "update", 0});
    assert_int_equal(dev.stats.crc, 1);
    assert_int_equal(dev.stats.good, 5);
    assert_false(htu21d_temperature(&dev)->stale);
    assert_in_range(htu21d_temperature(&dev)->centi, 2999, 3001);
}

static void kind_fault(int i)
{
    (void)i;
    model.fault_kind = 1;
}

/* A humidity word where a temperature was asked for is not converted. */
static void wrong_status_bits_rejected(void **state)
{
    (void)state;
    setup_bus();
    model.fault_kind = 1;
    htu21d_config_t cfg = config(60, 60, 1000);
    run_cycles(&cfg, 2, kind_fault);
    H_EXPECT({121080, "update", HTU21D_ESTATUS},
             {1121080, "update", HTU21D_ESTATUS});
    assert_int_equal(dev.stats.status, 2);
    assert_false(htu21d_temperature(&dev)->valid);
    assert_true(htu21d_humidity(&dev)->valid);
}

static int reset_task(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    uint8_t reg = 0;
    UA_BEGIN(self, &w->co);
    UA_AWAIT(htu21d_soft_reset(self, &dev));
    h_log("reset", 0);
    w->st = htu21d_read_user_register(&dev, &reg);
    h_log("user", w->st == 0 ? reg : w->st);
    UA_END();
}

/* User register: write 0xE7, repeated start, read 1 (4 bytes, 360 us).
 * Soft reset: 0xFE (180 us), then 15 ms during which the sensor NACKs. */
static void user_register_and_soft_reset(void **state)
{
    (void)state;
    waiter_t w = {0};
    uint8_t reg = 0;
    setup_bus();
    assert_int_equal(htu21d_init(&dev, &bus, NULL), 0);
    assert_int_equal(htu21d_read_user_register(&dev, &reg), 0);
    assert_int_equal(reg, 0x02);
    assert_int_equal(h_now(), 360);
    /* During a reset the sensor does not answer (address byte: 90 us). */
    model.reset_until = 1000000;
    assert_int_equal(htu21d_read_user_register(&dev, &reg), HTU21D_ENACK);
    model.reset_until = 0;
    h_count = 0;
    ua_task_init(&w.task, reset_task);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({15630, "reset", 0}, {15990, "user", 0x02});
    assert_int_equal(model.resets, 1);
}

static int intruder_task(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    uint8_t reg;
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_sleep_ms(self, 10));
    UA_AWAIT_STATUS(w->st, htu21d_measure(self, &dev, HTU21D_HUMIDITY));
    h_log("measure", w->st);
    h_log("user", htu21d_read_user_register(&dev, &reg));
    htu21d_stop(&dev);
    UA_END();
}

/* The periodic task owns the sensor during its measurement. */
static void second_measurement_is_busy(void **state)
{
    (void)state;
    waiter_t w = {0};
    setup_bus();
    assert_int_equal(htu21d_init(&dev, &bus, NULL), 0);
    assert_int_equal(htu21d_start(&dev, &h_loop), 0);
    ua_task_init(&w.task, intruder_task);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({10180, "measure", HTU21D_EBUSY}, {10180, "user", HTU21D_EBUSY});
    assert_int_equal(h_run(&dev.task), UA_ECANCELLED);
    assert_int_equal(model.conversions, 1);
}

static int stopper_task(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    uint8_t reg = 0;
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_sleep_ms(self, 30));
    htu21d_stop(&dev);
    UA_AWAIT_STATUS(w->st, ua_join(self, &dev.task, UA_FOREVER));
    h_log("stopped", w->st);
    /* The abandoned measurement released the sensor. */
    w->st = htu21d_read_user_register(&dev, &reg);
    h_log("user", w->st == 0 ? reg : w->st);
    UA_END();
}

/* Cancelling during the conversion wait ends the task at once (30 ms, not
 * 60 ms) and frees the measurement frame. */
static void stop_cancels_mid_measurement(void **state)
{
    (void)state;
    waiter_t w = {0};
    setup_bus();
    assert_int_equal(htu21d_init(&dev, &bus, NULL), 0);
    assert_int_equal(htu21d_start(&dev, &h_loop), 0);
    ua_task_init(&w.task, stopper_task);
    assert_int_equal(h_run(&w.task), 0);
    H_EXPECT({30180, "stopped", UA_ECANCELLED}, {30540, "user", 0x02});
    assert_null(dev.op.owner);
    assert_false(htu21d_temperature(&dev)->valid);
    assert_false(htu21d_temperature(&dev)->stale);
}

/* Two waits for an update, each logged ("upd"). */
static int update_waiter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT_STATUS(w->st, htu21d_wait_update(self, &dev, UA_FOREVER));
    h_log("upd", w->st);
    UA_AWAIT_STATUS(w->st, htu21d_wait_update(self, &dev, UA_FOREVER));
    h_log("upd", w->st);
    UA_END();
}

static waiter_t cycle_w;
static uint64_t cycle_t; /* the current cycle's start */

static int32_t until(uint64_t t)
{
    return (int32_t)(t - h_now());
}

/* Start at T; stop at T + 150 ms (the cycle ended at T + 121.08 ms, the
 * task sleeps to T + 200 ms); even cycles start again in that instant,
 * odd ones at T + 200 ms with the task finished. */
static int restarter(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    ua_ticks_t dl;
    UA_BEGIN(self, &w->co);
    cycle_t = 0;
    assert_int_equal(htu21d_start(&dev, &h_loop), 0);
    for (w->st = 0; w->st < 100; w->st++) {
        cycle_w = (waiter_t){0};
        ua_task_init(&cycle_w.task, update_waiter);
        ua_spawn(&h_loop, &cycle_w.task);
        assert_int_equal(htu21d_start(&dev, &h_loop), UA_EBUSY);
        UA_AWAIT(ua_sleep_us(self, until(cycle_t + 150000)));
        htu21d_stop(&dev);
        htu21d_stop(&dev); /* idempotent */
        assert_false(ua_loop_next_deadline(&h_loop, &dl));
        assert_int_equal(model.conversions, 2u * (uint32_t)(w->st + 1));
        if (w->st % 2 == 0) {
            assert_true(ua_task_running(&dev.task)); /* still finishing */
            assert_false(htu21d_stopped(&dev));
            cycle_t += 150000;
        } else {
            UA_AWAIT(ua_sleep_us(self, until(cycle_t + 200000)));
            assert_true(htu21d_stopped(&dev));
            cycle_t += 200000;
        }
        assert_int_equal(h_now(), cycle_t);
        assert_int_equal(htu21d_start(&dev, &h_loop), 0);
        UA_AWAIT(ua_yield(self)); /* the waiter takes its error */
        assert_true(ua_task_done(&cycle_w.task));
    }
    htu21d_stop(&dev);
    UA_END();
}

/* The lifecycle, 100 times with I2C transfers: every start measures at
 * once (two conversions), the update comes at start + 121.08 ms, and the
 * stop fails the second wait at its microsecond with no bus transfer and
 * no timer left behind. */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    waiter_t r = {0};
    uint64_t t = 0;

    setup_bus();
    htu21d_config_t cfg = config(60, 60, 200);
    assert_int_equal(htu21d_init(&dev, &bus, &cfg), 0);
    ua_task_init(&r.task, restarter);
    assert_int_equal(h_run(&r.task), 0);
    assert_int_equal(h_run(&dev.task), UA_ECANCELLED);
    assert_true(htu21d_stopped(&dev));
    assert_int_equal(h_count, 200);
    for (int i = 0; i < 100; i++) {
        assert_string_equal(h_events[2 * i].tag, "upd");
        assert_int_equal(h_events[2 * i].value, 0);
        assert_int_equal(h_events[2 * i].t_us, t + 121080);
        assert_int_equal(h_events[2 * i + 1].value, HTU21D_ESTOPPED);
        assert_int_equal(h_events[2 * i + 1].t_us, t + 150000);
        t += i % 2 == 0 ? 150000 : 200000;
    }
    assert_int_equal(dev.stats.cycles, 100);
    /* And the first of a 101st start, abandoned by the final stop. */
    assert_int_equal(model.conversions, 201);
    assert_null(dev.op.owner);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_datasheet_vectors),
        cmocka_unit_test(conversion_at_known_raw_values),
        cmocka_unit_test(init_rejects_bad_config),
        cmocka_unit_test(full_cycle_timing_and_period),
        cmocka_unit_test(datasheet_waits_read_sooner),
        cmocka_unit_test(short_wait_retries_on_read_nack),
        cmocka_unit_test(stuck_conversion_not_ready_and_stale),
        cmocka_unit_test(nack_gives_enack_and_no_reading),
        cmocka_unit_test(crc_error_keeps_last_value_stale),
        cmocka_unit_test(wrong_status_bits_rejected),
        cmocka_unit_test(user_register_and_soft_reset),
        cmocka_unit_test(second_measurement_is_busy),
        cmocka_unit_test(stop_cancels_mid_measurement),
        cmocka_unit_test(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
