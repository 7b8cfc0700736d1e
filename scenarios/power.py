"""Energy accounting by hand: a board that sleeps deep between two bursts of work, and an LED load.

The `cancel` app sleeps 10 s in one task and cancels it from another after
30 ms.  With 100 us of CPU per task step and deep sleep allowed for idle
periods of 5 ms or more, the board runs only during its steps (at 0 and at
30 ms) and sleeps deep otherwise: the figures follow from the number of
steps, which the trace gives.  A 5 mA load switched off at 50 ms adds
5 mA x 50 ms.  (docs/low-power.md)
"""

RUN_MA, IDLE_MA, DEEP_MA = 8.0, 2.0, 0.05


def scenario(ctx):
    sim = ctx.sim()
    board = sim.board("b0")
    board.set_costs(step_us=100)
    board.set_power(run_ma=RUN_MA, idle_ma=IDLE_MA, deep_ma=DEEP_MA, deep_min_ms=5)
    led = board.load("led", 5.0).set(0.0, at=50)
    board.app("cancel")
    sim.run_until(100)

    st = board.power_stats()
    steps = sim.events("step")
    assert steps, "no steps"
    # Two bursts: the tasks' first steps at 0, the cancel at 30 ms; every
    # step 100 us, back to back within a burst.
    bursts = sorted({r.t_ns // 10**6 for r in steps})
    assert bursts[0] == 0 and bursts[-1] == 30, bursts
    run_ms = 0.1 * len(steps)
    assert abs(st["run_ms"] - run_ms) < 1e-9, (st, run_ms)
    assert st["idle_ms"] == 0, st           # every idle period was >= 5 ms
    assert abs(st["deep_ms"] - (100 - run_ms)) < 1e-9, st
    assert st["wakeups"] == 2, st          # the first burst and the cancel
    cpu_ma_ms = run_ms * RUN_MA + (100 - run_ms) * DEEP_MA
    assert abs(st["cpu_mah"] - cpu_ma_ms / 3.6e6) < 1e-15, st
    assert abs(led.mah - 5.0 * 50 / 3.6e6) < 1e-15, led.mah
    assert abs(st["avg_ma"] - (cpu_ma_ms + 250.0) / 100) < 1e-9, st
    assert board.power_stats()["total_ms"] == 100

    # The timeline's power records: run at each burst, deep in between.
    # The canceller's 30 ms sleep starts at the end of its first step
    # (0.2 ms: the sleeper's step and its own), so the second burst starts
    # at 30.2 ms: the cancel, the sleeper's cleanup, the join.
    recs = [(r.t_ns, r.line.split()[-1]) for r in sim.events("power") if r.obj == 0]
    us = 1000
    assert recs == [(0, "run"), (200 * us, "deep"), (30200 * us, "run"),
                    (30200 * us + len(steps) * 100 * us - 200 * us, "deep")], recs

    # Bad input is refused, naming the value and the range.
    try:
        board.set_power(run_ma=-1)
    except AssertionError as e:
        assert "run current -1 mA out of range [0, 10000]" in str(e), e
    else:
        raise AssertionError("a negative current was accepted")
    ctx.log(f"run {st['run_ms']:.1f} ms ({len(steps)} steps), deep {st['deep_ms']:.1f} ms, "
            f"{st['wakeups']} wake-ups, {st['mah'] * 1000:.4f} uAh, "
            f"{st['avg_ma']:.4f} mA average")
