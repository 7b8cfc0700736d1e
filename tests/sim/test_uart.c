/*
 * UART model: byte times at 9600 and 115200 baud to the nanosecond, FIFO
 * overrun, framing noise, TX capture and board-to-board wiring.
 */
#include "simtest.h"

static void rx_isr(void *arg, unsigned events)
{
    st_task_t *t = arg;
    st_add(sim_now(t->sim), events & UA_UART_EV_RX ? "rx" : "err", events);
}

static void check_times(uint32_t baud)
{
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *u = sim_board_uart(b, 0, baud);
    st_task_t t = {.sim = sim};
    st_reset();
    ua_uart_set_irq(sim_uart_hw(u), UA_UART_EV_RX, rx_isr, &t);
    sim_uart_feed(u, SIM_MS, (const uint8_t *)"abc", 3);
    sim_uart_feed(u, 0, (const uint8_t *)"d", 1);     /* back to back */
    sim_uart_feed(u, 50 * SIM_MS, (const uint8_t *)"e", 1); /* new burst */
    sim_run_until(sim, SIM_S);
    /* Byte k of a burst ends at t0 + floor(10 (k+1) 1e9 / baud). */
    ST_EXPECT({SIM_MS + 10 * SIM_S / baud, "rx", 1},
              {SIM_MS + 20 * SIM_S / baud, "rx", 1},
              {SIM_MS + 30 * SIM_S / baud, "rx", 1},
              {SIM_MS + 40 * SIM_S / baud, "rx", 1},
              {50 * SIM_MS + 10 * SIM_S / baud, "rx", 1});
    uint8_t buf[8];
    assert_int_equal(ua_uart_read(sim_uart_hw(u), buf, 8), 5);
    assert_memory_equal(buf, "abcde", 5);
    sim_free(sim);
}

static void byte_times_at_9600(void **state)
{
    (void)state;
    check_times(9600);
    /* 1041666 ns per byte, 4166666 after four bytes: no drift */
    assert_int_equal(40 * SIM_S / 9600, 4166666);
}

static void byte_times_at_115200(void **state)
{
    (void)state;
    check_times(115200);
}

/* sim_uart_set_baud: the next byte takes the new time; 0 is refused. */
static void baud_change_applies_to_the_next_byte(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *u = sim_board_uart(b, 0, 9600);
    st_task_t t = {.sim = sim};
    st_reset();
    ua_uart_set_irq(sim_uart_hw(u), UA_UART_EV_RX, rx_isr, &t);
    sim_uart_feed(u, SIM_MS, (const uint8_t *)"a", 1);
    sim_run_until(sim, 10 * SIM_MS);
    assert_int_equal(sim_uart_set_baud(u, 0), UA_EINVAL);
    assert_int_equal(sim_uart_set_baud(u, 38400), 0);
    sim_uart_feed(u, 20 * SIM_MS, (const uint8_t *)"b", 1);
    sim_run_until(sim, SIM_S);
    ST_EXPECT({SIM_MS + 1041666, "rx", 1}, {20 * SIM_MS + 260416, "rx", 1});
    sim_free(sim);
}

static void overrun_and_framing_errors_are_counted(void **state)
{
    (void)state;
    sim_t *sim = sim_new(5);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *u = sim_board_uart(b, 0, 115200);
    sim_uart_set_fifo(u, 4, 4);
    sim_uart_feed(u, 0, (const uint8_t *)"0123456789", 10);
    sim_run_until(sim, SIM_S);
    assert_int_equal(sim_uart_rx_count(u), 4);
    assert_int_equal(sim_uart_overruns(u), 6);
    assert_int_equal(ua_uart_take_errors(sim_uart_hw(u)), 6);
    assert_int_equal(ua_uart_take_errors(sim_uart_hw(u)), 0);
    uint8_t buf[8];
    assert_int_equal(ua_uart_read(sim_uart_hw(u), buf, 8), 4);
    sim_uart_set_noise(u, 0, 1.0);
    sim_uart_feed(u, sim_now(sim), (const uint8_t *)"xy", 2);
    sim_run_until(sim, 2 * SIM_S);
    assert_int_equal(sim_uart_framing_errors(u), 2);
    assert_int_equal(ua_uart_rx_available(sim_uart_hw(u)), 0);
    sim_free(sim);
}

static int sender(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_us(self, 100));
    ua_uart_write(t->p, (const uint8_t *)"hi", 2);
    UA_END();
}

static void board_to_board_uart_and_capture(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *a = sim_board_new(sim, "a", 0), *b = sim_board_new(sim, "b", 0);
    sim_uart_t *ua = sim_board_uart(a, 1, 9600), *ub = sim_board_uart(b, 0, 9600);
    sim_uart_connect(ua, ub);
    st_task_t t, r = {.sim = sim};
    st_reset();
    ua_uart_set_irq(sim_uart_hw(ub), UA_UART_EV_RX, rx_isr, &r);
    st_spawn(a, &t, sender, "tx", 0, 0, sim_uart_hw(ua));
    sim_run_until(sim, SIM_S);
    ST_EXPECT({100 * SIM_US + 1041666, "rx", 1},
              {100 * SIM_US + 2083333, "rx", 1});
    size_t n;
    const uint8_t *cap = sim_uart_captured(ua, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(cap, "hi", 2);
    sim_free(sim);
}

static void nmea_file_streams_in(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/nmea/mt3339.nmea", SIM_DATA_DIR);
    FILE *f = fopen(path, "rb");
    if (f == NULL) /* tests/data is in the repository */
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *u = sim_board_uart(b, 0, 9600);
    sim_uart_set_fifo(u, (size_t)size, 16);
    assert_int_equal(sim_uart_feed_file(u, 0, path), size);
    sim_run_until(sim, 3600 * SIM_S);
    assert_int_equal(sim_uart_rx_count(u), (uint32_t)size);
    assert_int_equal(sim_uart_rx_line_pending(u), 0);
    uint8_t head[6];
    ua_uart_read(sim_uart_hw(u), head, 6);
    assert_int_equal(head[0], '$');
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(byte_times_at_9600),
        cmocka_unit_test(byte_times_at_115200),
        cmocka_unit_test(baud_change_applies_to_the_next_byte),
        cmocka_unit_test(overrun_and_framing_errors_are_counted),
        cmocka_unit_test(board_to_board_uart_and_capture),
        cmocka_unit_test(nmea_file_streams_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
