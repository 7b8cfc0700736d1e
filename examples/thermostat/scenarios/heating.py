"""Thermostat: the relay heats below the setpoint and stops above it, at the exact reading times.

The firmware (../firmware) reads its HTU21D every 1000 ms.  A reading cycle
started at t ends at t + 121.164 ms (two measurements of a 200 us command
write, the driver's 60 ms wait and a 380 us read at 100 kHz, 4.7 us of bus
free time between them, on a 1 us tick), when the control task decides.
The sensor starts at 20.00 C, under the default setpoint 21.00 C less the
0.50 C hysteresis: the relay closes at the first reading.  Warmed to 21.80 C
(above 21.50) between two readings, the relay opens at the next one.
"""

CYCLE_MS = 2 * (60 + 0.200 + 0.380) + 0.004      # 121.164
PERIOD_MS = 1000


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("thermostat")
    relay = app.pin("relay")

    sim.run_until(CYCLE_MS - 0.001)
    assert relay.level == 0 and app.probe("readings") == 0
    sim.run_until(CYCLE_MS)
    assert relay.level == 1 and app.probe("relay") == 1
    sim.expect("note:relay", at=CYCLE_MS, arg=1)

    sim.run_until(500)
    app.set("temperature", 2180)
    sim.run_until(PERIOD_MS + CYCLE_MS)
    sim.expect("note:relay", at=PERIOD_MS + CYCLE_MS, arg=0)
    assert relay.level == 0
    assert app.probe("switches") == 2 and app.probe("readings") == 2

    sim.run_until(3000)                       # 21.80 C holds: no more switching
    sim.expect_none("note:relay", between=(PERIOD_MS + CYCLE_MS + 0.001, None))
    assert app.probe("readings") == 3
