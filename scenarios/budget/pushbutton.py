"""Budget: pushbutton under a CPU hog that starts 1 ms before the first press of a double click -- press, release and double still reported, none invented.

`tools/sim budget scenarios/budget/pushbutton.py --task hog` finds the
longest hog (parameter hog_ms) this survives; docs/budgets.md has the figure.

Why this moment: the driver samples the pin on a fixed 50 ms grid from its
task, so a hog delays the samples (the pin is read when the task runs, not
when it was due) while the contact keeps moving.  A hog that starts just
before a press and lasts past the release makes the driver miss the whole
press: the shortest gesture is the weakest, and a double click (two 100 ms
presses 210 ms apart) has the shortest presses and a timing rule (the
second press sampled within 400 ms of the first press's sample).

Asserted on the buttons app (no suppress): exactly two presses, two
releases, one double and no long press, in that order; the button ends
released; no unhandled task error; and every report comes no earlier than
the contact settled and no later than one sample period (50 ms) after the
later of that and the hog's end -- the driver's promise: the first sample
after the contact settles.
"""

PARAMS = {"hog_ms": "length of the CPU hog 'hog' that starts 1 ms before the first press (ms)"}
BUDGET = {"driver": "pushbutton (`devices/pushbutton`)", "max": 1000,
          "pattern": "one hog from 1 ms before the first press of a double click"}

PRESS1, PRESS2, HOLD = 120.0, 330.0, 100.0
HOG_AT = PRESS1 - 1
PERIOD = 50.0  # PB_DEBOUNCE_MS: the sampling period
BOUNCE = 3.0   # the button model settles within 3 ms (sim_models.h)


def scenario(ctx):
    hog_ms = ctx.param("hog_ms", 0.0)
    # explore: any board may step first, interrupts held off up to 20 us
    sim = ctx.sim().unordered_boards()
    board = sim.board("b0").irq_latency(20)
    app = board.app("buttons")
    board.hog(busy=hog_ms, at=HOG_AT, name="hog")
    hog_end = HOG_AT + hog_ms
    button = app.button()
    for at in (PRESS1, PRESS2):
        button.click(at=at, hold=HOLD)
    sim.run_until(max(2000, hog_end + 1500))
    notes = [r for r in sim.events("note")
             if r.line.split()[3] in ("press", "release", "double", "long")]
    got = [r.line.split()[3] for r in notes]
    want = ["press", "release", "press", "double", "release"]
    assert got == want, f"reports {got}, want {want} (hog ends at {hog_end} ms)"
    assert app.probe("pressed") == 0, "the button ends pressed"
    # each report: the contact it reports settled before, and it comes by
    # one sample period after that (or after the hog, whichever is later)
    edges = {"press": [PRESS1, PRESS2], "release": [PRESS1 + HOLD, PRESS2 + HOLD]}
    edges["double"] = [PRESS2]
    seen = {"press": 0, "release": 0, "double": 0}
    for r in notes:
        kind = r.line.split()[3]
        edge = edges[kind][seen[kind]]
        seen[kind] += 1
        latest = max(edge + BOUNCE, hog_end) + PERIOD
        assert edge <= r.t_ms <= latest, \
            f"{kind} at {r.t_ms:.3f} ms: want {edge} .. {latest} ms"
