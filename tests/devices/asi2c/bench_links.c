/*
 * bench links: throughput and latency of the two board-to-board links in
 * the simulator, in virtual time (exact, the same on every machine).
 *
 * syncom: both boards charged 300 us of CPU per task step and 25 us per
 * interrupt -- roughly a MicroPython board running the seed's Python
 * loop, which is what makes the seed quote ~800 bps; with a free CPU the
 * link would run as fast as the simulator steps.  asi2c: 100 us per step,
 * 10 us per interrupt, I2C at 400 kHz; its throughput is set by t_poll.
 * Usage: bench_links
 */
#include <stdio.h>

#include "asi2c_rig.h"
#include "../syncom/syncom_rig.h"

static void bench_syncom(uint32_t count, uint32_t payload)
{
    static rig_t r;
    rig_init(&r, 7, false);
    rig_start(&r, &r.a, count, payload);
    rig_start(&r, &r.b, count, payload);
    sim_run_until(r.sim, 120 * SIM_S);
    uint64_t end = r.b.got_ns[count % 1024];
    uint64_t end2 = r.a.got_ns[count % 1024];
    if (end2 > end)
        end = end2;
    double secs = (double)end / 1e9;
    if (r.a.bad_order || r.b.bad_order || r.b.got != count)
        printf("bench syncom: messages out of order or missing!\n");
    printf("bench syncom: %.0f bps each way, full duplex (%u x %u-byte "
           "messages both ways in %.2f s); latency mean %.1f ms max %.1f ms; "
           "restarts %u (300 us/step, 25 us/irq)\n",
           (double)count * payload * 8 / secs, count, payload, secs,
           (double)r.b.lat_sum_ns / (r.b.got ? r.b.got : 1) / 1e6,
           (double)r.b.lat_max_ns / 1e6, r.a.link.restarts);
    rig_free(&r);
}

static void bench_asi2c(uint32_t count, uint32_t payload, uint16_t t_poll)
{
    static arig_t r;
    arig_init(&r, 7, false);
    r.ini.cfg.t_poll_ms = t_poll;
    arig_start(&r, &r.ini, count, payload);
    arig_start(&r, &r.resp, count, payload);
    sim_run_until(r.sim, 300 * SIM_S);
    uint64_t first = r.resp.got_ns[1];
    uint64_t end = r.resp.got_ns[count % 1024];
    if (r.ini.got_ns[count % 1024] > end)
        end = r.ini.got_ns[count % 1024];
    double secs = (double)(end - first) / 1e9;
    if (r.resp.bad_order || r.ini.bad_order || r.resp.got != count)
        printf("bench asi2c: records out of order or missing!\n");
    printf("bench asi2c: %.0f bps each way at t_poll %u ms (%u x %u bytes "
           "both ways; after the 1.2 s start-up); latency mean %.1f ms; "
           "exchange (syn to ack) max %u us mean %u us; Responder blocked (I2C master) max %u us\n",
           (double)(count - 1) * payload * 8 / secs, t_poll, count, payload,
           (double)r.resp.lat_sum_ns / (r.resp.got ? r.resp.got : 1) / 1e6,
           r.ini.link.block_max,
           r.ini.link.block_sum / (r.ini.link.block_cnt ? r.ini.link.block_cnt : 1),
           r.resp.link.block_max);
    arig_free(&r);
}

int main(void)
{
    bench_syncom(50, 60);
    bench_asi2c(50, 200, 100);
    bench_asi2c(50, 200, 10);
    return 0;
}
