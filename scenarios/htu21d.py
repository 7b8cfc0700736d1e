"""HTU21D: periodic readings at exact times, a change seen at the next reading, NACK/CRC faults give stale values, recovery.

The climate app (apps/climate) runs the driver's periodic task every 1000 ms
on a 100 kHz bus with an HTU21D model.  A cycle measures temperature then
humidity; each measurement is a command write (start, 2 bytes x 9 bits,
stop: 20 bit times = 200 us), the driver's 60 ms wait, and a 3-byte read
(start, 4 x 9 bits, stop: 380 us).  Between the temperature's STOP and
the humidity command's START the bus stays free for tBUF = 4.7 us (the I2C
specification's bus free time at 100 kHz); the humidity command then ends
at t + 60.7847 ms, and its 60 ms wait is counted from the core's 1 us tick,
60.784 ms.  So a cycle started at t ends at t + 60.580 + 60.584 =
t + 121.164 ms, when the app reports the reading.

The values go through the sensor's 14-bit (T) / 12-bit (RH) words: what the
driver reports is the model's value quantised, computed below with the
model's and the driver's integer formulas.
"""
from uasync_sim.errors import code

TBUF_TICKS_MS = 0.004                  # 4.7 us of bus free time, on a 1 us tick
CYCLE_MS = 2 * (60 + 0.200 + 0.380) + TBUF_TICKS_MS    # 121.164
HTU21D_ENACK, HTU21D_ECRC = code("HTU21D_ENACK"), code("HTU21D_ECRC")


def to_raw(centi, offset, scale):
    """The model's word for a value (htu21d_model.c: rounded, status bits 0)."""
    return (((centi - offset) * 65536 + scale // 2) // scale) & 0xFFFC


def centi(raw, offset, scale):
    """The driver's conversion (htu21d.c: rounded half up)."""
    return offset + ((scale * (raw & 0xFFFC) + 32768) >> 16)


def seen_temp(c):
    return centi(to_raw(c, -4685, 17572), -4685, 17572)


def seen_rh(c):
    return centi(to_raw(c, -600, 12500), -600, 12500)


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("climate", "period=1000")

    sim.run_until(1500)
    app.set("temperature", 2345)               # the room warms up mid-period
    app.set("humidity", 4120)
    sim.run_until(2900)
    app.set("nack", 1)                         # the next address phase is NACKed
    sim.run_until(3900)
    app.set("crc", 1)                          # the next result has a bad CRC
    sim.run_until(4200)
    assert app.probe("temp_stale") == 1        # after the CRC failure ...
    assert app.probe("temperature") == seen_temp(2345)   # ... last good value kept
    sim.run_until(6000)

    # Power-on values (20.00 C, 50.00 %RH) at 121.164 and 1121.164 ms.
    r = sim.expect("note:reading", at=CYCLE_MS)
    assert (r.sarg, r.sarg2) == (seen_temp(2000), seen_rh(5000)) == (2000, 5000)
    sim.expect("note:reading", at=1000 + CYCLE_MS)
    # The change at 1500 shows at the next cycle's reading, 2121.164.
    r = sim.expect("note:reading", at=2000 + CYCLE_MS)
    assert (r.sarg, r.sarg2) == (seen_temp(2345), seen_rh(4120)), r

    # 3000: the temperature command's address is NACKed (start, 9 bits, stop:
    # 110 us), then after tBUF humidity is measured as usual (60.584 ms on the
    # 1 us tick): the cycle ends at 3060.694 with HTU21D_ENACK, 1 error
    # counted; the temperature is stale.
    s = sim.expect("note:stale", at=3000 + 0.110 + 60.580 + TBUF_TICKS_MS)
    assert (s.sarg, s.sarg2) == (HTU21D_ENACK, 1)
    # 4000: a full cycle whose temperature fails its CRC: HTU21D_ECRC.
    s = sim.expect("note:stale", at=4000 + CYCLE_MS)
    assert (s.sarg, s.sarg2) == (HTU21D_ECRC, 2)
    # 5000: recovered.
    r = sim.expect("note:reading", at=5000 + CYCLE_MS)
    assert r.sarg == seen_temp(2345)
    assert app.probe("temp_stale") == 0
    assert (app.probe("nack"), app.probe("crc"), app.probe("errors")) == (1, 1, 2)
    sim.expect("note:reading", count=4)
    sim.expect("note:stale", count=2)
    i2c = app.i2c("i2c").counters
    assert i2c["failures"] == 1, i2c           # only the NACK is a bus failure
