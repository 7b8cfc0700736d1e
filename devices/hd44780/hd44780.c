/* HD44780 character LCD, 4-bit mode (see hd44780.h). */
#include "hd44780.h"

#include <stddef.h>
#include <string.h>

#include "ua_driver.h"

enum { ST_STOPPED = 0, ST_STARTED = 1 };

void hd44780_config_default(hd44780_config_t *cfg, uint8_t cols, uint8_t rows)
{
    cfg->cols = cols;
    cfg->rows = rows;
    cfg->power_on_ms = 50;
    cfg->init_wait1_us = 5000;
    cfg->init_wait2_us = 200;
    cfg->setup_us = 1;
    cfg->pulse_us = 1;
    cfg->exec_us = 50;
    cfg->clear_us = 2100;
    cfg->refresh_ms = 20;
}

static bool geometry_ok(const hd44780_config_t *cfg)
{
    if (cfg->rows != 1 && cfg->rows != 2 && cfg->rows != 4)
        return false;
    /* Four rows are two DDRAM lines of 40 split in halves. */
    unsigned max = cfg->rows == 4 ? HD44780_MAX_COLS / 2 : HD44780_MAX_COLS;
    return cfg->cols >= 1 && cfg->cols <= max;
}

int hd44780_init(hd44780_t *lcd, const hd44780_pins_t *pins,
                 const hd44780_config_t *cfg)
{
    if (lcd->state == ST_STARTED)
        return UA_EBUSY;
    if (cfg == NULL || !geometry_ok(cfg))
        return HD44780_EGEOMETRY;
    ua_pin_t *all[6] = {pins->rs, pins->e, pins->d4, pins->d5, pins->d6,
                        pins->d7};
    for (unsigned i = 0; i < 6; i++)
        if (all[i] == NULL)
            return HD44780_EPIN;
    /* The task, its frames and the lifecycle fields before `pins` survive:
     * a task still finishing a stop is linked in the loop (Lifecycle). */
    memset(&lcd->pins, 0, sizeof *lcd - offsetof(hd44780_t, pins));
    lcd->pins = *pins;
    lcd->cfg = *cfg;
    for (unsigned r = 0; r < HD44780_MAX_ROWS; r++)
        memset(lcd->text[r], ' ', cfg->cols);
    ua_event_init(&lcd->flushed);
    return 0;
}

uint8_t hd44780_row_address(const hd44780_t *lcd, unsigned row)
{
    return (uint8_t)((row & 1u ? 0x40u : 0x00u) + (row & 2u ? lcd->cfg.cols : 0u));
}

/* One nibble: data and RS first, then the E pulse that latches them on its
 * falling edge. */
static void nibble(hd44780_t *lcd, int rs, unsigned value)
{
    ua_pin_write(lcd->pins.rs, rs);
    ua_pin_write(lcd->pins.d4, (int)(value & 1u));
    ua_pin_write(lcd->pins.d5, (int)((value >> 1) & 1u));
    ua_pin_write(lcd->pins.d6, (int)((value >> 2) & 1u));
    ua_pin_write(lcd->pins.d7, (int)((value >> 3) & 1u));
    ua_delay_us(lcd->cfg.setup_us);
    ua_pin_write(lcd->pins.e, 1);
    ua_delay_us(lcd->cfg.pulse_us);
    ua_pin_write(lcd->pins.e, 0);
}

/* A byte, high nibble first, then the execution time (no busy flag). */
static void send(hd44780_t *lcd, int rs, uint8_t byte)
{
    nibble(lcd, rs, byte >> 4);
    nibble(lcd, rs, byte & 0x0Fu);
    ua_delay_us(lcd->cfg.exec_us);
    lcd->stats.bytes++;
}

/* One start's work: the init sequence, then the refresh loop, until a
 * stop cancels it. */
static int session(ua_task_t *self, hd44780_t *lcd)
{
    const hd44780_config_t *c = &lcd->cfg;

    UA_BEGIN(self, &lcd->session_co);
    UA_AWAIT(ua_sleep_ms(self, c->power_on_ms));
    /* Still in 8-bit mode: each nibble is a whole function set. */
    nibble(lcd, 0, 0x3);
    UA_AWAIT(ua_sleep_us(self, c->init_wait1_us));
    nibble(lcd, 0, 0x3);
    ua_delay_us(c->init_wait2_us);
    nibble(lcd, 0, 0x3);
    ua_delay_us(c->exec_us);
    nibble(lcd, 0, 0x2);
    ua_delay_us(c->exec_us);
    send(lcd, 0, c->rows > 1 ? 0x28 : 0x20);
    send(lcd, 0, 0x0C);
    send(lcd, 0, 0x06);
    send(lcd, 0, 0x01);
    /* The clear needs 1.52 ms more than a plain instruction. */
    UA_AWAIT(ua_sleep_us(self, c->clear_us > c->exec_us ? c->clear_us - c->exec_us : 0));
    lcd->ready = true;

    for (;;) {
        for (lcd->row = 0; lcd->row < c->rows; lcd->row++) {
            if (!(lcd->dirty & (1u << lcd->row)))
                continue;
            /* Cleared first: a write during the refresh marks it again. */
            lcd->dirty &= (uint8_t)~(1u << lcd->row);
            send(lcd, 0, (uint8_t)(0x80u | hd44780_row_address(lcd, lcd->row)));
            for (lcd->col = 0; lcd->col < c->cols; lcd->col++) {
                send(lcd, 1, (uint8_t)lcd->text[lcd->row][lcd->col]);
                UA_YIELD();
            }
            lcd->stats.rows_written++;
        }
        if (lcd->dirty == 0)
            ua_event_set(&lcd->flushed);
        UA_AWAIT(ua_sleep_ms(self, c->refresh_ms));
    }
    UA_END();
}

/*
 * One task serves every start: hd44780_stop cancels it (between two
 * bytes), and if hd44780_start comes before it has finished (the next
 * pass), it runs the new start's session, init sequence first, instead of
 * ending.
 */
static int run(ua_task_t *self)
{
    hd44780_t *lcd = UA_CONTAINER_OF(self, hd44780_t, task);
    int st;

    UA_BEGIN(self, &lcd->co);
    lcd->task_up = 1;
    st = 0;
    while (lcd->state == ST_STARTED)
        UA_AWAIT_STATUS(st, session(self, lcd));
    /* Ended by a stop: the task's status says it was cancelled. */
    if (st < 0)
        UA_THROW(st);
    UA_END();
}

int hd44780_start(hd44780_t *lcd, ua_loop_t *loop)
{
    const hd44780_pins_t *p = &lcd->pins;
    ua_pin_t *all[6] = {p->rs, p->e, p->d4, p->d5, p->d6, p->d7};

    if (lcd->state == ST_STARTED)
        return UA_EBUSY;
    for (unsigned i = 0; i < 6; i++) {
        if (ua_pin_configure(all[i], UA_PIN_OUTPUT) != 0)
            return HD44780_EPIN;
        ua_pin_write(all[i], 0);
    }
    if (!ua_task_running(&lcd->task)) {
        ua_task_init(&lcd->task, run);
        lcd->co = (ua_co_t){0};
        lcd->session_co = (ua_co_t){0};
        lcd->task_up = 0;
        int st = ua_spawn(loop, &lcd->task);
        if (st < 0)
            return st;
    }
    lcd->ready = false;
    /* The init sequence clears the screen: rows of spaces are already
     * right, any other row must be written. */
    lcd->dirty = 0;
    for (unsigned r = 0; r < lcd->cfg.rows; r++)
        for (unsigned i = 0; i < lcd->cfg.cols; i++)
            if (lcd->text[r][i] != ' ')
                lcd->dirty |= (uint8_t)(1u << r);
    ua_event_clear(&lcd->flushed);
    lcd->state = ST_STARTED;
    return 0;
}

void hd44780_stop(hd44780_t *lcd)
{
    if (lcd->state != ST_STARTED)
        return;
    lcd->state = ST_STOPPED;
    ua_event_fail_waiters(&lcd->flushed, HD44780_ESTOPPED);
    /* A task that has not run yet is left alone: cancelled, it would
     * finish without running and a start before the next pass would have
     * no task; run, it sees the state and ends (or serves the new start). */
    if (lcd->task_up)
        ua_task_cancel(&lcd->task);
}

bool hd44780_stopped(const hd44780_t *lcd)
{
    return lcd->state != ST_STARTED && !ua_task_running(&lcd->task);
}

int hd44780_write_row(hd44780_t *lcd, unsigned row, const char *text)
{
    char line[HD44780_MAX_COLS];
    unsigned cols = lcd->cfg.cols, n = 0;

    if (row >= lcd->cfg.rows)
        return HD44780_EROW;
    while (n < cols && text[n] != '\0') {
        line[n] = text[n];
        n++;
    }
    memset(line + n, ' ', cols - n);
    if (memcmp(line, lcd->text[row], cols) == 0) {
        lcd->stats.skipped++;
        return 0;
    }
    memcpy(lcd->text[row], line, cols);
    lcd->dirty |= (uint8_t)(1u << row);
    ua_event_clear(&lcd->flushed);
    return 1;
}

const char *hd44780_row(const hd44780_t *lcd, unsigned row)
{
    return row < lcd->cfg.rows ? lcd->text[row] : NULL;
}

bool hd44780_ready(const hd44780_t *lcd)
{
    return lcd->ready;
}

int hd44780_wait_flushed(ua_task_t *self, hd44780_t *lcd, int32_t timeout_ms)
{
    /* A first call while stopped would wait for ever; a resumed call must
     * reach ua_event_wait to collect its outcome. */
    if (lcd->state != ST_STARTED && ua_await_is_first(self) &&
        !ua_event_is_set(&lcd->flushed))
        return HD44780_ESTOPPED;
    return ua_event_wait(self, &lcd->flushed, timeout_ms);
}
