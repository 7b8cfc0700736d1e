/*
 * Board-side I2C slave peripheral (see sim_i2cs.h): a sim_i2c_slave_t
 * model on the master's bus whose handlers call the slave board's driver.
 */
#include "sim_i2cs.h"
#include "sim_internal.h"

/* IRQ source kind in traces (sim_trace.h numbers pins 1, UARTs 2). */
#define SIM_SRC_I2C_SLAVE 3u

struct sim_i2cs {
    ua_i2c_slave_t hw;
    sim_i2c_slave_t model;
    sim_board_t *board;
    sim_i2c_t *bus;
    uint32_t id;
    bool attached, listening;
    const ua_i2c_slave_cbs_t *cbs;
    void *arg;
    uint32_t transactions, nacks;
};

/* Run one driver callback as an interrupt of the slave board. */
#define AS_IRQ(s, call)                                                        \
    do {                                                                       \
        ua_loop_t *saved__ = sim__irq_begin((s)->board, SIM_SRC_I2C_SLAVE, (s)->id); \
        call;                                                                  \
        hold_for_flags(s);                                                     \
        sim__irq_end((s)->board, saved__, SIM_SRC_I2C_SLAVE, (s)->id);               \
    } while (0)

static void hold_for_flags(sim_i2cs_t *s)
{
    sim_board_t *b = s->board;
    uint64_t t = sim__now(b->sim);
    if (ua_loop_flag_pending(&b->loop) && b->busy_until < t)
        b->busy_until = t;
}

static int h_start(void *ctx, int is_read)
{
    sim_i2cs_t *s = ctx;
    int r = 1;
    s->transactions++;
    if (!s->listening || s->cbs == NULL) {
        s->nacks++;
        return 1;
    }
    if (s->cbs->on_start == NULL)
        return 0;
    AS_IRQ(s, r = s->cbs->on_start(s->arg, is_read));
    if (r != 0)
        s->nacks++;
    return r;
}

static int h_write(void *ctx, uint8_t byte)
{
    sim_i2cs_t *s = ctx;
    int r = 0;
    if (!s->listening || s->cbs == NULL)
        return 1;
    if (s->cbs->on_rx != NULL)
        AS_IRQ(s, r = s->cbs->on_rx(s->arg, byte));
    return r;
}

static uint8_t h_read(void *ctx)
{
    sim_i2cs_t *s = ctx;
    uint8_t v = 0xFF;
    if (s->listening && s->cbs != NULL && s->cbs->on_tx != NULL)
        AS_IRQ(s, v = s->cbs->on_tx(s->arg));
    return v;
}

static void stop_event(sim_t *sim, void *arg, uint64_t data)
{
    (void)data;
    sim_i2cs_t *s = arg;
    if (!s->listening || s->cbs == NULL || s->cbs->on_stop == NULL)
        return;
    ua_ticks_t when = sim__board_tick_at(s->board, sim->now);
    AS_IRQ(s, s->cbs->on_stop(s->arg, when));
}

/* The bus calls this before charging the STOP's bit time. */
static void h_stop(void *ctx)
{
    sim_i2cs_t *s = ctx;
    sim_at(s->board->sim, sim__now(s->board->sim), stop_event, s, 0);
}

static int op_listen(ua_i2c_slave_t *hw, uint8_t addr,
                     const ua_i2c_slave_cbs_t *cbs, void *arg)
{
    sim_i2cs_t *s = hw->ctx;
    if (addr > 0x7F || cbs == NULL)
        return UA_EINVAL;
    if (s->attached && s->model.addr != addr)
        return UA_EBUSY; /* the bus model cannot move a slave */
    if (!s->attached) {
        s->model.addr = addr;
        int r = sim_i2c_attach(s->bus, &s->model);
        if (r < 0)
            return r;
        s->attached = true;
    }
    s->cbs = cbs;
    s->arg = arg;
    s->listening = true;
    return 0;
}

static void op_unlisten(ua_i2c_slave_t *hw)
{
    sim_i2cs_t *s = hw->ctx;
    s->listening = false;
}

static const struct ua_i2c_slave_ops slave_ops = {op_listen, op_unlisten};

sim_i2cs_t *sim_board_i2c_slave(sim_board_t *b, unsigned n, sim_i2c_t *bus)
{
    sim_i2cs_t *s = sim__own(b->sim, sizeof *s);
    s->hw.ops = &slave_ops;
    s->hw.ctx = s;
    s->hw.id = n;
    s->board = b;
    s->bus = bus;
    s->id = sim_i2c_id(bus);
    s->model.ctx = s;
    s->model.on_start = h_start;
    s->model.on_write = h_write;
    s->model.on_read = h_read;
    s->model.on_stop = h_stop;
    return s;
}

ua_i2c_slave_t *sim_i2cs_hw(sim_i2cs_t *s) { return &s->hw; }
uint32_t sim_i2cs_transactions(const sim_i2cs_t *s) { return s->transactions; }
uint32_t sim_i2cs_nacks(const sim_i2cs_t *s) { return s->nacks; }
