/* UART on a pty or a TCP socket (see ua_uvuart.h). */
#include "ua_uvuart.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

/* --- FIFOs ------------------------------------------------------------------ */

static size_t fifo_space(const ua_uvuart_fifo_t *f)
{
    return UA_UVUART_FIFO - f->len;
}

static size_t fifo_put(ua_uvuart_fifo_t *f, const uint8_t *b, size_t n)
{
    size_t done = 0;
    while (done < n && f->len < UA_UVUART_FIFO) {
        f->buf[(f->head + f->len) % UA_UVUART_FIFO] = b[done++];
        f->len++;
    }
    return done;
}

static size_t fifo_get(ua_uvuart_fifo_t *f, uint8_t *b, size_t n)
{
    size_t done = 0;
    while (done < n && f->len > 0) {
        b[done++] = f->buf[f->head];
        f->head = (f->head + 1) % UA_UVUART_FIFO;
        f->len--;
    }
    return done;
}

/* --- Descriptor watching ----------------------------------------------------- */

static void io_cb(uv_poll_t *h, int status, int events);

static void raise_irq(ua_uvuart_t *u, unsigned ev)
{
    if (u->cb != NULL && (ev & u->irq_events) != 0)
        u->cb(u->cb_arg, ev & u->irq_events);
}

/* Watch for what we can use now: room to receive, bytes to send.  A full
 * receive FIFO stops reading, so a level-triggered poll does not spin. */
static void update_poll(ua_uvuart_t *u)
{
    if (!u->io_on)
        return;
    unsigned want = 0;
    if (fifo_space(&u->rx) > 0)
        want |= UV_READABLE;
    if (u->tx.len > 0)
        want |= UV_WRITABLE;
    if (want == u->io_events)
        return;
    u->io_events = want;
    if (want != 0)
        uv_poll_start(&u->io, (int)want, io_cb);
    else
        uv_poll_stop(&u->io);
}

static void io_closed_cb(uv_handle_t *h)
{
    ((ua_uvuart_t *)h->data)->io_closing = false;
}

static void drop_client(ua_uvuart_t *u)
{
    if (u->io_on) {
        u->io_closing = true;
        uv_close((uv_handle_t *)&u->io, io_closed_cb);
    }
    u->io_on = false;
    u->io_events = 0;
    if (u->fd >= 0)
        close(u->fd);
    u->fd = -1;
}

static void start_io(ua_uvuart_t *u, int fd)
{
    u->fd = fd;
    if (uv_poll_init(u->uv, &u->io, fd) != 0) {
        close(fd);
        u->fd = -1;
        return;
    }
    u->io.data = u;
    u->io_on = true;
    u->io_events = 0;
    update_poll(u);
}

static void flush_tx(ua_uvuart_t *u)
{
    while (u->tx.len > 0) {
        size_t chunk = UA_UVUART_FIFO - u->tx.head;
        if (chunk > u->tx.len)
            chunk = u->tx.len;
        ssize_t w = write(u->fd, u->tx.buf + u->tx.head, chunk);
        if (w <= 0)
            break;
        u->tx.head = (u->tx.head + (size_t)w) % UA_UVUART_FIFO;
        u->tx.len -= (size_t)w;
        u->tx_bytes += (uint32_t)w;
    }
}

static void io_cb(uv_poll_t *h, int status, int events)
{
    ua_uvuart_t *u = h->data;
    unsigned ev = 0;

    if (status < 0 || (events & UV_DISCONNECT)) {
        if (u->listen_fd >= 0) { /* tcp client gone: wait for the next */
            drop_client(u);
            return;
        }
    }
    if ((events & UV_READABLE) && fifo_space(&u->rx) > 0) {
        uint8_t buf[UA_UVUART_FIFO];
        ssize_t r = read(u->fd, buf, fifo_space(&u->rx));
        if (r > 0) {
            fifo_put(&u->rx, buf, (size_t)r);
            u->rx_bytes += (uint32_t)r;
            ev |= UA_UART_EV_RX;
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            if (u->listen_fd >= 0) {
                drop_client(u);
                raise_irq(u, ev);
                return;
            }
        }
    }
    if ((events & UV_WRITABLE) && u->tx.len > 0) {
        flush_tx(u);
        if (u->tx.len == 0)
            ev |= UA_UART_EV_TX_EMPTY;
    }
    update_poll(u);
    raise_irq(u, ev);
}

static void accept_cb(uv_poll_t *h, int status, int events)
{
    ua_uvuart_t *u = h->data;
    (void)events;
    if (status < 0 || u->io_closing) /* asked again once it closed */
        return;
    int fd = accept(u->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    if (u->fd >= 0) { /* one client at a time, like one cable */
        close(fd);
        return;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    u->clients++;
    start_io(u, fd);
}

/* --- ua_uart_ops --------------------------------------------------------------- */

static ua_uvuart_t *of(ua_uart_t *hw)
{
    return hw->ctx;
}

static size_t op_read(ua_uart_t *hw, uint8_t *buf, size_t n)
{
    ua_uvuart_t *u = of(hw);
    size_t got = fifo_get(&u->rx, buf, n);
    update_poll(u); /* there may be room to read again */
    return got;
}

static size_t op_write(ua_uart_t *hw, const uint8_t *buf, size_t n)
{
    ua_uvuart_t *u = of(hw);
    if (u->fd < 0) { /* no cable: the bytes go nowhere */
        u->tx_dropped += (uint32_t)n;
        return n;
    }
    size_t put = fifo_put(&u->tx, buf, n);
    flush_tx(u);
    update_poll(u);
    return put;
}

static size_t op_rx_available(ua_uart_t *hw)
{
    return of(hw)->rx.len;
}

static size_t op_tx_space(ua_uart_t *hw)
{
    return fifo_space(&of(hw)->tx);
}

static int op_set_irq(ua_uart_t *hw, unsigned events, ua_uart_irq_cb cb,
                      void *arg)
{
    ua_uvuart_t *u = of(hw);
    u->cb = events != 0 ? cb : NULL;
    u->cb_arg = arg;
    u->irq_events = cb != NULL ? events : 0;
    return 0;
}

static uint32_t op_take_errors(ua_uart_t *hw)
{
    ua_uvuart_t *u = of(hw);
    uint32_t e = u->errors;
    u->errors = 0;
    return e;
}

static const struct ua_uart_ops uvuart_ops = {
    op_read, op_write, op_rx_available, op_tx_space, op_set_irq,
    op_take_errors,
};

/* --- Opening and closing --------------------------------------------------------- */

static void reset(ua_uvuart_t *u, uv_loop_t *uv, uint32_t id)
{
    memset(u, 0, sizeof *u);
    u->hw.ops = &uvuart_ops;
    u->hw.ctx = u;
    u->hw.id = id;
    u->uv = uv;
    u->fd = u->slave_fd = u->listen_fd = -1;
}

int ua_uvuart_open_pty(ua_uvuart_t *u, uv_loop_t *uv, uint32_t id)
{
    reset(u, uv, id);
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0)
        return UA_EIO;
    const char *name = (grantpt(m) == 0 && unlockpt(m) == 0) ? ptsname(m) : NULL;
    int s = name != NULL ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (s < 0) {
        close(m);
        return UA_EIO;
    }
    snprintf(u->path, sizeof u->path, "%s", name);
    struct termios tio;
    if (tcgetattr(s, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(s, TCSANOW, &tio);
    }
    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
    fcntl(m, F_SETFD, FD_CLOEXEC);
    fcntl(s, F_SETFD, FD_CLOEXEC);
    u->slave_fd = s;
    start_io(u, m);
    return u->io_on ? 0 : UA_EIO;
}

int ua_uvuart_open_tcp(ua_uvuart_t *u, uv_loop_t *uv, uint32_t id,
                       uint16_t port)
{
    reset(u, uv, id);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return UA_EIO;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never beyond this host */
    socklen_t alen = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0 ||
        uv_poll_init(uv, &u->accept, fd) != 0) {
        close(fd);
        return UA_EIO;
    }
    u->listen_fd = fd;
    u->tcp_port = ntohs(a.sin_port);
    snprintf(u->path, sizeof u->path, "127.0.0.1:%u", (unsigned)u->tcp_port);
    u->accept.data = u;
    u->accept_on = true;
    uv_poll_start(&u->accept, UV_READABLE, accept_cb);
    return 0;
}

void ua_uvuart_close(ua_uvuart_t *u)
{
    drop_client(u);
    if (u->accept_on)
        uv_close((uv_handle_t *)&u->accept, NULL);
    u->accept_on = false;
    if (u->listen_fd >= 0)
        close(u->listen_fd);
    if (u->slave_fd >= 0)
        close(u->slave_fd);
    u->listen_fd = u->slave_fd = -1;
    u->cb = NULL;
}

ua_uart_t *ua_uvuart_hw(ua_uvuart_t *u)
{
    return &u->hw;
}

const char *ua_uvuart_path(const ua_uvuart_t *u)
{
    return u->path;
}

uint16_t ua_uvuart_tcp_port(const ua_uvuart_t *u)
{
    return u->tcp_port;
}
