/*
 * HTU21D driver on a simulated board: the sensor model attached to the
 * simulator's I2C master (100 kHz), faults injected by the bus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "htu21d.h"
#include "htu21d_model.h"
#include "sim.h"
#include "sim_hw.h"

/*
 * The simulator charges a start and a stop bit around the 9-bit bytes:
 * command write 1 + 2 x 9 + 1 = 20 bits (200 us), 3-byte read 38 bits
 * (380 us).  Between the temperature's STOP and the humidity command's
 * START the bus stays free for the I2C spec's tBUF (4.7 us at 100 kHz); the
 * 60 ms wait then counts from the 1 us tick, so the second half ends 4 us
 * later.  A cycle: 200 + 60000 + 380 + 4.7 + 200 + 60000 + 380 us, on ticks.
 */
#define T_READ_US (200u + 60000u + 380u)
#define TBUF_TICK_US 4u
#define CYCLE_US (2u * T_READ_US + TBUF_TICK_US)

static void periodic_readings_and_nack_on_sim(void **state)
{
    (void)state;
    static htu21d_sim_model_t sensor;
    static htu21d_t dev;
    htu21d_config_t cfg;
    sim_t *sim = sim_new(7);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);

    assert_int_equal(htu21d_model_attach(&sensor, sim, bus, 0x40), 0);
    sensor.model.temp_centi = 2150;
    sensor.model.rh_centi = 3300;
    htu21d_config_default(&cfg);
    cfg.period_ms = 1000;
    assert_int_equal(htu21d_init(&dev, sim_i2c_hw(bus), &cfg), 0);
    sim_task_name(sim, &dev.task, "htu21d");
    assert_int_equal(htu21d_start(&dev, sim_board_loop(b)), 0);

    /* First cycle: both values at their exact bus times. */
    sim_run_until(sim, 500 * SIM_MS);
    assert_int_equal(dev.stats.cycles, 1);
    assert_int_equal(htu21d_last_status(&dev), 0);
    assert_int_equal(htu21d_temperature(&dev)->when, T_READ_US);
    assert_int_equal(htu21d_humidity(&dev)->when, CYCLE_US);
    assert_in_range(htu21d_temperature(&dev)->centi, 2149, 2151);
    assert_in_range(htu21d_humidity(&dev)->centi, 3299, 3301);

    /* Cycle 2: the bus NACKs both command writes. */
    sim_i2c_inject(bus, SIM_I2C_NACK_ADDR, 2);
    sensor.model.temp_centi = -1000;
    sim_run_until(sim, 1500 * SIM_MS);
    assert_int_equal(htu21d_last_status(&dev), HTU21D_ENACK);
    assert_int_equal(dev.stats.nack, 2);
    assert_true(htu21d_temperature(&dev)->stale);
    assert_true(htu21d_humidity(&dev)->stale);
    assert_in_range(htu21d_temperature(&dev)->centi, 2149, 2151);

    /* Cycle 3 (from 2 s): fresh again, sub-zero. */
    sim_run_until(sim, 2500 * SIM_MS);
    assert_int_equal(htu21d_last_status(&dev), 0);
    assert_false(htu21d_temperature(&dev)->stale);
    assert_in_range(htu21d_temperature(&dev)->centi, -1001, -999);
    assert_int_equal(htu21d_temperature(&dev)->when, 2000000u + T_READ_US);
    assert_int_equal(sensor.model.conversions, 4);
    assert_int_equal(sim_i2c_failures(bus), 2);

    htu21d_stop(&dev);
    sim_run_for(sim, SIM_MS);
    assert_int_equal(ua_task_status(&dev.task), UA_ECANCELLED);
    sim_free(sim);
}

/* The sensor's own faults: a bad CRC, then a stuck conversion. */
static void model_faults_on_sim(void **state)
{
    (void)state;
    static htu21d_sim_model_t sensor;
    static htu21d_t dev;
    htu21d_config_t cfg;
    sim_t *sim = sim_new(8);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);

    assert_int_equal(htu21d_model_attach(&sensor, sim, bus, 0x40), 0);
    sensor.model.fault_crc = 1;
    htu21d_config_default(&cfg);
    cfg.period_ms = 1000;
    assert_int_equal(htu21d_init(&dev, sim_i2c_hw(bus), &cfg), 0);
    assert_int_equal(htu21d_start(&dev, sim_board_loop(b)), 0);
    sim_run_until(sim, 500 * SIM_MS);
    assert_int_equal(htu21d_last_status(&dev), HTU21D_ECRC);
    assert_false(htu21d_temperature(&dev)->valid);
    assert_true(htu21d_humidity(&dev)->valid);

    sensor.model.fault_stuck = true;
    sim_run_until(sim, 1500 * SIM_MS);
    assert_int_equal(htu21d_last_status(&dev), HTU21D_ENOTREADY);
    assert_int_equal(dev.stats.not_ready, 2);
    assert_true(htu21d_humidity(&dev)->stale);
    assert_int_equal(sensor.model.early_reads, 6);
    htu21d_stop(&dev);
    sim_run_for(sim, SIM_MS);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periodic_readings_and_nack_on_sim),
        cmocka_unit_test(model_faults_on_sim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
