/*
 * mktrace OUT.txt [SECONDS]: run a small simulated board and write its text
 * trace -- real input for the timeline tests and the README picture.
 *
 * On board b0 (step cost 5 us, IRQ cost 2 us):
 *   blink   toggles pin "led" every 100 ms;
 *   hog     burns 40 ms of CPU every 300 ms (ua_delay_us);
 *   ticker  wakes every 10 ms and sends one byte on uart0 -- behind the hog
 *           its wake-ups wait, which the timeline shows as "ready";
 *   sensor  every 200 ms writes one byte to I2C 0x40 and reads two back;
 *   button  waits on an ISR flag set by edges on pin "btn" (a stimulus);
 * and an NEC remote frame on pin "ir" at 600 ms, a note at 450 ms.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"
#include "sim_hw.h"
#include "sim_models.h"
#include "sim_trace.h"

typedef struct job {
    ua_task_t task;
    ua_co_t co;
    int i;
    uint8_t buf[4];
} job_t;

static job_t blink, hog, ticker, sensor, button;
static ua_pin_t *led;
static ua_uart_t *uart;
static ua_i2c_t *i2c;
static ua_flag_t btn_flag;

static int blink_fn(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    ua_pin_configure(led, UA_PIN_OUTPUT);
    for (j->i = 0;; j->i++) {
        ua_pin_write(led, j->i & 1);
        UA_AWAIT(ua_sleep_ms(self, 100));
    }
    UA_END();
}

static int hog_fn(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    for (;;) {
        UA_AWAIT(ua_sleep_ms(self, 300));
        ua_delay_us(40000);
    }
    UA_END();
}

static int ticker_fn(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    for (j->i = 0;; j->i++) {
        j->buf[0] = (uint8_t)('A' + j->i % 26);
        ua_uart_write(uart, j->buf, 1);
        UA_AWAIT(ua_sleep_ms(self, 10));
    }
    UA_END();
}

static int sensor_fn(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    for (;;) {
        UA_AWAIT(ua_sleep_ms(self, 200));
        j->buf[0] = 0xE3;
        ua_i2c_write(i2c, 0x40, j->buf, 1);
        ua_i2c_read(i2c, 0x40, j->buf, 2);
    }
    UA_END();
}

static int button_fn(ua_task_t *self)
{
    job_t *j = UA_CONTAINER_OF(self, job_t, task);
    UA_BEGIN(self, &j->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &btn_flag, UA_FOREVER));
        ua_delay_us(300); /* debounce work */
    }
    UA_END();
}

static void btn_irq(void *arg, int level, ua_ticks_t when)
{
    (void)arg;
    (void)level;
    (void)when;
    ua_flag_set(&btn_flag);
}

static int slave_start(void *ctx, int is_read) { (void)ctx; (void)is_read; return 0; }
static int slave_write(void *ctx, uint8_t b) { (void)ctx; (void)b; return 0; }
static uint8_t slave_read(void *ctx) { (void)ctx; return 0x5A; }

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mktrace OUT.txt [SECONDS]\n");
        return 2;
    }
    double secs = argc > 2 ? atof(argv[2]) : 1.0;
    sim_t *sim = sim_new(7);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_board_set_costs(b, 5 * SIM_US, 2 * SIM_US);

    sim_pin_t *led_pin = sim_board_pin(b, 2);
    sim_pin_set_name(led_pin, "led");
    led = sim_pin_hw(led_pin);
    sim_pin_t *btn = sim_board_pin(b, 3);
    sim_pin_set_name(btn, "btn");
    sim_source_t *press = sim_source_new(btn);
    for (int k = 0; k < 6; k++)
        sim_source_at(press, (uint64_t)(320 + 2 * k) * SIM_MS, k & 1);
    uart = sim_uart_hw(sim_board_uart(b, 0, 115200));
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);
    i2c = sim_i2c_hw(bus);
    static sim_i2c_slave_t slave = {.addr = 0x40, .on_start = slave_start,
                                    .on_write = slave_write,
                                    .on_read = slave_read};
    sim_i2c_attach(bus, &slave);
    sim_pin_t *ir = sim_pin_new(sim, "ir");
    sim_nec_send(sim_nec_new(ir), 600 * SIM_MS, 0x04, 0x12, 1);

    sim_board_enter(b);
    ua_flag_init(&btn_flag, sim_board_loop(b));
    ua_pin_t *btn_hw = sim_pin_hw(btn);
    ua_pin_configure(btn_hw, UA_PIN_INPUT_PULLUP);
    ua_pin_set_irq(btn_hw, UA_EDGE_BOTH, btn_irq, NULL);

    job_t *jobs[] = {&blink, &hog, &ticker, &sensor, &button};
    int (*fns[])(ua_task_t *) = {blink_fn, hog_fn, ticker_fn, sensor_fn,
                                 button_fn};
    const char *names[] = {"blink", "hog", "ticker", "sensor", "button"};
    for (int k = 0; k < 5; k++) {
        ua_task_init(&jobs[k]->task, fns[k]);
        sim_spawn(b, &jobs[k]->task, names[k]);
    }
    sim_trace_note_name(sim, 1, "checkpoint");
    sim_run_until(sim, 450 * SIM_MS);
    sim_trace_note(sim, 0, 1, 450, 0);
    sim_run_until(sim, (uint64_t)(secs * 1e9));
    int st = sim_export_text(sim, argv[1]);
    sim_free(sim);
    return st == 0 ? 0 : 1;
}
