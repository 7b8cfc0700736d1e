"""Pushbutton: debounced press/release, long press and double click, with and without suppress.

Two boards run the buttons app: b0 reports everything, b1 runs in suppress mode
(exactly one of release / long / double per gesture).  The contacts bounce
(seeded), the driver samples every 50 ms on a fixed grid, so each report lands on
the first sample after the contact settles: times are exact.
"""


def gestures(button):
    button.click(at=120, hold=200)      # short click
    button.click(at=1020, hold=1300)    # long press
    button.click(at=3010, hold=100)     # double click ...
    button.click(at=3220, hold=100)     # ... second press within 400 ms


def scenario(ctx):
    sim = ctx.sim()
    plain = sim.board("b0").app("buttons")
    quiet = sim.board("b1").app("buttons", "suppress=1")
    gestures(plain.button())
    gestures(quiet.button())
    sim.run_for(5000)

    # b0: every edge reported at the next 50 ms sample after it settles.
    sim.expect("note:press", at=150, board=0)
    sim.expect("note:release", at=350, board=0)
    sim.expect("note:press", at=1050, board=0)
    sim.expect("note:long", at=2050, board=0)        # 1000 ms after the press
    sim.expect("note:release", at=2350, board=0)
    sim.expect("note:double", at=3250, board=0)      # second press of the pair
    sim.expect_none("note:long", between=(2100, 5000), board=0)  # seed bug #101
    assert plain.probe("pressed") == 0

    # b1 (suppress): the short click's release waits out the double-click
    # window; the long press reports only "long"; the double only "double".
    sim.expect("note:release", at=550, board=1)      # 150 + 400 ms
    sim.expect("note:long", at=2050, board=1)
    sim.expect("note:double", at=3250, board=1)
    sim.expect("note:release", count=1, board=1)
    sim.expect("note:press", count=4, board=1)       # presses are never suppressed
