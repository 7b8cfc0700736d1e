/*
 * UART echo rig shared by the stream tests and the uart-echo benchmark: one
 * simulated board echoes every byte of its UART through stream_read and
 * stream_write while ten other tasks each keep the CPU busy for 2 ms per
 * step; a host UART sends single bytes and times the echoes.
 */
#ifndef ECHO_RIG_H
#define ECHO_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ECHO_BAUD 115200u
#define ECHO_BUSY_TASKS 10
#define ECHO_BUSY_US 2000u

typedef struct echo_result {
    size_t n;            /* echoes received */
    uint64_t lat_ns[256]; /* byte in the board's FIFO -> echo starts */
    uint64_t mean_ns, max_ns;
} echo_result_t;

/*
 * Send `count` bytes (<= 256) at the given virtual times (ns) and collect the
 * latencies, with the loop's I/O priority on or off.
 */
void echo_run(bool io_priority, const uint64_t *send_ns, size_t count,
              echo_result_t *out);

#endif
