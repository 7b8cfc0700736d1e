"""Reference demo: one board with a button, IR receiver, 16x2 LCD, HTU21D and GPS; a CPU hog midway.

The demo app (apps/demo) shows the GPS position or the temperature on the LCD.
A click toggles the page, a long press dims the backlight, IR keys 0x10/0x11
pick a page.  At 8 s a task starts hogging the CPU (30 ms busy every 75 ms):
the same IR key and the same click then take effect up to 30 ms later, and the
run's summary shows it in each task's worst wake-up latency.
"""
from uasync_sim import nmea

HOG_AT = 8010


def scenario(ctx):
    sim = ctx.sim()
    board = sim.board("board")
    app = board.app("demo", f"hog_at={HOG_AT},hog_busy=30,hog_every=75")
    button, remote = app.button(), app.nec()

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
    sim.run_until(20000)

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

    summary(ctx, sim, app, lcd, late_ir, late_dim, late_click)


def summary(ctx, sim, app, lcd, late_ir, late_dim, late_click):
    counts = {}
    for rec in sim.events("note"):
        name = rec.line.split()[3]
        counts[name] = counts.get(name, 0) + 1
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
