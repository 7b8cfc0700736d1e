"""Cancellation is prompt: a task sleeping 10 s, cancelled at 30 ms, runs its cleanup at 30 ms.

The cancel app (apps/coretest) spawns a sleeper (ua_sleep_ms(10000) with a
UA_FINALLY cleanup) and a canceller that sleeps 30 ms, calls
ua_task_cancel() and joins the sleeper.  Cancellation unlinks the sleeper
from the timer heap at once, so its cleanup runs at the very next pass --
at exactly 30 ms, not at 10 s.  A second board charges 100 us of CPU per
task step: the cleanup then runs in the step right after the cancelling one.
"""

UA_ECANCELLED = -1


def scenario(ctx):
    sim = ctx.sim()
    sim.board("free").app("cancel")
    costly = sim.board("costly")
    costly.set_costs(step_us=100)
    costly.app("cancel")
    sim.run_until(11000)                       # well past the 10 s sleep

    # Board 0 (no CPU cost): everything at the canceller's wake-up, 30 ms.
    sim.expect("note:sleeping", at=0, board=0)
    assert sim.expect("note:cancel", at=30, board=0).arg == 1    # request recorded
    assert sim.expect("note:cleanup", at=30, board=0).sarg == UA_ECANCELLED
    assert sim.expect("note:joined", at=30, board=0).sarg == UA_ECANCELLED
    sim.expect_none("note:woke")               # the 10 s sleep never completes
    sim.expect("note:cleanup", count=2)        # one per board, nothing at 10 s

    # Board 1: each step is charged 100 us up front, so code in a step runs at
    # its start + 0.1 ms.  The sleeper's first step is 0..0.1, the canceller's
    # 0.1..0.2, where it arms 30 ms: deadline 30.2.  Its step 30.2..30.3
    # cancels (note at 30.3); the sleeper's cleanup is the very next step,
    # 30.3..30.4 (note at 30.4); the canceller's join returns in 30.4..30.5.
    sim.expect("note:cancel", at=30.3, board=1)
    sim.expect("note:cleanup", at=30.4, board=1)
    sim.expect("note:joined", at=30.5, board=1)
