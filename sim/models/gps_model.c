/* GPS receiver model (see gps_model.h). */
#include "gps_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gps_model_init(gps_model_t *m, sim_t *sim, sim_uart_t *uart,
                    const gps_model_point_t *track, size_t npoints)
{
    memset(m, 0, sizeof *m);
    m->sim = sim;
    m->uart = uart;
    m->track = track;
    m->npoints = npoints;
    m->period_ms = 1000;
    m->mask = GPS_MODEL_RMC | GPS_MODEL_VTG | GPS_MODEL_GGA | GPS_MODEL_GSA |
              GPS_MODEL_GSV;
    m->pps_off_from_ms = m->pps_off_to_ms = UINT32_MAX;
    m->fix_lost_ms = UINT32_MAX;
    m->sats = 8;
    m->acq_ma = 25.0;    /* PA6H: acquisition */
    m->track_ma = 20.0;  /* tracking */
    m->standby_ma = 0.2; /* PMTK161 standby */
}

void gps_model_state(const gps_model_t *m, uint32_t t_ms, double *lat,
                     double *lon, double *alt, double *speed, double *course)
{
    size_t i = 0;
    while (i + 2 < m->npoints && m->track[i + 1].t_ms <= t_ms)
        i++;
    const gps_model_point_t *a = &m->track[i];
    const gps_model_point_t *b = m->npoints > 1 ? &m->track[i + 1] : a;
    double span = b->t_ms > a->t_ms ? (double)(b->t_ms - a->t_ms) : 1.0;
    double f = t_ms <= a->t_ms ? 0.0 : (t_ms - a->t_ms) / span;
    if (f > 1.0)
        f = 1.0;
    *lat = a->lat + (b->lat - a->lat) * f;
    *lon = a->lon + (b->lon - a->lon) * f;
    *alt = a->alt_m + (b->alt_m - a->alt_m) * f;
    *speed = a->speed_mps;
    *course = a->course_deg;
}

/* "ddmm.mmmmm,N" with 5 decimals of minutes. */
static int coord(char *out, size_t cap, double deg, int ddigits, char pos,
                 char neg)
{
    long long v = (long long)((deg < 0 ? -deg : deg) * 6e6 + 0.5);
    return snprintf(out, cap, "%0*lld%02lld.%05lld,%c", ddigits,
                    v / 6000000, v / 100000 % 60, v % 100000,
                    deg < 0 ? neg : pos);
}

static size_t put(gps_model_t *m, char *out, size_t cap, const char *body)
{
    uint8_t sum = 0;
    for (const char *c = body; *c; c++)
        sum ^= (uint8_t)*c;
    if (m->corrupt_next > 0) {
        m->corrupt_next--;
        sum ^= 0x5A;
    }
    m->sentences++;
    int n = snprintf(out, cap, "$%s*%02X\r\n", body, sum);
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t gps_model_format(gps_model_t *m, uint32_t t_ms, char *out, size_t cap)
{
    double lat, lon, alt, spd, crs;
    char la[32], lo[32], body[128], tm[16];
    size_t n = 0;
    bool fix = t_ms >= m->track[0].t_ms && t_ms < m->fix_lost_ms;

    gps_model_state(m, t_ms, &lat, &lon, &alt, &spd, &crs);
    uint32_t s = 12 * 3600 + t_ms / 1000;
    snprintf(tm, sizeof tm, "%02u%02u%02u.%02u", s / 3600 % 24, s / 60 % 60,
             s % 60, t_ms % 1000 / 10);
    coord(la, sizeof la, lat, 2, 'N', 'S');
    coord(lo, sizeof lo, lon, 3, 'E', 'W');
    double kn = spd * 3600.0 / 1852.0;
    unsigned used = m->sats < 12 ? m->sats : 12;
    out[0] = '\0';
    if (m->mask & GPS_MODEL_RMC) {
        if (fix)
            snprintf(body, sizeof body, "GPRMC,%s,A,%s,%s,%.3f,%.2f,010324,,,A",
                     tm, la, lo, kn, crs);
        else
            snprintf(body, sizeof body, "GPRMC,%s,V,,,,,,,010324,,,N", tm);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_MODEL_VTG) {
        snprintf(body, sizeof body, fix ? "GPVTG,%.2f,T,,M,%.3f,N,%.3f,K,A"
                                        : "GPVTG,,T,,M,,N,,K,N",
                 crs, kn, spd * 3.6);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_MODEL_GGA) {
        if (fix)
            snprintf(body, sizeof body, "GPGGA,%s,%s,%s,1,%02u,0.90,%.1f,M,"
                     "46.9,M,,", tm, la, lo, used, alt);
        else
            snprintf(body, sizeof body, "GPGGA,%s,,,,,0,00,,,M,,M,,", tm);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_MODEL_GSA) {
        int k = snprintf(body, sizeof body, "GPGSA,A,%d", fix ? 3 : 1);
        for (unsigned i = 0; i < 12; i++)
            k += snprintf(body + k, sizeof body - (size_t)k,
                          fix && i < used ? ",%02u" : ",", i + 1);
        snprintf(body + k, sizeof body - (size_t)k,
                 fix ? ",1.50,0.90,1.20" : ",,,");
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_MODEL_GLL) {
        if (fix)
            snprintf(body, sizeof body, "GPGLL,%s,%s,%s,A,A", la, lo, tm);
        else
            snprintf(body, sizeof body, "GPGLL,,,,,%s,V,N", tm);
        n += put(m, out + n, cap - n, body);
    }
    if ((m->mask & GPS_MODEL_GSV) && m->sats > 0) {
        unsigned total = (m->sats + 3u) / 4u;
        for (unsigned s4 = 0; s4 < total; s4++) {
            int k = snprintf(body, sizeof body, "GPGSV,%u,%u,%02u", total,
                             s4 + 1, m->sats);
            for (unsigned i = s4 * 4; i < m->sats && i < s4 * 4 + 4; i++)
                k += snprintf(body + k, sizeof body - (size_t)k,
                              ",%02u,%02u,%03u,%02u", i + 1, 10 + i * 7 % 80,
                              i * 45 % 360, fix ? 30 + i % 20 : 0);
            n += put(m, out + n, cap - n, body);
        }
    }
    if (m->mask & GPS_MODEL_ZDA) {
        snprintf(body, sizeof body, "GPZDA,%s,01,03,2024,00,00", tm);
        n += put(m, out + n, cap - n, body);
    }
    if (m->antenna_reports)
        n += put(m, out + n, cap - n, "PGTOP,11,3");
    return n;
}

static bool has_fix(const gps_model_t *m, uint32_t t_ms)
{
    return t_ms >= m->track[0].t_ms && t_ms < m->fix_lost_ms;
}

/* The supply current the receiver draws in its state at track time t_ms. */
static void power_update(gps_model_t *m, uint32_t t_ms)
{
    if (m->power != NULL)
        sim_power_load_set(m->power, m->standby       ? m->standby_ma
                                     : has_fix(m, t_ms) ? m->track_ma
                                                        : m->acq_ma);
}

static uint32_t track_ms_now(const gps_model_t *m)
{
    uint64_t now = sim_now(m->sim);
    return now <= m->start_ns ? 0 : (uint32_t)((now - m->start_ns) / SIM_MS);
}

static void pps_fall(sim_t *sim, void *arg, uint64_t k)
{
    (void)sim;
    (void)k;
    sim_source_set(((gps_model_t *)arg)->pps, 0);
}

/* A pulse at every whole second of track time (true time). */
static void pps_edge(sim_t *sim, void *arg, uint64_t s)
{
    gps_model_t *m = arg;
    uint32_t t_ms = (uint32_t)s * 1000u;
    uint64_t t = m->start_ns + s * SIM_S;
    if (has_fix(m, t_ms) && !m->standby &&
        !(t_ms >= m->pps_off_from_ms && t_ms < m->pps_off_to_ms)) {
        sim_source_set(m->pps, 1);
        m->pulses++;
        sim_at(sim, t + (uint64_t)m->pps_width_ms * SIM_MS, pps_fall, m, 0);
    }
    if (t_ms + 1000u <= m->track[m->npoints - 1].t_ms)
        sim_at(sim, t + SIM_S, pps_edge, m, s + 1);
}

static void epoch(sim_t *sim, void *arg, uint64_t k)
{
    gps_model_t *m = arg;
    static char burst[1024];
    (void)k;
    uint32_t t_ms = m->next_ms;
    uint64_t t = m->start_ns + (uint64_t)t_ms * SIM_MS;
    power_update(m, t_ms);
    if (!m->standby) {
        size_t n = gps_model_format(m, t_ms, burst, sizeof burst);
        sim_uart_feed(m->uart, t, (const uint8_t *)burst, n);
        m->epochs++;
    }
    m->next_ms = t_ms + m->period_ms;
    if (m->next_ms <= m->track[m->npoints - 1].t_ms)
        sim_at(sim, t + (uint64_t)m->period_ms * SIM_MS, epoch, m, 0);
}

void gps_model_start(gps_model_t *m, uint64_t t_ns)
{
    m->start_ns = t_ns;
    m->next_ms = 0;
    if (m->power == NULL) /* NULL when no board owns the UART */
        m->power = sim_power_load_on_uart(m->uart, "gps", m->acq_ma);
    sim_at(m->sim, t_ns, epoch, m, 0);
    if (m->pps != NULL)
        sim_at(m->sim, t_ns, pps_edge, m, 0);
}

void gps_model_set_pps(gps_model_t *m, sim_pin_t *pin, uint32_t width_ms)
{
    m->pps = sim_source_new(pin);
    sim_source_set(m->pps, 0);
    m->pps_width_ms = width_ms;
}

/* --- Commands ------------------------------------------------------------ */

static void answer(gps_model_t *m, const char *body)
{
    char out[128];
    uint8_t sum = 0;
    for (const char *c = body; *c; c++)
        sum ^= (uint8_t)*c;
    int n = snprintf(out, sizeof out, "$%s*%02X\r\n", body, sum);
    sim_uart_feed(m->uart, sim_now(m->sim) + SIM_MS, (const uint8_t *)out,
                  (size_t)n);
}

static void ack(gps_model_t *m, unsigned cmd, int flag)
{
    char body[32];
    snprintf(body, sizeof body, "PMTK001,%u,%d", cmd, flag);
    m->acks++;
    answer(m, body);
}

static void startup(sim_t *sim, void *arg, uint64_t k)
{
    (void)sim;
    (void)k;
    gps_model_t *m = arg;
    char out[32];
    snprintf(out, sizeof out, "$PMTK010,001*2E\r\n");
    sim_uart_feed(m->uart, sim_now(m->sim), (const uint8_t *)out, strlen(out));
}

/* Obey one checked command line (without '$' and "*hh"). */
static void obey(gps_model_t *m, char *body)
{
    char *f[24];
    unsigned nf = 0;
    for (char *c = body; nf < 24;) {
        f[nf++] = c;
        c = strchr(c, ',');
        if (c == NULL)
            break;
        *c++ = '\0';
    }
    m->commands++;
    if (strcmp(f[0], "PGCMD") == 0) {
        if (nf >= 3 && strcmp(f[1], "33") == 0)
            m->antenna_reports = strcmp(f[2], "1") == 0;
        return;
    }
    if (strncmp(f[0], "PMTK", 4) != 0)
        return;
    unsigned cmd = (unsigned)atoi(f[0] + 4);
    switch (cmd) {
    case 220: {
        long ms = nf >= 2 ? atol(f[1]) : 0;
        if (ms < 100 || ms > 10000) {
            ack(m, cmd, 2);
            return;
        }
        m->period_ms = (uint32_t)ms;
        ack(m, cmd, 3);
        return;
    }
    case 314: {
        static const uint32_t bit[19] = {
            GPS_MODEL_GLL, GPS_MODEL_RMC, GPS_MODEL_VTG, GPS_MODEL_GGA,
            GPS_MODEL_GSA, GPS_MODEL_GSV, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            GPS_MODEL_ZDA, 0};
        if (nf < 7) {
            ack(m, cmd, 2);
            return;
        }
        uint32_t mask = 0;
        for (unsigned i = 0; i + 1 < nf && i < 19; i++)
            if (atoi(f[i + 1]) > 0)
                mask |= bit[i];
        m->mask = mask;
        ack(m, cmd, 3);
        return;
    }
    case 251:
        /* No acknowledgement (MTK receivers switch at once): from the next
         * byte the receiver listens at the new rate; its output follows
         * the line's rate, which the board switches when it follows. */
        m->baud = nf >= 2 ? (uint32_t)atol(f[1]) : 0;
        if (m->baud != 0 && m->rx != NULL)
            sim_uart_set_baud(m->rx, m->baud);
        return;
    case 101: case 102: case 103: case 104:
        m->restarts++;
        sim_at(m->sim, sim_now(m->sim) + 100 * SIM_MS, startup, m, 0);
        return;
    case 161:
        m->standby = true;
        power_update(m, track_ms_now(m));
        ack(m, cmd, 3);
        return;
    case 605:
        answer(m, "PMTK705,AXN_2.10_3339_2012072601,5223,PA6H,1.0");
        return;
    default:
        ack(m, cmd, 1);
        return;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void on_byte(void *arg, uint8_t byte, uint64_t t_ns)
{
    gps_model_t *m = arg;
    (void)t_ns;
    if (byte != '\r' && byte != '\n' && m->standby) {
        m->standby = false; /* the next sentence wakes an MTK receiver (the
                               line end of the standby command does not) */
        power_update(m, track_ms_now(m));
    }
    if (byte == '$') {
        m->line_len = 0;
        m->line[m->line_len++] = '$';
        return;
    }
    if (m->line_len == 0)
        return;
    if (byte == '\r' || byte == '\n') {
        m->line[m->line_len] = '\0';
        size_t n = m->line_len;
        m->line_len = 0;
        if (n < 5 || m->line[n - 3] != '*' || hexval(m->line[n - 2]) < 0 ||
            hexval(m->line[n - 1]) < 0) {
            m->bad_commands++;
            return;
        }
        uint8_t sum = 0;
        for (size_t i = 1; i < n - 3; i++)
            sum ^= (uint8_t)m->line[i];
        if (sum != hexval(m->line[n - 2]) * 16 + hexval(m->line[n - 1])) {
            m->bad_commands++;
            return;
        }
        m->line[n - 3] = '\0';
        obey(m, m->line + 1);
        return;
    }
    if (m->line_len + 1 < sizeof m->line)
        m->line[m->line_len++] = (char)byte;
    else
        m->line_len = 0; /* too long: dropped */
}

void gps_model_listen(gps_model_t *m, sim_uart_t *board_uart)
{
    m->rx = sim_uart_new(m->sim, "gps_rx", 9600);
    sim_uart_connect(board_uart, m->rx);
    sim_uart_on_rx(m->rx, on_byte, m);
}
