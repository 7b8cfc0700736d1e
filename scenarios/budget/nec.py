"""Budget: NEC IR under a CPU hog that starts 1 ms before a held key's leader -- every frame and repeat still delivered, right values, no error.

`tools/sim budget scenarios/budget/nec.py --task hog` finds the longest
hog (parameter hog_ms) this survives; docs/budgets.md has the figure.

Why this moment: the driver decodes in its interrupt handler, which a hog
does not delay, and hands each finished burst to its task through a ring
of 8 records (NEC_IR_RING).  A hog therefore costs nothing until the task
is needed and cannot run: the worst case is a hog that starts just before
a key press and lasts while the key is held, so that the frame and its
repeat codes (one every 108 ms) pile up in the ring.  The ninth burst
that ends during the hog finds the ring full (NEC_OVERRUN): that is what
breaks first, and the budget is the end of the eighth burst plus the
time to the ninth's end, minus the hog's start.

Asserted: the frame and its 12 repeats, then a second key after the hog,
each delivered exactly once with its address and command, in order; no
error note, no driver error (errors and overruns probes 0), no unhandled
task error; and each result comes at its block time (73 ms after its
first edge) or, when the hog holds the CPU then, the moment the hog ends
-- never earlier, never later (the driver promises delay without loss).
"""

from uasync_sim import errors

PARAMS = {"hog_ms": "length of the CPU hog 'hog' that starts 1 ms before the leader (ms)"}
BUDGET = {"driver": "NEC IR (`devices/nec`)", "max": 2000,
          "pattern": "one hog from 1 ms before the leader of a key held for 12 repeats"}

KEY1 = (0x12, 0x34)
KEY2 = (0x56, 0x78)
T1 = 100.0          # leader of the held key
REPEATS = 12
BLOCK = 73          # NEC_BLOCK_MS
HOG_AT = T1 - 1


def scenario(ctx):
    hog_ms = ctx.param("hog_ms", 0.0)
    # explore: any board may step first, interrupts held off up to 20 us
    sim = ctx.sim().unordered_boards()
    board = sim.board("b0").irq_latency(20)
    app = board.app("ir")
    board.hog(busy=hog_ms, at=HOG_AT, name="hog")
    hog_end = HOG_AT + hog_ms
    t2 = max(T1 + 108 * REPEATS + 300, hog_end + 50)   # a second key, after
    app.nec().send(*KEY1, at=T1, repeats=REPEATS)
    app.nec().send(*KEY2, at=t2)
    sim.run_until(t2 + 300)

    for r in sim.events("note:ir_error"):
        raise AssertionError(f"{errors.name(r.sarg)} at {r.t_ms:.3f} ms")
    assert app.probe("overruns") == 0 and app.probe("errors") == 0, \
        f"driver errors: overruns {app.probe('overruns')}, errors {app.probe('errors')}"
    due = [T1 + BLOCK] + [T1 + 108 * k + BLOCK for k in range(1, REPEATS + 1)] \
        + [t2 + BLOCK]
    want = [("ir", KEY1)] + [("ir_repeat", KEY1)] * REPEATS + [("ir", KEY2)]
    notes = [r for r in sim.events("note") if r.line.split()[3] in ("ir", "ir_repeat")]
    assert len(notes) == len(want), \
        f"{len(notes)} results, want {len(want)}: " + "; ".join(r.line for r in notes)
    for r, (kind, key), d in zip(notes, want, due):
        assert (r.line.split()[3], (r.arg, r.arg2)) == (kind, key), \
            f"{r.line}: want {kind} {key[0]:#x} {key[1]:#x}"
        when = hog_end if HOG_AT < d <= hog_end else d
        assert abs(r.t_ms - when) < 1e-6, \
            f"{r.line}: at {r.t_ms} ms, want {when} ms (due {d}, hog ends {hog_end})"
