/*
 * I2C master for boards and the slave-model bus behind it.  A transfer runs
 * synchronously in the calling task's step; its bus time is charged as CPU
 * time, so sim_now() advances byte by byte and slave handlers see the time
 * of their byte.
 *
 * Between a STOP and the next START the bus stays free for the time the I2C
 * specification requires (tBUF: 4.7 us in standard mode up to 100 kHz,
 * 1.3 us in fast mode up to 400 kHz, 0.5 us in fast mode plus): a transfer
 * that starts sooner waits for it, as a real controller does.  Without it
 * the STOP and the next START fall on the same instant and a logic analyser
 * (sigrok's i2c decoder) cannot tell them apart.
 */
#include "sim_internal.h"

struct sim_i2c {
    ua_i2c_t hw;
    sim_t *sim;
    sim_board_t *board;
    uint32_t id;
    char *name;
    uint32_t clock_hz;
    uint64_t timeout;
    uint64_t stretch; /* requested by a handler for the current byte */
    sim_i2c_slave_t *slaves;
    int fault;
    int fault_count;
    double p_nack;
    sim_rng_t rng;
    uint32_t transfers, failures;
    uint64_t free_at; /* the bus is free for a START from this time */
};

/* tBUF, the bus free time between a STOP and a START (I2C spec, table 10). */
static uint64_t bus_free_ns(const sim_i2c_t *bus)
{
    return bus->clock_hz <= 100000 ? 4700 : bus->clock_hz <= 400000 ? 1300 : 500;
}

static uint64_t bit_ns(const sim_i2c_t *bus)
{
    return SIM_S / bus->clock_hz;
}

static void trace(sim_i2c_t *bus, unsigned kind, uint32_t arg, uint32_t arg2)
{
    if (bus->sim->tracing)
        sim__trace(bus->sim, sim__now(bus->sim), kind, bus->board->index,
                   bus->id, arg, arg2);
}

static void charge(sim_i2c_t *bus, uint64_t ns)
{
    sim__board_charge(bus->board, ns);
}

static sim_i2c_slave_t *find(sim_i2c_t *bus, uint8_t addr)
{
    for (sim_i2c_slave_t *s = bus->slaves; s; s = s->next)
        if (s->addr == addr)
            return s;
    return NULL;
}

/* One byte on the bus: trace at its start, then its 9 bit times plus any
 * stretch.  Returns UA_ETIMEDOUT if the stretch exceeds the timeout. */
static int byte_time(sim_i2c_t *bus, uint32_t arg)
{
    uint64_t s = bus->stretch;
    bus->stretch = 0;
    if (s > bus->timeout) {
        trace(bus, SIM_TR_I2C_BYTE, arg, (uint32_t)SIM_MIN(bus->timeout,
                                                             UINT32_MAX));
        charge(bus, bus->timeout);
        return UA_ETIMEDOUT;
    }
    trace(bus, SIM_TR_I2C_BYTE, arg, (uint32_t)s);
    charge(bus, 9 * bit_ns(bus) + s);
    return 0;
}

static int address(sim_i2c_t *bus, sim_i2c_slave_t *s, uint8_t addr,
                   int is_read, int fault)
{
    trace(bus, SIM_TR_I2C_START, (uint32_t)(addr << 1 | is_read),
          (uint32_t)bit_ns(bus));
    charge(bus, bit_ns(bus));
    bool ack = s != NULL && fault != SIM_I2C_NACK_ADDR;
    if (ack && s->on_start != NULL && s->on_start(s->ctx, is_read) != 0)
        ack = false;
    int st = byte_time(bus, (uint32_t)(addr << 1 | is_read) | (ack ? 0 : 0x100));
    if (st < 0)
        return st;
    return ack ? 0 : UA_ENODEV;
}

static int take_fault(sim_i2c_t *bus)
{
    if (bus->fault_count != 0) {
        if (bus->fault_count > 0)
            bus->fault_count--;
        return bus->fault;
    }
    if (bus->p_nack > 0 && sim_rng_double(&bus->rng) < bus->p_nack)
        return SIM_I2C_NACK_ADDR;
    return SIM_I2C_OK;
}

static int run(sim_i2c_t *bus, sim_i2c_slave_t *s, uint8_t addr, int fault,
               const uint8_t *wr, size_t wn, uint8_t *rd, size_t rn)
{
    int st;
    if (wn > 0 || rn == 0) {
        if ((st = address(bus, s, addr, 0, fault)) < 0)
            return st;
        for (size_t i = 0; i < wn; i++) {
            bool ack = !(i == 0 && fault == SIM_I2C_NACK_DATA);
            if (ack && s->on_write != NULL && s->on_write(s->ctx, wr[i]) != 0)
                ack = false;
            if ((st = byte_time(bus, wr[i] | (ack ? 0u : 0x100u))) < 0)
                return st;
            if (!ack)
                return UA_EIO;
        }
    }
    if (rn > 0) {
        if ((st = address(bus, s, addr, 1, fault)) < 0)
            return st;
        for (size_t i = 0; i < rn; i++) {
            rd[i] = s->on_read ? s->on_read(s->ctx) : 0xFF;
            /* The master ACKs every byte but the last. */
            uint32_t arg = rd[i] | 0x200u | (i + 1 == rn ? 0x100u : 0u);
            if ((st = byte_time(bus, arg)) < 0)
                return st;
        }
    }
    return 0;
}

static int op_transfer(ua_i2c_t *hw, uint8_t addr, const uint8_t *wr,
                       size_t wn, uint8_t *rd, size_t rn)
{
    sim_i2c_t *bus = hw->ctx;
    int st;

    if (addr > 0x7F || (wn > 0 && wr == NULL) || (rn > 0 && rd == NULL))
        return UA_EINVAL;
    bus->transfers++;
    bus->stretch = 0;
    uint64_t now = sim__now(bus->sim);
    if (now < bus->free_at)
        charge(bus, bus->free_at - now);
    int fault = take_fault(bus);
    sim_i2c_slave_t *s = find(bus, addr);
    if (fault == SIM_I2C_STUCK) {
        trace(bus, SIM_TR_I2C_START, (uint32_t)(addr << 1),
              (uint32_t)bit_ns(bus));
        charge(bus, bus->timeout);
        st = UA_ETIMEDOUT;
    } else {
        st = run(bus, s, addr, fault, wr, wn, rd, rn);
        if (s != NULL && s->on_stop != NULL)
            s->on_stop(s->ctx);
        charge(bus, bit_ns(bus));
    }
    trace(bus, SIM_TR_I2C_STOP, (uint32_t)st, 0);
    bus->free_at = sim__now(bus->sim) + bus_free_ns(bus);
    if (st < 0)
        bus->failures++;
    return st;
}

static const struct ua_i2c_ops i2c_ops = {op_transfer};

sim_i2c_t *sim_board_i2c(sim_board_t *b, unsigned n, uint32_t clock_hz)
{
    sim_i2c_t *bus = sim__vec_get(&b->buses, n);
    if (bus != NULL)
        return bus;
    char name[32];
    bus = sim__alloc(sizeof *bus);
    bus->hw.ops = &i2c_ops;
    bus->hw.ctx = bus;
    bus->sim = b->sim;
    bus->board = b;
    bus->id = (uint32_t)b->sim->buses.n;
    bus->hw.id = bus->id;
    snprintf(name, sizeof name, "i2c%u", n);
    bus->name = sim__strdup(name);
    bus->clock_hz = clock_hz ? clock_hz : 100000;
    bus->timeout = 25 * SIM_MS;
    sim_rng_stream(b->sim, 0x4932430000000000ull + bus->id, &bus->rng);
    sim__vec_push(&b->sim->buses, bus);
    sim__vec_set(&b->buses, n, bus);
    return bus;
}

void sim__i2c_free(sim_i2c_t *bus)
{
    free(bus->name);
    free(bus);
}

ua_i2c_t *sim_i2c_hw(sim_i2c_t *bus) { return &bus->hw; }
uint32_t sim_i2c_id(const sim_i2c_t *bus) { return bus->id; }
const char *sim__i2c_name(const sim_i2c_t *bus) { return bus->name; }
int sim__i2c_board(const sim_i2c_t *bus) { return (int)bus->board->index; }
uint32_t sim_i2c_transfers(const sim_i2c_t *bus) { return bus->transfers; }
uint32_t sim_i2c_failures(const sim_i2c_t *bus) { return bus->failures; }

int sim_i2c_attach(sim_i2c_t *bus, sim_i2c_slave_t *slave)
{
    if (slave->addr > 0x7F)
        return UA_EINVAL;
    if (find(bus, slave->addr) != NULL)
        return UA_EBUSY;
    slave->next = bus->slaves;
    bus->slaves = slave;
    return 0;
}

void sim_i2c_stretch(sim_i2c_t *bus, uint64_t ns)
{
    bus->stretch += ns;
}

void sim_i2c_set_timeout(sim_i2c_t *bus, uint64_t ns)
{
    bus->timeout = ns;
}

void sim_i2c_inject(sim_i2c_t *bus, int fault, int count)
{
    bus->fault = fault;
    bus->fault_count = count;
}

void sim_i2c_set_nack_prob(sim_i2c_t *bus, double p)
{
    bus->p_nack = p;
}
