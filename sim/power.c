/*
 * Power accounting: each board's CPU state (run, idle, deep) over virtual
 * time, the loads device models put on its supply, the charge both draw,
 * and the power records of the trace.  API in sim.h; hooks in power.h.
 */
#include <inttypes.h>
#include <string.h>

#include "power.h"
#include "sim_internal.h"

#define NS_PER_HOUR 3600000000000.0

struct sim_power_load {
    sim_board_t *board;
    uint32_t id; /* 1.. on its board: the trace's obj */
    char *name;
    double ma;
    uint64_t since;  /* charge accounted up to here */
    double ma_ns;    /* charge so far, mA x ns */
    double ma_low, ma_high; /* sim_power_pin_load */
};

struct sim_power {
    sim_board_t *b;
    double ma[SIM_POWER_STATES];
    uint64_t deep_min_ns;
    enum sim_power_state state;
    uint64_t since;     /* accounted up to here */
    uint64_t seg_start; /* start of the current period */
    int drawn;          /* state of the last period recorded, -1: none */
    bool pending;       /* running until sleep_at, then sleep_kind */
    uint64_t sleep_at;
    enum sim_power_state sleep_kind;
    uint64_t state_ns[SIM_POWER_STATES];
    double cpu_ma_ns;
    uint32_t wakeups;
    sim_vec_t loads;
};

static const char *const state_names[SIM_POWER_STATES] = {"run", "idle",
                                                          "deep"};

static bool current_ok(sim_t *sim, const char *what, double ma)
{
    if (ma >= 0.0 && ma <= SIM_POWER_MAX_MA) /* false for NaN too */
        return true;
    sim__error(sim, "%s current %g mA out of range [0, %g]", what, ma,
               SIM_POWER_MAX_MA);
    return false;
}

/* --- the CPU's states ---------------------------------------------------- */

static void account(sim_power_t *p, uint64_t t)
{
    if (t <= p->since)
        return;
    uint64_t d = t - p->since;
    p->state_ns[p->state] += d;
    p->cpu_ma_ns += p->ma[p->state] * (double)d;
    p->since = t;
}

static void record(sim_power_t *p, uint64_t t, uint32_t obj, uint32_t arg)
{
    sim_t *sim = p->b->sim;
    if (sim->tracing)
        sim__trace(sim, t, SIM_TR_POWER, p->b->index, obj, arg, 0);
}

/* Close the current period at t (accounted up to t) and open `next`.  A
 * period is recorded when it closes (or at a flush), only if it lasted and
 * differs from the last one recorded: zero-length periods between two of
 * the same state merge into one. */
static void transition(sim_power_t *p, uint64_t t, enum sim_power_state next)
{
    if (next == p->state)
        return;
    if (t > p->seg_start && (int)p->state != p->drawn) {
        record(p, p->seg_start, 0, p->state);
        p->drawn = (int)p->state;
    }
    p->state = next;
    p->seg_start = t;
}

static void advance(sim_power_t *p, uint64_t t)
{
    if (p->pending && p->sleep_at <= t) {
        account(p, p->sleep_at);
        p->pending = false;
        transition(p, p->sleep_at, p->sleep_kind);
    }
    account(p, t);
}

/* The state a board idle from t chooses: none (run) if it has work at t,
 * else deep sleep if offered and nothing is due within deep_min_ns, else
 * WFI.  sim__board_next() is when the loop next has work: a ready task, its
 * next deadline, SIM_FOREVER for none. */
static enum sim_power_state sleep_kind(const sim_power_t *p, uint64_t t)
{
    uint64_t next = sim__board_next(p->b);
    if (next <= t)
        return SIM_POWER_RUN;
    if (p->deep_min_ns == 0)
        return SIM_POWER_IDLE;
    if (next == SIM_FOREVER || next - t >= p->deep_min_ns)
        return SIM_POWER_DEEP;
    return SIM_POWER_IDLE;
}

sim_power_t *sim__power_new(sim_board_t *b)
{
    sim_power_t *p = sim__alloc(sizeof *p);
    p->b = b;
    p->ma[SIM_POWER_RUN] = SIM_POWER_DEFAULT_RUN_MA;
    p->ma[SIM_POWER_IDLE] = SIM_POWER_DEFAULT_IDLE_MA;
    p->ma[SIM_POWER_DEEP] = SIM_POWER_DEFAULT_DEEP_MA;
    p->since = p->seg_start = b->sim->now;
    p->drawn = -1;
    p->state = sleep_kind(p, b->sim->now);
    return p;
}

void sim__power_free(sim_power_t *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->loads.n; i++) {
        sim_power_load_t *l = p->loads.v[i];
        free(l->name);
        free(l);
    }
    free(p->loads.v);
    free(p);
}

void sim__power_wake(sim_board_t *b)
{
    sim_power_t *p = b->power;
    uint64_t now = b->sim->now;
    advance(p, now);
    p->pending = false;
    if (p->state != SIM_POWER_RUN) {
        p->wakeups++;
        transition(p, now, SIM_POWER_RUN);
    }
}

void sim__power_settle(sim_board_t *b)
{
    sim_power_t *p = b->power;
    uint64_t now = b->sim->now;
    advance(p, now);
    if (b->busy_until > now) {
        p->pending = true;
        p->sleep_at = b->busy_until;
        p->sleep_kind = sleep_kind(p, b->busy_until);
    } else {
        p->pending = false;
        transition(p, now, sleep_kind(p, now));
    }
}

void sim__power_flush(sim_t *sim)
{
    for (size_t i = 0; i < sim->boards.n; i++) {
        sim_power_t *p = ((sim_board_t *)sim->boards.v[i])->power;
        advance(p, sim->now);
        if (sim->now > p->seg_start && (int)p->state != p->drawn) {
            record(p, p->seg_start, 0, p->state);
            p->drawn = (int)p->state;
        }
    }
}

int sim_board_set_power(sim_board_t *b, double run_ma, double idle_ma,
                        double deep_ma, uint64_t deep_min_ns)
{
    sim_t *sim = b->sim;
    if (!current_ok(sim, "run", run_ma) || !current_ok(sim, "idle", idle_ma) ||
        !current_ok(sim, "deep", deep_ma))
        return UA_EINVAL;
    sim_power_t *p = b->power;
    advance(p, sim->now);
    p->ma[SIM_POWER_RUN] = run_ma;
    p->ma[SIM_POWER_IDLE] = idle_ma;
    p->ma[SIM_POWER_DEEP] = deep_ma;
    p->deep_min_ns = deep_min_ns;
    if (p->state != SIM_POWER_RUN) /* a sleeping board chooses again */
        transition(p, sim->now, sleep_kind(p, sim->now));
    else if (p->pending)
        p->sleep_kind = sleep_kind(p, p->sleep_at);
    return 0;
}

enum sim_power_state sim_board_power_state(sim_board_t *b)
{
    advance(b->power, b->sim->now);
    return b->power->state;
}

/* --- loads ------------------------------------------------------------------ */

static void load_account(sim_power_load_t *l, uint64_t t)
{
    if (t <= l->since)
        return;
    l->ma_ns += l->ma * (double)(t - l->since);
    l->since = t;
}

static void load_change(sim_power_load_t *l, uint64_t t, double ma)
{
    load_account(l, t);
    if (ma == l->ma)
        return;
    l->ma = ma;
    sim_power_t *p = l->board->power;
    double ua = ma * 1000.0 + 0.5;
    record(p, SIM_MAX(t, l->since), l->id,
           ua >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)ua);
}

sim_power_load_t *sim_power_load_new(sim_board_t *b, const char *name,
                                     double ma)
{
    /* the name is a word of the text trace: no spaces */
    if (name == NULL || name[0] == '\0' || strlen(name) > 32 ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_.-") != strlen(name)) {
        sim__error(b->sim, "power load name '%s': 1 to 32 of [A-Za-z0-9_.-]",
                   name ? name : "(null)");
        return NULL;
    }
    if (!current_ok(b->sim, name, ma))
        return NULL;
    sim_power_t *p = b->power;
    sim_power_load_t *l = sim__alloc(sizeof *l);
    l->board = b;
    l->name = sim__strdup(name);
    l->since = b->sim->now;
    sim__vec_push(&p->loads, l);
    l->id = (uint32_t)p->loads.n;
    l->ma = -1.0; /* so the first value is recorded */
    load_change(l, b->sim->now, ma);
    return l;
}

sim_power_load_t *sim_power_load_on_uart(sim_uart_t *u, const char *name,
                                         double ma)
{
    sim_board_t *b = sim__uart_owner(u);
    if (b == NULL)
        return NULL; /* a model's UART: no board supply to draw from */
    return sim_power_load_new(b, name, ma);
}

int sim_power_load_set(sim_power_load_t *l, double ma)
{
    if (!current_ok(l->board->sim, l->name, ma))
        return UA_EINVAL;
    load_change(l, sim__now(l->board->sim), ma);
    return 0;
}

static void load_set_event(sim_t *sim, void *arg, uint64_t data)
{
    double ma;
    (void)sim;
    memcpy(&ma, &data, sizeof ma);
    sim_power_load_t *l = arg;
    load_change(l, sim->now, ma);
}

int sim_power_load_set_at(sim_power_load_t *l, uint64_t t_ns, double ma)
{
    if (!current_ok(l->board->sim, l->name, ma))
        return UA_EINVAL;
    uint64_t data;
    memcpy(&data, &ma, sizeof data);
    sim_at(l->board->sim, t_ns, load_set_event, l, data);
    return 0;
}

static void pin_load_watch(void *arg, int level, uint64_t t_ns)
{
    sim_power_load_t *l = arg;
    load_change(l, t_ns, level ? l->ma_high : l->ma_low);
}

sim_power_load_t *sim_power_pin_load(sim_board_t *b, sim_pin_t *pin,
                                     const char *name, double ma_low,
                                     double ma_high)
{
    if (!current_ok(b->sim, name ? name : "pin load", ma_low) ||
        !current_ok(b->sim, name ? name : "pin load", ma_high))
        return NULL;
    sim_power_load_t *l =
        sim_power_load_new(b, name, sim_pin_level(pin) ? ma_high : ma_low);
    if (l == NULL)
        return NULL;
    l->ma_low = ma_low;
    l->ma_high = ma_high;
    sim_pin_watch(pin, pin_load_watch, l);
    return l;
}

double sim_power_load_mah(sim_power_load_t *l)
{
    load_account(l, l->board->sim->now);
    return l->ma_ns / NS_PER_HOUR;
}

double sim_power_load_ma(const sim_power_load_t *l) { return l->ma; }

/* --- figures ------------------------------------------------------------------ */

void sim_board_power_stats(sim_board_t *b, sim_power_stats_t *out)
{
    sim_power_t *p = b->power;
    uint64_t now = b->sim->now;
    advance(p, now);
    memset(out, 0, sizeof *out);
    for (int s = 0; s < SIM_POWER_STATES; s++) {
        out->state_ns[s] = p->state_ns[s];
        out->total_ns += p->state_ns[s];
    }
    out->wakeups = p->wakeups;
    out->cpu_mah = p->cpu_ma_ns / NS_PER_HOUR;
    for (size_t i = 0; i < p->loads.n; i++)
        out->loads_mah += sim_power_load_mah(p->loads.v[i]);
    out->mah = out->cpu_mah + out->loads_mah;
    if (out->total_ns > 0)
        out->avg_ma = out->mah * NS_PER_HOUR / (double)out->total_ns;
}

/* ns as milliseconds with 6 decimals, exactly (no floating point). */
static void ms6(char *buf, size_t n, uint64_t ns)
{
    snprintf(buf, n, "%" PRIu64 ".%06" PRIu64, (uint64_t)(ns / SIM_MS),
             (uint64_t)(ns % SIM_MS));
}

int sim_print_power_summary(sim_t *sim, FILE *f)
{
    char t[32];
    ms6(t, sizeof t, sim->now);
    fprintf(f, "# power at %s ms\n# %-8s %-12s %14s %7s %10s %14s\n", t,
            "board", "part", "ms", "share", "mA", "mAh");
    for (size_t i = 0; i < sim->boards.n; i++) {
        sim_board_t *b = sim->boards.v[i];
        sim_power_t *p = b->power;
        sim_power_stats_t st;
        sim_board_power_stats(b, &st);
        for (int s = 0; s < SIM_POWER_STATES; s++) {
            double share = st.total_ns ? 100.0 * (double)st.state_ns[s] /
                                             (double)st.total_ns
                                       : 0.0;
            ms6(t, sizeof t, st.state_ns[s]);
            fprintf(f, "  %-8s %-12s %14s %6.2f%% %10.3f %14.9f\n", b->name,
                    state_names[s], t, share, p->ma[s],
                    p->ma[s] * (double)st.state_ns[s] / NS_PER_HOUR);
        }
        for (size_t k = 0; k < p->loads.n; k++) {
            sim_power_load_t *l = p->loads.v[k];
            double mah = sim_power_load_mah(l);
            double avg = st.total_ns ? mah * NS_PER_HOUR / (double)st.total_ns
                                     : 0.0;
            fprintf(f, "  %-8s %-12s %14s %7s %10.3f %14.9f  (load, average)\n",
                    b->name, l->name, "", "", avg, mah);
        }
        ms6(t, sizeof t, st.total_ns);
        fprintf(f, "  %-8s %-12s %14s %7s %10.3f %14.9f  (average; %" PRIu32
                   " wake-ups)\n",
                b->name, "total", t, "", st.avg_ma, st.mah, st.wakeups);
    }
    return ferror(f) ? UA_EIO : (int)sim->boards.n;
}

/* --- trace text ------------------------------------------------------------- */

void sim__power_text(const sim_t *sim, sim_sbuf_t *sb, const sim_trace_rec_t *r)
{
    if (r->obj == 0) {
        sim__sbuf_printf(sb, "cpu %s",
                         r->arg < SIM_POWER_STATES ? state_names[r->arg] : "?");
        return;
    }
    const sim_board_t *b = sim__vec_get(&sim->boards, r->board);
    const sim_power_load_t *l =
        b ? sim__vec_get(&b->power->loads, r->obj - 1) : NULL;
    sim__sbuf_printf(sb, "load%u:%s ua=%u", r->obj, l ? l->name : "?", r->arg);
}
