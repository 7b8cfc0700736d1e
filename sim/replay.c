/*
 * Replay of recorded waveforms: VCD (scalar wires) and LIRC mode2.
 */
#include <ctype.h>
#include <string.h>

#include "sim_internal.h"

static char *read_file(sim_t *sim, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sim__error(sim, "cannot open %s", path);
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
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* "1 us", "10ns", "1 ps" -> ns per unit times 1000 (so 1 ps = 1). */
static uint64_t timescale_ps(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    static const struct { const char *u; uint64_t ps; } units[] = {
        {"fs", 0}, {"ps", 1}, {"ns", 1000}, {"us", 1000000},
        {"ms", 1000000000ull}, {"s", 1000000000000ull},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strncmp(end, units[i].u, strlen(units[i].u)) == 0)
            return v * units[i].ps;
    return 0;
}

long sim_replay_vcd(sim_pin_t *pin, const char *path, const char *signal,
                    uint64_t t0_ns)
{
    sim_t *sim = pin->sim;
    char *text = read_file(sim, path);
    if (text == NULL)
        return UA_EIO;
    uint64_t ps = 1000000; /* default 1 us */
    char id[64] = "";
    uint64_t t = 0, first = UINT64_MAX;
    long edges = 0;
    int last = -2;
    sim_source_t *src = NULL;
    char *save = NULL;

    for (char *tok = strtok_r(text, " \t\r\n", &save); tok;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (strcmp(tok, "$timescale") == 0) {
            char buf[64] = "";
            while ((tok = strtok_r(NULL, " \t\r\n", &save)) &&
                   strcmp(tok, "$end") != 0)
                strncat(buf, tok, sizeof buf - strlen(buf) - 1);
            ps = timescale_ps(buf);
        } else if (strcmp(tok, "$var") == 0) {
            char *f[4] = {0};
            for (int i = 0; i < 4; i++)
                f[i] = strtok_r(NULL, " \t\r\n", &save);
            if (f[3] && id[0] == '\0' && strcmp(f[1], "1") == 0 &&
                (signal == NULL || strcmp(f[3], signal) == 0))
                snprintf(id, sizeof id, "%s", f[2]);
            while ((tok = strtok_r(NULL, " \t\r\n", &save)) &&
                   strcmp(tok, "$end") != 0) {
            }
        } else if (tok[0] == '$' && strcmp(tok, "$dumpvars") != 0 &&
                   strcmp(tok, "$end") != 0) {
            while ((tok = strtok_r(NULL, " \t\r\n", &save)) &&
                   strcmp(tok, "$end") != 0) {
            }
        } else if (tok[0] == '#') {
            t = strtoull(tok + 1, NULL, 10);
        } else if (strchr("01xXzZ", tok[0]) && id[0] &&
                   strcmp(tok + 1, id) == 0) {
            int level = tok[0] == '0' ? 0 : tok[0] == '1' ? 1 : SIM_Z;
            if (level == last)
                continue;
            if (first == UINT64_MAX)
                first = t;
            if (src == NULL)
                src = sim_source_new(pin);
            uint64_t rel = (t - first) * ps / 1000;
            sim_source_at(src, t0_ns + rel, level);
            if (last != -2)
                edges++;
            last = level;
        }
    }
    free(text);
    if (ps == 0 || id[0] == '\0') {
        sim__error(sim, "%s: %s", path,
                   ps == 0 ? "bad timescale" : "signal not found");
        return UA_EINVAL;
    }
    return edges;
}

long sim_replay_mode2(sim_pin_t *pin, const char *path, uint64_t t0_ns)
{
    sim_t *sim = pin->sim;
    char *text = read_file(sim, path);
    if (text == NULL)
        return UA_EIO;
    sim_source_t *src = sim_source_new(pin);
    uint64_t t = t0_ns;
    long edges = 0;
    char *save = NULL;
    bool first = true, was_pulse = false;

    sim_source_set(src, 1);
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char word[16];
        unsigned long us;
        if (sscanf(line, "%15s %lu", word, &us) != 2)
            continue;
        bool pulse = strcmp(word, "pulse") == 0;
        if (!pulse && strcmp(word, "space") != 0)
            continue;
        if (first && !pulse)
            continue; /* a leading space is just the idle before the mark */
        first = false;
        sim_source_at(src, t, pulse ? 0 : 1);
        edges += pulse != was_pulse;
        was_pulse = pulse;
        t += (uint64_t)us * SIM_US;
    }
    if (was_pulse) {
        sim_source_at(src, t, 1);
        edges++;
    }
    free(text);
    if (first) {
        sim__error(sim, "%s: no pulse", path);
        return UA_EINVAL;
    }
    return edges;
}
