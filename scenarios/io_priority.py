"""I/O priority: an interrupt-driven task's wake-up latency among 10 busy tasks, lane off vs on.

Two boards run the io_priority app (apps/coretest): 10 tasks that each block
the CPU 2 ms per step (ua_delay_us) and yield, and a task woken through an
ISR flag by a falling edge on pin "irq"; it reports its latency since the
edge tick.  Board 0 has ua_loop_set_io_priority off, board 1 on.

The busy tasks make a 20 ms pass: pass k runs them at 20k, 20k+2, ...
Off: the flag is turned into a wake-up at the start of the next pass and the
task queues behind the 10 busy tasks, so it waits for the rest of the
current pass plus a whole pass.  On: flags are polled before every resume
and the I/O lane goes first, so it waits only for the step in progress.
"""

EDGES = (101.0, 253.7)


def scenario(ctx):
    sim = ctx.sim()
    off = sim.board("lane_off").app("io_priority", "prio=0,nbusy=10,busy_us=2000")
    on = sim.board("lane_on").app("io_priority", "prio=1,nbusy=10,busy_us=2000")
    for app in (off, on):
        for t in EDGES:
            app.pin("irq").drive(0, at=t).drive(None, at=t + 0.2)
    sim.run_until(400)

    # Off.  Edge 101.0 falls in the pass 100..120; the next pass (120) runs the
    # busy tasks 120..140 first: woken at 140, 39 ms late.  That pass started
    # at 120 and the irq task's zero-cost step shifts nothing, so passes start
    # at 140, 160, ... 240: edge 253.7 is served after the 260 pass, at 280.
    assert sim.expect("note:irq_task", at=140, board=0).arg == 39000
    assert sim.expect("note:irq_task", at=280, board=0).arg == 26300
    # On.  Edge 101.0 is inside busy0's step 100..102: woken at 102 (1 ms);
    # 253.7 inside the step 252..254: woken at 254 (0.3 ms).
    assert sim.expect("note:irq_task", at=102, board=1).arg == 1000
    assert sim.expect("note:irq_task", at=254, board=1).arg == 300

    worst = {}
    for name, app in (("off", off), ("on", on)):
        task = dict(app.tasks())["irq_task"]
        worst[name] = sim.task_stats(task)["worst_latency_ms"]
    assert worst == {"off": 39.0, "on": 1.0}, worst     # the simulator agrees
    assert worst["on"] < worst["off"]
    ctx.log(f"worst wake-up latency: {worst['off']} ms without the I/O lane, "
            f"{worst['on']} ms with it")
