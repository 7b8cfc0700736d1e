/* HTU21D temperature / humidity sensor (see htu21d.h). */
#include "htu21d.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

/* Longest period a single ua_sleep_us can cover, with margin. */
#define PERIOD_MAX_MS 2000000u

void htu21d_config_default(htu21d_config_t *cfg)
{
    cfg->address = HTU21D_ADDRESS;
    cfg->temp_wait_ms = 60;
    cfg->rh_wait_ms = 60;
    cfg->read_retries = 2;
    cfg->retry_ms = 10;
    cfg->period_ms = 10000;
}

int htu21d_init(htu21d_t *dev, ua_i2c_t *bus, const htu21d_config_t *cfg)
{
    htu21d_config_t def;

    if (cfg == NULL) {
        htu21d_config_default(&def);
        cfg = &def;
    }
    if (dev->state == ST_STARTED)
        return UA_EBUSY;
    if (bus == NULL || cfg->address > 0x7F || cfg->period_ms == 0 ||
        cfg->period_ms > PERIOD_MAX_MS)
        return UA_EINVAL;
    /* The task, its frames and the lifecycle fields before `bus` survive:
     * a task still finishing a stop is linked in the loop and may be
     * inside a measurement (see Lifecycle). */
    if (!ua_task_running(&dev->task)) {
        dev->op = (htu21d_op_t){0};
        dev->cycle_co = (ua_co_t){0};
    }
    memset(&dev->bus, 0, sizeof *dev - offsetof(htu21d_t, bus));
    dev->bus = bus;
    dev->cfg = *cfg;
    ua_event_init(&dev->ready);
    ua_event_init(&dev->update);
    return 0;
}

uint8_t htu21d_crc8(const uint8_t *data, unsigned n)
{
    uint8_t crc = 0;

    for (unsigned i = 0; i < n; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++)
            crc = (uint8_t)((crc & 0x80) ? (crc << 1) ^ 0x31 : crc << 1);
    }
    return crc;
}

/* offset + scale * raw / 65536 in hundredths, rounded half up.  The product
 * is at most 17572 * 65532 < 2^31, so 32-bit unsigned arithmetic is exact. */
static int32_t convert(uint16_t raw, int32_t offset, uint32_t scale)
{
    uint32_t word = raw & 0xFFFCu;
    return offset + (int32_t)((scale * word + 32768u) >> 16);
}

int32_t htu21d_raw_to_centi_c(uint16_t raw)
{
    return convert(raw, -4685, 17572);
}

int32_t htu21d_raw_to_centi_rh(uint16_t raw)
{
    return convert(raw, -600, 12500);
}

const htu21d_value_t *htu21d_temperature(const htu21d_t *dev)
{
    return &dev->value[HTU21D_TEMPERATURE];
}

const htu21d_value_t *htu21d_humidity(const htu21d_t *dev)
{
    return &dev->value[HTU21D_HUMIDITY];
}

float htu21d_temperature_c(const htu21d_t *dev)
{
    const htu21d_value_t *v = &dev->value[HTU21D_TEMPERATURE];
    return v->valid ? -46.85f + 175.72f * (float)v->raw / 65536.0f : NAN;
}

float htu21d_humidity_pct(const htu21d_t *dev)
{
    const htu21d_value_t *v = &dev->value[HTU21D_HUMIDITY];
    return v->valid ? -6.0f + 125.0f * (float)v->raw / 65536.0f : NAN;
}

int htu21d_last_status(const htu21d_t *dev)
{
    return dev->last_status;
}

const char *htu21d_strerror(int status)
{
    switch (status) {
    case HTU21D_ENACK: return "HTU21D did not acknowledge its address";
    case HTU21D_ENOTREADY: return "HTU21D conversion did not finish";
    case HTU21D_ECRC: return "HTU21D CRC mismatch";
    case HTU21D_ESTATUS: return "HTU21D status bits name the other quantity";
    case HTU21D_EBUS: return "I2C bus error or timeout";
    case HTU21D_EBUSY: return "HTU21D measurement already in progress";
    default: return ua_strerror(status);
    }
}

/* Map a failed command write to the driver's code, counting it. */
static int write_error(htu21d_t *dev, int st)
{
    if (st == UA_ENODEV) {
        dev->stats.nack++;
        return HTU21D_ENACK;
    }
    dev->stats.bus++;
    return HTU21D_EBUS;
}

/* Check the 3 bytes read and store the value; returns 0 or an error. */
static int accept(htu21d_t *dev, enum htu21d_kind kind, const uint8_t *buf)
{
    htu21d_value_t *v = &dev->value[kind];
    uint16_t word = (uint16_t)(buf[0] << 8 | buf[1]);

    if (htu21d_crc8(buf, 2) != buf[2]) {
        dev->stats.crc++;
        return HTU21D_ECRC;
    }
    if (((word >> 1) & 1u) != (unsigned)kind) {
        dev->stats.status++;
        return HTU21D_ESTATUS;
    }
    v->raw = word & 0xFFFCu;
    v->centi = kind == HTU21D_TEMPERATURE ? htu21d_raw_to_centi_c(word)
                                          : htu21d_raw_to_centi_rh(word);
    v->valid = true;
    v->stale = false;
    v->when = ua_loop_now(ua_loop_current());
    dev->stats.good++;
    return 0;
}

int htu21d_measure(ua_task_t *self, htu21d_t *dev, enum htu21d_kind kind)
{
    htu21d_op_t *op = &dev->op;
    int st;

    /* The frame is the device's: a second task must not touch it. */
    if (op->owner != NULL && op->owner != self)
        return HTU21D_EBUSY;
    UA_BEGIN(self, &op->co);
    op->owner = self;
    op->kind = (uint8_t)kind;
    op->tries = 0;
    {
        uint8_t cmd = kind == HTU21D_TEMPERATURE ? HTU21D_CMD_TEMP_NOHOLD
                                                 : HTU21D_CMD_RH_NOHOLD;
        st = ua_i2c_write(dev->bus, dev->cfg.address, &cmd, 1);
    }
    if (st != 0)
        UA_THROW(write_error(dev, st));
    UA_AWAIT(ua_sleep_ms(self, op->kind == HTU21D_TEMPERATURE
                                   ? dev->cfg.temp_wait_ms
                                   : dev->cfg.rh_wait_ms));
    for (;;) {
        st = ua_i2c_read(dev->bus, dev->cfg.address, op->buf, 3);
        if (st == 0)
            break;
        if (st != UA_ENODEV) {
            dev->stats.bus++;
            UA_THROW(HTU21D_EBUS);
        }
        /* A NACKed read address means "still converting". */
        if (op->tries >= dev->cfg.read_retries) {
            dev->stats.not_ready++;
            UA_THROW(HTU21D_ENOTREADY);
        }
        op->tries++;
        dev->stats.retries++;
        UA_AWAIT(ua_sleep_ms(self, dev->cfg.retry_ms));
    }
    st = accept(dev, (enum htu21d_kind)op->kind, op->buf);
    if (st != 0)
        UA_THROW(st);
UA_FINALLY
    op->owner = NULL;
    if (UA_STATUS() < 0 && UA_STATUS() != UA_ECANCELLED)
        dev->value[op->kind].stale = dev->value[op->kind].valid;
    UA_END();
}

int htu21d_soft_reset(ua_task_t *self, htu21d_t *dev)
{
    htu21d_op_t *op = &dev->op;
    int st;

    if (op->owner != NULL && op->owner != self)
        return HTU21D_EBUSY;
    UA_BEGIN(self, &op->co);
    op->owner = self;
    {
        uint8_t cmd = HTU21D_CMD_SOFT_RESET;
        st = ua_i2c_write(dev->bus, dev->cfg.address, &cmd, 1);
    }
    if (st != 0)
        UA_THROW(write_error(dev, st));
    UA_AWAIT(ua_sleep_ms(self, HTU21D_SOFT_RESET_MS));
UA_FINALLY
    op->owner = NULL;
    UA_END();
}

int htu21d_read_user_register(htu21d_t *dev, uint8_t *value)
{
    uint8_t cmd = HTU21D_CMD_READ_USER;
    int st;

    if (dev->op.owner != NULL)
        return HTU21D_EBUSY;
    st = ua_i2c_transfer(dev->bus, dev->cfg.address, &cmd, 1, value, 1);
    return st == 0 ? 0 : write_error(dev, st);
}

/* A first call while stopped would wait for ever (only the periodic task
 * sets these events); a resumed call must reach ua_event_wait to collect
 * its outcome. */
static bool refuse(const ua_task_t *self, const htu21d_t *dev,
                   const ua_event_t *ev)
{
    return dev->state != ST_STARTED && ua_await_is_first(self) &&
           !ua_event_is_set(ev);
}

int htu21d_wait_ready(ua_task_t *self, htu21d_t *dev, int32_t timeout_ms)
{
    if (refuse(self, dev, &dev->ready))
        return HTU21D_ESTOPPED;
    return ua_event_wait(self, &dev->ready, timeout_ms);
}

int htu21d_wait_update(ua_task_t *self, htu21d_t *dev, int32_t timeout_ms)
{
    if (refuse(self, dev, &dev->update))
        return HTU21D_ESTOPPED;
    return ua_event_wait(self, &dev->update, timeout_ms);
}

/* Record one measurement's status in the cycle; cancellation ends the task. */
#define CYCLE_STEP(dev, st)                                                    \
    do {                                                                       \
        if ((st) == UA_ECANCELLED)                                             \
            UA_THROW(UA_ECANCELLED);                                           \
        if ((st) < 0 && (dev)->cycle_status == 0)                              \
            (dev)->cycle_status = (st);                                        \
    } while (0)

static void end_cycle(htu21d_t *dev)
{
    ua_ticks_t now = ua_loop_now(ua_loop_current());

    dev->last_status = dev->cycle_status;
    dev->stats.cycles++;
    if (dev->value[0].valid && dev->value[1].valid)
        ua_event_set(&dev->ready);
    /* A pulse: wake whoever waits now, remember nothing for later. */
    ua_event_set_value(&dev->update, dev->last_status);
    ua_event_clear(&dev->update);
    dev->next_start += dev->cfg.period_ms * UA_TICKS_PER_MS;
    if (ua_ticks_diff(dev->next_start, now) < 0) {
        dev->stats.overruns++;
        dev->next_start = now;
    }
}

/* The cycles of one start, from its first (at once). */
static int cycles(ua_task_t *self, htu21d_t *dev)
{
    int st = 0;

    UA_BEGIN(self, &dev->cycle_co);
    dev->next_start = ua_loop_now(ua_loop_current());
    for (;;) {
        dev->cycle_status = 0;
        UA_AWAIT_STATUS(st, htu21d_measure(self, dev, HTU21D_TEMPERATURE));
        CYCLE_STEP(dev, st);
        UA_AWAIT_STATUS(st, htu21d_measure(self, dev, HTU21D_HUMIDITY));
        CYCLE_STEP(dev, st);
        end_cycle(dev);
        UA_AWAIT(ua_sleep_us(self, ua_ticks_diff(dev->next_start,
                                                 ua_loop_now(ua_loop_current()))));
    }
    UA_END();
}

/*
 * One task serves every start: htu21d_stop cancels it (the cycles end with
 * UA_ECANCELLED, an in-flight measurement abandoned, and so does the task),
 * and if htu21d_start comes before it has finished (the next pass), it
 * begins the new start's cycles instead of ending.
 */
static int periodic(ua_task_t *self)
{
    htu21d_t *dev = UA_CONTAINER_OF(self, htu21d_t, task);
    int st;

    UA_BEGIN(self, &dev->co);
    dev->task_up = 1;
    st = 0;
    while (dev->state == ST_STARTED)
        UA_AWAIT_STATUS(st, cycles(self, dev));
    /* Ended by a stop: the task's status says it was cancelled. */
    if (st < 0)
        UA_THROW(st);
    UA_END();
}

int htu21d_start(htu21d_t *dev, ua_loop_t *loop)
{
    if (dev->state == ST_STARTED)
        return UA_EBUSY;
    if (!ua_task_running(&dev->task)) {
        ua_task_init(&dev->task, periodic);
        dev->co = (ua_co_t){0};
        dev->cycle_co = (ua_co_t){0};
        dev->task_up = 0;
        int st = ua_spawn(loop, &dev->task);
        if (st < 0)
            return st;
    }
    dev->state = ST_STARTED;
    return 0;
}

void htu21d_stop(htu21d_t *dev)
{
    if (dev->state != ST_STARTED)
        return;
    dev->state = ST_STOPPED;
    /* The waiters first, so that they run before the task: restarted at
     * once, it begins a measurement whose bus transfer takes time. */
    ua_event_fail_waiters(&dev->ready, HTU21D_ESTOPPED);
    ua_event_fail_waiters(&dev->update, HTU21D_ESTOPPED);
    /* A task that has not run yet is left alone: cancelled, it would
     * finish without running and a start before the next pass would have
     * no task; run, it sees the state and ends (or serves the new start). */
    if (dev->task_up)
        ua_task_cancel(&dev->task);
}

bool htu21d_stopped(const htu21d_t *dev)
{
    return dev->state != ST_STARTED && !ua_task_running(&dev->task);
}
