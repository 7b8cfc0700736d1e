/* NEC IR driver: glitches, a busy CPU, long and two-frame codes, the queue,
 * stop/start and the tick wrap -- all at exact virtual times. */
#include "nec_fixture.h"

#define ADDR 0x12
#define CMD 0x34

static int td(void **state)
{
    (void)state;
    nf_teardown();
    return 0;
}

static void glitches_are_removed(void **state)
{
    (void)state;
    nf_setup(0, NULL);
    nw_glitch(&nf.w, 1000, 0, 40);     /* lone spike on the idle line */
    nw_frame(&nf.w, 5000, ADDR, CMD);  /* 5 ms later: its own block time */
    nw_glitch(&nf.w, 9000, 1, 30);     /* dropout inside the leader mark */
    nw_glitch(&nf.w, 15000, 0, 50);    /* spike inside a bit space */
    fp_run_until(&nf.fp, 300000);
    NF_EXPECT({78000, CMD, ADDR});
    assert_int_equal(nec_ir_stats(&nf.ir)->glitches, 3);
}

/* A task that sleeps until at_us, then keeps the CPU for busy_us. */
typedef struct {
    ua_task_t task;
    ua_co_t co;
    int32_t at_us;
    uint32_t busy_us;
} hog_t;

static int hog_fn(ua_task_t *self)
{
    hog_t *h = UA_CONTAINER_OF(self, hog_t, task);
    UA_BEGIN(self, &h->co);
    UA_AWAIT(ua_sleep_us(self, h->at_us));
    ua_delay_us(h->busy_us);
    UA_END();
}

static hog_t hog;

static void start_hog(int32_t at_us, uint32_t busy_us)
{
    hog = (hog_t){.at_us = at_us, .busy_us = busy_us};
    ua_task_init(&hog.task, hog_fn);
    assert_int_equal(ua_spawn(&nf.loop, &hog.task), 0);
}

static void hog_30ms_still_decodes(void **state)
{
    (void)state;
    /* Hog from 0.5 ms to 30.5 ms: the decoder wakes 29.5 ms late but
     * sleeps from the first edge's tick, so it fires on time. */
    nf_setup(0, NULL);
    start_hog(500, 30000);
    nw_frame(&nf.w, 1000, ADDR, CMD);
    fp_run_until(&nf.fp, 300000);
    NF_EXPECT({74000, CMD, ADDR});

    /* Hog from 50 to 80 ms, over the decode deadline (73 ms) and the end
     * of the frame: edges keep their ticks, it decodes when the CPU is
     * free, at 80 ms exactly. */
    nf_setup(0, NULL);
    start_hog(50000, 30000);
    nw_frame(&nf.w, 0, ADDR, CMD);
    nw_repeat(&nf.w, 108000);
    fp_run_until(&nf.fp, 300000);
    NF_EXPECT({80000, CMD, ADDR}, {181000, NEC_REPEAT, ADDR});
}

static void heavy_hog_delays_but_loses_nothing(void **state)
{
    (void)state;
    /* Busy 60 -> 160 ms: the repeat at 108 ms comes before the task runs.
     * Decoding does not need the task: both wait in the ring; the frame is
     * delivered when the CPU is free, the repeat at its own block time. */
    nf_setup(0, NULL);
    start_hog(60000, 100000);
    nw_frame(&nf.w, 0, ADDR, CMD);
    nw_repeat(&nf.w, 108000);
    nw_repeat(&nf.w, 216000);
    fp_run_until(&nf.fp, 500000);
    NF_EXPECT({160000, CMD, ADDR}, {181000, NEC_REPEAT, ADDR},
              {289000, NEC_REPEAT, ADDR});
    assert_int_equal(nec_ir_error_count(&nf.ir, NEC_OVERRUN), 0);

    /* Busy 10 -> 300 ms: frame and two repeats, all delivered at 300 ms,
     * in order; the next repeat on time. */
    nf_setup(0, NULL);
    start_hog(10000, 290000);
    nw_frame(&nf.w, 0, ADDR, CMD);
    for (int i = 1; i <= 3; i++)
        nw_repeat(&nf.w, 108000u * i);
    fp_run_until(&nf.fp, 600000);
    NF_EXPECT({300000, CMD, ADDR}, {300000, NEC_REPEAT, ADDR},
              {300000, NEC_REPEAT, ADDR}, {397000, NEC_REPEAT, ADDR});
    assert_int_equal(nec_ir_stats(&nf.ir)->repeats, 3);
}

static void ring_full_reports_overrun(void **state)
{
    (void)state;
    /* Busy 0.5 -> 500 ms while 20 noise pulses (one each 20 ms) give 20
     * errors: NEC_IR_RING of them wait for the task, the other 12 are
     * lost -- counted exactly, reported once, with the first lost tick. */
    nf_setup(0, NULL);
    start_hog(500, 499500);
    for (int i = 0; i < 20; i++)
        nw_glitch(&nf.w, 10000u + 20000u * i, 0, 300);
    nw_frame(&nf.w, 600000, ADDR, CMD);
    fp_run_until(&nf.fp, 800000);
    assert_int_equal(nf.nrec, 1 + NEC_IR_RING + 1);
    assert_int_equal(nf.rec[0].data, NEC_OVERRUN);
    assert_int_equal(nf.rec[0].t_us, 500000);
    assert_int_equal(nf.rec[0].t, 10000u + 20000u * NEC_IR_RING);
    for (int i = 0; i < NEC_IR_RING; i++) {
        assert_int_equal(nf.rec[1 + i].data, NEC_BADLEADER);
        assert_int_equal(nf.rec[1 + i].t_us, 500000);
        assert_int_equal(nf.rec[1 + i].t, 10000u + 20000u * i);
    }
    assert_int_equal(nf.rec[NEC_IR_RING + 1].t_us, 673000);
    assert_int_equal(nf.rec[NEC_IR_RING + 1].data, CMD);
    assert_int_equal(nec_ir_error_count(&nf.ir, NEC_OVERRUN),
                     20 - NEC_IR_RING);
    assert_int_equal(nec_ir_error_count(&nf.ir, NEC_BADLEADER), NEC_IR_RING);
}

/* The test: noise must not blind the decoder. */
static void noise_then_frame_decodes(void **state)
{
    (void)state;
    static const uint32_t after[] = {2000, 20000, 40000, 60000};
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
        nf_setup(0, NULL);
        nw_glitch(&nf.w, 1000, 0, 300); /* 300 us of noise */
        nw_frame(&nf.w, 1000 + after[i], ADDR, CMD);
        fp_run_until(&nf.fp, 300000);
        /* The pulse is known for noise when the leader's edge confirms
         * its end; the frame then decodes on its own block time. */
        NF_EXPECT({1000 + after[i], NEC_BADLEADER, 0},
                  {1000 + after[i] + 73000, CMD, ADDR});
    }
}

static void repeat_then_new_frame_decodes(void **state)
{
    (void)state;
    nf_setup(0, NULL);
    nw_frame(&nf.w, 0, ADDR, CMD);
    nw_repeat(&nf.w, 108000);
    nw_frame(&nf.w, 158000, ADDR, 0x56); /* 50 ms after the repeat */
    fp_run_until(&nf.fp, 400000);
    NF_EXPECT({73000, CMD, ADDR}, {181000, NEC_REPEAT, ADDR},
              {231000, 0x56, ADDR});
}

static void leader_inside_a_frame_starts_a_new_one(void **state)
{
    (void)state;
    int32_t dur[NW_MAX_DUR];
    nw_frame_durations(dur, ADDR, CMD);
    nf_setup(0, NULL);
    /* 9 bits of a frame, cut by 1 ms of space and a whole new frame. */
    uint64_t end = nw_send(&nf.w, 0, dur, 21);
    uint64_t t = end + 1000;
    nw_frame(&nf.w, t, ADDR, 0x77);
    fp_run_until(&nf.fp, 300000);
    /* The 9 ms mark is no bit mark: the first fails when its end is
     * confirmed (at the next edge), and it is the next one's leader. */
    NF_EXPECT({t + 9000 + 4500, NEC_BADBLOCK, 0}, {t + 73000, 0x77, ADDR});
}

static void longer_code_reports_all_its_bits(void **state)
{
    (void)state;
    int32_t dur[NW_MAX_DUR];
    nf_setup(0, NULL);
    /* 48 bits: addr ~addr cmd ~cmd cmd ~cmd, as some fan remotes send. */
    uint32_t raw = 0x01 | 0xFEu << 8 | 0x03u << 16 | 0xFCu << 24;
    int n = nw_raw_durations(dur, raw);
    for (int b = 0; b < 16; b++) {
        int one = (0xFC03 >> b) & 1;
        dur[n - 1 + 2 * b + 1] = one ? 1687 : 562;
        dur[n - 1 + 2 * b + 2] = 562;
    }
    n += 32;
    uint64_t end = nw_send(&nf.w, 0, dur, n);
    nw_repeat(&nf.w, end + 13700);
    fp_run_until(&nf.fp, 400000);
    /* Still sending at the block time: delivered once its end is certain
     * (no bit space is longer than NEC_BIT_SPACE_MAX). */
    NF_EXPECT({end + NEC_BIT_SPACE_MAX + 1, 0x03, 0x01},
              {end + 13700 + 73000, NEC_REPEAT, 0x01});
    assert_int_equal(nf.rec[0].bits, 48);
    assert_int_equal(nf.rec[0].raw, raw);
    assert_int_equal(nf.rec[0].more, 0xFC03);
    assert_int_equal(nf.rec[1].bits, 0);
    assert_int_equal(nec_ir_stats(&nf.ir)->long_frames, 1);
}

static void two_frame_code(void **state)
{
    (void)state;
    nf_setup(0, NULL);
    nw_frame(&nf.w, 0, 0xA3, 0x91);
    nw_frame(&nf.w, 89464, 0xAF, 0x60);
    fp_run_until(&nf.fp, 400000);
    NF_EXPECT({73000, 0x91, 0xA3}, {162464, 0x60, 0xAF});
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    nec_ir_result_t r;
    int got;
} reader_t;

static reader_t reader;

static int reader_fn(ua_task_t *self)
{
    reader_t *rd = UA_CONTAINER_OF(self, reader_t, task);
    UA_BEGIN(self, &rd->co);
    for (;;) {
        UA_AWAIT(nec_ir_get(self, &nf.ir, &rd->r, UA_FOREVER));
        rd->got++;
        assert_int_equal(rd->r.addr, ADDR);
        assert_int_equal(rd->r.cmd, CMD);
        assert_int_equal(rd->r.data, rd->got == 1 ? CMD : NEC_REPEAT);
        assert_int_equal(rd->r.t, 108000u * (rd->got - 1));
    }
    UA_END();
}

static void queue_awaitable_and_drops(void **state)
{
    (void)state;
    nec_ir_config_t c = nec_ir_config_default();
    c.use_queue = true;
    nf_setup(0, &c);
    reader = (reader_t){0};
    ua_task_init(&reader.task, reader_fn);
    ua_spawn(&nf.loop, &reader.task);
    nw_frame(&nf.w, 0, ADDR, CMD);
    for (int i = 1; i <= 2; i++)
        nw_repeat(&nf.w, 108000u * i);
    fp_run_until(&nf.fp, 400000);
    assert_int_equal(reader.got, 3);
    ua_task_cancel(&reader.task);
    fp_run_until(&nf.fp, 400001);
    /* Nobody reading: the queue holds 4, further results are counted. */
    for (int i = 0; i < 6; i++)
        nw_frame(&nf.w, 500000u + 200000u * i, ADDR, CMD);
    fp_run_until(&nf.fp, 2000000);
    assert_int_equal(nec_ir_stats(&nf.ir)->queue_drops, 2);
    assert_int_equal(nf.nrec, 9); /* the callback still saw all */
}

static void stop_and_start(void **state)
{
    (void)state;
    nf_setup(0, NULL);
    nec_ir_stop(&nf.ir);
    nec_ir_stop(&nf.ir); /* idempotent */
    fp_run_until(&nf.fp, 1);
    assert_true(nec_ir_stopped(&nf.ir));
    nw_frame(&nf.w, 1000, ADDR, CMD);      /* interrupt off: unseen */
    fp_run_until(&nf.fp, 200000);
    assert_int_equal(nf.nrec, 0);
    assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), 0);
    assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), UA_EBUSY);
    nw_frame(&nf.w, 300000, ADDR, CMD);
    fp_run_until(&nf.fp, 500000);
    NF_EXPECT({373000, CMD, ADDR});
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    nec_ir_result_t r;
    int st[2];
    uint64_t t[2];
    int i;
} getter_t;

/* Two gets; the time and status of each. */
static int getter_fn(ua_task_t *self)
{
    getter_t *g = UA_CONTAINER_OF(self, getter_t, task);
    UA_BEGIN(self, &g->co);
    for (g->i = 0; g->i < 2; g->i++) {
        UA_AWAIT_STATUS(g->st[g->i], nec_ir_get(self, &nf.ir, &g->r, UA_FOREVER));
        g->t[g->i] = nf.vp.now_us;
    }
    UA_END();
}

/* No flag of the driver is registered: ua_flag_init refuses one that is. */
static bool flag_released(void)
{
    if (ua_flag_init(&nf.ir.flag, &nf.loop) != 0)
        return false;
    ua_flag_deinit(&nf.ir.flag);
    return true;
}

/*
 * The lifecycle, 100 times with frames on the line: in each cycle (from T)
 * a frame sent at T is delivered at T + 73 ms, to the callback and to a
 * task's first get; the stop at T + 150 ms fails its second get then,
 * disables the interrupt, unregisters the flag and leaves no deadline.  A
 * frame sent at T + 160 ms is decoded at T + 233 ms in even cycles, which
 * start again at once (the decoder task, still finishing its cancellation,
 * serves the new start), and unseen in odd ones, which start at T + 300 ms
 * once the loop is quiet.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    static getter_t g;
    nec_ir_config_t c = nec_ir_config_default();
    ua_ticks_t dl;
    uint64_t t = 0;

    c.use_queue = true;
    nf_setup(0, &c);
    for (int i = 0; i < 100; i++) {
        size_t n0 = nf.nrec;
        g = (getter_t){0};
        ua_task_init(&g.task, getter_fn);
        ua_spawn(&nf.loop, &g.task);
        assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), UA_EBUSY);
        nw_frame(&nf.w, t, ADDR, CMD);
        fp_run_until(&nf.fp, t + 150000);
        nec_ir_stop(&nf.ir);
        nec_ir_stop(&nf.ir);
        assert_true(flag_released());
        assert_false(ua_loop_next_deadline(&nf.loop, &dl));
        nw_frame(&nf.w, t + 160000, ADDR, CMD);
        if (i % 2 == 0) {
            assert_true(ua_task_running(&nf.ir.task)); /* still finishing */
            assert_false(nec_ir_stopped(&nf.ir));
            assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), 0);
            fp_run_until(&nf.fp, t + 300000);
            assert_int_equal(nf.nrec, n0 + 2);
            assert_int_equal(nf.rec[n0 + 1].t_us, t + 233000);
            assert_int_equal(nf.rec[n0 + 1].data, CMD);
            /* Nobody reads the queue now: empty it for the next cycle. */
            nec_ir_result_t r;
            assert_int_equal(ua_queue_get_nowait(&nf.ir.queue, &r), 0);
        } else {
            fp_run_until(&nf.fp, t + 300000);
            assert_true(nec_ir_stopped(&nf.ir));
            assert_int_equal(nf.nrec, n0 + 1);
            assert_false(ua_loop_next_deadline(&nf.loop, &dl));
            assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), 0);
        }
        assert_int_equal(nf.rec[n0].t_us, t + 73000);
        assert_int_equal(nf.rec[n0].data, CMD);
        assert_int_equal(g.st[0], 0);
        assert_int_equal(g.t[0], t + 73000);
        assert_int_equal(g.st[1], NEC_ESTOPPED);
        assert_int_equal(g.t[1], t + 150000);
        assert_true(ua_task_done(&g.task));
        t += 300000;
    }
    assert_int_equal(nec_ir_stats(&nf.ir)->frames, 150);
    nec_ir_stop(&nf.ir);
    fp_run_until(&nf.fp, t + 1000);
    assert_true(nec_ir_stopped(&nf.ir));
}

static void across_tick_wrap(void **state)
{
    (void)state;
    nf_setup(0xFFFFFFFFu - 30000u, NULL); /* wraps inside the frame */
    nw_frame(&nf.w, 0, ADDR, CMD);
    nw_repeat(&nf.w, 108000);
    fp_run_until(&nf.fp, 300000);
    NF_EXPECT({73000, CMD, ADDR}, {181000, NEC_REPEAT, ADDR});
}

/* A line that goes low after junk and stays low (a receiver fault) is
 * still reported, at the block time after the fall. */
static void line_stuck_low_is_reported(void **state)
{
    (void)state;
    nf_setup(0, NULL);
    nw_glitch(&nf.w, 1000, 0, 300);  /* junk ... */
    fp_at(&nf.fp, 20000, 0);         /* ... then low for ever */
    fp_run_until(&nf.fp, 400000);
    NF_EXPECT({20000, NEC_BADLEADER, 0}, {93000, NEC_BADLEADER, 0});
    /* the same after junk the task has already seen */
    nf_setup(0, NULL);
    nw_glitch(&nf.w, 1000, 0, 300);
    fp_at(&nf.fp, 100000, 0);
    fp_run_until(&nf.fp, 400000);
    NF_EXPECT({74000, NEC_BADLEADER, 0}, {173000, NEC_BADLEADER, 0});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(glitches_are_removed, td),
        cmocka_unit_test_teardown(hog_30ms_still_decodes, td),
        cmocka_unit_test_teardown(heavy_hog_delays_but_loses_nothing, td),
        cmocka_unit_test_teardown(ring_full_reports_overrun, td),
        cmocka_unit_test_teardown(noise_then_frame_decodes, td),
        cmocka_unit_test_teardown(repeat_then_new_frame_decodes, td),
        cmocka_unit_test_teardown(leader_inside_a_frame_starts_a_new_one, td),
        cmocka_unit_test_teardown(longer_code_reports_all_its_bits, td),
        cmocka_unit_test_teardown(two_frame_code, td),
        cmocka_unit_test_teardown(queue_awaitable_and_drops, td),
        cmocka_unit_test_teardown(stop_and_start, td),
        cmocka_unit_test_teardown(start_stop_start_100_times, td),
        cmocka_unit_test_teardown(across_tick_wrap, td),
        cmocka_unit_test_teardown(line_stuck_low_is_reported, td),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
