/*
 * UARTs: an RX line fed byte by byte at the baud rate, an RX FIFO read by
 * the board, a TX shifter, capture, board-to-board wiring, and noise.
 */
#include <errno.h>
#include <string.h>

#include "sim_internal.h"

typedef struct chunk {
    uint64_t t;
    uint8_t *data;
    size_t n, pos;
    struct chunk *next;
} chunk_t;

typedef struct ring {
    uint8_t *buf;
    size_t cap, head, count;
} ring_t;

struct sim_uart {
    ua_uart_t hw;
    sim_t *sim;
    sim_board_t *board;
    uint32_t id;
    char *name;
    uint32_t baud;
    ring_t rx, tx;
    unsigned irq_mask;
    ua_uart_irq_cb irq_cb;
    void *irq_arg;
    uint32_t errors, rx_count, overruns, framing;
    /* RX line: queued chunks, the current burst's start and bits so far */
    chunk_t *line, *line_tail;
    bool line_busy;
    uint64_t line_t0, line_bits, line_free;
    double p_flip, p_frame;
    sim_rng_t rng;
    /* TX shifter */
    bool tx_busy;
    uint64_t tx_t0, tx_bits;
    uint8_t *cap;
    size_t ncap, capcap;
    sim_vec_t peers;
    sim_uart_rx_cb on_rx;
    void *on_rx_arg;
};

static void ring_init(ring_t *r, size_t cap)
{
    free(r->buf);
    r->buf = sim__alloc(cap ? cap : 1);
    r->cap = cap ? cap : 1;
    r->head = r->count = 0;
}

static bool ring_push(ring_t *r, uint8_t b)
{
    if (r->count == r->cap)
        return false;
    r->buf[(r->head + r->count++) % r->cap] = b;
    return true;
}

static uint8_t ring_pop(ring_t *r)
{
    uint8_t b = r->buf[r->head];
    r->head = (r->head + 1) % r->cap;
    r->count--;
    return b;
}

uint64_t sim_uart_bits_ns(const sim_uart_t *u, uint64_t bits)
{
    return bits * SIM_S / u->baud;
}

static bool irq_wanted(const sim_uart_t *u, unsigned events)
{
    return u->board != NULL && u->irq_cb != NULL && (u->irq_mask & events);
}

static void irq_run(sim_uart_t *u, unsigned events)
{
    ua_loop_t *saved = sim__irq_begin(u->board, SIM_SRC_UART, u->id);
    u->irq_cb(u->irq_arg, events & u->irq_mask);
    sim__irq_end(u->board, saved, SIM_SRC_UART, u->id);
}

/* An interrupt the explorer held off (SIM_PERTURB_IRQ). */
static void irq_late(sim_t *sim, void *arg, uint64_t events)
{
    (void)sim;
    if (irq_wanted(arg, (unsigned)events))
        irq_run(arg, (unsigned)events);
}

static void raise_irq(sim_uart_t *u, unsigned events)
{
    if (!irq_wanted(u, events))
        return;
    uint64_t late = u->sim->exploring ? sim__perturb_irq_delay(u->board) : 0;
    if (late != 0)
        sim_at(u->sim, sim__now(u->sim) + late, irq_late, u, events);
    else
        irq_run(u, events);
}

/* A byte has fully arrived (end of its stop bit) on u's RX. */
static void rx_deliver(sim_uart_t *u, uint8_t byte, unsigned flags,
                       uint64_t frame_ns)
{
    sim_t *sim = u->sim;
    if (u->p_frame > 0 && sim_rng_double(&u->rng) < u->p_frame)
        flags |= SIM_UART_FERR;
    else if (u->p_flip > 0 && sim_rng_double(&u->rng) < u->p_flip)
        byte ^= (uint8_t)(1u << sim_rng_range(&u->rng, 0, 7));
    if (!(flags & SIM_UART_FERR) && u->rx.count == u->rx.cap)
        flags |= SIM_UART_OVERRUN;
    if (sim->tracing)
        sim__trace(sim, sim->now, SIM_TR_UART_RX,
                   u->board ? u->board->index : SIM_NO_BOARD, u->id,
                   byte | flags, (uint32_t)frame_ns);
    if (flags & SIM_UART_FERR) {
        u->framing++;
        u->errors++;
        raise_irq(u, UA_UART_EV_ERROR);
        return;
    }
    if (u->on_rx != NULL)
        u->on_rx(u->on_rx_arg, byte, sim->now);
    if (flags & SIM_UART_OVERRUN) {
        u->overruns++;
        u->errors++;
        raise_irq(u, UA_UART_EV_ERROR);
        return;
    }
    ring_push(&u->rx, byte);
    u->rx_count++;
    raise_irq(u, UA_UART_EV_RX);
}

/* --- RX line ------------------------------------------------------------------ */

static void line_schedule(sim_uart_t *u);

static void line_event(sim_t *sim, void *arg, uint64_t data)
{
    (void)sim;
    (void)data;
    sim_uart_t *u = arg;
    chunk_t *c = u->line;
    uint8_t byte = c->data[c->pos++];
    if (c->pos == c->n) {
        u->line = c->next;
        if (u->line == NULL)
            u->line_tail = NULL;
        free(c->data);
        free(c);
    }
    uint64_t start = u->line_t0 + sim_uart_bits_ns(u, u->line_bits);
    u->line_bits += 10;
    u->line_busy = false;
    u->line_free = u->sim->now;
    rx_deliver(u, byte, 0, u->sim->now - start);
    line_schedule(u);
}

/* Schedule the end of the next queued byte: back to back with the current
 * burst, or a new burst if the chunk starts later. */
static void line_schedule(sim_uart_t *u)
{
    if (u->line_busy || u->line == NULL)
        return;
    uint64_t next = u->line_t0 + sim_uart_bits_ns(u, u->line_bits);
    if (u->line_bits == 0 || u->line->t > next || next < u->line_free) {
        u->line_t0 = SIM_MAX(u->line->t, u->line_free);
        u->line_t0 = SIM_MAX(u->line_t0, u->sim->now);
        u->line_bits = 0;
    }
    u->line_busy = true;
    sim_at(u->sim, u->line_t0 + sim_uart_bits_ns(u, u->line_bits + 10),
           line_event, u, 0);
}

void sim_uart_feed(sim_uart_t *u, uint64_t t_ns, const uint8_t *bytes,
                   size_t n)
{
    if (n == 0)
        return;
    chunk_t *c = sim__alloc(sizeof *c);
    c->t = t_ns;
    c->data = sim__alloc(n);
    memcpy(c->data, bytes, n);
    c->n = n;
    if (u->line_tail)
        u->line_tail->next = c;
    else
        u->line = c;
    u->line_tail = c;
    line_schedule(u);
}

long sim_uart_feed_file(sim_uart_t *u, uint64_t t_ns, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        sim__error(u->sim, "cannot open %s", path);
        return UA_EIO;
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            if (buf == NULL)
                abort();
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    /* fopen() opens a directory; reading it fails with EISDIR.  A read
     * error is an error, not an empty file. */
    int failed = ferror(f);
    int err = errno;
    fclose(f);
    if (failed) {
        free(buf);
        sim__error(u->sim, "cannot read %s: %s", path, strerror(err));
        return UA_EIO;
    }
    sim_uart_feed(u, t_ns, buf, n);
    free(buf);
    return (long)n;
}

size_t sim_uart_rx_line_pending(const sim_uart_t *u)
{
    size_t n = 0;
    for (const chunk_t *c = u->line; c; c = c->next)
        n += c->n - c->pos;
    return n;
}

/* --- TX ------------------------------------------------------------------------ */

static void tx_event(sim_t *sim, void *arg, uint64_t data)
{
    (void)data;
    sim_uart_t *u = arg;
    uint8_t byte = ring_pop(&u->tx);
    uint64_t start = u->tx_t0 + sim_uart_bits_ns(u, u->tx_bits);
    uint64_t frame = sim->now - start;
    u->tx_bits += 10;
    if (sim->tracing)
        sim__trace(sim, sim->now, SIM_TR_UART_TX,
                   u->board ? u->board->index : SIM_NO_BOARD, u->id, byte,
                   (uint32_t)frame);
    if (u->ncap == u->capcap) {
        u->capcap = u->capcap ? 2 * u->capcap : 256;
        u->cap = realloc(u->cap, u->capcap);
        if (u->cap == NULL)
            abort();
    }
    u->cap[u->ncap++] = byte;
    for (size_t i = 0; i < u->peers.n; i++) {
        sim_uart_t *p = u->peers.v[i];
        rx_deliver(p, byte, p->baud != u->baud ? SIM_UART_FERR : 0, frame);
    }
    if (u->tx.count > 0) {
        sim_at(sim, u->tx_t0 + sim_uart_bits_ns(u, u->tx_bits + 10), tx_event,
               u, 0);
    } else {
        u->tx_busy = false;
        raise_irq(u, UA_UART_EV_TX_EMPTY);
    }
}

static size_t op_write(ua_uart_t *hw, const uint8_t *buf, size_t n)
{
    sim_uart_t *u = hw->ctx;
    size_t k = 0;
    while (k < n && ring_push(&u->tx, buf[k]))
        k++;
    if (k > 0 && !u->tx_busy) {
        u->tx_busy = true;
        u->tx_t0 = sim__now(u->sim);
        u->tx_bits = 0;
        sim_at(u->sim, u->tx_t0 + sim_uart_bits_ns(u, 10), tx_event, u, 0);
    }
    return k;
}

static size_t op_read(ua_uart_t *hw, uint8_t *buf, size_t n)
{
    sim_uart_t *u = hw->ctx;
    size_t k = 0;
    while (k < n && u->rx.count > 0)
        buf[k++] = ring_pop(&u->rx);
    return k;
}

static size_t op_rx_available(ua_uart_t *hw)
{
    return ((sim_uart_t *)hw->ctx)->rx.count;
}

static size_t op_tx_space(ua_uart_t *hw)
{
    sim_uart_t *u = hw->ctx;
    return u->tx.cap - u->tx.count;
}

static int op_set_irq(ua_uart_t *hw, unsigned events, ua_uart_irq_cb cb,
                      void *arg)
{
    sim_uart_t *u = hw->ctx;
    u->irq_mask = cb ? events : 0;
    u->irq_cb = events ? cb : NULL;
    u->irq_arg = arg;
    return 0;
}

static uint32_t op_take_errors(ua_uart_t *hw)
{
    sim_uart_t *u = hw->ctx;
    uint32_t e = u->errors;
    u->errors = 0;
    return e;
}

static const struct ua_uart_ops uart_ops = {
    op_read, op_write, op_rx_available, op_tx_space, op_set_irq,
    op_take_errors,
};

static sim_uart_t *uart_new(sim_t *sim, sim_board_t *b, const char *name,
                            uint32_t baud)
{
    sim_uart_t *u = sim__alloc(sizeof *u);
    u->hw.ops = &uart_ops;
    u->hw.ctx = u;
    u->sim = sim;
    u->board = b;
    u->id = (uint32_t)sim->uarts.n;
    u->hw.id = u->id;
    u->name = sim__strdup(name);
    u->baud = baud ? baud : 9600;
    ring_init(&u->rx, 64);
    ring_init(&u->tx, 64);
    sim_rng_stream(sim, 0x5541525400000000ull + u->id, &u->rng);
    sim__vec_push(&sim->uarts, u);
    return u;
}

sim_uart_t *sim_board_uart(sim_board_t *b, unsigned n, uint32_t baud)
{
    sim_uart_t *u = sim__vec_get(&b->uarts, n);
    if (u == NULL) {
        char name[32];
        snprintf(name, sizeof name, "uart%u", n);
        u = uart_new(b->sim, b, name, baud);
        sim__vec_set(&b->uarts, n, u);
    }
    return u;
}

sim_uart_t *sim_uart_new(sim_t *sim, const char *name, uint32_t baud)
{
    return uart_new(sim, NULL, name ? name : "uart", baud);
}

void sim__uart_free(sim_uart_t *u)
{
    chunk_t *c = u->line;
    while (c != NULL) {
        chunk_t *next = c->next;
        free(c->data);
        free(c);
        c = next;
    }
    free(u->rx.buf);
    free(u->tx.buf);
    free(u->cap);
    free(u->peers.v);
    free(u->name);
    free(u);
}

ua_uart_t *sim_uart_hw(sim_uart_t *u) { return &u->hw; }
uint32_t sim_uart_id(const sim_uart_t *u) { return u->id; }
uint32_t sim__uart_baud(const sim_uart_t *u) { return u->baud; }
const char *sim__uart_name(const sim_uart_t *u) { return u->name; }
sim_board_t *sim__uart_owner(const sim_uart_t *u) { return u->board; }
int sim__uart_board(const sim_uart_t *u)
{
    return u->board ? (int)u->board->index : -1;
}

void sim_uart_set_fifo(sim_uart_t *u, size_t rx_size, size_t tx_size)
{
    ring_init(&u->rx, rx_size);
    ring_init(&u->tx, tx_size);
}

int sim_uart_set_baud(sim_uart_t *u, uint32_t baud)
{
    if (baud == 0)
        return UA_EINVAL;
    u->baud = baud;
    return 0;
}

void sim_uart_set_noise(sim_uart_t *u, double p_flip, double p_frame)
{
    u->p_flip = p_flip;
    u->p_frame = p_frame;
}

void sim_uart_connect(sim_uart_t *from, sim_uart_t *to)
{
    sim__vec_push(&from->peers, to);
}

void sim_uart_on_rx(sim_uart_t *u, sim_uart_rx_cb cb, void *arg)
{
    u->on_rx = cb;
    u->on_rx_arg = arg;
}

const uint8_t *sim_uart_captured(const sim_uart_t *u, size_t *n)
{
    *n = u->ncap;
    return u->cap;
}

uint32_t sim_uart_rx_count(const sim_uart_t *u) { return u->rx_count; }
uint32_t sim_uart_overruns(const sim_uart_t *u) { return u->overruns; }
uint32_t sim_uart_framing_errors(const sim_uart_t *u) { return u->framing; }
