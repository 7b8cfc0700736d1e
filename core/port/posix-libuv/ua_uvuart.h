/*
 * A UART of the libuv port, mapped to a pseudo-terminal or a TCP socket, so
 * that a real terminal (`screen /dev/pts/N`), a GPS log replayer or `nc`
 * can talk to the application through the ua_uart_t interface drivers use.
 *
 *   pty   posix_openpt(): the port holds the master side and prints nothing
 *         itself; ua_uvuart_path() gives the slave's path for the user.  The
 *         port keeps the slave open as well (in raw mode: no echo, no line
 *         editing, bytes as they are), so the master does not report a
 *         hang-up while no terminal is attached.
 *   tcp   listens on 127.0.0.1:PORT only (0: an ephemeral port, see
 *         ua_uvuart_tcp_port()) and serves one client at a time; bytes
 *         written while nobody is connected are dropped (a UART with no
 *         cable) and counted in `tx_dropped`.
 *
 * The descriptors are watched with uv_poll; the watcher callbacks are the
 * UART's interrupt: they move bytes between the descriptor and two FIFOs of
 * UA_UVUART_FIFO bytes and call the callback registered with set_irq
 * (UA_UART_EV_RX when bytes arrived, UA_UART_EV_TX_EMPTY when the transmit
 * FIFO drained, UA_UART_EV_ERROR on an overrun).  Bytes that do not fit the
 * receive FIFO are left in the kernel's buffer (flow control, not loss),
 * which is kinder than a real UART; the overrun counter stays for the
 * interface's sake.
 */
#ifndef UA_UVUART_H
#define UA_UVUART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "ua_err.h"
#include "ua_hw.h"

#define UA_UVUART_FIFO 512
#define UA_UVUART_PATH_MAX 64

typedef struct ua_uvuart_fifo {
    uint8_t buf[UA_UVUART_FIFO];
    size_t head, len;
} ua_uvuart_fifo_t;

typedef struct ua_uvuart {
    ua_uart_t hw;
    uv_loop_t *uv;
    int fd;          /* pty master or connected client; -1 none */
    int slave_fd;    /* pty: our own handle on the slave */
    int listen_fd;   /* tcp: the listening socket */
    uv_poll_t io, accept;
    bool io_on, accept_on, io_closing;
    unsigned io_events;
    char path[UA_UVUART_PATH_MAX];
    uint16_t tcp_port;
    ua_uvuart_fifo_t rx, tx;
    ua_uart_irq_cb cb;
    void *cb_arg;
    unsigned irq_events;
    uint32_t errors; /* not yet taken */
    /* Counters. */
    uint32_t rx_bytes, tx_bytes, tx_dropped, clients;
} ua_uvuart_t;

/* Open a pseudo-terminal UART on `uv`.  0, or UA_EIO (see errno). */
int ua_uvuart_open_pty(ua_uvuart_t *u, uv_loop_t *uv, uint32_t id);

/* Listen on 127.0.0.1:port (0: any free port).  0, or UA_EIO. */
int ua_uvuart_open_tcp(ua_uvuart_t *u, uv_loop_t *uv, uint32_t id,
                       uint16_t port);

/* Stop watching and close every descriptor (the handles close on the
 * libuv loop's next turn; ua_uvport_close runs it). */
void ua_uvuart_close(ua_uvuart_t *u);

/* The handle drivers use. */
ua_uart_t *ua_uvuart_hw(ua_uvuart_t *u);

/* pty: the slave's path ("/dev/pts/3"); tcp: "127.0.0.1:PORT". */
const char *ua_uvuart_path(const ua_uvuart_t *u);

/* tcp: the port actually listened on. */
uint16_t ua_uvuart_tcp_port(const ua_uvuart_t *u);

#endif /* UA_UVUART_H */
