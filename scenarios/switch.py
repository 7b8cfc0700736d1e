"""Switch: a bouncing door contact debounced by polling, close and open reported on the 50 ms grid.

The door app (apps/door) polls the contact every 50 ms from t = 0 (Switch
samples at exactly 50k ms).  The contact bounces (seeded, settled at most
3 ms after each action), so each action is reported at the first sample
after it settles -- an exact time for every seed, as long as the bounce
stays between samples.  A task blocked in switch_wait(CLOSE) wakes with the
same close event, in the same pass.
"""


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("door")
    contact = app.button("contact")
    contact.click(at=120, hold=400)      # closed 120..520: settles by 123 / 523
    contact.click(at=1010, hold=75)      # a short close: 1010..1085
    contact.press(at=2030)               # closed for good at 2030
    sim.run_until(1500)
    assert app.probe("level") == 1       # open again between the closes

    sim.run_until(3000)
    sim.expect("note:close", at=150)     # first sample after 123
    assert sim.expect("note:closed_wait", at=150).sarg == 0
    sim.expect("note:open", at=550)      # first sample after 523
    sim.expect("note:close", at=1050)    # samples 1050 reads closed ...
    sim.expect("note:open", at=1100)     # ... 1100 reads open again (settled 1088)
    sim.expect("note:close", at=2050)
    sim.expect("note:close", count=3)
    sim.expect("note:open", count=2)
    sim.expect("note:closed_wait", count=3)
    assert app.probe("level") == 0 and app.probe("closes") == 3
