"""Thermostat: each press raises the setpoint by 1.00 C when the debounce confirms it; a long press restores the default.

The pushbutton driver samples the pin every 50 ms from t = 0 (PB_DEBOUNCE_MS);
a press is reported at the first sample that reads it pressed, and a long
press PB_LONG_MS (1000 ms) after that.  The button model here does not
bounce, so a press at 105 ms is seen at the 150 ms sample.
"""

DEBOUNCE_MS = 50
LONG_MS = 1000


def next_sample(t):
    return (int(t) // DEBOUNCE_MS + 1) * DEBOUNCE_MS


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("thermostat", "setpoint=2000")
    button = app.button("button")
    assert app.probe("setpoint") == 2000

    button.click(at=105, hold=100)
    button.click(at=405, hold=100)
    sim.run_until(600)
    sim.expect("note:setpoint", at=next_sample(105), arg=2100)
    sim.expect("note:setpoint", at=next_sample(405), arg=2200)
    assert app.probe("setpoint") == 2200

    button.press(at=805)
    button.release(at=2500)
    sim.run_until(3000)
    sim.expect("note:setpoint", at=next_sample(805) + LONG_MS, arg=2000)
    assert app.probe("setpoint") == 2000
