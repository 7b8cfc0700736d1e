/* GPS driver task (see gps.h). */
#include "gps.h"

#include <string.h>

void gps_init(gps_t *gps, ua_uart_t *uart)
{
    memset(gps, 0, sizeof *gps);
    gps->uart = uart;
    gps_nmea_init(&gps->nmea);
    ua_event_init(&gps->fix_event);
    ua_event_init(&gps->data_event);
}

void gps_set_callback(gps_t *gps, uint32_t mask, gps_sentence_cb cb, void *arg)
{
    gps->cb = cb;
    gps->cb_arg = arg;
    gps->cb_mask = cb != NULL ? mask : 0;
}

/* Interrupt context: only the flags. */
static void uart_irq(void *arg, unsigned events)
{
    gps_t *gps = arg;
    if (events & (UA_UART_EV_RX | UA_UART_EV_ERROR))
        ua_flag_set(&gps->rx_flag);
    if (events & UA_UART_EV_TX_EMPTY)
        ua_flag_set(&gps->tx_flag);
}

/* Run the parser over `n` bytes of gps->rx. */
static void consume(gps_t *gps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t seq = gps->nmea.fix_seq;
        int r = gps_nmea_putc(&gps->nmea, gps->rx[i]);
        if (r <= 0)
            continue;
        if (r == GPS_OTHER && gps->rw != NULL)
            gps__rw_sentence(gps->rw, &gps->nmea);
        if (gps->timer != NULL && (r == GPS_RMC || r == GPS_ZDA))
            gps__timer_sentence(gps->timer, r);
        if (((unsigned)r & gps->cb_mask) != 0)
            gps->cb(gps, (unsigned)r, gps->cb_arg);
        ua_event_set(&gps->data_event); /* a pulse, as fix_event */
        ua_event_clear(&gps->data_event);
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
    ua_flag_init(&gps->tx_flag, loop);
    ua_task_init(&gps->task, gps_task);
    int r = ua_uart_set_irq(gps->uart,
                            UA_UART_EV_RX | UA_UART_EV_ERROR |
                                UA_UART_EV_TX_EMPTY,
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

static void data_seqs(const gps_t *gps, uint32_t seq[5])
{
    seq[0] = gps->nmea.fix_seq;
    seq[1] = gps->nmea.course_seq;
    seq[2] = gps->nmea.date_seq;
    seq[3] = gps->nmea.alt_seq;
    seq[4] = gps->nmea.sats_seq;
}

static bool data_arrived(const gps_t *gps, const gps_wait_t *w)
{
    uint32_t now[5];
    data_seqs(gps, now);
    for (unsigned i = 0; i < 5; i++)
        if ((w->what & (1u << i)) && now[i] == w->seq[i])
            return false;
    return true;
}

int gps_wait_data(ua_task_t *self, gps_t *gps, gps_wait_t *w, uint32_t what,
                  int32_t timeout_ms)
{
    int32_t left = 0;
    UA_BEGIN(self, &w->co);
    if (what == 0 || (what & ~(uint32_t)GPS_DATA_ALL) != 0 ||
        (timeout_ms < 0 && timeout_ms != UA_FOREVER))
        UA_THROW(GPS_EBADARG);
    w->what = what;
    data_seqs(gps, w->seq);
    w->forever = timeout_ms == UA_FOREVER;
    w->deadline = ua_ticks_add(ua_loop_now(gps->loop),
                               w->forever ? 0 : (uint32_t)timeout_ms * 1000u);
    while (!data_arrived(gps, w)) {
        left = w->forever ? UA_FOREVER
                                  : ua_ticks_diff(w->deadline,
                                                  ua_loop_now(gps->loop));
        if (!w->forever && left <= 0)
            UA_THROW(UA_ETIMEDOUT);
        /* ms, rounded up: never wake before the deadline. */
        UA_AWAIT(ua_event_wait(self, &gps->data_event,
                               w->forever ? UA_FOREVER : (left + 999) / 1000));
    }
    UA_END();
}
