"""Reference demo: one board with a button, IR receiver, 16x2 LCD, HTU21D and GPS; a CPU hog midway.

The demo app (apps/demo) shows the GPS position or the temperature on the LCD.
A click toggles the page, a long press dims the backlight, IR keys 0x10/0x11
pick a page.  At 8 s a task starts hogging the CPU (30 ms busy every 75 ms):
the same IR key and the same click then take effect up to 30 ms later, and the
run's summary shows it in each task's worst wake-up latency, and the energy
summary what it costs: the MCU runs 40% of the time instead of never, and the
board's average current rises accordingly (docs/low-power.md).
"""
import collections

from uasync_sim import nmea

HOG_AT = 8010


def scenario(ctx):
    sim = ctx.sim()
    board = sim.board("board")
    app = board.app("demo", f"hog_at={HOG_AT},hog_busy=30,hog_every=75")
    button, remote = app.button(), app.nec()

    # The GPS module's supply current: acquiring until the track's first
    # fix (500 ms), tracking after (PA6H figures, docs/low-power.md).
    board.load("gps", 25.0).set(20.0, at=500)
    # A receiver walking north-east from Greenwich, one RMC+GGA per second.
    nmea.track(app.uart("gps_uart"), start_ms=500, seconds=20,
               lat=51.47790, lon=-0.00140, dlat=0.00002, dlon=0.00003)
    button.click(at=3000, hold=120)            # page 1 (climate)
    remote.send(0x00, 0x10, at=5000)           # page 0 (GPS)
    remote.send(0x00, 0x11, at=9975)           # page 1, while the hog runs
    button.click(at=12030, hold=1500)          # long press: dim
    button.click(at=15000, hold=120)           # page 0, while the hog runs

    sim.run_until(4000)
    app.set("temperature", 2345)               # the room warms up (centi-degC)
    app.set("humidity", 4120)
    sim.run_until(HOG_AT)
    before = board.power_stats()
    sim.run_until(20000)
    after = board.power_stats()

    # Before the hog: reports on the driver's exact schedule.
    sim.expect("note:page", at=3150)           # release seen at the 50 ms sample
    sim.expect("note:ir", at=5073)             # first edge + 73 ms block time
    sim.expect("note:page", at=5073)
    # With the hog: the same actions are served late, but served.
    late_ir = sim.expect("note:ir", at=10048, within=30).t_ms - 10048
    late_dim = sim.expect("note:dim", at=13050, within=30).t_ms - 13050
    late_click = sim.expect("note:page", at=15150, within=30).t_ms - 15150
    assert app.probe("page") == 0 and app.probe("dimmed") == 1
    assert app.probe("backlight") == 0
    assert app.probe("lcd_violations") == 0
    lcd = app.lcd_text()
    assert lcd.startswith("Lat  51.4")

    # Energy, by hand: steps and interrupts cost no CPU time in this
    # scenario, so the MCU runs exactly while tasks declare busy time (the
    # hog, the LCD's and the sensor's waits) and is in WFI otherwise.
    # (a step record says when a step started and the CPU time it took;
    # steps of one board never overlap, so only the last one may run past
    # the end of the run)
    steps, end_ns = sim.events("step"), 20000 * 10**6
    busy_ns = sum(steps.column("arg")) - max(0, steps[-1].t_ns + steps[-1].arg - end_ns)
    assert round(after["run_ms"] * 10**6) == busy_ns, (after["run_ms"], busy_ns)
    assert after["deep_ms"] == 0 and after["total_ms"] == 20000
    cpu_ma_ms = after["run_ms"] * 10.75 + after["idle_ms"] * 3.0
    assert abs(after["cpu_mah"] - cpu_ma_ms / 3.6e6) < 1e-12
    summary(ctx, sim, app, lcd, late_ir, late_dim, late_click)
    energy(ctx, before, after)


def energy(ctx, before, after):
    """Average currents before the hog and while it runs (window figures)."""
    def avg(a, b, key):
        ms = b["total_ms"] - a["total_ms"]
        return (b[key] - a[key]) * 3.6e6 / ms if ms else 0.0
    zero = {k: 0.0 for k in before}
    with_run = (after["run_ms"] - before["run_ms"]) / (after["total_ms"] - before["total_ms"])
    ctx.log(f"energy: MCU {avg(zero, before, 'cpu_mah'):.3f} mA average before the hog, "
            f"{avg(before, after, 'cpu_mah'):.3f} mA while it runs ({100 * with_run:.1f}% "
            f"of the time running); board with its loads {avg(zero, before, 'mah'):.3f} -> "
            f"{avg(before, after, 'mah'):.3f} mA (the backlight dims at 13 s); {after['mah']:.6f} mAh over the run")


def summary(ctx, sim, app, lcd, late_ir, late_dim, late_click):
    counts = {}
    for code, n in collections.Counter(sim.events("note").column("obj")).items():
        name = sim.note_name(code) or f"note{code}"
        counts[name] = counts.get(name, 0) + n
    ctx.log("events: " + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
    ctx.log(f"served late while the CPU hog ran: IR key +{late_ir:.3f} ms, "
            f"long press +{late_dim:.3f} ms, click +{late_click:.3f} ms")
    # Every task's worst wake-up latency: the runner prints the simulator's
    # task table after the scenario (once, for every scenario).
    ctx.log("LCD at the end:")
    ctx.log("  +" + "-" * 16 + "+")
    for row in lcd.split("\n"):
        ctx.log(f"  |{row:16.16s}|")
    ctx.log("  +" + "-" * 16 + "+")
