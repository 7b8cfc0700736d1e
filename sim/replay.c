/*
 * Replay of recorded waveforms: VCD (scalar wires) and LIRC mode2.
 *
 * Both readers check the whole file before scheduling anything: a line
 * they do not understand, a duration that is not a whole positive number,
 * or a VCD timestamp that goes backwards is an error naming the file and
 * line (sim_last_error), and no edge of that file is scheduled.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

/* The longest mode2 pulse or space accepted: 100 s (captures hold ms). */
#define MODE2_MAX_US 100000000ul

static char *read_file(sim_t *sim, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sim__error(sim, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 4096, got;
    char *buf = sim__alloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            if (buf == NULL)
                abort();
        }
    }
    /* a directory opens, then fails to read (EISDIR) */
    if (ferror(f)) {
        sim__error(sim, "cannot read %s: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Edges collected before any is scheduled. */
typedef struct edges {
    struct { uint64_t t; int level; } *e;
    size_t n, cap;
} edges_t;

static void edge_add(edges_t *v, uint64_t t, int level)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 256;
        v->e = realloc(v->e, v->cap * sizeof *v->e);
        if (v->e == NULL)
            abort();
    }
    v->e[v->n].t = t;
    v->e[v->n].level = level;
    v->n++;
}

/* Whole decimal number in [s, end) with nothing else: 0 and *out, or -1. */
static int whole(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]) || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

/* --- VCD ------------------------------------------------------------------- */

typedef struct lexer {
    const char *p, *end;
    unsigned long line;
    const char *tok; /* current token (not terminated) */
    size_t len;
    unsigned long tok_line;
} lexer_t;

static bool next_tok(lexer_t *lx)
{
    while (lx->p < lx->end && isspace((unsigned char)*lx->p)) {
        if (*lx->p == '\n')
            lx->line++;
        lx->p++;
    }
    if (lx->p >= lx->end)
        return false;
    lx->tok = lx->p;
    lx->tok_line = lx->line;
    while (lx->p < lx->end && !isspace((unsigned char)*lx->p))
        lx->p++;
    lx->len = (size_t)(lx->p - lx->tok);
    return true;
}

static bool tok_is(const lexer_t *lx, const char *s)
{
    return lx->len == strlen(s) && memcmp(lx->tok, s, lx->len) == 0;
}

/* "1 us", "10ns", "1 ps" -> picoseconds per unit (0: not understood). */
static uint64_t timescale_ps(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || (v != 1 && v != 10 && v != 100))
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    static const struct { const char *u; uint64_t ps; } units[] = {
        {"ps", 1}, {"ns", 1000}, {"us", 1000000},
        {"ms", 1000000000ull}, {"s", 1000000000000ull},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].u) == 0)
            return v * units[i].ps;
    return 0;
}

long sim__replay_vcd_text(sim_pin_t *pin, const char *name, const char *text,
                          size_t n, const char *signal, uint64_t t0_ns)
{
    sim_t *sim = pin->sim;
    lexer_t lx = {text, text + n, 1, NULL, 0, 0};
    uint64_t ps = 1000000; /* default 1 us */
    char id[64] = "";
    uint64_t t = 0, first = UINT64_MAX;
    bool have_t = false;
    int last = -2;
    long count = 0;
    edges_t v = {0};

#define FAIL(...)                                                          \
    do {                                                                   \
        char msg_[160];                                                    \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                          \
        sim__error(sim, "%s:%lu: %s", name, lx.tok_line, msg_);            \
        free(v.e);                                                         \
        return UA_EINVAL;                                                  \
    } while (0)

    while (next_tok(&lx)) {
        if (tok_is(&lx, "$timescale")) {
            char buf[64] = "";
            unsigned long at = lx.tok_line;
            if (have_t) /* the times already read would change meaning */
                FAIL("$timescale after the first timestamp");
            while (next_tok(&lx) && !tok_is(&lx, "$end"))
                if (strlen(buf) + lx.len < sizeof buf)
                    strncat(buf, lx.tok, lx.len);
            ps = timescale_ps(buf);
            if (ps == 0) {
                lx.tok_line = at;
                FAIL("$timescale '%s' is not 1, 10 or 100 of s, ms, us, ns "
                     "or ps", buf);
            }
        } else if (tok_is(&lx, "$var")) {
            char f[4][64] = {"", "", "", ""};
            int k = 0;
            while (next_tok(&lx) && !tok_is(&lx, "$end"))
                if (k < 4)
                    snprintf(f[k++], sizeof f[0], "%.*s", (int)lx.len, lx.tok);
            if (k == 4 && id[0] == '\0' && strcmp(f[1], "1") == 0 &&
                (signal == NULL || strcmp(f[3], signal) == 0))
                snprintf(id, sizeof id, "%s", f[2]);
        } else if (tok_is(&lx, "$dumpvars") || tok_is(&lx, "$dumpon") ||
                   tok_is(&lx, "$dumpoff") || tok_is(&lx, "$dumpall") ||
                   tok_is(&lx, "$end")) {
            /* value changes follow as usual */
        } else if (lx.tok[0] == '$') {
            /* $comment, $date, $scope...: skip to $end */
            unsigned long at = lx.tok_line;
            const char *kw = lx.tok;
            int kwlen = (int)SIM_MIN(lx.len, 32);
            bool closed = false;
            while (next_tok(&lx))
                if (tok_is(&lx, "$end")) {
                    closed = true;
                    break;
                }
            if (!closed) {
                lx.tok_line = at;
                FAIL("%.*s without $end", kwlen, kw);
            }
        } else if (lx.tok[0] == '#') {
            uint64_t nt;
            if (whole(lx.tok + 1, lx.len - 1, &nt) != 0)
                FAIL("'%.*s' is not a timestamp (#N, N a whole number)",
                     (int)SIM_MIN(lx.len, 32), lx.tok);
            if (have_t && nt < t)
                FAIL("#%llu goes back in time (after #%llu)",
                     (unsigned long long)nt, (unsigned long long)t);
            t = nt;
            have_t = true;
        } else if (strchr("bBrR", lx.tok[0])) {
            /* a vector or real value, then its identifier */
            if (!next_tok(&lx))
                FAIL("%c value without an identifier", lx.tok[0]);
        } else if (strchr("01xXzZ", lx.tok[0])) {
            if (lx.len < 2)
                FAIL("value change '%c' without an identifier", lx.tok[0]);
            if (!id[0] || lx.len - 1 != strlen(id) ||
                memcmp(lx.tok + 1, id, lx.len - 1) != 0)
                continue;
            int level = lx.tok[0] == '0' ? 0 : lx.tok[0] == '1' ? 1 : SIM_Z;
            if (level == last)
                continue;
            if (first == UINT64_MAX)
                first = t;
            uint64_t d = t - first;
            if (d > UINT64_MAX / ps || d * ps / 1000 > UINT64_MAX - 1 - t0_ns)
                FAIL("#%llu is too late to replay (beyond 2^64 ns)",
                     (unsigned long long)t);
            edge_add(&v, t0_ns + d * ps / 1000, level);
            if (last != -2)
                count++;
            last = level;
        } else {
            FAIL("'%.*s' is not a VCD keyword, timestamp or value change",
                 (int)SIM_MIN(lx.len, 32), lx.tok);
        }
    }
#undef FAIL
    if (id[0] == '\0') {
        sim__error(sim, "%s: %s", name,
                   signal ? "signal not found (no 1-bit $var of that name)"
                          : "no 1-bit $var to replay");
        free(v.e);
        return UA_EINVAL;
    }
    sim_source_t *src = v.n ? sim_source_new(pin) : NULL;
    for (size_t i = 0; i < v.n; i++)
        sim_source_at(src, v.e[i].t, v.e[i].level);
    free(v.e);
    return count;
}

long sim_replay_vcd(sim_pin_t *pin, const char *path, const char *signal,
                    uint64_t t0_ns)
{
    size_t n;
    char *text = read_file(pin->sim, path, &n);
    if (text == NULL)
        return UA_EIO;
    long r = sim__replay_vcd_text(pin, path, text, n, signal, t0_ns);
    free(text);
    return r;
}

/* --- LIRC mode2 ---------------------------------------------------------------- */

long sim__replay_mode2_text(sim_pin_t *pin, const char *name, const char *text,
                            size_t n, uint64_t t0_ns)
{
    sim_t *sim = pin->sim;
    uint64_t t = t0_ns;
    long count = 0;
    bool first = true, was_pulse = false;
    edges_t v = {0};
    unsigned long lineno = 0;

    for (const char *p = text, *end = text + n; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        lineno++;
        const char *a = p, *b = stop;
        p = eol ? eol + 1 : end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a == b || *a == '#')
            continue; /* blank line or comment */
        const char *w = a;
        while (a < b && !isspace((unsigned char)*a))
            a++;
        size_t wlen = (size_t)(a - w);
        while (a < b && isspace((unsigned char)*a))
            a++;
        bool pulse = wlen == 5 && memcmp(w, "pulse", 5) == 0;
        bool space = (wlen == 5 && memcmp(w, "space", 5) == 0) ||
                     (wlen == 7 && memcmp(w, "timeout", 7) == 0);
        uint64_t us;
        if (!pulse && !space) {
            sim__error(sim, "%s:%lu: '%.*s': expected 'pulse N' or 'space N' "
                       "(N in us)", name, lineno, (int)SIM_MIN(b - w, 40), w);
            free(v.e);
            return UA_EINVAL;
        }
        if (whole(a, (size_t)(b - a), &us) != 0 || us == 0 || us > MODE2_MAX_US) {
            sim__error(sim, "%s:%lu: '%.*s': the duration must be a whole number "
                       "of us from 1 to %lu", name, lineno, (int)SIM_MIN(b - w, 40),
                       w, MODE2_MAX_US);
            free(v.e);
            return UA_EINVAL;
        }
        if (first && !pulse)
            continue; /* a leading space is just the idle before the mark */
        first = false;
        if (pulse != was_pulse)
            edge_add(&v, t, pulse ? 0 : 1);
        count += pulse != was_pulse;
        was_pulse = pulse;
        if (t > UINT64_MAX - 1 - us * SIM_US) {
            sim__error(sim, "%s:%lu: the recording runs past 2^64 ns", name, lineno);
            free(v.e);
            return UA_EINVAL;
        }
        t += us * SIM_US;
    }
    if (was_pulse) {
        edge_add(&v, t, 1);
        count++;
    }
    if (first) {
        sim__error(sim, "%s: no pulse", name);
        free(v.e);
        return UA_EINVAL;
    }
    sim_source_t *src = sim_source_new(pin);
    sim_source_set(src, 1);
    for (size_t i = 0; i < v.n; i++)
        sim_source_at(src, v.e[i].t, v.e[i].level);
    free(v.e);
    return count;
}

long sim_replay_mode2(sim_pin_t *pin, const char *path, uint64_t t0_ns)
{
    size_t n;
    char *text = read_file(pin->sim, path, &n);
    if (text == NULL)
        return UA_EIO;
    long r = sim__replay_mode2_text(pin, path, text, n, t0_ns);
    free(text);
    return r;
}
