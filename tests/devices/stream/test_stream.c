/*
 * Stream I/O on a simulated UART at 115200 baud (one byte = 86805 ns):
 * read, readexactly, readline (too-long lines), timeouts, write longer than
 * the FIFO and drain, a reader and a writer at once, one reader only, and
 * the exact echo latencies with and without the I/O-priority lane.
 */
#include "simtest.h"

#include "echo_rig.h"
#include "stream.h"

#define FRAME 86805ull /* 10 bit times at 115200 baud, ns */

typedef struct rd_task {
    ua_task_t task;
    ua_co_t co;
    sim_t *sim;
    stream_t *st;
    int mode;
    size_t n, got;
    int32_t timeout_ms;
    int status[4];
    uint8_t buf[64];
    char lines[3][16];
    int i;
} rd_task_t;

static sim_t *sim;
static sim_board_t *board;
static sim_uart_t *uart;
static stream_t st;

static void rig(void)
{
    sim = sim_new(3);
    board = sim_board_new(sim, "b", 0);
    uart = sim_board_uart(board, 0, 115200);
    sim_board_enter(board);
    memset(&st, 0, sizeof st); /* a fresh board: the last test's is gone */
    assert_int_equal(stream_init(&st, sim_uart_hw(uart)), 0);
    assert_int_equal(stream_start(&st, sim_board_loop(board)), 0);
    st_reset();
}

static void unrig(void)
{
    stream_stop(&st);
    sim_free(sim);
}

static const char *status_tag(int s)
{
    switch (s) {
    case 0:
        return "ok";
    case UA_ETIMEDOUT:
        return "timeout";
    case STREAM_ELINE:
        return "line too long";
    default:
        return "other";
    }
}

static int reader_fn(ua_task_t *self)
{
    rd_task_t *r = UA_CONTAINER_OF(self, rd_task_t, task);
    int s = 0;
    UA_BEGIN(self, &r->co);
    for (r->i = 0; r->i < 3; r->i++) {
        if (r->mode == 0)
            UA_AWAIT_STATUS(s, stream_read(self, r->st, r->buf, r->n, &r->got,
                                           r->timeout_ms));
        else if (r->mode == 1)
            UA_AWAIT_STATUS(s, stream_readexactly(self, r->st, r->buf, r->n,
                                                  &r->got, r->timeout_ms));
        else
            UA_AWAIT_STATUS(s, stream_readline(self, r->st, r->buf, r->n,
                                               &r->got, r->timeout_ms));
        r->status[r->i] = s;
        st_add(sim_now(r->sim), status_tag(s), (int64_t)r->got);
        if (r->mode == 2 && s == 0) {
            memcpy(r->lines[r->i], r->buf, sizeof r->lines[0] - 1);
            st_add(sim_now(r->sim), r->lines[r->i], 0);
        }
    }
    UA_END();
}

static void start_reader(rd_task_t *r, int mode, size_t n, int32_t timeout)
{
    memset(r, 0, sizeof *r);
    r->sim = sim;
    r->st = &st;
    r->mode = mode;
    r->n = n;
    r->timeout_ms = timeout;
    ua_task_init(&r->task, reader_fn);
    assert_int_equal(sim_spawn(board, &r->task, "reader"), 0);
}

static void read_returns_what_is_there(void **state)
{
    (void)state;
    rd_task_t r;
    rig();
    start_reader(&r, 0, 2, UA_FOREVER);
    sim_uart_feed(uart, SIM_MS, (const uint8_t *)"abc", 3);
    sim_run_until(sim, 100 * SIM_MS);
    /* Woken by each byte: 'a', 'b', then 'c'. */
    ST_EXPECT({SIM_MS + FRAME, "ok", 1}, {SIM_MS + 2 * 86805 + 1, "ok", 1},
              {SIM_MS + 260416, "ok", 1});
    unrig();
}

static void readexactly_waits_for_all_and_times_out(void **state)
{
    (void)state;
    rd_task_t r;
    rig();
    start_reader(&r, 1, 4, 10);
    sim_uart_feed(uart, SIM_MS, (const uint8_t *)"abcdef", 6);
    sim_run_until(sim, 100 * SIM_MS);
    /* "abcd" when the 4th byte lands; "ef" then a 10 ms timeout; then a
     * second timeout with nothing. */
    /* Deadlines count in whole microsecond ticks: the read that began at
     * 1.347222 ms times out at tick 11347. */
    ST_EXPECT({SIM_MS + 347222, "ok", 4},
              {11347 * SIM_US, "timeout", 2},
              {21347 * SIM_US, "timeout", 0});
    assert_memory_equal(r.buf, "ef", 2);
    unrig();
}

static void readline_reports_long_lines_and_resyncs(void **state)
{
    (void)state;
    rd_task_t r;
    rig();
    start_reader(&r, 2, 8, UA_FOREVER);
    const char *text = "hi\nthis is too long\nok\n";
    sim_uart_feed(uart, 0, (const uint8_t *)text, strlen(text));
    sim_run_until(sim, 100 * SIM_MS);
    /* Line 1 at byte 3; the long one fails at its 7th byte (buf 8 = 7 +
     * NUL); the rest up to '\n' is skipped; "ok\n" ends at byte 23. */
    ST_EXPECT({sim_uart_bits_ns(uart, 30), "ok", 3},
              {sim_uart_bits_ns(uart, 30), "hi\n", 0},
              {sim_uart_bits_ns(uart, 100), "line too long", 7},
              {sim_uart_bits_ns(uart, 230), "ok", 3},
              {sim_uart_bits_ns(uart, 230), "ok\n", 0});
    assert_int_equal(st.long_lines, 1);
    assert_int_equal(r.status[1], STREAM_ELINE);
    unrig();
}

typedef struct wr_task {
    ua_task_t task;
    ua_co_t co;
    uint8_t data[100];
    size_t sent;
} wr_task_t;

static int writer_fn(ua_task_t *self)
{
    wr_task_t *w = UA_CONTAINER_OF(self, wr_task_t, task);
    UA_BEGIN(self, &w->co);
    UA_AWAIT(ua_sleep_ms(self, 1));
    UA_AWAIT(stream_write(self, &st, w->data, sizeof w->data, &w->sent, 100));
    st_add(sim_now(sim), "written", (int64_t)w->sent);
    UA_AWAIT(stream_drain(self, &st, 100));
    st_add(sim_now(sim), "drained", 0);
    UA_END();
}

static void write_refills_fifo_and_drain_waits_for_the_wire(void **state)
{
    (void)state;
    wr_task_t w;
    rd_task_t r;
    rig();
    memset(&w, 0, sizeof w);
    for (size_t i = 0; i < sizeof w.data; i++)
        w.data[i] = (uint8_t)i;
    ua_task_init(&w.task, writer_fn);
    sim_spawn(board, &w.task, "writer");
    /* A reader blocked at the same time never holds the writer up. */
    start_reader(&r, 1, 3, UA_FOREVER);
    sim_uart_feed(uart, 20 * SIM_MS, (const uint8_t *)"xyz", 3);
    sim_run_until(sim, 100 * SIM_MS);
    /* 64 bytes fill the FIFO at 1 ms; at 1 ms + 64 frames it is empty and
     * the last 36 go in; the wire is idle 36 frames later. */
    uint64_t refill = SIM_MS + sim_uart_bits_ns(uart, 640);
    ST_EXPECT({refill, "written", 100},
              {refill + sim_uart_bits_ns(uart, 360), "drained", 0},
              {20 * SIM_MS + sim_uart_bits_ns(uart, 30), "ok", 3});
    size_t n;
    const uint8_t *cap = sim_uart_captured(uart, &n);
    assert_int_equal(n, 100);
    assert_memory_equal(cap, w.data, 100);
    unrig();
}

static void second_reader_gets_ebusy(void **state)
{
    (void)state;
    rd_task_t a, b;
    rig();
    start_reader(&a, 0, 4, 5);
    start_reader(&b, 0, 4, 5);
    sim_run_until(sim, 100 * SIM_MS);
    assert_int_equal(a.status[0], UA_ETIMEDOUT);
    assert_int_equal(b.status[0], STREAM_EBUSY);
    unrig();
}

static void echo_latency_with_and_without_io_priority(void **state)
{
    (void)state;
    /* Busy steps run back to back from t = 0, 2 ms each.  Bytes land in
     * the FIFO one frame after they are sent. */
    const uint64_t send[3] = {50 * SIM_MS, 100 * SIM_MS + 500 * SIM_US,
                              151 * SIM_MS + 900 * SIM_US};
    echo_result_t p, rr;
    echo_run(true, send, 3, &p);
    echo_run(false, send, 3, &rr);
    assert_int_equal(p.n, 3);
    assert_int_equal(rr.n, 3);
    /* Priority: the echo runs when the busy step under way ends, i.e. at
     * the next multiple of 2 ms after the byte landed. */
    for (int k = 0; k < 3; k++) {
        uint64_t landed = send[k] + FRAME;
        uint64_t next = (landed / (2 * SIM_MS) + 1) * 2 * SIM_MS;
        assert_int_equal(p.lat_ns[k], next - landed);
    }
    /* Round robin: behind every busy task of the next pass as well. */
    /* Round robin: passes of ten 2 ms steps start at 0, 20, 40 ... ms; the
     * flag is turned into a wake-up when the next pass begins and the echo
     * task queues behind all ten busy tasks of that pass.  Byte 0 lands at
     * 50.087 ms (pass 40), is seen at 60 and echoed at 80 ms; the echo step
     * costs nothing, so passes stay 20 ms apart: byte 1 (100.587) is seen
     * at 120 and echoed at 140; byte 2 (151.987) seen at 160, echoed at
     * 180. */
    assert_int_equal(rr.lat_ns[0], 80 * SIM_MS - (send[0] + FRAME));
    assert_int_equal(rr.lat_ns[1], 140 * SIM_MS - (send[1] + FRAME));
    assert_int_equal(rr.lat_ns[2], 180 * SIM_MS - (send[2] + FRAME));
    assert_true(rr.max_ns > 10 * p.max_ns);
}

/* Two reads of exactly 4 bytes, each logged with its count. */
static int two_reads_fn(ua_task_t *self)
{
    rd_task_t *r = UA_CONTAINER_OF(self, rd_task_t, task);
    int s = 0;
    UA_BEGIN(self, &r->co);
    for (r->i = 0; r->i < 2; r->i++) {
        UA_AWAIT_STATUS(s, stream_readexactly(self, r->st, r->buf, 4, &r->got,
                                              UA_FOREVER));
        st_add(sim_now(r->sim), s == 0 ? "ok" : s == STREAM_ESTOPPED
                                                    ? "stopped" : "other",
               (int64_t)r->got);
    }
    UA_END();
}

/* No flag of the stream is registered: ua_flag_init refuses one that is. */
static bool flags_released(void)
{
    ua_loop_t *loop = sim_board_loop(board);
    if (ua_flag_init(&st.rx_flag, loop) != 0 ||
        ua_flag_init(&st.tx_flag, loop) != 0)
        return false;
    ua_flag_deinit(&st.rx_flag);
    ua_flag_deinit(&st.tx_flag);
    return true;
}

/*
 * The lifecycle, 100 times with bytes arriving: in each 10 ms cycle (from
 * T) "abcd" sent at T + 1 ms completes the first read with its 4th byte,
 * "ef" at T + 2 ms half fills the second, and the stop at T + 5 ms fails
 * it then with the 2 bytes it got, interrupt off and flags unregistered.
 * Even cycles start again at once, odd ones at T + 6 ms; a read while
 * stopped is refused.
 */
static void start_stop_start_100_times(void **state)
{
    (void)state;
    static rd_task_t r;
    ua_ticks_t dl;

    rig();
    for (int i = 0; i < 100; i++) {
        uint64_t t = (uint64_t)i * 10 * SIM_MS;
        memset(&r, 0, sizeof r);
        r.sim = sim;
        r.st = &st;
        ua_task_init(&r.task, two_reads_fn);
        assert_int_equal(sim_spawn(board, &r.task, "reader"), 0);
        assert_int_equal(stream_start(&st, sim_board_loop(board)), UA_EBUSY);
        sim_uart_feed(uart, t + SIM_MS, (const uint8_t *)"abcd", 4);
        sim_uart_feed(uart, t + 2 * SIM_MS, (const uint8_t *)"ef", 2);
        sim_run_until(sim, t + 5 * SIM_MS);
        stream_stop(&st);
        stream_stop(&st); /* idempotent */
        assert_true(flags_released());
        assert_false(ua_loop_next_deadline(sim_board_loop(board), &dl));
        if (i % 2 == 0) {
            assert_int_equal(stream_start(&st, sim_board_loop(board)), 0);
            sim_run_until(sim, t + 10 * SIM_MS);
        } else {
            sim_run_until(sim, t + 6 * SIM_MS);
            assert_int_equal(stream_read(&r.task, &st, r.buf, 1, &r.got, 0),
                             STREAM_ESTOPPED);
            assert_int_equal(stream_start(&st, sim_board_loop(board)), 0);
            sim_run_until(sim, t + 10 * SIM_MS);
        }
        ST_EXPECT({t + SIM_MS + 347222, "ok", 4},
                  {t + 5 * SIM_MS, "stopped", 2});
        assert_true(ua_task_done(&r.task));
        assert_null(st.rd.owner);
        st_reset();
    }
    assert_int_equal(st.rx_bytes, 600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(read_returns_what_is_there),
        cmocka_unit_test(readexactly_waits_for_all_and_times_out),
        cmocka_unit_test(readline_reports_long_lines_and_resyncs),
        cmocka_unit_test(write_refills_fifo_and_drain_waits_for_the_wire),
        cmocka_unit_test(second_reader_gets_ebusy),
        cmocka_unit_test(echo_latency_with_and_without_io_priority),
        cmocka_unit_test(start_stop_start_100_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
