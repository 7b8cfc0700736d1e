/*
 * I2C master and slave models: bus time, clock stretching, NACK and stuck
 * bus faults.
 */
#include "simtest.h"

typedef struct reg_slave {
    sim_i2c_slave_t s;
    sim_i2c_t *bus;
    uint8_t reg, regs[4];
    uint64_t stretch;
    int writes;
} reg_slave_t;

static int rs_write(void *ctx, uint8_t b)
{
    reg_slave_t *r = ctx;
    if (r->writes++ == 0)
        r->reg = b & 3;
    else
        r->regs[r->reg++ & 3] = b;
    return 0;
}

static uint8_t rs_read(void *ctx)
{
    reg_slave_t *r = ctx;
    if (r->stretch)
        sim_i2c_stretch(r->bus, r->stretch);
    return r->regs[r->reg++ & 3];
}

static void rs_stop(void *ctx) { ((reg_slave_t *)ctx)->writes = 0; }

static int xfer_task(ua_task_t *self)
{
    st_task_t *t = ST(self);
    ua_i2c_t *bus = t->p;
    uint8_t wr[3] = {1, 0xAB, 0xCD}, rd[2];
    int rc;
    UA_BEGIN(self, &t->co);
    /* Each transfer advances virtual time: make the call, then read the
     * clock, in two statements.  As two arguments of one call their order
     * is unspecified (gcc happened to run the transfer first, clang reads
     * the clock first), and the times asserted are the transfers' ends. */
    rc = ua_i2c_write(bus, 0x40, wr, 3);
    st_add(sim_now(t->sim), "w", rc);
    wr[0] = 1;
    rc = ua_i2c_transfer(bus, 0x40, wr, 1, rd, 2);
    st_add(sim_now(t->sim), "wr", rc);
    st_add(sim_now(t->sim), "val", rd[0] << 8 | rd[1]);
    rc = ua_i2c_read(bus, 0x41, rd, 1);
    st_add(sim_now(t->sim), "nodev", rc);
    UA_END();
}

static void transfers_take_bus_time(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);
    reg_slave_t r = {.s = {.addr = 0x40, .on_write = rs_write,
                           .on_read = rs_read, .on_stop = rs_stop}};
    r.s.ctx = &r;
    r.bus = bus;
    assert_int_equal(sim_i2c_attach(bus, &r.s), 0);
    assert_int_equal(sim_i2c_attach(bus, &r.s), UA_EBUSY);
    st_task_t t;
    st_reset();
    st_spawn(b, &t, xfer_task, "i2c", 0, 0, sim_i2c_hw(bus));
    sim_run_until(sim, SIM_S);
    /* 10 us bits: write = start + 4 bytes * 9 + stop = 38 bits;
     * write-read = start + 2*9 + rstart + 3*9 + stop = 48 bits;
     * NACKed address = start + 9 + stop = 11 bits; before each START that
     * follows a STOP, the bus free time tBUF of standard mode: 4.7 us. */
    ST_EXPECT({380 * SIM_US, "w", 0}, {864700, "wr", 0},
              {864700, "val", 0xABCD}, {979400, "nodev", UA_ENODEV});
    assert_int_equal(sim_i2c_transfers(bus), 3);
    assert_int_equal(sim_i2c_failures(bus), 1);
    sim_free(sim);
}

static int one_read(ua_task_t *self)
{
    st_task_t *t = ST(self);
    uint8_t rd[1];
    int rc;
    UA_BEGIN(self, &t->co);
    for (t->i = 0; t->i < t->a; t->i++) {
        rc = ua_i2c_read(t->p, 0x40, rd, 1); /* then the clock: see xfer_task */
        st_add(sim_now(t->sim), "rd", rc);
    }
    UA_END();
}

static void stretching_and_faults(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);
    reg_slave_t r = {.s = {.addr = 0x40, .on_read = rs_read}};
    r.s.ctx = &r;
    r.bus = bus;
    r.stretch = 50 * SIM_US;
    sim_i2c_attach(bus, &r.s);
    sim_i2c_set_timeout(bus, SIM_MS);
    sim_i2c_inject(bus, SIM_I2C_OK, 0);
    st_task_t t;
    st_reset();
    st_spawn(b, &t, one_read, "rd", 1, 0, sim_i2c_hw(bus));
    sim_run_until(sim, SIM_S);
    /* start + addr + byte + stop = 20 bits + 50 us stretch */
    ST_EXPECT({250 * SIM_US, "rd", 0});

    st_reset();
    r.stretch = 0;
    sim_i2c_inject(bus, SIM_I2C_NACK_ADDR, 1);
    st_spawn(b, &t, one_read, "rd", 1, 0, sim_i2c_hw(bus));
    sim_run_until(sim, 2 * SIM_S);
    sim_i2c_inject(bus, SIM_I2C_STUCK, 1);
    st_spawn(b, &t, one_read, "rd", 1, 0, sim_i2c_hw(bus));
    sim_run_until(sim, 3 * SIM_S);
    r.stretch = 2 * SIM_MS;
    st_spawn(b, &t, one_read, "rd", 1, 0, sim_i2c_hw(bus));
    sim_run_until(sim, 4 * SIM_S);
    ST_EXPECT({SIM_S + 110 * SIM_US, "rd", UA_ENODEV},
              {2 * SIM_S + SIM_MS, "rd", UA_ETIMEDOUT},
              {3 * SIM_S + 110 * SIM_US + SIM_MS, "rd", UA_ETIMEDOUT});
    /* (start, address, 1 ms timeout while stretched, then STOP) */
    sim_free(sim);
}

/* Two back-to-back writes, then one after a pause longer than tBUF. */
static int free_time_task(ua_task_t *self)
{
    st_task_t *t = ST(self);
    uint8_t wr[1] = {0};
    UA_BEGIN(self, &t->co);
    ua_i2c_write(t->p, 0x40, wr, 1);
    ua_i2c_write(t->p, 0x40, wr, 1);
    UA_AWAIT(ua_sleep_ms(self, 1));
    ua_i2c_write(t->p, 0x40, wr, 1);
    UA_END();
}

/* The I2C specification's bus free time between a STOP and the next START
 * (tBUF): 4.7 us up to 100 kHz, 1.3 us up to 400 kHz, 0.5 us above.  The
 * trace's STOP record marks the end of the STOP; the next START record
 * comes tBUF later when a transfer follows at once, and at once after a
 * pause longer than tBUF. */
static void stop_to_start_keeps_bus_free_time(void **state)
{
    (void)state;
    static const struct { uint32_t hz; uint64_t tbuf; } modes[] = {
        {100000, 4700}, {400000, 1300}, {1000000, 500}};
    for (size_t m = 0; m < 3; m++) {
        sim_t *sim = sim_new(1);
        sim_board_t *b = sim_board_new(sim, "b0", 0);
        sim_i2c_t *bus = sim_board_i2c(b, 0, modes[m].hz);
        reg_slave_t r = {.s = {.addr = 0x40, .on_write = rs_write,
                               .on_read = rs_read, .on_stop = rs_stop}};
        r.s.ctx = &r;
        r.bus = bus;
        assert_int_equal(sim_i2c_attach(bus, &r.s), 0);
        st_task_t t;
        st_spawn(b, &t, free_time_task, "i2c", 0, 0, sim_i2c_hw(bus));
        sim_run_until(sim, 10 * SIM_MS);
        uint64_t start[3], stop[3];
        size_t ns = 0, np = 0;
        for (size_t i = 0; i < sim_trace_count(sim); i++) {
            const sim_trace_rec_t *rec = sim_trace_get(sim, i);
            if (rec->kind == SIM_TR_I2C_START && ns < 3)
                start[ns++] = rec->t_ns;
            else if (rec->kind == SIM_TR_I2C_STOP && np < 3)
                stop[np++] = rec->t_ns;
        }
        assert_int_equal(ns, 3);
        assert_int_equal(np, 3);
        uint64_t bit = SIM_S / modes[m].hz;
        assert_int_equal(stop[0], start[0] + 20 * bit); /* start, 2 x 9, stop */
        assert_int_equal(start[1], stop[0] + modes[m].tbuf);
        assert_true(start[2] > stop[1] + modes[m].tbuf);
        sim_free(sim);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transfers_take_bus_time),
        cmocka_unit_test(stretching_and_faults),
        cmocka_unit_test(stop_to_start_keeps_bus_free_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
