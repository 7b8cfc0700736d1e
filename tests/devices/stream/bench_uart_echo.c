/*
 * bench uart-echo: UART echo latency on a simulated board while ten other
 * tasks each keep the CPU busy for 2 ms per step, with the loop's
 * I/O-priority lane on and off (fast_io's claim: the lane cuts it sharply).
 * Virtual time, so the figures are exact and the same on every machine.
 * Usage: bench_uart_echo [bytes (<= 256, default 200)]
 */
#include <stdio.h>
#include <stdlib.h>

#include "echo_rig.h"
#include "sim.h"

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    static uint64_t send_ns[256];
    echo_result_t prio, rr;
    uint64_t x = 0x9E3779B97F4A7C15ull, t = 10 * SIM_MS;

    if (n == 0 || n > 256)
        n = 200;
    /* Bytes 30..60 ms apart at pseudo-random phases of the busy steps. */
    for (size_t k = 0; k < n; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t += 30 * SIM_MS + x % (30 * SIM_MS);
        send_ns[k] = t;
    }
    echo_run(true, send_ns, n, &prio);
    echo_run(false, send_ns, n, &rr);
    if (prio.n != n || rr.n != n) {
        fprintf(stderr, "bench uart-echo: lost echoes (%zu, %zu of %zu)\n",
                prio.n, rr.n, n);
        return 1;
    }
    printf("bench uart-echo: latency priority %.0f us, round-robin %.0f us "
           "(%d tasks busy %u ms/step; max %.0f us vs %.0f us; %zu bytes at "
           "%u baud)\n",
           prio.mean_ns / 1e3, rr.mean_ns / 1e3, ECHO_BUSY_TASKS,
           ECHO_BUSY_US / 1000, prio.max_ns / 1e3, rr.max_ns / 1e3, n,
           ECHO_BAUD);
    return 0;
}
