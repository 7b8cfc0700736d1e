/* GPS driver task (see gps.h). */
#include "gps.h"

#include <string.h>

void gps_init(gps_t *gps, ua_uart_t *uart)
{
    memset(gps, 0, sizeof *gps);
    gps->uart = uart;
    gps_nmea_init(&gps->nmea);
    ua_event_init(&gps->fix_event);
}

void gps_set_callback(gps_t *gps, uint32_t mask, gps_sentence_cb cb, void *arg)
{
    gps->cb = cb;
    gps->cb_arg = arg;
    gps->cb_mask = cb != NULL ? mask : 0;
}

/* Interrupt context: only the flag. */
static void uart_irq(void *arg, unsigned events)
{
    gps_t *gps = arg;
    (void)events;
    ua_flag_set(&gps->rx_flag);
}

/* Run the parser over `n` bytes of gps->rx. */
static void consume(gps_t *gps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t seq = gps->nmea.fix_seq;
        int r = gps_nmea_putc(&gps->nmea, gps->rx[i]);
        if (r <= 0)
            continue;
        if (((unsigned)r & gps->cb_mask) != 0)
            gps->cb(gps, (unsigned)r, gps->cb_arg);
        if (gps->nmea.fix_seq != seq) {
            /* A pulse: wakes every current waiter, leaves the event clear
             * so that the next wait blocks until the next fix. */
            gps->fixes++;
            gps->last_fix = ua_loop_now(gps->loop);
            ua_event_set(&gps->fix_event);
            ua_event_clear(&gps->fix_event);
        }
    }
}

static int gps_task(ua_task_t *self)
{
    gps_t *gps = UA_CONTAINER_OF(self, gps_t, task);
    size_t n;

    UA_BEGIN(self, &gps->co);
    for (;;) {
        UA_AWAIT(ua_flag_wait(self, &gps->rx_flag, UA_FOREVER));
        for (;;) {
            if (ua_uart_take_errors(gps->uart) != 0) {
                /* Bytes were lost: the sentence in progress is broken. */
                gps->uart_errors++;
                gps_nmea_abort_sentence(&gps->nmea);
            }
            n = ua_uart_read(gps->uart, gps->rx, sizeof gps->rx);
            gps->bytes += (uint32_t)n;
            consume(gps, n);
            if (n < sizeof gps->rx)
                break;
            UA_YIELD(); /* more is waiting: let other tasks run first */
        }
    }
    UA_END();
}

int gps_start(gps_t *gps, ua_loop_t *loop)
{
    gps->loop = loop;
    ua_flag_init(&gps->rx_flag, loop);
    ua_task_init(&gps->task, gps_task);
    int r = ua_uart_set_irq(gps->uart, UA_UART_EV_RX | UA_UART_EV_ERROR,
                            uart_irq, gps);
    if (r < 0)
        return r;
    /* Bytes that arrived before the interrupt was on. */
    ua_flag_set(&gps->rx_flag);
    return ua_spawn(loop, &gps->task);
}

void gps_stop(gps_t *gps)
{
    ua_uart_set_irq(gps->uart, 0, NULL, NULL);
    ua_task_cancel(&gps->task);
}

int gps_wait_fix(ua_task_t *self, gps_t *gps, int32_t timeout_ms)
{
    return ua_event_wait(self, &gps->fix_event, timeout_ms);
}

int32_t gps_time_since_fix_ms(const gps_t *gps)
{
    if (gps->fixes == 0)
        return -1;
    return ua_ticks_diff(ua_loop_now(gps->loop), gps->last_fix) / 1000;
}
