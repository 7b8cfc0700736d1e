/* HTU21D sensor model (see htu21d_model.h). */
#include "htu21d_model.h"

#include "ua_err.h"

#define MS 1000000ull

void htu21d_model_init(htu21d_model_t *m, uint8_t address)
{
    *m = (htu21d_model_t){0};
    m->address = address;
    m->temp_centi = 2000;
    m->rh_centi = 5000;
    m->user_reg = 0x02;
    m->pending = -1;
}

uint64_t htu21d_model_conversion_ns(const htu21d_model_t *m, int kind)
{
    /* Datasheet maxima by resolution bits (user register bits 7 and 0):
     * 00 RH12/T14, 01 RH8/T12, 10 RH10/T13, 11 RH11/T11. */
    static const uint8_t t_ms[4] = {50, 13, 25, 7};
    static const uint8_t rh_ms[4] = {16, 3, 5, 8};
    unsigned res = (unsigned)((m->user_reg >> 6) & 2u) | (m->user_reg & 1u);
    return (uint64_t)(kind == 0 ? t_ms[res] : rh_ms[res]) * MS;
}

static uint8_t crc8(const uint8_t *d, unsigned n)
{
    uint8_t crc = 0;
    for (unsigned i = 0; i < n; i++) {
        crc ^= d[i];
        for (int b = 0; b < 8; b++)
            crc = (uint8_t)((crc & 0x80) ? (crc << 1) ^ 0x31 : crc << 1);
    }
    return crc;
}

/* Invert the datasheet formula, rounding to the nearest word. */
static uint16_t to_raw(int32_t centi, int32_t offset, int64_t scale)
{
    int64_t num = ((int64_t)centi - offset) * 65536;
    int64_t raw = (num + scale / 2) / scale;
    if (num < 0)
        raw = 0;
    if (raw > 0xFFFC)
        raw = 0xFFFC;
    return (uint16_t)raw;
}

uint16_t htu21d_model_raw(const htu21d_model_t *m, int kind)
{
    if (kind == 0)
        return to_raw(m->temp_centi, -4685, 17572) & 0xFFFC;
    return (uint16_t)((to_raw(m->rh_centi, -600, 12500) & 0xFFFC) | 0x02);
}

static bool converting(const htu21d_model_t *m, uint64_t t_ns)
{
    return m->pending >= 0 && t_ns < m->ready_at;
}

/* Latch a finished conversion into the output register. */
static void latch(htu21d_model_t *m)
{
    uint16_t raw = htu21d_model_raw(m, m->pending);

    if (m->fault_kind > 0) {
        m->fault_kind--;
        raw ^= 0x02;
    }
    m->out[0] = (uint8_t)(raw >> 8);
    m->out[1] = (uint8_t)raw;
    m->out[2] = crc8(m->out, 2);
    if (m->fault_crc > 0) {
        m->fault_crc--;
        m->out[2] ^= 0x01;
    }
    m->pending = -1;
    m->have_result = true;
}

int htu21d_model_on_start(htu21d_model_t *m, uint64_t t_ns, int is_read)
{
    if (m->fault_nack != 0 || t_ns < m->reset_until) {
        if (m->fault_nack > 0)
            m->fault_nack--;
        m->nacked++;
        return 1;
    }
    m->in_read = is_read != 0;
    m->out_pos = 0;
    if (!is_read) {
        m->cmd = 0;
        m->nbytes = 0;
        return 0;
    }
    if (m->want_user_reg) {
        m->out[0] = m->user_reg;
        m->out_len = 1;
        return 0;
    }
    if (converting(m, t_ns)) {
        m->early_reads++;
        return 1;
    }
    if (m->pending >= 0)
        latch(m);
    if (!m->have_result) {
        m->empty_reads++;
        return 1;
    }
    m->out_len = 3;
    return 0;
}

static int command(htu21d_model_t *m, uint64_t t_ns, uint8_t cmd)
{
    switch (cmd) {
    case 0xF3:
    case 0xF5:
        m->pending = cmd == 0xF3 ? 0 : 1;
        m->have_result = false;
        m->ready_at = m->fault_stuck
                          ? HTU21D_MODEL_NEVER
                          : t_ns + htu21d_model_conversion_ns(m, m->pending) +
                                m->fault_slow_ns;
        m->conversions++;
        return 0;
    case 0xE7:
        m->want_user_reg = true;
        return 0;
    case 0xE6:
        return 0;
    case 0xFE:
        /* Device state only: the environment and the faults stay. */
        m->user_reg = 0x02;
        m->pending = -1;
        m->have_result = false;
        m->want_user_reg = false;
        m->reset_until = t_ns + 15 * MS;
        m->resets++;
        return 0;
    default:
        m->bad_commands++;
        return 1;
    }
}

int htu21d_model_on_write(htu21d_model_t *m, uint64_t t_ns, uint8_t byte)
{
    m->nbytes++;
    if (m->nbytes == 1) {
        m->cmd = byte;
        if (byte != 0xE7)
            m->want_user_reg = false;
        return command(m, t_ns, byte);
    }
    if (m->cmd == 0xE6 && m->nbytes == 2) {
        /* Bits 3..5 are reserved and keep their value. */
        m->user_reg = (uint8_t)((byte & 0xC7) | (m->user_reg & 0x38));
        return 0;
    }
    return 1;
}

uint8_t htu21d_model_on_read(htu21d_model_t *m, uint64_t t_ns)
{
    (void)t_ns;
    if (m->out_pos >= m->out_len)
        return 0xFF; /* the bus floats high past the end */
    return m->out[m->out_pos++];
}

void htu21d_model_on_stop(htu21d_model_t *m, uint64_t t_ns)
{
    (void)t_ns;
    if (m->in_read) {
        if (m->want_user_reg)
            m->want_user_reg = false;
        else if (m->out_pos > 0 && m->have_result) {
            m->have_result = false;
            m->results_read++;
        }
    }
    m->in_read = false;
}

int htu21d_model_transfer(htu21d_model_t *m, uint64_t t_ns, uint64_t byte_ns,
                          uint8_t addr, const uint8_t *wr, size_t wn,
                          uint8_t *rd, size_t rn, size_t *clocked)
{
    size_t n = 0; /* bytes clocked so far (address bytes included) */
    int st = 0;

    if (addr != m->address) {
        st = UA_ENODEV;
        n = 1;
        goto out;
    }
    if (wn > 0) {
        if (htu21d_model_on_start(m, t_ns + n++ * byte_ns, 0) != 0) {
            st = UA_ENODEV;
            goto stop;
        }
        for (size_t i = 0; i < wn; i++)
            if (htu21d_model_on_write(m, t_ns + n++ * byte_ns, wr[i]) != 0) {
                st = UA_EIO;
                goto stop;
            }
    }
    if (rn > 0) {
        if (htu21d_model_on_start(m, t_ns + n++ * byte_ns, 1) != 0) {
            st = UA_ENODEV;
            goto stop;
        }
        for (size_t i = 0; i < rn; i++)
            rd[i] = htu21d_model_on_read(m, t_ns + n++ * byte_ns);
    }
stop:
    htu21d_model_on_stop(m, t_ns + n * byte_ns);
out:
    if (clocked != NULL)
        *clocked = n;
    return st;
}

/* --- Simulator wiring ------------------------------------------------------ */

static int sim_on_start(void *ctx, int is_read)
{
    htu21d_sim_model_t *s = ctx;
    return htu21d_model_on_start(&s->model, sim_now(s->sim), is_read);
}

static int sim_on_write(void *ctx, uint8_t byte)
{
    htu21d_sim_model_t *s = ctx;
    return htu21d_model_on_write(&s->model, sim_now(s->sim), byte);
}

static uint8_t sim_on_read(void *ctx)
{
    htu21d_sim_model_t *s = ctx;
    return htu21d_model_on_read(&s->model, sim_now(s->sim));
}

static void sim_on_stop(void *ctx)
{
    htu21d_sim_model_t *s = ctx;
    htu21d_model_on_stop(&s->model, sim_now(s->sim));
}

int htu21d_model_attach(htu21d_sim_model_t *s, sim_t *sim, sim_i2c_t *bus,
                        uint8_t address)
{
    htu21d_model_init(&s->model, address);
    s->sim = sim;
    s->slave = (sim_i2c_slave_t){.addr = address,
                                 .ctx = s,
                                 .on_start = sim_on_start,
                                 .on_write = sim_on_write,
                                 .on_read = sim_on_read,
                                 .on_stop = sim_on_stop};
    return sim_i2c_attach(bus, &s->slave);
}
