/*
 * VCD exporter: pins, UART lines redrawn bit by bit from the byte records,
 * I2C SDA/SCL redrawn from the transaction records, and one wire per task
 * that is high while the task's steps run.
 */
#include <string.h>

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
        add(v, t + T / 4, sda, 0);
        add(v, t + T / 2, scl, 1);
        add(v, t + 3 * T / 4, sda, 1);
        break;
    default:
        break;
    }
}

static void header(sim_t *sim, FILE *f, const layout_t *L, unsigned ts)
{
    char id[8];
    fprintf(f, "$comment uasync sim seed %llu $end\n$timescale 1 %s $end\n",
            (unsigned long long)sim->seed, ts == 1000 ? "us" : "ns");
    for (size_t b = 0; b <= sim->boards.n; b++) {
        unsigned bi = b < sim->boards.n ? (unsigned)b : SIM_NO_BOARD;
        fprintf(f, "$scope module %s $end\n",
                b < sim->boards.n ? sim_board_name(sim->boards.v[b]) : "models");
        for (size_t i = 0; i < sim->pins.n; i++) {
            const sim_pin_t *p = sim->pins.v[i];
            if ((p->board ? p->board->index : SIM_NO_BOARD) != bi)
                continue;
            ident((uint32_t)i, id);
            fprintf(f, "$var wire 1 %s %s $end\n", id, p->name);
        }
        for (size_t i = 0; i < sim->uarts.n; i++) {
            int ub = sim__uart_board(sim->uarts.v[i]);
            if ((ub < 0 ? SIM_NO_BOARD : (unsigned)ub) != bi)
                continue;
            const char *n = sim__uart_name(sim->uarts.v[i]);
            ident(L->uart0 + 2 * (uint32_t)i, id);
            fprintf(f, "$var wire 1 %s %s_tx $end\n", id, n);
            ident(L->uart0 + 2 * (uint32_t)i + 1, id);
            fprintf(f, "$var wire 1 %s %s_rx $end\n", id, n);
        }
        for (size_t i = 0; i < sim->buses.n; i++) {
            if ((unsigned)sim__i2c_board(sim->buses.v[i]) != bi)
                continue;
            const char *n = sim__i2c_name(sim->buses.v[i]);
            ident(L->bus0 + 2 * (uint32_t)i, id);
            fprintf(f, "$var wire 1 %s %s_scl $end\n", id, n);
            ident(L->bus0 + 2 * (uint32_t)i + 1, id);
            fprintf(f, "$var wire 1 %s %s_sda $end\n", id, n);
        }
        for (size_t i = 0; i < sim->ntasks; i++) {
            if (sim->tasks[i].board != bi)
                continue;
            ident(L->task0 + (uint32_t)i, id);
            if (sim->tasks[i].name)
                fprintf(f, "$var wire 1 %s task_%s $end\n", id,
                        sim->tasks[i].name);
            else
                fprintf(f, "$var wire 1 %s task%zu $end\n", id, i + 1);
        }
        fputs("$upscope $end\n", f);
    }
    fputs("$enddefinitions $end\n", f);
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
    qsort(v.c, v.n, sizeof *v.c, cmp_change);
    header(sim, f, &L, ts);

    /* Initial values: pins and tasks 0, lines idle 1, then what changed at 0. */
    uint8_t *cur = sim__alloc(L.total + 1);
    char id[8];
    for (uint32_t s = L.uart0; s < L.task0; s++)
        cur[s] = 1;
    size_t i0 = 0;
    for (; i0 < v.n && v.c[i0].t / ts == 0; i0++)
        cur[v.c[i0].sig] = v.c[i0].val; /* changes at 0 are initial values */
    fputs("#0\n$dumpvars\n", f);
    for (uint32_t s = 0; s < L.total; s++) {
        ident(s, id);
        fprintf(f, "%u%s\n", cur[s], id);
    }
    fputs("$end\n", f);
    uint64_t last_t = 0;
    for (size_t i = i0; i < v.n; i++) {
        const change_t *c = &v.c[i];
        if (cur[c->sig] == c->val)
            continue;
        uint64_t t = c->t / ts;
        if (t != last_t) {
            fprintf(f, "#%llu\n", (unsigned long long)t);
            last_t = t;
        }
        cur[c->sig] = c->val;
        ident(c->sig, id);
        fprintf(f, "%u%s\n", c->val, id);
    }
    fprintf(f, "#%llu\n", (unsigned long long)(sim->now / ts + 1));
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
