/* GPIO pins driven by text commands (see ua_uvpins.h). */
#include "ua_uvpins.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the pin reads: its own output, else the outside driver, else the
 * pull resistor (an undriven plain input reads 0). */
static int level_of(const ua_uvpin_t *p)
{
    if (p->mode == UA_PIN_OUTPUT)
        return p->out;
    if (p->mode == UA_PIN_OPEN_DRAIN && p->out == 0)
        return 0;
    if (p->ext >= 0)
        return p->ext;
    return p->mode == UA_PIN_INPUT_PULLUP || p->mode == UA_PIN_OPEN_DRAIN;
}

/* Re-evaluate the pin: report outputs, deliver edge interrupts. */
static void settle(ua_uvpin_t *p)
{
    int now = level_of(p);
    if (now == p->level)
        return;
    p->level = (uint8_t)now;
    ua_uvpins_t *b = p->bank;
    if (p->mode == UA_PIN_OUTPUT || p->mode == UA_PIN_OPEN_DRAIN) {
        if (b->report != NULL) {
            fprintf(b->report, "pin %u -> %d\n", (unsigned)p->hw.id, now);
            fflush(b->report);
        }
        return;
    }
    unsigned edge = now ? UA_EDGE_RISING : UA_EDGE_FALLING;
    if (p->cb != NULL && (p->edges & edge) != 0) {
        b->irqs++;
        p->cb(p->cb_arg, now, ua_uvport_ticks(b->port));
    }
}

static int op_configure(ua_pin_t *hw, enum ua_pin_mode mode)
{
    ua_uvpin_t *p = hw->ctx;
    if ((unsigned)mode > UA_PIN_OPEN_DRAIN)
        return UA_EINVAL;
    p->mode = (int8_t)mode;
    settle(p);
    return 0;
}

static int op_read(ua_pin_t *hw)
{
    return level_of(hw->ctx);
}

static void op_write(ua_pin_t *hw, int level)
{
    ua_uvpin_t *p = hw->ctx;
    p->out = level != 0;
    settle(p);
}

static int op_set_irq(ua_pin_t *hw, unsigned edges, ua_pin_irq_cb cb, void *arg)
{
    ua_uvpin_t *p = hw->ctx;
    if (edges > UA_EDGE_BOTH)
        return UA_EINVAL;
    p->edges = cb != NULL ? edges : 0;
    p->cb = edges != 0 ? cb : NULL;
    p->cb_arg = arg;
    return 0;
}

static const struct ua_pin_ops uvpin_ops = {op_configure, op_read, op_write,
                                            op_set_irq};

void ua_uvpins_init(ua_uvpins_t *b, ua_uvport_t *port, FILE *report)
{
    memset(b, 0, sizeof *b);
    b->port = port;
    b->report = report;
    b->fd = -1;
    for (unsigned i = 0; i < UA_UVPINS_MAX; i++) {
        ua_uvpin_t *p = &b->pin[i];
        p->hw.ops = &uvpin_ops;
        p->hw.ctx = p;
        p->hw.id = i;
        p->bank = b;
        p->mode = -1;
        p->ext = -1;
    }
}

ua_pin_t *ua_uvpins_pin(ua_uvpins_t *b, unsigned n)
{
    return n < UA_UVPINS_MAX ? &b->pin[n].hw : NULL;
}

static int fail(ua_uvpins_t *b, const char *line, const char *why)
{
    b->errors++;
    if (b->report != NULL) {
        fprintf(b->report, "error: %s: %s\n", why, line);
        fflush(b->report);
    }
    return UA_EINVAL;
}

static void list_pins(ua_uvpins_t *b)
{
    if (b->report == NULL)
        return;
    for (unsigned i = 0; i < UA_UVPINS_MAX; i++)
        if (b->pin[i].mode >= 0)
            fprintf(b->report, "pin %u mode %d level %d\n", i, b->pin[i].mode,
                    level_of(&b->pin[i]));
    fflush(b->report);
}

int ua_uvpins_command(ua_uvpins_t *b, const char *line)
{
    char word[8], lv[4];
    unsigned n;
    char extra;

    b->commands++;
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '\0' || *line == '#')
        return 0;
    if (strcmp(line, "pins") == 0) {
        list_pins(b);
        return 0;
    }
    if (sscanf(line, "%7s %u %3s %c", word, &n, lv, &extra) != 3 ||
        strcmp(word, "pin") != 0)
        return fail(b, line, "expected 'pin N 0|1|z' or 'pins'");
    if (n >= UA_UVPINS_MAX)
        return fail(b, line, "no such pin");
    int ext;
    if (strcmp(lv, "0") == 0 || strcmp(lv, "1") == 0)
        ext = lv[0] - '0';
    else if (strcmp(lv, "z") == 0)
        ext = -1;
    else
        return fail(b, line, "level must be 0, 1 or z");
    b->pin[n].ext = (int8_t)ext;
    settle(&b->pin[n]);
    return 0;
}

/* The stream's watcher: split what arrived into lines and run them. */
static void poll_cb(uv_poll_t *h, int status, int events)
{
    ua_uvpins_t *b = h->data;
    char buf[256];
    (void)events;

    ssize_t r = status < 0 ? 0 : read(b->fd, buf, sizeof buf);
    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (r <= 0) { /* end of the stream: run a last unterminated line */
        if (b->nline > 0) {
            b->line[b->nline] = '\0';
            b->nline = 0;
            ua_uvpins_command(b, b->line);
        }
        b->eof = true;
        ua_uvpins_close(b);
        return;
    }
    for (ssize_t i = 0; i < r; i++) {
        char c = buf[i];
        if (c == '\n' || c == '\r') {
            b->line[b->nline] = '\0';
            if (b->nline > 0)
                ua_uvpins_command(b, b->line);
            b->nline = 0;
        } else if (b->nline + 1 < UA_UVPINS_LINE) {
            b->line[b->nline++] = c;
        } /* else: an over-long line is cut; the command then fails */
    }
}

int ua_uvpins_listen(ua_uvpins_t *b, int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (uv_poll_init(b->port->uv, &b->poll, fd) != 0)
        return UA_EIO;
    b->fd = fd;
    b->poll.data = b;
    b->poll_on = true;
    b->eof = false;
    uv_poll_start(&b->poll, UV_READABLE, poll_cb);
    return 0;
}

void ua_uvpins_close(ua_uvpins_t *b)
{
    if (b->poll_on)
        uv_close((uv_handle_t *)&b->poll, NULL);
    b->poll_on = false;
}
