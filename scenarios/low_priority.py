"""Low priority: a housekeeping task in the low-priority lane starves while busy tasks run, runs the moment they are idle, and runs once overdue when a bound is set.

Two boards run the low_priority app (apps/coretest): two tasks that each
keep the CPU 2 ms per step for 100 steps and yield (passes of 4 ms, busy
until 400 ms), and a housekeeping task that awaits ua_after_ms(50) in a loop
and reports how late it ran.  Board "starve" sets no bound; board
"bounded" sets max_overdue_ms = 120 (ua_loop_set_low_priority).

starve: due at 50, it waits for the busy tasks: they end at the pass that
starts at 400, and the next pass, with nothing normal ready, runs it (350 ms
late).  Then nothing competes: due at 450, it runs at 450 exactly.
bounded: due at 50, it is promoted at the first pass that starts once it has
waited 120 ms -- passes start every 4 ms, so at 172 (122 ms late), ahead of
the busy tasks.  Due again at 222: run at 344.  Due at 394: at 400 the busy
tasks end, and it runs in the pass after theirs, 6 ms late; then at 450.
"""


def scenario(ctx):
    sim = ctx.sim()
    args = "nbusy=2,busy_us=2000,busy_steps=100,period=50"
    starve = sim.board("starve").app("low_priority", args)
    bounded = sim.board("bounded").app("low_priority", args + ",overdue=120")
    sim.run_until(460)

    def runs(board):
        return [(r.t_ms, r.sarg) for r in sim.events("note:housekeeping", board=board)]

    assert runs(0) == [(400.0, 350000), (450.0, 0)], runs(0)
    assert runs(1) == [(172.0, 122000), (344.0, 122000), (400.0, 6000),
                       (450.0, 0)], runs(1)
    ctx.log("housekeeping without a bound: " +
            ", ".join(f"{t:g} ms ({late / 1000:g} late)" for t, late in runs(0)))
    ctx.log("with max_overdue_ms=120: " +
            ", ".join(f"{t:g} ms ({late / 1000:g} late)" for t, late in runs(1)))
