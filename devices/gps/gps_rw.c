/* Commands to an MTK receiver (see gps_rw.h). */
#include "gps_rw.h"

#include <string.h>

enum { W_ACK = 1, W_VERSION, W_ANTENNA, W_STARTUP, W_DRAINED };

void gps_rw_init(gps_rw_t *rw, gps_t *gps, uint32_t baud,
                 gps_set_baud_fn set_baud, void *arg)
{
    memset(rw, 0, sizeof *rw);
    rw->gps = gps;
    rw->baud = baud;
    rw->set_baud = set_baud;
    rw->set_baud_arg = arg;
    rw->last_flag = -1;
    ua_event_init(&rw->answer);
    gps->rw = rw;
}

int gps_rw_format(const char *body, char *out, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(body);
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum ^= (uint8_t)body[i];
    if (len + 7 > n) { /* '$' body '*' hh CR LF NUL */
        if (n > 0)
            out[0] = '\0';
        return GPS_ETRUNC;
    }
    out[0] = '$';
    memcpy(out + 1, body, len);
    out[len + 1] = '*';
    out[len + 2] = hex[sum >> 4];
    out[len + 3] = hex[sum & 15];
    out[len + 4] = '\r';
    out[len + 5] = '\n';
    out[len + 6] = '\0';
    return (int)len + 6;
}

static unsigned number(const char *s)
{
    unsigned v = 0;
    for (; *s >= '0' && *s <= '9' && v < 100000; s++)
        v = v * 10 + (unsigned)(*s - '0');
    return v;
}

/* In the driver's task: a clean sentence the parser does not decode. */
void gps__rw_sentence(gps_rw_t *rw, const gps_nmea_t *p)
{
    const char *a = gps_nmea_field(p, 0);
    const char *f1 = gps_nmea_field(p, 1), *f2 = gps_nmea_field(p, 2);
    bool hit = false;

    if (strcmp(a, "PMTK001") == 0 && f1 != NULL && f2 != NULL) {
        if (rw->want == W_ACK && number(f1) == rw->want_cmd) {
            rw->last_flag = (int8_t)number(f2);
            hit = true;
        }
    } else if (strcmp(a, "PMTK705") == 0) {
        size_t k = 0;
        for (unsigned i = 1; gps_nmea_field(p, i) != NULL; i++) {
            const char *f = gps_nmea_field(p, i);
            size_t len = strlen(f);
            if (k + len + 2 > sizeof rw->version)
                break;
            if (i > 1)
                rw->version[k++] = ',';
            memcpy(rw->version + k, f, len);
            k += len;
        }
        rw->version[k] = '\0';
        hit = rw->want == W_VERSION;
    } else if (strcmp(a, "PGTOP") == 0 && f1 != NULL && f2 != NULL &&
               strcmp(f1, "11") == 0) {
        unsigned v = number(f2);
        rw->antenna = (uint8_t)(v >= 1 && v <= 3 ? v : GPS_ANTENNA_UNKNOWN);
        hit = rw->want == W_ANTENNA;
    } else if (strcmp(a, "PMTK010") == 0 && f1 != NULL &&
               strcmp(f1, "001") == 0) {
        rw->startups++;
        hit = rw->want == W_STARTUP;
    }
    if (hit && !rw->got) {
        rw->got = true;
        ua_event_set(&rw->answer);
    }
}

/* Send rw->tx and await the answer rw->want (the frame is rw). */
static int run(ua_task_t *self, gps_rw_t *rw)
{
    size_t n;
    UA_BEGIN(self, &rw->co);
    rw->tx_pos = 0;
    rw->got = false;
    rw->last_flag = -1;
    ua_event_clear(&rw->answer);
    ua_flag_clear(&rw->gps->tx_flag);
    for (;;) {
        n = ua_uart_write(rw->gps->uart, (const uint8_t *)rw->tx + rw->tx_pos,
                          rw->tx_len - rw->tx_pos);
        rw->tx_pos = (uint8_t)(rw->tx_pos + n);
        if (rw->tx_pos == rw->tx_len)
            break;
        /* The TX FIFO is full: wait until it drains. */
        UA_AWAIT(ua_flag_wait(self, &rw->gps->tx_flag, rw->timeout_ms));
    }
    rw->sent++;
    if (rw->want == W_DRAINED) {
        UA_AWAIT(ua_flag_wait(self, &rw->gps->tx_flag, rw->timeout_ms));
    } else if (rw->want != 0 && !rw->got) {
        int st;
        UA_AWAIT_STATUS(st, ua_event_wait(self, &rw->answer, rw->timeout_ms));
        if (st == UA_ETIMEDOUT && !rw->got) {
            rw->timeouts++;
            UA_THROW(UA_ETIMEDOUT);
        }
        if (st < 0 && !rw->got)
            UA_THROW(st);
    }
    if (rw->want == W_ACK) {
        switch (rw->last_flag) {
        case 3:
            rw->acked++;
            break;
        case 0:
            rw->refused++;
            UA_THROW(GPS_ECMDINVALID);
        case 1:
            rw->refused++;
            UA_THROW(GPS_ECMDUNSUPPORTED);
        default:
            rw->refused++;
            UA_THROW(GPS_ECMDFAILED);
        }
    }
UA_FINALLY
    rw->want = 0;
    rw->owner = NULL;
    UA_END();
}

/* Claim the receiver and prepare a command; 0, or an error to return. */
static int prepare(ua_task_t *self, gps_rw_t *rw, const char *body,
                   uint8_t want, int32_t timeout_ms)
{
    if (rw->owner != NULL && rw->owner != self)
        return UA_EBUSY;
    if (timeout_ms < 0 && timeout_ms != UA_FOREVER)
        return GPS_EBADARG;
    /* No task reads the answers, and the TX flag is not registered. */
    if (!gps_started(rw->gps))
        return GPS_ESTOPPED;
    int n = gps_rw_format(body, rw->tx, sizeof rw->tx);
    if (n < 0)
        return n;
    rw->tx_len = (uint8_t)n;
    rw->want = want;
    rw->want_cmd = 0;
    if (want == W_ACK)
        rw->want_cmd = (uint16_t)number(body + 4);
    rw->timeout_ms = timeout_ms;
    rw->owner = self;
    return 0;
}

/* First call (resume point 0): prepare; later calls: resume run. */
#define START(body, want)                                                      \
    do {                                                                       \
        if (rw->co.line == 0 || rw->owner != self) {                           \
            int st_ = prepare(self, rw, (body), (want), timeout_ms);           \
            if (st_ != 0)                                                      \
                return st_;                                                    \
        }                                                                      \
    } while (0)

/* Decimal into out. */
static char *put_num(char *out, unsigned v)
{
    char d[12];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *out++ = d[--n];
    *out = '\0';
    return out;
}

int gps_rw_command(ua_task_t *self, gps_rw_t *rw, const char *body,
                   int32_t timeout_ms)
{
    bool pmtk = strncmp(body, "PMTK", 4) == 0 && body[4] >= '0' &&
                body[4] <= '9';
    START(body, pmtk ? W_ACK : 0);
    return run(self, rw);
}

int gps_rw_update_interval(ua_task_t *self, gps_rw_t *rw, uint32_t ms,
                           int32_t timeout_ms)
{
    char body[24] = "PMTK220,";
    if (ms < 100 || ms > 10000)
        return GPS_EBADARG;
    put_num(body + 8, ms);
    START(body, W_ACK);
    return run(self, rw);
}

int gps_rw_enable(ua_task_t *self, gps_rw_t *rw, const gps_rw_rates_t *r,
                  int32_t timeout_ms)
{
    const uint8_t v[19] = {r->gll, r->rmc, r->vtg, r->gga, r->gsa, r->gsv,
                           0,      0,      0,      0,      0,      0,
                           0,      0,      0,      0,      0,      r->zda, 0};
    char body[64] = "PMTK314";
    char *o = body + 7;
    for (unsigned i = 0; i < 19; i++) {
        if (v[i] > 5)
            return GPS_EBADARG;
        *o++ = ',';
        o = put_num(o, v[i]);
    }
    START(body, W_ACK);
    return run(self, rw);
}

int gps_rw_restart(ua_task_t *self, gps_rw_t *rw, enum gps_restart kind,
                   int32_t timeout_ms)
{
    char body[12] = "PMTK";
    if (kind < GPS_HOT_START || kind > GPS_FULL_COLD_START)
        return GPS_EBADARG;
    put_num(body + 4, (unsigned)kind);
    START(body, W_STARTUP);
    return run(self, rw);
}

int gps_rw_standby(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms)
{
    START("PMTK161,0", W_ACK);
    return run(self, rw);
}

int gps_rw_query_version(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms)
{
    START("PMTK605", W_VERSION);
    return run(self, rw);
}

int gps_rw_query_antenna(ua_task_t *self, gps_rw_t *rw, int32_t timeout_ms)
{
    START("PGCMD,33,1", W_ANTENNA);
    return run(self, rw);
}

int gps_rw_baudrate(ua_task_t *self, gps_rw_t *rw, uint32_t baud,
                    int32_t timeout_ms)
{
    static const uint32_t ok[] = {4800, 9600, 14400, 19200, 38400, 57600,
                                  115200};
    char body[24] = "PMTK251,";
    bool valid = false;
    for (unsigned i = 0; i < sizeof ok / sizeof *ok; i++)
        valid |= baud == ok[i];
    if (!valid)
        return GPS_EBADARG;
    put_num(body + 8, baud);
    START(body, W_DRAINED);
    int st = run(self, rw);
    if (st != 0)
        return st;
    /* Sent: the receiver now talks at the new rate; follow it. */
    rw->baud = baud;
    if (rw->set_baud != NULL)
        return rw->set_baud(rw->set_baud_arg, baud);
    return 0;
}
