/*
 * Simulator glue of the climate app: an HTU21D model at 0x40 on I2C bus 0
 * (100 kHz).  args: period= (ms, default 1000).
 * Objects: i2c.  Probes: readings, failures, errors, nack, crc, good,
 * overruns (cycles longer than the period),
 * temp_stale, temperature (centi-degC the driver holds).  Setters:
 * temperature, humidity (centi-units the model measures), nack (NACK the
 * next N address phases), crc (corrupt the CRC of the next N results).
 */
#include "climate_app.h"
#include "htu21d_model.h"
#include "sim_glue.h"
#include "sim_hw.h"

typedef struct climate_sim {
    climate_app_t fw;
    htu21d_sim_model_t htu;
} climate_sim_t;

#define PROBE(name, expr) SIM_GLUE_PROBE(climate_sim_t, c, name, expr)
PROBE(readings, c->fw.readings)
PROBE(failures, c->fw.failures)
PROBE(errors, climate_app_errors(&c->fw))
PROBE(nack, c->fw.htu.stats.nack)
PROBE(crc, c->fw.htu.stats.crc)
PROBE(good, c->fw.htu.stats.good)
PROBE(overruns, c->fw.htu.stats.overruns)
PROBE(temp_stale, htu21d_temperature(&c->fw.htu)->stale)
PROBE(temperature, htu21d_temperature(&c->fw.htu)->centi)

#define SETTER(name, field)                                                    \
    static void set_##name(void *ctx, int64_t v)                               \
    {                                                                          \
        ((climate_sim_t *)ctx)->htu.model.field = (int32_t)v;                  \
    }
SETTER(temperature, temp_centi)
SETTER(humidity, rh_centi)
SETTER(nack, fault_nack)

static void set_crc(void *ctx, int64_t v)
{
    ((climate_sim_t *)ctx)->htu.model.fault_crc = (uint32_t)v;
}

static int setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    climate_sim_t *c = sim_app_alloc(app, sizeof *c);
    sim_i2c_t *bus = sim_board_i2c(board, 0, 100000);

    if (htu21d_model_attach(&c->htu, sim_board_sim(board), bus, 0x40) != 0)
        return sim_app_fail(app, "HTU21D address taken");
    sim_app_add_i2c(app, "i2c", bus);
    sim_app_add_probe(app, "readings", probe_readings, c);
    sim_app_add_probe(app, "failures", probe_failures, c);
    sim_app_add_probe(app, "errors", probe_errors, c);
    sim_app_add_probe(app, "nack", probe_nack, c);
    sim_app_add_probe(app, "crc", probe_crc, c);
    sim_app_add_probe(app, "good", probe_good, c);
    sim_app_add_probe(app, "overruns", probe_overruns, c);
    sim_app_add_probe(app, "temp_stale", probe_temp_stale, c);
    sim_app_add_probe(app, "temperature", probe_temperature, c);
    sim_app_add_setter(app, "temperature", set_temperature, c);
    sim_app_add_setter(app, "humidity", set_humidity, c);
    sim_app_add_setter(app, "nack", set_nack, c);
    sim_app_add_setter(app, "crc", set_crc, c);
    int st = climate_app_start(
        &c->fw, sim_board_loop(board), sim_i2c_hw(bus),
        (uint32_t)sim_app_arg_in(args, "period", 1000, 1, (long)UINT32_MAX),
        sim_glue_notify(app));
    if (st != 0)
        return sim_app_fail(app, "climate_app_start: %s", htu21d_strerror(st));
    sim_app_add_task(app, &c->fw.htu.task, "htu21d");
    sim_app_add_task(app, &c->fw.watch, "climate");
    return 0;
}

const sim_app_def_t sim_app_climate = {
    "climate", "HTU21D read periodically on I2C; readings, stale values, errors",
    setup};
