"""Delay_ms watchdog: retriggering extends, a shorter trigger shortens, expiry at the exact time.

The watchdog app (apps/watchdog) runs a Delay_ms with a 500 ms timeout.  It
is fed from a scenario "kick" (delay_ms_trigger at the current time) or by a
falling edge on the heartbeat pin (delay_ms_trigger_at with the edge's own
tick, from the interrupt).  Each trigger sets end = now + duration, later or
earlier than before; at `end` the callback reports "expired" and a task
awaiting the event reports "expired_wait" -- both at exactly `end`.
"""


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("watchdog", "timeout=500")

    sim.run_until(100)
    app.set("kick", 0)                       # end = 100 + 500 = 600
    sim.run_until(300)
    app.set("kick", 0)                       # fed again: end moves to 800
    sim.run_until(700)
    assert app.probe("running") == 1
    sim.expect_none("note:expired", between=(0, 700))   # not at 600

    sim.run_until(900)
    app.set("kick", 1000)                    # end = 1900 ...
    sim.run_until(1000)
    app.set("kick", 200)                     # ... shortened: end = 1200

    hb = app.pin("heartbeat")
    hb.drive(0, at=2000.5).drive(None, at=2000.6)   # feed from the interrupt
    hb.drive(0, at=2300.25).drive(None, at=2300.3)  # ... and again
    sim.run_until(3000)
    app.set("kick", 100)                     # end = 3100 ...
    sim.run_until(3050)
    app.set("stop", 0)                       # ... but stopped: no expiry
    sim.run_until(4000)

    sim.expect("note:expired", at=800)               # 300 + 500
    sim.expect("note:expired_wait", at=800)
    sim.expect("note:expired", at=1200)              # 1000 + 200, not 1900
    sim.expect_none("note:expired", between=(1201, 2799.99))
    sim.expect("note:expired", at=2800.25)           # last edge 2300.25 + 500
    sim.expect_none("note:expired", between=(2800.26, 4000))  # stopped
    sim.expect("note:expired", count=3)
    sim.expect("note:expired_wait", count=3)
    assert app.probe("expiries") == 3 and app.probe("running") == 0
    assert app.probe("kicks") == 7
