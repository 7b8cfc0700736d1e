/* HD44780 controller model (see hd44780_model.h). */
#include "hd44780_model.h"

#include <string.h>

#define US 1000ull
#define MS 1000000ull

/* Datasheet minimums (ns) at Vcc 4.5..5.5 V, and init waits. */
#define T_PW_EH 450u
#define T_CYC_E 1000u
#define T_AS 140u
#define T_DSW 195u
#define T_POWER_ON (40 * MS)
#define T_INIT1 (4100 * US)
#define T_INIT2 (100 * US)

void hd44780_model_init(hd44780_model_t *m, uint8_t cols, uint8_t rows,
                        uint64_t power_on_ns)
{
    memset(m, 0, sizeof *m);
    m->cols = cols;
    m->rows = rows;
    m->fosc_khz = 270;
    m->power_on_ns = power_on_ns;
    m->increment = true;
    m->last_violation = -1;
    memset(m->ddram, ' ', sizeof m->ddram);
}

const char *hd44780_model_violation_name(int v)
{
    static const char *const names[HD44780_V_COUNT] = {
        "E pulse too short", "E cycle too short", "setup time",
        "write while busy", "bad init sequence", "bad DDRAM address"};
    return v >= 0 && v < HD44780_V_COUNT ? names[v] : "none";
}

static void violation(hd44780_model_t *m, uint64_t t_ns,
                      enum hd44780_model_violation v)
{
    m->violations[v]++;
    m->violations_total++;
    m->last_violation = (int)v;
    m->last_violation_ns = t_ns;
    if (m->report_cb != NULL)
        m->report_cb(m->report_arg, t_ns, v);
}

uint64_t hd44780_model_exec_ns(const hd44780_model_t *m, int rs, uint8_t byte)
{
    uint64_t ns = !rs && (byte == 0x01 || (byte & 0xFE) == 0x02) ? 1520 * US
                                                                 : 37 * US;
    return ns * 270u / (m->fosc_khz ? m->fosc_khz : 270u);
}

static bool address_valid(const hd44780_model_t *m, uint8_t a)
{
    if (m->two_lines)
        return a <= 0x27 || (a >= 0x40 && a <= 0x67);
    return a <= 0x4F;
}

static void advance_ac(hd44780_model_t *m)
{
    if (m->cgram_mode) {
        m->ac = (uint8_t)((m->ac + (m->increment ? 1 : 0x3F)) & 0x3F);
        return;
    }
    if (m->increment) {
        if (m->two_lines)
            m->ac = m->ac == 0x27 ? 0x40 : m->ac == 0x67 ? 0x00 : m->ac + 1;
        else
            m->ac = m->ac >= 0x4F ? 0x00 : m->ac + 1;
    } else {
        if (m->two_lines)
            m->ac = m->ac == 0x00 ? 0x67 : m->ac == 0x40 ? 0x27 : m->ac - 1;
        else
            m->ac = m->ac == 0x00 ? 0x4F : m->ac - 1;
    }
}

static void instruction(hd44780_model_t *m, uint64_t t_ns, uint8_t b)
{
    m->instructions++;
    if (b & 0x80) {
        m->cgram_mode = false;
        m->ac = b & 0x7F;
        if (!address_valid(m, m->ac))
            violation(m, t_ns, HD44780_V_ADDRESS);
    } else if (b & 0x40) {
        m->cgram_mode = true;
        m->ac = b & 0x3F;
    } else if (b & 0x20) {
        bool four = !(b & 0x10);
        if (four != m->four_bit)
            m->have_high = false;
        m->four_bit = four;
        m->two_lines = (b & 0x08) != 0;
    } else if (b & 0x10) {
        int dir = (b & 0x04) ? 1 : -1; /* R/L: 1 = right */
        if (b & 0x08)
            m->shift = (int8_t)((m->shift - dir + 40) % 40);
        else {
            bool inc = m->increment;
            m->increment = dir > 0;
            advance_ac(m);
            m->increment = inc;
        }
    } else if (b & 0x08) {
        m->display_on = (b & 0x04) != 0;
        m->cursor_on = (b & 0x02) != 0;
        m->blink_on = (b & 0x01) != 0;
    } else if (b & 0x04) {
        m->increment = (b & 0x02) != 0;
        m->shift_on_write = (b & 0x01) != 0;
    } else if (b & 0x02) {
        m->ac = 0;
        m->shift = 0;
        m->cgram_mode = false;
    } else if (b & 0x01) {
        memset(m->ddram, ' ', sizeof m->ddram);
        m->ac = 0;
        m->shift = 0;
        m->increment = true;
        m->cgram_mode = false;
    }
}

static void data_write(hd44780_model_t *m, uint8_t b)
{
    m->data_writes++;
    if (m->cgram_mode)
        m->cgram[m->ac & 0x3F] = b;
    else
        m->ddram[m->ac & 0x7F] = b;
    advance_ac(m);
    if (m->shift_on_write && !m->cgram_mode)
        m->shift = (int8_t)((m->shift + (m->increment ? 1 : 39)) % 40);
}

/* Track "initialising by instruction"; returns the busy time override. */
static uint64_t init_step(hd44780_model_t *m, uint64_t t_ns, int rs, uint8_t b)
{
    static const uint64_t waits[3] = {T_INIT1, T_INIT2, 0};

    if (m->init_step >= 4)
        return 0;
    if (m->init_step == 0 && t_ns < m->power_on_ns + T_POWER_ON)
        violation(m, t_ns, HD44780_V_INIT);
    if (m->init_step < 3) {
        if (rs || (b & 0xF0) != 0x30) {
            violation(m, t_ns, HD44780_V_INIT);
            m->init_step = 4;
            return 0;
        }
        return waits[m->init_step++];
    }
    if (rs || (b & 0xE0) != 0x20)
        violation(m, t_ns, HD44780_V_INIT);
    m->init_step = 4;
    return 0;
}

static void execute(hd44780_model_t *m, uint64_t t_ns, int rs, uint8_t b)
{
    uint64_t busy = init_step(m, t_ns, rs, b);

    if (rs)
        data_write(m, b);
    else
        instruction(m, t_ns, b);
    if (busy == 0)
        busy = hd44780_model_exec_ns(m, rs, b);
    m->busy_until = t_ns + busy;
}

static void latch(hd44780_model_t *m, uint64_t t_ns)
{
    m->nibbles++;
    if (t_ns < m->busy_until) {
        violation(m, t_ns, HD44780_V_BUSY);
        return;
    }
    if (!m->four_bit) {
        execute(m, t_ns, m->rs, (uint8_t)(m->d << 4));
    } else if (!m->have_high) {
        m->high = m->d;
        m->have_high = true;
    } else {
        m->have_high = false;
        execute(m, t_ns, m->rs, (uint8_t)(m->high << 4 | m->d));
    }
}

void hd44780_model_on_pins(hd44780_model_t *m, uint64_t t_ns, int rs, int e,
                           unsigned d)
{
    rs = rs != 0;
    e = e != 0;
    d &= 0x0Fu;
    if (rs != m->rs)
        m->rs_changed = t_ns;
    if (d != m->d)
        m->d_changed = t_ns;
    m->rs = (uint8_t)rs;
    m->d = (uint8_t)d;
    if (e && !m->e) {
        if (m->e_rose && t_ns - m->e_rise < T_CYC_E)
            violation(m, t_ns, HD44780_V_E_CYCLE);
        if (t_ns - m->rs_changed < T_AS)
            violation(m, t_ns, HD44780_V_SETUP);
        m->e_rise = t_ns;
        m->e_rose = true;
    } else if (!e && m->e) {
        if (t_ns - m->e_rise < T_PW_EH)
            violation(m, t_ns, HD44780_V_E_PULSE); /* too short to latch */
        else {
            if (t_ns - m->d_changed < T_DSW)
                violation(m, t_ns, HD44780_V_SETUP);
            latch(m, t_ns);
        }
    }
    m->e = (uint8_t)e;
}

void hd44780_model_set_pin(hd44780_model_t *m, uint64_t t_ns, unsigned pin,
                           int level)
{
    int rs = m->rs, e = m->e;
    unsigned d = m->d;

    if (pin == HD44780_PIN_RS)
        rs = level;
    else if (pin == HD44780_PIN_E)
        e = level;
    else if (pin >= HD44780_PIN_D4 && pin < HD44780_PIN_D4 + 4) {
        unsigned bit = 1u << (pin - HD44780_PIN_D4);
        d = level ? d | bit : d & ~bit;
    }
    hd44780_model_on_pins(m, t_ns, rs, e, d);
}

size_t hd44780_model_row(const hd44780_model_t *m, unsigned row, char *out,
                         size_t size)
{
    size_t n = 0;

    if (size == 0)
        return 0;
    /* Rows 2 and 3 of a 4-row glass continue lines 0 and 1. */
    unsigned line = row & 1u, start = row & 2u ? m->cols : 0u;
    unsigned len = m->two_lines ? 40u : 80u;
    for (unsigned c = 0; c < m->cols && n + 1 < size && row < m->rows; c++) {
        unsigned pos = (start + c + (unsigned)m->shift) % len;
        uint8_t ch = m->ddram[(line ? 0x40u : 0u) + pos];
        out[n++] = m->display_on ? (char)ch : ' ';
    }
    out[n] = '\0';
    return n;
}

/* --- Simulator wiring ------------------------------------------------------ */

static void on_watch(void *arg, int level, uint64_t t_ns)
{
    struct hd44780_sim_watch *w = arg;
    hd44780_model_set_pin(&w->owner->model, t_ns, w->idx, level);
}

void hd44780_model_attach(hd44780_sim_model_t *s, sim_t *sim,
                          sim_pin_t *const board_pins[6], uint8_t cols,
                          uint8_t rows)
{
    static const char *const names[6] = {"lcd_rs", "lcd_e", "lcd_d4",
                                         "lcd_d5", "lcd_d6", "lcd_d7"};

    hd44780_model_init(&s->model, cols, rows, sim_now(sim));
    for (unsigned i = 0; i < 6; i++) {
        s->watch[i].owner = s;
        s->watch[i].idx = i;
        s->pin[i] = sim_pin_new(sim, names[i]);
        sim_wire(board_pins[i], s->pin[i]);
        sim_pin_watch(s->pin[i], on_watch, &s->watch[i]);
    }
}
