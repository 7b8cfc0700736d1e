"""wait_for: a timeout cancels the inner task, and its cleanup ends before the caller resumes.

The wait_for app (apps/coretest) runs ua_wait_for(inner, 50 ms) on an inner
task that sleeps 1 s and whose UA_FINALLY awaits 5 ms more (an asynchronous
cleanup).  At 50 ms the wait times out: the inner task is cancelled, its
cleanup runs 50..55 ms, and only then does the caller resume with
UA_ETIMEDOUT -- at 55 ms, after the cleanup's note.  Round 2 waits 50 ms on
a task that finishes in 20 ms: the caller resumes at 55 + 20 = 75 ms with
status 0 and the task's result, 42.
"""

UA_ECANCELLED, UA_ETIMEDOUT = -1, -2


def scenario(ctx):
    sim = ctx.sim()
    sim.board("b0").app("wait_for")
    sim.run_until(2000)

    cleanup = sim.expect("note:inner_cleanup", at=55)     # 50 ms timeout + 5 ms cleanup
    assert cleanup.sarg == UA_ECANCELLED
    first = sim.expect("note:resumed", at=55)
    assert first.sarg == UA_ETIMEDOUT and first.arg2 == 1
    assert cleanup.index < first.index, "the caller resumed before the cleanup ended"

    second = sim.expect("note:resumed", at=75)            # round 2 starts at 55, +20 ms
    assert second.sarg == 0 and second.arg2 == 2
    assert sim.expect("note:result", at=75).arg == 42
    sim.expect("note:resumed", count=2)
    sim.expect("note:inner_cleanup", count=1)             # nothing at 1 s either
