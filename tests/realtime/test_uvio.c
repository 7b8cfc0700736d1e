/*
 * The libuv port's I/O: a UART on a pseudo-terminal and on a TCP socket
 * (an echo task answers what a "terminal" on the other side writes), and
 * pins driven by a command stream (a pipe standing in for stdin), with
 * edges delivered to the interrupt callback in order with their ticks.
 * Timeouts below only keep a broken build from hanging; nothing asserts
 * how fast the machine is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "ua.h"
#include "ua_uvpins.h"
#include "ua_uvport.h"
#include "ua_uvuart.h"

static ua_uvport_t port;
static ua_loop_t loop;

/* --- UART echo ------------------------------------------------------------- */

typedef struct echo {
    ua_task_t task;
    ua_co_t co;
    ua_uart_t *uart;
    ua_flag_t rx;
    size_t want, done;
    int st;
} echo_t;

static void echo_irq(void *arg, unsigned events)
{
    if (events & UA_UART_EV_RX)
        ua_flag_set(&((echo_t *)arg)->rx);
}

static int echo_fn(ua_task_t *self)
{
    echo_t *e = UA_CONTAINER_OF(self, echo_t, task);
    UA_BEGIN(self, &e->co);
    while (e->done < e->want) {
        while (ua_uart_rx_available(e->uart) > 0) {
            uint8_t b[64];
            size_t n = ua_uart_read(e->uart, b, sizeof b);
            assert_int_equal(ua_uart_write(e->uart, b, n), n);
            e->done += n;
        }
        if (e->done >= e->want)
            break;
        UA_AWAIT_STATUS(e->st, ua_flag_wait(self, &e->rx, 5000));
        if (e->st != 0)
            UA_THROW(e->st);
    }
    UA_END();
}

static void run_echo(ua_uart_t *uart, size_t want)
{
    echo_t e = {.uart = uart, .want = want};
    ua_flag_init(&e.rx, &loop);
    ua_uart_set_irq(uart, UA_UART_EV_RX, echo_irq, &e);
    ua_task_init(&e.task, echo_fn);
    assert_int_equal(ua_loop_run_until_complete(&loop, &e.task), 0);
    assert_int_equal(e.done, want);
    ua_uart_set_irq(uart, 0, NULL, NULL);
    ua_flag_deinit(&e.rx);
}

/* Read exactly n bytes from fd (the test's end), waiting at most 5 s. */
static size_t read_back(int fd, char *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            break;
        ssize_t r = read(fd, out + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

static void pty_uart_echoes(void **state)
{
    (void)state;
    static ua_uvuart_t u;
    char back[16] = {0};
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, 0), 0);
    assert_int_equal(ua_uvuart_open_pty(&u, port.uv, 1), 0);
    assert_memory_equal(ua_uvuart_path(&u), "/dev/", 5);

    /* The "terminal": the slave side, raw, like screen or a replayer. */
    int t = open(ua_uvuart_path(&u), O_RDWR | O_NOCTTY);
    assert_true(t >= 0);
    struct termios tio;
    tcgetattr(t, &tio);
    cfmakeraw(&tio);
    tcsetattr(t, TCSANOW, &tio);
    assert_int_equal(write(t, "$GPRMC\r\n", 8), 8);

    run_echo(ua_uvuart_hw(&u), 8);
    assert_int_equal(read_back(t, back, 8), 8);
    assert_memory_equal(back, "$GPRMC\r\n", 8);
    assert_int_equal(u.rx_bytes, 8);
    assert_int_equal(u.tx_bytes, 8);
    close(t);
    ua_uvuart_close(&u);
    ua_uvport_close(&port);
}

static void tcp_uart_echoes_on_loopback(void **state)
{
    (void)state;
    static ua_uvuart_t u;
    char back[16] = {0};
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, 0), 0);
    assert_int_equal(ua_uvuart_open_tcp(&u, port.uv, 2, 0), 0);
    assert_true(ua_uvuart_tcp_port(&u) != 0);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(ua_uvuart_tcp_port(&u));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(write(c, "hello", 5), 5);

    run_echo(ua_uvuart_hw(&u), 5);
    assert_int_equal(read_back(c, back, 5), 5);
    assert_memory_equal(back, "hello", 5);
    assert_int_equal(u.clients, 1);
    close(c);
    ua_uvuart_close(&u);
    ua_uvport_close(&port);
}

static void tcp_uart_without_client_drops_and_counts(void **state)
{
    (void)state;
    static ua_uvuart_t u;
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, 0), 0);
    assert_int_equal(ua_uvuart_open_tcp(&u, port.uv, 3, 0), 0);
    assert_int_equal(ua_uart_write(ua_uvuart_hw(&u), (const uint8_t *)"xy", 2),
                     2);
    assert_int_equal(u.tx_dropped, 2);
    ua_uvuart_close(&u);
    ua_uvport_close(&port);
}

/* --- Pins from a command stream --------------------------------------------- */

typedef struct edges {
    ua_task_t task;
    ua_co_t co;
    ua_flag_t flag;
    int level[8];
    ua_ticks_t when[8];
    unsigned n, want;
    int st;
} edges_t;

static void pin_irq(void *arg, int level, ua_ticks_t when)
{
    edges_t *e = arg;
    if (e->n < 8) {
        e->level[e->n] = level;
        e->when[e->n] = when;
        e->n++;
    }
    ua_flag_set(&e->flag);
}

static int edges_fn(ua_task_t *self)
{
    edges_t *e = UA_CONTAINER_OF(self, edges_t, task);
    UA_BEGIN(self, &e->co);
    while (e->n < e->want) {
        UA_AWAIT_STATUS(e->st, ua_flag_wait(self, &e->flag, 5000));
        if (e->st != 0)
            UA_THROW(e->st);
    }
    UA_END();
}

static void stdin_commands_drive_pins_and_edges(void **state)
{
    (void)state;
    static ua_uvpins_t bank;
    static edges_t e;
    int fds[2];
    char report[512] = {0};
    FILE *rep = fmemopen(report, sizeof report - 1, "w");

    memset(&e, 0, sizeof e);
    assert_int_equal(ua_uvport_init(&port, &loop, NULL, 0), 0);
    ua_uvpins_init(&bank, &port, rep);
    ua_pin_t *in = ua_uvpins_pin(&bank, 3);
    ua_pin_t *led = ua_uvpins_pin(&bank, 5);
    assert_int_equal(ua_pin_configure(in, UA_PIN_INPUT_PULLUP), 0);
    assert_int_equal(ua_pin_configure(led, UA_PIN_OUTPUT), 0);
    assert_int_equal(ua_pin_read(in), 1); /* pulled up, undriven */
    ua_flag_init(&e.flag, &loop);
    assert_int_equal(ua_pin_set_irq(in, UA_EDGE_BOTH, pin_irq, &e), 0);

    assert_int_equal(pipe(fds), 0);
    const char cmds[] = "# a comment\npin 3 0\npin 3 0\nbogus\npin 99 1\n"
                        "pin 3 1\npin 3 z\npin 3 0";
    assert_int_equal(write(fds[1], cmds, sizeof cmds - 1), sizeof cmds - 1);
    close(fds[1]); /* end of stream: the last line has no newline */
    assert_int_equal(ua_uvpins_listen(&bank, fds[0]), 0);

    e.want = 3;
    ua_task_init(&e.task, edges_fn);
    assert_int_equal(ua_loop_run_until_complete(&loop, &e.task), 0);
    /* 3 0 (fall), 3 0 again (no edge), 3 1 (rise), z (pull-up: still 1, no
     * edge), 3 0 (fall). */
    assert_int_equal(e.n, 3);
    assert_int_equal(e.level[0], 0);
    assert_int_equal(e.level[1], 1);
    assert_int_equal(e.level[2], 0);
    assert_true(ua_ticks_diff(e.when[1], e.when[0]) >= 0);
    assert_true(ua_ticks_diff(e.when[2], e.when[1]) >= 0);
    assert_int_equal(bank.errors, 2);
    assert_int_equal(ua_pin_read(in), 0);

    ua_pin_write(led, 1); /* an LED: printed for the person at the terminal */
    fflush(rep);
    assert_non_null(strstr(report, "error: expected 'pin N 0|1|z' or 'pins': bogus"));
    assert_non_null(strstr(report, "error: no such pin: pin 99 1"));
    assert_non_null(strstr(report, "pin 5 -> 1"));

    /* Let the stream's end be seen, then everything closes cleanly. */
    ua_uvpins_close(&bank);
    close(fds[0]);
    fclose(rep);
    ua_flag_deinit(&e.flag);
    ua_uvport_close(&port);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pty_uart_echoes),
        cmocka_unit_test(tcp_uart_echoes_on_loopback),
        cmocka_unit_test(tcp_uart_without_client_drops_and_counts),
        cmocka_unit_test(stdin_commands_drive_pins_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
