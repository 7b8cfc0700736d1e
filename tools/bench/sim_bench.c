/*
 * sim_bench: simulation speed with tracing on.  One board with a bouncing
 * pushbutton, a 9600-baud NMEA stream and NEC frames every 100 ms, each
 * served by a task woken from its interrupt.  Prints virtual seconds per
 * wall second (target >= 1000).
 * Usage: sim_bench [virtual_seconds] [nmea file or -] [notrace]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"
#include "sim_trace.h"

typedef struct waiter {
    ua_task_t task;
    ua_co_t co;
    ua_flag_t flag;
    ua_uart_t *uart;
    uint32_t wakes, bytes;
} waiter_t;

static void pin_isr(void *arg, int level, ua_ticks_t when)
{
    (void)level;
    (void)when;
    ua_flag_set(&((waiter_t *)arg)->flag);
}

static void uart_isr(void *arg, unsigned events)
{
    (void)events;
    ua_flag_set(&((waiter_t *)arg)->flag);
}

static int waiter_fn(ua_task_t *self)
{
    waiter_t *w = UA_CONTAINER_OF(self, waiter_t, task);
    uint8_t buf[64];
    UA_BEGIN(self, &w->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &w->flag, UA_FOREVER));
        w->wakes++;
        if (w->uart != NULL)
            w->bytes += (uint32_t)ua_uart_read(w->uart, buf, sizeof buf);
    }
    UA_END();
}

typedef struct stim {
    sim_button_t *button;
    sim_nec_t *nec;
    sim_uart_t *uart;
    const char *nmea;
    unsigned tick;
} stim_t;

static const char fallback[] =
    "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n"
    "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n";

/* Every 100 ms: an IR frame, a click every 500 ms, keep the UART fed. */
static void every_100ms(sim_t *sim, void *arg, uint64_t data)
{
    stim_t *s = arg;
    uint64_t now = sim_now(sim);
    (void)data;
    sim_nec_send(s->nec, now, 0x10, (uint8_t)s->tick, 0);
    if (s->tick % 5 == 0)
        sim_button_click(s->button, now + 20 * SIM_MS, 150 * SIM_MS);
    if (sim_uart_rx_line_pending(s->uart) < 2000) {
        if (s->nmea == NULL ||
            sim_uart_feed_file(s->uart, now, s->nmea) < 0) {
            for (int i = 0; i < 16; i++)
                sim_uart_feed(s->uart, now, (const uint8_t *)fallback,
                              sizeof fallback - 1);
        }
    }
    s->tick++;
    sim_at(sim, now + 100 * SIM_MS, every_100ms, s, 0);
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 600.0;
    stim_t s = {0};
    waiter_t wb = {0}, wi = {0}, wu = {0};

    s.nmea = argc > 2 && strcmp(argv[2], "-") != 0 ? argv[2] : NULL;
    sim_t *sim = sim_new(1);
    sim_trace_set_limit(sim, 1u << 16); /* a ring, as on a long run */
    if (argc > 3 && strcmp(argv[3], "notrace") == 0)
        sim_trace_enable(sim, false);
    sim_board_t *b = sim_board_new(sim, "bench", 0);
    sim_board_set_costs(b, 2 * SIM_US, 1 * SIM_US);
    sim_pin_t *bp = sim_board_pin(b, 0), *ir = sim_board_pin(b, 1);
    s.uart = sim_board_uart(b, 0, 9600);
    ua_pin_configure(sim_pin_hw(bp), UA_PIN_INPUT_PULLUP);
    ua_pin_configure(sim_pin_hw(ir), UA_PIN_INPUT_PULLUP);
    s.button = sim_button_new(bp, 0);
    s.nec = sim_nec_new(ir);
    wu.uart = sim_uart_hw(s.uart);
    waiter_t *ws[3] = {&wb, &wi, &wu};
    const char *names[3] = {"button", "ir", "gps"};
    for (int i = 0; i < 3; i++) {
        ua_task_init(&ws[i]->task, waiter_fn);
        ua_flag_init(&ws[i]->flag, sim_board_loop(b));
        sim_spawn(b, &ws[i]->task, names[i]);
    }
    ua_pin_set_irq(sim_pin_hw(bp), UA_EDGE_BOTH, pin_isr, &wb);
    ua_pin_set_irq(sim_pin_hw(ir), UA_EDGE_BOTH, pin_isr, &wi);
    ua_uart_set_irq(wu.uart, UA_UART_EV_RX, uart_isr, &wu);
    sim_at(sim, 0, every_100ms, &s, 0);

    double t0 = wall();
    uint64_t items = sim_run_until(sim, (uint64_t)(secs * 1e9));
    double dt = wall() - t0;
    printf("bench sim-items: %llu events+steps, "
           "%llu records (ring of 65536), %u ir wakes, %u button wakes, "
           "%u uart bytes\n",
           (unsigned long long)items,
           (unsigned long long)(sim_trace_count(sim) + sim_trace_dropped(sim)),
           wi.wakes, wb.wakes, wu.bytes);
    printf("bench sim-speed: %.0f virtual s per wall s\n", secs / dt);
    sim_free(sim);
    return 0;
}
