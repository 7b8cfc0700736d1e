/* Streams: a task reads lines from a UART and echoes them back, on the
 * simulator at 115200 baud.  Awaiting a stream is awaiting its ISR flags. */
#include "example.h"
#include "sim.h"
#include "sim_hw.h"
#include "stream.h"

static sim_t *sim;

static uint64_t sim_us(void)
{
    return sim_now(sim) / SIM_US;
}

typedef struct {
    ua_task_t task;
    ua_co_t co;
    stream_t *st;
    uint8_t line[32]; /* buffers live in the frame: they outlive awaits */
    size_t n;
    int lines;
} echo_t;

static int echo(ua_task_t *self)
{
    echo_t *e = UA_CONTAINER_OF(self, echo_t, task);
    UA_BEGIN(self, &e->co);
    for (e->lines = 0; e->lines < 2; e->lines++) {
        UA_AWAIT(stream_readline(self, e->st, e->line, sizeof e->line, &e->n,
                                 UA_FOREVER));
        ex_log("read %u bytes", (unsigned)e->n);
        UA_AWAIT(stream_write(self, e->st, e->line, e->n, NULL, 100));
        UA_AWAIT(stream_drain(self, e->st, 100));
        ex_log("echoed");
    }
    UA_END();
}

int main(void)
{
    static stream_t st;
    static echo_t e = {.st = &st};

    ex_time_us = sim_us;
    sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_uart_t *uart = sim_board_uart(b, 0, 115200);
    sim_board_enter(b);
    ua_loop_set_io_priority(sim_board_loop(b), true);
    stream_init(&st, sim_uart_hw(uart));
    stream_start(&st, sim_board_loop(b));
    ua_task_init(&e.task, echo);
    sim_spawn(b, &e.task, "echo");

    /* The host types two lines, at 1 ms and at 10 ms.  One byte is 10 bit
     * times (start, 8 data, stop): 86.8 us at 115200 baud. */
    sim_uart_feed(uart, 1 * SIM_MS, (const uint8_t *)"hi\n", 3);
    sim_uart_feed(uart, 10 * SIM_MS, (const uint8_t *)"there\n", 6);
    sim_run_until_done(sim, &e.task, SIM_S);

    size_t n;
    const uint8_t *out = sim_uart_captured(uart, &n);
    ex_log("sent back %u bytes, %s", (unsigned)n,
           n == 9 && memcmp(out, "hi\nthere\n", 9) == 0 ? "as typed" : "WRONG");
    sim_free(sim);
    /* Each line is read as its last byte arrives (3 bytes: 260 us after
     * 1 ms) and echoed in as many byte times. */
    return ex_check("     1.260 ms  read 3 bytes\n"
                    "     1.520 ms  echoed\n"
                    "    10.520 ms  read 6 bytes\n"
                    "    11.041 ms  echoed\n"
                    "    11.041 ms  sent back 9 bytes, as typed\n");
}
