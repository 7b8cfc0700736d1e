/*
 * Reading the simulator's text trace (sim/trace.c, sim_export_text) into
 * records.  The format is line-oriented:
 *
 *   # uasync sim trace v1 seed=42 records=1234
 *   # board b0 NAME [start_tick=N]
 *   # task 1 NAME
 *   # pin 3 NAME               (optional: pin ids)
 *   # scenario NAME            (optional)
 *   # end T_US                 (optional: the end of the simulated window)
 *   T_US.NNN KIND BOARD FIELDS...
 *
 * Pin lines read "pin3 led=1" (older traces: "led=1", no id); wake lines
 * end with who woke the task, " by task3:name", " by pin1:name", " by
 * uart0" or " by i2cs0" (kept in arg2 as sim_trace.h's SIM_WAKE_BY).
 *
 * Unknown header lines are ignored so the format can grow.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_trace.h"

static const char *const kind_names[] = {
    [UA_TR_SPAWN] = "spawn",          [UA_TR_RESUME] = "resume",
    [UA_TR_SUSPEND] = "suspend",      [UA_TR_DONE] = "done",
    [UA_TR_TIMER_ARM] = "timer_arm",  [UA_TR_TIMER_FIRE] = "timer_fire",
    [UA_TR_CANCEL] = "cancel",        [UA_TR_FLAG_SET] = "flag_set",
    [UA_TR_IDLE] = "idle",            [UA_TR_WAKE] = "wake",
    [UA_TR_UNHANDLED] = "unhandled",  [UA_TR_FLAG_RAISED] = "flag_raised",
    [SIM_TR_PIN] = "pin",
    [SIM_TR_IRQ_ENTER] = "irq_enter", [SIM_TR_IRQ_EXIT] = "irq_exit",
    [SIM_TR_UART_TX] = "uart_tx",     [SIM_TR_UART_RX] = "uart_rx",
    [SIM_TR_I2C_START] = "i2c_start", [SIM_TR_I2C_BYTE] = "i2c_byte",
    [SIM_TR_I2C_STOP] = "i2c_stop",   [SIM_TR_NEC_FRAME] = "nec_frame",
    [SIM_TR_NEC_REPEAT] = "nec_repeat", [SIM_TR_NOTE] = "note",
    [SIM_TR_STEP] = "step",           [SIM_TR_POWER] = "power",
};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

const char *tl_kind_name(unsigned kind)
{
    return kind < NKINDS && kind_names[kind] ? kind_names[kind] : "?";
}

/* The kind named by the n characters at s (0 if none), looked up among
 * the few names of its first letter (every line names a kind; the names
 * are lower-case words). */
static unsigned kind_lookup(const char *s, size_t n)
{
    static uint8_t by_letter[26][NKINDS]; /* kinds, 0-terminated */
    static size_t len[NKINDS];
    if (len[UA_TR_SPAWN] == 0) {
        for (unsigned k = 1; k < NKINDS; k++) {
            if (kind_names[k] == NULL)
                continue;
            uint8_t *b = by_letter[kind_names[k][0] - 'a'];
            while (*b)
                b++;
            *b = (uint8_t)k;
            len[k] = strlen(kind_names[k]);
        }
    }
    if (n == 0 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (const uint8_t *b = by_letter[s[0] - 'a']; *b; b++)
        if (len[*b] == n && memcmp(kind_names[*b], s, n) == 0)
            return *b;
    return 0;
}

unsigned tl_kind_from_name(const char *name)
{
    return name[0] ? kind_lookup(name, strlen(name)) : 0;
}

static char *dup_str(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL)
        abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static size_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* Index strs (1..nstr-1) in a table at least twice their number. */
static void str_index_grow(tl_trace_t *tr)
{
    size_t cap = tr->str_index_cap ? 2 * tr->str_index_cap : 64;
    uint64_t *t = calloc(cap, sizeof *t);
    if (t == NULL)
        abort();
    for (size_t i = 1; i < tr->nstr; i++) {
        size_t n = strlen(tr->strs[i]), k = str_hash(tr->strs[i], n) & (cap - 1);
        while (t[k] != 0)
            k = (k + 1) & (cap - 1);
        t[k] = (uint64_t)n << 32 | i;
    }
    free(tr->str_index);
    tr->str_index = t;
    tr->str_index_cap = cap;
}

/* Intern a name: every line names something, a few dozen names in all,
 * so they are found by hash. */
static uint32_t intern(tl_trace_t *tr, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (2 * tr->nstr >= tr->str_index_cap)
        str_index_grow(tr);
    size_t mask = tr->str_index_cap - 1, k = str_hash(s, n) & mask;
    for (uint64_t e; (e = tr->str_index[k]) != 0; k = (k + 1) & mask)
        if (e >> 32 == n && memcmp(tr->strs[(uint32_t)e], s, n) == 0)
            return (uint32_t)e;
    if (tr->nstr == tr->capstr) {
        tr->capstr = tr->capstr ? 2 * tr->capstr : 16;
        tr->strs = realloc(tr->strs, tr->capstr * sizeof *tr->strs);
        if (tr->strs == NULL)
            abort();
    }
    tr->strs[tr->nstr] = dup_str(s, n);
    tr->str_index[k] = (uint64_t)n << 32 | tr->nstr;
    return (uint32_t)tr->nstr++;
}

const char *tl_trace_name(const tl_trace_t *tr, uint32_t idx)
{
    return idx < tr->nstr ? tr->strs[idx] : "";
}

static void trace_init(tl_trace_t *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->capstr = 16;
    tr->strs = malloc(tr->capstr * sizeof *tr->strs);
    if (tr->strs == NULL)
        abort();
    tr->strs[0] = dup_str("", 0);
    tr->nstr = 1;
}

tl_trace_t *tl_trace_new(void)
{
    tl_trace_t *tr = malloc(sizeof *tr);
    if (tr == NULL)
        abort();
    trace_init(tr);
    return tr;
}

static void trace_release(tl_trace_t *tr)
{
    for (size_t i = 0; i < tr->nstr; i++)
        free(tr->strs[i]);
    for (size_t i = 0; i < tr->nlanes; i++)
        free(tr->lanes[i].items);
    for (size_t i = 0; i < 16; i++)
        free(tr->board_names[i]);
    for (size_t i = 0; i < 256; i++)
        free(tr->task_names[i]);
    for (size_t i = 0; i < TL_MAX_PINS; i++)
        free(tr->pin_names[i]);
    free(tr->strs);
    free(tr->str_index);
    free(tr->lanes);
    free(tr->recs);
}

void tl_trace_free(tl_trace_t *tr)
{
    if (tr == NULL)
        return;
    trace_release(tr);
    free(tr);
}

void tl_trace_lanes_only(tl_trace_t *tr)
{
    if (tr->nread == 0)
        tr->lanes_only = true;
}

static uint32_t keep(tl_trace_t *tr, const tl_rec_t *r)
{
    if (tr->nrec == tr->caprec) {
        tr->caprec = tr->caprec ? 2 * tr->caprec : 4096;
        tr->recs = realloc(tr->recs, tr->caprec * sizeof *tr->recs);
        if (tr->recs == NULL)
            abort();
    }
    tr->recs[tr->nrec] = *r;
    return (uint32_t)tr->nrec++;
}

void tl_trace_add(tl_trace_t *tr, const tl_rec_t *r, const char *name)
{
    tl_rec_t d = *r;
    d.name = name ? intern(tr, name, strlen(name)) : r->name;
    tl__note_timer_fire(tr, &d);
    if (r->t_ns > tr->t_end)
        tr->t_end = r->t_ns;
    tr->t_last = r->t_ns;
    tr->nread++;
    if (!tr->lanes_only) {
        keep(tr, &d);
        return;
    }
    /* only what the drawing reads again: a note's name */
    tl__lanes_add(tr, &d, d.kind == SIM_TR_NOTE ? keep(tr, &d) : TL_NO_REC);
}

/* --- header ------------------------------------------------------------------ */

static void header_word(const char *line, const char *key, char *out,
                        size_t n)
{
    const char *p = strstr(line, key);
    if (p == NULL)
        return;
    p += strlen(key);
    size_t i = 0;
    while (p[i] && !isspace((unsigned char)p[i]) && i + 1 < n) {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

static void parse_header(tl_trace_t *tr, const char *line)
{
    char word[64] = "";
    unsigned idx;
    int off = 0;

    header_word(line, "seed=", word, sizeof word);
    if (word[0]) {
        tr->seed = strtoull(word, NULL, 10);
        tr->has_seed = true;
    }
    if (sscanf(line, "# board b%u %n", &idx, &off) == 1 && off && idx < 16) {
        if (tr->lanes_only && tr->nread > 0)
            tr->restart = true; /* a tick origin after records that used it */
        size_t n = strcspn(line + off, " \r\n");
        free(tr->board_names[idx]);
        tr->board_names[idx] = dup_str(line + off, n);
        word[0] = '\0';
        header_word(line + off, "start_tick=", word, sizeof word);
        if (word[0]) {
            tr->start_tick[idx] = (int64_t)strtoull(word, NULL, 10);
            tr->has_start_tick[idx] = true;
        }
    } else if (sscanf(line, "# task %u %n", &idx, &off) == 1 && off &&
               idx < 256) {
        if (tr->lanes_only && tr->nread > 0)
            tr->restart = true; /* a name after lanes were named */
        size_t n = strcspn(line + off, "\r\n");
        free(tr->task_names[idx]);
        tr->task_names[idx] = dup_str(line + off, n);
    } else if (sscanf(line, "# pin %u %n", &idx, &off) == 1 && off &&
               idx < TL_MAX_PINS) {
        size_t n = strcspn(line + off, "\r\n");
        free(tr->pin_names[idx]);
        tr->pin_names[idx] = dup_str(line + off, n);
    } else if (strncmp(line, "# scenario ", 11) == 0) {
        size_t n = strcspn(line + 11, "\r\n");
        if (n >= sizeof tr->scenario)
            n = sizeof tr->scenario - 1;
        memcpy(tr->scenario, line + 11, n);
        tr->scenario[n] = '\0';
    } else if (strncmp(line, "# end ", 6) == 0) {
        /* written in us, like the records.  Negative, NaN or beyond 1e16 us
         * (317 years; 2^64 ns is 584) cannot be converted to ns: ignored,
         * like any header line that cannot be read (the fuzzer found the
         * conversion overflowing; corpus_trace/end_header_overflow.txt). */
        double us = strtod(line + 6, NULL);
        if (us >= 0.0 && us <= 1e16)
            tr->header_end = (uint64_t)(us * 1000.0 + 0.5);
    }
}

/* --- records ----------------------------------------------------------------- */

/* isspace() of the C locale, which the general reader's sscanf uses. */
static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static const char *skip_space(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

static const char *skip_word(const char *p)
{
    while (*p && !is_space(*p))
        p++;
    return p;
}

/* 1 to 9 decimal digits (no sign, so no overflow) into *v; the character
 * after them, or NULL when there are none or more. */
static const char *digits9(const char *p, uint32_t *v)
{
    uint32_t x = 0;
    int n = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++) {
        if (n == 9)
            return NULL;
        x = x * 10 + (uint32_t)(*p - '0');
    }
    if (n == 0)
        return NULL;
    *v = x;
    return p;
}

/* The lines of a trace are nearly all pins, interrupts, power states and
 * task records, written by sim_export_text always the same way.  Those of
 * exactly that shape are read here, without sscanf: 1 when done, 0 to
 * leave the line to parse_fields, whose reading of every line (other
 * spacing, signs, long numbers, other kinds, errors) this must not change.
 * Nothing is interned before the line is known to be of the shape. */
static int fast_fields(tl_trace_t *tr, const char *p, tl_rec_t *r)
{
    uint32_t a = 0;
    const char *q;

    switch (r->kind) {
    case SIM_TR_PIN: { /* [pinN ]NAME=LEVEL */
        const char *eq = strrchr(p, '=');
        if (eq == NULL || (eq[1] < '0' || eq[1] > '9'))
            return 0;
        uint32_t level = 0;
        if (digits9(eq + 1, &level) == NULL)
            return 0;
        if (strncmp(p, "pin", 3) == 0) {
            if ((q = digits9(p + 3, &a)) == NULL)
                return 0;
            q = skip_space(q);
            if (q < eq) {
                r->obj = a;
                p = q;
            }
        }
        r->name = intern(tr, p, (size_t)(eq - p));
        r->arg = level;
        return 1;
    }
    case SIM_TR_IRQ_ENTER: /* SOURCE ID [NAME] */
    case SIM_TR_IRQ_EXIT: {
        const char *end = skip_word(p);
        size_t n = (size_t)(end - p);
        if (n == 0 || n > 15 || (q = digits9(skip_space(end), &a)) == NULL)
            return 0;
        r->arg = n == 3 && memcmp(p, "pin", 3) == 0    ? SIM_SRC_PIN
                 : n == 4 && memcmp(p, "i2cs", 4) == 0 ? SIM_SRC_I2C_SLAVE
                                                       : SIM_SRC_UART;
        r->obj = a;
        q = skip_space(q);
        if (*q)
            r->name = intern(tr, q, strcspn(q, " \r\n"));
        return 1;
    }
    case SIM_TR_POWER: { /* cpu STATE (a load's current: parse_fields) */
        if (strncmp(p, "cpu", 3) != 0 || !is_space(p[3]))
            return 0;
        p = skip_space(p + 3);
        size_t n = (size_t)(skip_word(p) - p);
        if (n == 3 && memcmp(p, "run", 3) == 0)
            r->arg = SIM_POWER_RUN;
        else if (n == 4 && memcmp(p, "idle", 4) == 0)
            r->arg = SIM_POWER_IDLE;
        else if (n == 4 && memcmp(p, "deep", 4) == 0)
            r->arg = SIM_POWER_DEEP;
        else
            return 0;
        r->obj = 0;
        return 1;
    }
    default:
        return 0;
    }
}

/* " by task3:name" (or pinN, uartN, i2csN) -> SIM_WAKE_BY; 0 if unknown. */
static uint32_t parse_waker(const char *by)
{
    static const struct { const char *word; uint32_t kind; } w[] = {
        {"task", SIM_WAKE_TASK}, {"pin", SIM_SRC_PIN},
        {"uart", SIM_SRC_UART}, {"i2cs", SIM_SRC_I2C_SLAVE}};
    by += 4;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t n = strlen(w[i].word);
        if (strncmp(by, w[i].word, n) == 0 && isdigit((unsigned char)by[n]))
            return SIM_WAKE_BY(w[i].kind, strtoul(by + n, NULL, 10));
    }
    return 0;
}

/* Split "task3:name -12" into id, name and the trailing number (a wake
 * line's " by ..." comes off first). */
static int parse_task_fields(tl_trace_t *tr, const char *p, tl_rec_t *r)
{
    char *end;
    char buf[256];
    if (strncmp(p, "task", 4) != 0)
        return -1;
    const char *by = r->kind == UA_TR_WAKE ? strstr(p, " by ") : NULL;
    if (by != NULL) {
        size_t n = (size_t)(by - p);
        if (n >= sizeof buf)
            return -1;
        r->arg2 = parse_waker(by);
        memcpy(buf, p, n);
        buf[n] = '\0';
        p = buf;
    }
    r->obj = (uint32_t)strtoul(p + 4, &end, 10);
    const char *last = strrchr(end, ' ');
    if (last == NULL)
        return -1;
    if (*end == ':')
        r->name = intern(tr, end + 1, (size_t)(last - end - 1));
    r->arg = (uint32_t)strtoll(last + 1, NULL, 10);
    return 0;
}

static int parse_fields(tl_trace_t *tr, const char *p, tl_rec_t *r)
{
    char w1[64], w2[16];
    unsigned a = 0, b = 0;
    int n = 0;

    if (fast_fields(tr, p, r))
        return 0;
    switch (r->kind) {
    case SIM_TR_PIN: {
        const char *eq = strrchr(p, '=');
        if (eq == NULL)
            return -1;
        if (sscanf(p, "pin%u %n", &a, &n) == 1 && n > 0 && p + n < eq) {
            r->obj = a;
            p += n;
        }
        r->name = intern(tr, p, (size_t)(eq - p));
        r->arg = (uint32_t)strtoul(eq + 1, NULL, 10);
        return 0;
    }
    case SIM_TR_IRQ_ENTER:
    case SIM_TR_IRQ_EXIT:
        if (sscanf(p, "%15s %u %n", w2, &a, &n) < 2)
            return -1;
        r->arg = strcmp(w2, "pin") == 0    ? SIM_SRC_PIN
                 : strcmp(w2, "i2cs") == 0 ? SIM_SRC_I2C_SLAVE
                                           : SIM_SRC_UART;
        r->obj = a;
        if (n && p[n])
            r->name = intern(tr, p + n, strcspn(p + n, " \r\n"));
        return 0;
    case SIM_TR_UART_TX:
    case SIM_TR_UART_RX:
        if (sscanf(p, "uart%u 0x%x", &a, &b) != 2)
            return -1;
        r->obj = a;
        r->arg = (b & 0xFF) | (strstr(p, " ferr") ? SIM_UART_FERR : 0) |
                 (strstr(p, " overrun") ? SIM_UART_OVERRUN : 0);
        if (strstr(p, " dur=")) /* frame duration, when the exporter has it */
            r->arg2 = (uint32_t)strtoul(strstr(p, " dur=") + 5, NULL, 10);
        return 0;
    case SIM_TR_I2C_START:
        if (sscanf(p, "i2c%u addr=0x%x %15s", &a, &b, w2) != 3)
            return -1;
        r->obj = a;
        r->arg = (b << 1) | (w2[0] == 'r');
        return 0;
    case SIM_TR_I2C_BYTE:
        if (sscanf(p, "i2c%u %15s 0x%x %63s stretch=%u", &a, w2, &b, w1,
                   &r->arg2) < 4)
            return -1;
        r->obj = a;
        r->arg = (b & 0xFF) | (strcmp(w1, "nack") == 0 ? 0x100 : 0) |
                 (strcmp(w2, "rd") == 0 ? 0x200 : 0);
        return 0;
    case SIM_TR_I2C_STOP: {
        int st = 0;
        if (sscanf(p, "i2c%u status=%d", &a, &st) != 2)
            return -1;
        r->obj = a;
        r->arg = (uint32_t)st;
        return 0;
    }
    case SIM_TR_NEC_FRAME:
    case SIM_TR_NEC_REPEAT: {
        size_t len = strcspn(p, " \r\n");
        r->name = intern(tr, p, len);
        if (r->kind == SIM_TR_NEC_FRAME &&
            sscanf(p + len, " addr=0x%x cmd=0x%x", &a, &b) != 2)
            return -1;
        r->arg = a;
        r->arg2 = b;
        return 0;
    }
    case SIM_TR_POWER: /* "cpu idle" or "load2:backlight ua=20000" */
        if (sscanf(p, "cpu %15s", w2) == 1) {
            r->obj = 0;
            r->arg = strcmp(w2, "run") == 0    ? SIM_POWER_RUN
                     : strcmp(w2, "idle") == 0 ? SIM_POWER_IDLE
                     : strcmp(w2, "deep") == 0 ? SIM_POWER_DEEP
                                               : SIM_POWER_STATES;
            return r->arg == SIM_POWER_STATES ? -1 : 0;
        }
        if (sscanf(p, "load%u:%63[^ ] ua=%u", &a, w1, &b) != 3 || a == 0)
            return -1;
        r->obj = a;
        r->name = intern(tr, w1, strlen(w1));
        r->arg = b;
        return 0;
    case SIM_TR_NOTE:
        if (sscanf(p, "%63s %u %u", w1, &a, &b) != 3)
            return -1;
        r->name = intern(tr, w1, strlen(w1));
        r->arg = a;
        r->arg2 = b;
        return 0;
    default:
        return parse_task_fields(tr, p, r);
    }
}

int tl_trace_parse_line(tl_trace_t *tr, const char *line)
{
    tl_rec_t r = {0};
    char kind[24], board[16];
    const char *p;
    int off = 0;

    if (line[0] == '#') {
        parse_header(tr, line);
        return 0;
    }
    if (!isdigit((unsigned char)line[0])) {
        if (line[strspn(line, " \t\r\n")] == '\0')
            return 0;
        tr->err[0] = '\0';
        return -1;
    }
    /* T_US.NNN: whole us, then up to 3 digits of ns; no overflow (the
     * value only grows with each digit, and is checked at each) */
    tr->err[0] = '\0';
    uint64_t us = 0;
    for (p = line; *p >= '0' && *p <= '9'; p++) {
        us = us * 10 + (uint64_t)(*p - '0');
        if (us > UINT64_MAX / 1000 - 1) {
            snprintf(tr->err, sizeof tr->err, "time %.24s us is beyond 2^64 ns",
                     line);
            return -1;
        }
    }
    r.t_ns = us * 1000;
    if (*p == '.') {
        const char *f = ++p;
        uint64_t frac = 0;
        while (isdigit((unsigned char)*p) && p - f < 3)
            frac = frac * 10 + (uint64_t)(*p++ - '0');
        if (p == f || isdigit((unsigned char)*p))
            return -1;
        for (ptrdiff_t k = p - f; k < 3; k++)
            frac *= 10;
        r.t_ns += frac;
    }
    if (tr->nread > 0 && r.t_ns < tr->t_last) {
        /* the simulator writes records in time order: not one of its traces */
        snprintf(tr->err, sizeof tr->err, "time goes backwards (%.3f us after "
                 "%.3f us)", (double)r.t_ns / 1000.0,
                 (double)tr->t_last / 1000.0);
        return -1;
    }
    /* " KIND BOARD FIELDS": two words of at most 23 and 15 characters as
     * the simulator writes them, read by hand; sscanf reads the rest */
    const char *k = skip_space(p), *k_end = skip_word(k);
    const char *b = skip_space(k_end), *b_end = skip_word(b);
    uint32_t bn = 0;
    if (k_end - k >= 1 && k_end - k <= 23 && b_end - b >= 1 && b_end - b <= 15) {
        r.kind = (uint16_t)kind_lookup(k, (size_t)(k_end - k));
        if (b[0] == 'b' && digits9(b + 1, &bn) == b_end && bn <= 65535) {
            r.board = (uint16_t)bn;
        } else if (b[0] == 'b') {
            memcpy(board, b, (size_t)(b_end - b));
            board[b_end - b] = '\0';
            r.board = (uint16_t)atoi(board + 1);
        } else {
            r.board = SIM_NO_BOARD;
        }
        off = (int)(skip_space(b_end) - p);
    } else {
        if (sscanf(p, " %23s %15s %n", kind, board, &off) != 2 || off == 0)
            return -1;
        r.kind = (uint16_t)tl_kind_from_name(kind);
        r.board = board[0] == 'b' ? (uint16_t)atoi(board + 1) : SIM_NO_BOARD;
    }
    if (r.kind == 0)
        return -1;
    if (parse_fields(tr, p + off, &r) != 0)
        return -1;
    tl_trace_add(tr, &r, NULL);
    return 0;
}

/* Lines as fgets(line, 512) reads them (one of 512 characters or more is
 * read as several), cut from blocks of 64 KiB: a trace has millions. */
typedef struct lines {
    FILE *f;
    char *buf;
    size_t at, end;
    bool eof;
    int err; /* errno of a read that failed, 0 */
} lines_t;

#define LINES_BLOCK 65536

static bool next_line(lines_t *ls, char line[512])
{
    for (;;) {
        size_t avail = ls->end - ls->at, look = avail < 511 ? avail : 511;
        const char *nl = memchr(ls->buf + ls->at, '\n', look);
        size_t n = nl ? (size_t)(nl - (ls->buf + ls->at)) + 1
                   : look == 511 || ls->eof ? look : 0;
        if (n > 0) {
            memcpy(line, ls->buf + ls->at, n);
            line[n] = '\0';
            ls->at += n;
            return true;
        }
        if (ls->eof)
            return false;
        memmove(ls->buf, ls->buf + ls->at, avail);
        ls->at = 0;
        ls->end = avail;
        size_t got = fread(ls->buf + avail, 1, LINES_BLOCK - avail, ls->f);
        ls->end += got;
        if (got == 0) {
            ls->eof = true;
            if (ferror(ls->f))
                ls->err = errno ? errno : EIO;
        }
    }
}

int tl_trace_load(tl_trace_t *tr, const char *path)
{
    lines_t ls = {.f = fopen(path, "r")};
    char line[512];
    unsigned long lineno = 0;

    if (ls.f == NULL) {
        snprintf(tr->err, sizeof tr->err, "cannot open %s: %s", path,
                 strerror(errno));
        return -1;
    }
    ls.buf = malloc(LINES_BLOCK);
    if (ls.buf == NULL)
        abort();
    while (next_line(&ls, line)) {
        lineno++;
        if (tl_trace_parse_line(tr, line) != 0) {
            char why[sizeof tr->err];
            snprintf(why, sizeof why, "%s", tr->err);
            line[strcspn(line, "\r\n")] = '\0';
            if (why[0])
                snprintf(tr->err, sizeof tr->err, "%.60s:%lu: %.90s", path,
                         lineno, why);
            else
                snprintf(tr->err, sizeof tr->err, "%.60s:%lu: cannot read: %.60s",
                         path, lineno, line);
            fclose(ls.f);
            free(ls.buf);
            return -1;
        }
    }
    fclose(ls.f);
    free(ls.buf);
    /* a directory opens, then fails to read (EISDIR): not an empty trace */
    if (ls.err != 0) {
        snprintf(tr->err, sizeof tr->err, "cannot read %s: %s", path,
                 strerror(ls.err));
        return -1;
    }
    if (tr->scenario[0] == '\0') {
        /* out/NAME/trace.txt: the folder is the scenario's name */
        const char *slash = strrchr(path, '/');
        if (slash != NULL) {
            const char *s = slash;
            while (s > path && s[-1] != '/')
                s--;
            size_t n = (size_t)(slash - s);
            if (n > 0 && n < sizeof tr->scenario) {
                memcpy(tr->scenario, s, n);
                tr->scenario[n] = '\0';
            }
        }
    }
    tl_trace_finish(tr);
    return 0;
}

int tl_trace_load_lanes(tl_trace_t *tr, const char *path)
{
    tl_trace_lanes_only(tr);
    int rc = tl_trace_load(tr, path);
    if (rc == 0 && tr->restart) {
        trace_release(tr);
        trace_init(tr);
        rc = tl_trace_load(tr, path);
    }
    return rc;
}
