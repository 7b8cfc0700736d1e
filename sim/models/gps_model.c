/* GPS receiver model (see gps_model.h). */
#include "gps_model.h"

#include <stdio.h>
#include <string.h>

#include "gps_nmea.h"

void gps_model_init(gps_model_t *m, sim_t *sim, sim_uart_t *uart,
                    const gps_model_point_t *track, size_t npoints)
{
    memset(m, 0, sizeof *m);
    m->sim = sim;
    m->uart = uart;
    m->track = track;
    m->npoints = npoints;
    m->period_ms = 1000;
    m->mask = GPS_RMC | GPS_VTG | GPS_GGA | GPS_GSA | GPS_GSV;
    m->fix_lost_ms = UINT32_MAX;
    m->sats = 8;
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
    if (m->mask & GPS_RMC) {
        if (fix)
            snprintf(body, sizeof body, "GPRMC,%s,A,%s,%s,%.3f,%.2f,010324,,,A",
                     tm, la, lo, kn, crs);
        else
            snprintf(body, sizeof body, "GPRMC,%s,V,,,,,,,010324,,,N", tm);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_VTG) {
        snprintf(body, sizeof body, fix ? "GPVTG,%.2f,T,,M,%.3f,N,%.3f,K,A"
                                        : "GPVTG,,T,,M,,N,,K,N",
                 crs, kn, spd * 3.6);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_GGA) {
        if (fix)
            snprintf(body, sizeof body, "GPGGA,%s,%s,%s,1,%02u,0.90,%.1f,M,"
                     "46.9,M,,", tm, la, lo, used, alt);
        else
            snprintf(body, sizeof body, "GPGGA,%s,,,,,0,00,,,M,,M,,", tm);
        n += put(m, out + n, cap - n, body);
    }
    if (m->mask & GPS_GSA) {
        int k = snprintf(body, sizeof body, "GPGSA,A,%d", fix ? 3 : 1);
        for (unsigned i = 0; i < 12; i++)
            k += snprintf(body + k, sizeof body - (size_t)k,
                          fix && i < used ? ",%02u" : ",", i + 1);
        snprintf(body + k, sizeof body - (size_t)k,
                 fix ? ",1.50,0.90,1.20" : ",,,");
        n += put(m, out + n, cap - n, body);
    }
    if ((m->mask & GPS_GSV) && m->sats > 0) {
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
    return n;
}

static void epoch(sim_t *sim, void *arg, uint64_t k)
{
    gps_model_t *m = arg;
    static char burst[1024];
    uint32_t t_ms = (uint32_t)k * m->period_ms;
    size_t n = gps_model_format(m, t_ms, burst, sizeof burst);
    uint64_t t = m->start_ns + (uint64_t)t_ms * SIM_MS;
    sim_uart_feed(m->uart, t, (const uint8_t *)burst, n);
    m->epochs++;
    if (t_ms + m->period_ms <= m->track[m->npoints - 1].t_ms)
        sim_at(sim, t + (uint64_t)m->period_ms * SIM_MS, epoch, m, k + 1);
}

void gps_model_start(gps_model_t *m, uint64_t t_ns)
{
    m->start_ns = t_ns;
    sim_at(m->sim, t_ns, epoch, m, 0);
}
