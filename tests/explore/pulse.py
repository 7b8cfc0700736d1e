"""Planted bug (tests only): an event pulse that a consumer ready at the same tick misses.

The consumer's 10 ms tick and each data edge fall on the same instant (10,
20, ... 100 ms): the loop wakes the consumer (a timer) and the producer
(an ISR flag) in one pass, an order it does not promise.  The scripted run
wakes the consumer first and every sample is seen; the producer first
loses the sample in the buggy firmware (PLANTED_FIXED=1 runs the fixed one).
"""
import os

SAMPLES = 10


def scenario(ctx):
    fixed = os.environ.get("PLANTED_FIXED") == "1"
    sim = ctx.sim()
    app = sim.board("b0").app("pulse", f"fixed={int(fixed)}")
    pin = app.pin("data")
    for k in range(1, SAMPLES + 1):
        pin.edges([(10 * k, 0), (10 * k + 0.1, 1)])
    sim.run_until(10 * SAMPLES + 5)
    assert (app.probe("got"), app.probe("missed")) == (SAMPLES, 0), \
        f"got {app.probe('got')}, missed {app.probe('missed')} of {SAMPLES} samples"
