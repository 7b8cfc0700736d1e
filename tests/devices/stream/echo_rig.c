/* UART echo rig (see echo_rig.h). */
#include <string.h>

#include "echo_rig.h"
#include "sim.h"
#include "sim_hw.h"
#include "stream.h"

typedef struct echo_task {
    ua_task_t task;
    ua_co_t co;
    stream_t *st;
    uint8_t buf[16];
    size_t n;
} echo_task_t;

typedef struct busy_task {
    ua_task_t task;
    ua_co_t co;
} busy_task_t;

typedef struct host {
    sim_uart_t *board_uart;
    uint64_t frame_ns;
    const uint64_t *send_ns;
    echo_result_t *out;
} host_t;

static int echo_fn(ua_task_t *self)
{
    echo_task_t *e = UA_CONTAINER_OF(self, echo_task_t, task);
    UA_BEGIN(self, &e->co);
    for (;;) {
        UA_AWAIT(stream_read(self, e->st, e->buf, sizeof e->buf, &e->n,
                             UA_FOREVER));
        UA_AWAIT(stream_write(self, e->st, e->buf, e->n, NULL, UA_FOREVER));
    }
    UA_END();
}

static int busy_fn(ua_task_t *self)
{
    busy_task_t *b = UA_CONTAINER_OF(self, busy_task_t, task);
    UA_BEGIN(self, &b->co);
    for (;;) {
        ua_delay_us(ECHO_BUSY_US);
        UA_YIELD();
    }
    UA_END();
}

/* The echo of byte k has fully arrived at the host at t_ns. */
static void host_rx(void *arg, uint8_t byte, uint64_t t_ns)
{
    host_t *h = arg;
    echo_result_t *r = h->out;
    size_t k = byte;
    if (k >= 256 || r->n >= 256)
        return;
    /* Echo started one frame before it arrived; the byte was in the
     * board's FIFO one frame after it was sent. */
    r->lat_ns[k] = t_ns - h->frame_ns - (h->send_ns[k] + h->frame_ns);
    r->n++;
}

void echo_run(bool io_priority, const uint64_t *send_ns, size_t count,
              echo_result_t *out)
{
    static echo_task_t echo;
    static busy_task_t busy[ECHO_BUSY_TASKS];
    static stream_t st;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "echo", 0);
    sim_uart_t *u = sim_board_uart(b, 0, ECHO_BAUD);
    sim_uart_t *host_uart = sim_uart_new(sim, "host", ECHO_BAUD);
    host_t h = {u, sim_uart_bits_ns(u, 10), send_ns, out};

    memset(out, 0, sizeof *out);
    memset(&echo, 0, sizeof echo);
    memset(busy, 0, sizeof busy);
    ua_loop_set_io_priority(sim_board_loop(b), io_priority);
    sim_board_enter(b);
    memset(&st, 0, sizeof st); /* a fresh board: the last run is gone */
    stream_init(&st, sim_uart_hw(u));
    stream_start(&st, sim_board_loop(b));
    sim_uart_connect(u, host_uart);
    sim_uart_on_rx(host_uart, host_rx, &h);
    echo.st = &st;
    ua_task_init(&echo.task, echo_fn);
    sim_spawn(b, &echo.task, "echo");
    for (int i = 0; i < ECHO_BUSY_TASKS; i++) {
        ua_task_init(&busy[i].task, busy_fn);
        sim_spawn(b, &busy[i].task, "busy");
    }
    for (size_t k = 0; k < count && k < 256; k++) {
        uint8_t byte = (uint8_t)k;
        sim_uart_feed(u, send_ns[k], &byte, 1);
    }
    sim_run_until(sim, send_ns[count - 1] + 100 * SIM_MS);
    uint64_t sum = 0;
    for (size_t k = 0; k < out->n; k++) {
        sum += out->lat_ns[k];
        if (out->lat_ns[k] > out->max_ns)
            out->max_ns = out->lat_ns[k];
    }
    out->mean_ns = out->n ? sum / out->n : 0;
    stream_stop(&st);
    sim_free(sim);
}
