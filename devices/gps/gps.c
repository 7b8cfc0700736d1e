/* GPS driver task (see gps.h). */
#include "gps.h"

#include <stddef.h>
#include <string.h>

#include "gps_rw.h"
#include "gps_timer.h"
#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

int gps_init(gps_t *gps, ua_uart_t *uart)
{
    if (gps->state == ST_STARTED)
        return UA_EBUSY;
    /* The task and the lifecycle fields before `uart` survive: a task
     * still finishing a stop is linked in the loop (see Lifecycle). */
    memset(&gps->uart, 0, sizeof *gps - offsetof(gps_t, uart));
    gps->uart = uart;
    gps_nmea_init(&gps->nmea);
    ua_event_init(&gps->fix_event);
    ua_event_init(&gps->data_event);
    return 0;
}

bool gps_started(const gps_t *gps)
{
    return gps->state == ST_STARTED;
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
            gps->last_fix = ua_loop_now64(gps->loop);
            ua_event_set(&gps->fix_event);
            ua_event_clear(&gps->fix_event);
        }
    }
}

/*
 * One task serves every start: gps_stop cancels it, and if gps_start comes
 * before it has finished (the next pass), it goes back to waiting on the
 * re-registered flag instead of ending.  Every await is a status await,
 * so that a cancellation never ends the task behind a new start's back.
 */
static int gps_task(ua_task_t *self)
{
    gps_t *gps = UA_CONTAINER_OF(self, gps_t, task);
    size_t n;
    int st;

    UA_BEGIN(self, &gps->co);
    gps->task_up = 1;
    while (gps->state == ST_STARTED) {
        UA_AWAIT_STATUS(st, ua_flag_wait(self, &gps->rx_flag, UA_FOREVER));
        if (st < 0)
            continue; /* stopped (and maybe started again) */
        gps->run_gen = gps->gen;
        for (;;) {
            if (ua_uart_take_errors(gps->uart) != 0) {
                /* Bytes were lost: the sentence in progress is broken. */
                gps->uart_errors++;
                gps_nmea_abort_sentence(&gps->nmea);
            }
            n = ua_uart_read(gps->uart, gps->rx, sizeof gps->rx);
            gps->bytes += (uint32_t)n;
            consume(gps, n); /* a callback may stop, or stop and start */
            if (n < sizeof gps->rx || gps->state != ST_STARTED ||
                gps->run_gen != gps->gen)
                break;
            /* More is waiting: let other tasks run first. */
            UA_AWAIT_STATUS(st, ua_yield(self));
            if (st < 0)
                break;
        }
    }
    UA_END();
}

int gps_start(gps_t *gps, ua_loop_t *loop)
{
    int r;

    if (gps->state == ST_STARTED)
        return UA_EBUSY;
    /* Registered here and unregistered by gps_stop, so that a restart
     * never links a flag that is still registered (into itself). */
    if ((r = ua_flag_init(&gps->rx_flag, loop)) < 0)
        return r;
    if ((r = ua_flag_init(&gps->tx_flag, loop)) < 0) {
        ua_flag_deinit(&gps->rx_flag);
        return r;
    }
    gps->loop = loop;
    r = ua_uart_set_irq(gps->uart,
                        UA_UART_EV_RX | UA_UART_EV_ERROR | UA_UART_EV_TX_EMPTY,
                        uart_irq, gps);
    if (r < 0)
        goto fail;
    /* Bytes that arrived before the interrupt was on. */
    ua_flag_set(&gps->rx_flag);
    if (!ua_task_running(&gps->task)) {
        ua_task_init(&gps->task, gps_task);
        gps->co = (ua_co_t){0};
        gps->task_up = 0;
        if ((r = ua_spawn(loop, &gps->task)) < 0) {
            ua_uart_set_irq(gps->uart, 0, NULL, NULL);
            goto fail;
        }
    }
    gps->gen++;
    gps->state = ST_STARTED;
    return 0;
fail:
    ua_flag_deinit(&gps->tx_flag);
    ua_flag_deinit(&gps->rx_flag);
    return r;
}

void gps_stop(gps_t *gps)
{
    if (gps->state != ST_STARTED)
        return;
    ua_uart_set_irq(gps->uart, 0, NULL, NULL);
    gps->state = ST_STOPPED;
    /* From a callback the task is the caller (UA_ESELF): it leaves its
     * loop when the callback returns.  A task that has not run yet is left
     * alone: cancelled, it would finish without running and a start before
     * the next pass would have no task; run, it sees the state and ends
     * (or serves the new start). */
    if (gps->task_up)
        ua_task_cancel(&gps->task);
    /* Every waiter of the driver and of its attachments (a command waiting
     * for the TX FIFO or an answer, a calibration waiting for a pulse). */
    ua_flag_fail_waiter(&gps->tx_flag, GPS_ESTOPPED);
    ua_flag_deinit(&gps->tx_flag);
    ua_flag_deinit(&gps->rx_flag);
    ua_event_fail_waiters(&gps->fix_event, GPS_ESTOPPED);
    ua_event_fail_waiters(&gps->data_event, GPS_ESTOPPED);
    if (gps->rw != NULL)
        ua_event_fail_waiters(&gps->rw->answer, GPS_ESTOPPED);
    if (gps->timer != NULL)
        ua_event_fail_waiters(&gps->timer->paired_event, GPS_ESTOPPED);
}

bool gps_stopped(const gps_t *gps)
{
    return gps->state != ST_STARTED && !ua_task_running(&gps->task);
}

int gps_wait_fix(ua_task_t *self, gps_t *gps, int32_t timeout_ms)
{
    /* A first call on a stopped driver would wait for ever; a resumed call
     * must reach ua_event_wait to collect its outcome. */
    if (gps->state != ST_STARTED && ua_await_is_first(self))
        return GPS_ESTOPPED;
    return ua_event_wait(self, &gps->fix_event, timeout_ms);
}

int32_t gps_time_since_fix_ms(const gps_t *gps)
{
    if (gps->fixes == 0)
        return -1;
    uint64_t ms = (ua_loop_now64(gps->loop) - gps->last_fix) / 1000u;
    return ms > INT32_MAX ? INT32_MAX : (int32_t)ms;
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
    if (gps->state != ST_STARTED)
        UA_THROW(GPS_ESTOPPED);
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
