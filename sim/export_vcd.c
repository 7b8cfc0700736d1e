/*
 * VCD exporter: pins, UART lines redrawn bit by bit from the byte records,
 * I2C SDA/SCL redrawn from the transaction records, and one wire per task
 * that is high while the task's steps run.
 */
#include <string.h>

#include "outbuf.h"
#include "sim_internal.h"

typedef struct change {
    uint64_t t;
    uint32_t sig;
    uint32_t order; /* keeps equal times in generation order */
    uint8_t val;
} change_t;

typedef struct vcd {
    change_t *c;
    size_t n, cap;
    uint32_t order;
} vcd_t;

static void add(vcd_t *v, uint64_t t, uint32_t sig, int val)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4096;
        v->c = realloc(v->c, v->cap * sizeof *v->c);
        if (v->c == NULL)
            abort();
    }
    v->c[v->n++] = (change_t){t, sig, v->order++, (uint8_t)val};
}

static int cmp_change(const void *a, const void *b)
{
    const change_t *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void ident(uint32_t n, char *out)
{
    do {
        *out++ = (char)('!' + n % 94);
        n /= 94;
    } while (n);
    *out = '\0';
}

/* Signal numbering: pins, then 2 per UART (tx, rx), 2 per bus (scl, sda),
 * then tasks. */
typedef struct layout {
    uint32_t uart0, bus0, task0, total;
} layout_t;

static void uart_wave(vcd_t *v, uint32_t sig, const sim_trace_rec_t *r)
{
    uint64_t frame = r->arg2, start = r->t_ns - frame;
    add(v, start, sig, 0);
    for (unsigned k = 1; k <= 8; k++)
        add(v, start + k * frame / 10, sig, (r->arg >> (k - 1)) & 1);
    add(v, start + 9 * frame / 10, sig, !(r->arg & SIM_UART_FERR));
    add(v, r->t_ns, sig, 1);
}

static void i2c_wave(vcd_t *v, uint32_t scl, const sim_trace_rec_t *r,
                     uint64_t *bit)
{
    uint32_t sda = scl + 1;
    uint64_t t = r->t_ns, T = *bit;
    switch (r->kind) {
    case SIM_TR_I2C_START:
        *bit = T = r->arg2 ? r->arg2 : 10000;
        add(v, t, sda, 1);
        add(v, t + T / 4, scl, 1);
        add(v, t + T / 2, sda, 0);
        add(v, t + 3 * T / 4, scl, 0);
        break;
    case SIM_TR_I2C_BYTE:
        for (unsigned i = 0; i < 9; i++) {
            int bit_v = i < 8 ? (r->arg >> (7 - i)) & 1 : !!(r->arg & 0x100);
            uint64_t s = t + i * T + (i == 8 ? 0 : 0);
            uint64_t stretch = i == 8 ? r->arg2 : 0;
            add(v, s + T / 4, sda, bit_v);
            add(v, s + T / 2 + stretch, scl, 1);
            add(v, s + T + stretch - T / 8, scl, 0);
        }
        break;
    case SIM_TR_I2C_STOP:
        /* the record closes the STOP's bit time: draw it in that bit time,
         * so that the bus is idle (both high) from the record on and the
         * next START (drawn after its record) never overlaps it */
        add(v, t - 3 * T / 4, sda, 0);
        add(v, t - T / 2, scl, 1);
        add(v, t - T / 4, sda, 1);
        break;
    default:
        break;
    }
}

/* Names declared so far: tools that read VCD (sigrok, GTKWave's search)
 * flatten the scopes, so a name is declared once in the whole file. */
typedef struct names {
    char **v;
    size_t n, cap;
} names_t;

static bool names_has(const names_t *d, const char *s)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->v[i], s) == 0)
            return true;
    return false;
}

static void declare(FILE *f, names_t *d, uint32_t sig, const char *scope,
                    const char *name, const char *suffix)
{
    char id[8], buf[160];
    snprintf(buf, sizeof buf, "%s%s", name, suffix);
    if (names_has(d, buf)) /* b1's "ir" next to b0's "ir": "b1_ir" */
        snprintf(buf, sizeof buf, "%s_%s%s", scope, name, suffix);
    if (names_has(d, buf))
        snprintf(buf, sizeof buf, "%s_%s%s_%u", scope, name, suffix,
                 (unsigned)sig);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        if (d->v == NULL)
            abort();
    }
    d->v[d->n] = sim__alloc(strlen(buf) + 1);
    strcpy(d->v[d->n++], buf);
    ident(sig, id);
    fprintf(f, "$var wire 1 %s %s $end\n", id, buf);
}

/* A pin that is wired to an earlier pin of the same name (a model's end of
 * the board's wire, e.g. the LCD's lcd_rs) shows the same level: it is
 * declared once.  alias[i] is the pin whose signal stands for pin i. */
static uint32_t *pin_aliases(sim_t *sim)
{
    uint32_t *alias = sim__alloc((sim->pins.n + 1) * sizeof *alias);
    for (size_t i = 0; i < sim->pins.n; i++) {
        const sim_pin_t *p = sim->pins.v[i];
        alias[i] = (uint32_t)i;
        for (size_t j = 0; j < i; j++) {
            const sim_pin_t *q = sim->pins.v[j];
            if (q->net == p->net && alias[j] == j && p->name && q->name &&
                strcmp(p->name, q->name) == 0) {
                alias[i] = (uint32_t)j;
                break;
            }
        }
    }
    return alias;
}

static void header(sim_t *sim, FILE *f, const layout_t *L, unsigned ts,
                   const uint32_t *alias)
{
    names_t d = {0};
    fprintf(f, "$comment uasync sim seed %llu $end\n$timescale 1 %s $end\n",
            (unsigned long long)sim->seed, ts == 1000 ? "us" : "ns");
    for (size_t b = 0; b <= sim->boards.n; b++) {
        unsigned bi = b < sim->boards.n ? (unsigned)b : SIM_NO_BOARD;
        const char *scope =
            b < sim->boards.n ? sim_board_name(sim->boards.v[b]) : "models";
        fprintf(f, "$scope module %s $end\n", scope);
        for (size_t i = 0; i < sim->pins.n; i++) {
            const sim_pin_t *p = sim->pins.v[i];
            if ((p->board ? p->board->index : SIM_NO_BOARD) != bi || alias[i] != i)
                continue;
            char pn[24];
            snprintf(pn, sizeof pn, "pin%zu", i);
            declare(f, &d, (uint32_t)i, scope, p->name ? p->name : pn, "");
        }
        for (size_t i = 0; i < sim->uarts.n; i++) {
            int ub = sim__uart_board(sim->uarts.v[i]);
            if ((ub < 0 ? SIM_NO_BOARD : (unsigned)ub) != bi)
                continue;
            const char *n = sim__uart_name(sim->uarts.v[i]);
            declare(f, &d, L->uart0 + 2 * (uint32_t)i, scope, n, "_tx");
            declare(f, &d, L->uart0 + 2 * (uint32_t)i + 1, scope, n, "_rx");
        }
        for (size_t i = 0; i < sim->buses.n; i++) {
            if ((unsigned)sim__i2c_board(sim->buses.v[i]) != bi)
                continue;
            const char *n = sim__i2c_name(sim->buses.v[i]);
            declare(f, &d, L->bus0 + 2 * (uint32_t)i, scope, n, "_scl");
            declare(f, &d, L->bus0 + 2 * (uint32_t)i + 1, scope, n, "_sda");
        }
        for (size_t i = 0; i < sim->ntasks; i++) {
            if (sim->tasks[i].board != bi)
                continue;
            char tn[96];
            if (sim->tasks[i].name)
                snprintf(tn, sizeof tn, "task_%s", sim->tasks[i].name);
            else
                snprintf(tn, sizeof tn, "task%zu", i + 1);
            declare(f, &d, L->task0 + (uint32_t)i, scope, tn, "");
        }
        fputs("$upscope $end\n", f);
    }
    fputs("$enddefinitions $end\n", f);
    for (size_t i = 0; i < d.n; i++)
        free(d.v[i]);
    free(d.v);
}

int sim_export_vcd_fp(sim_t *sim, FILE *f, unsigned timescale_ns)
{
    layout_t L;
    vcd_t v = {0};
    unsigned ts = timescale_ns >= 1000 ? 1000 : 1;
    uint64_t *bit = sim__alloc((sim->buses.n + 1) * sizeof *bit);

    sim__trace_sort(sim);
    L.uart0 = (uint32_t)sim->pins.n;
    L.bus0 = L.uart0 + 2 * (uint32_t)sim->uarts.n;
    L.task0 = L.bus0 + 2 * (uint32_t)sim->buses.n;
    L.total = L.task0 + (uint32_t)sim->ntasks;
    for (size_t i = 0; i < sim->ntr; i++) {
        const sim_trace_rec_t *r = &sim->tr[i];
        switch (r->kind) {
        case SIM_TR_PIN:
            add(&v, r->t_ns, r->obj, (int)r->arg);
            break;
        case SIM_TR_UART_TX:
        case SIM_TR_UART_RX:
            uart_wave(&v, L.uart0 + 2 * r->obj + (r->kind == SIM_TR_UART_RX),
                      r);
            break;
        case SIM_TR_I2C_START:
        case SIM_TR_I2C_BYTE:
        case SIM_TR_I2C_STOP:
            i2c_wave(&v, L.bus0 + 2 * r->obj, r, &bit[r->obj]);
            break;
        case SIM_TR_STEP:
            if (r->arg > 0 && r->obj > 0) {
                add(&v, r->t_ns, L.task0 + r->obj - 1, 1);
                add(&v, r->t_ns + r->arg, L.task0 + r->obj - 1, 0);
            }
            break;
        default:
            break;
        }
    }
    if (v.n > 1) /* v.c is NULL when nothing changed: qsort wants an array */
        qsort(v.c, v.n, sizeof *v.c, cmp_change);
    uint32_t *alias = pin_aliases(sim);
    header(sim, f, &L, ts, alias);

    /* Initial values: pins and tasks 0, lines idle 1, then what changed at 0. */
    uint8_t *cur = sim__alloc(L.total + 1);
    char id[8];
    for (uint32_t s = L.uart0; s < L.task0; s++)
        cur[s] = 1;
    size_t i0 = 0;
    for (; i0 < v.n && v.c[i0].t / ts == 0; i0++)
        cur[v.c[i0].sig] = v.c[i0].val; /* changes at 0 are initial values */
    sim_out_t *o = sim__alloc(sizeof *o);
    o->f = f;
    sim_out_str(o, "#0\n$dumpvars\n");
    for (uint32_t s = 0; s < L.total; s++) {
        if (s < L.uart0 && alias[s] != s)
            continue; /* not declared: its net-mate stands for it */
        ident(s, id);
        sim_out_u64(o, cur[s]);
        sim_out_str(o, id);
        sim_out_char(o, '\n');
    }
    sim_out_str(o, "$end\n");
    uint64_t last_t = 0;
    for (size_t i = i0; i < v.n; i++) {
        const change_t *c = &v.c[i];
        if (cur[c->sig] == c->val || (c->sig < L.uart0 && alias[c->sig] != c->sig))
            continue;
        uint64_t t = c->t / ts;
        if (t != last_t) {
            sim_out_char(o, '#');
            sim_out_u64(o, t);
            sim_out_char(o, '\n');
            last_t = t;
        }
        cur[c->sig] = c->val;
        ident(c->sig, id);
        sim_out_u64(o, c->val);
        sim_out_str(o, id);
        sim_out_char(o, '\n');
    }
    /* The end mark: after the simulated time and after the last change
     * (a UART frame or a task step may be drawn past it); VCD times never
     * go backwards. */
    uint64_t end = sim->now / ts + 1;
    sim_out_char(o, '#');
    sim_out_u64(o, end > last_t ? end : last_t + 1);
    sim_out_char(o, '\n');
    sim_out_flush(o);
    free(o);
    free(alias);
    free(cur);
    free(bit);
    free(v.c);
    return ferror(f) ? UA_EIO : 0;
}

int sim_export_vcd(sim_t *sim, const char *path, unsigned timescale_ns)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        sim__error(sim, "cannot write %s", path);
        return UA_EIO;
    }
    int st = sim_export_vcd_fp(sim, f, timescale_ns);
    return fclose(f) != 0 ? UA_EIO : st;
}
