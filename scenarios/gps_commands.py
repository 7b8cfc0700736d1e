"""GPS commands: the nav app sends PMTK commands to the receiver model and awaits their answers.

The board's UART TX is wired to the model (sim/models/gps_model.h), which
obeys PMTK sentences and answers PMTK001 / PMTK705 / PGTOP / PMTK010 one
millisecond after a command's LF, queued behind whatever NMEA is on the
line.  The nav app (apps/nav) runs its sequence (nav_app.h) and notes each
result with its status (0 ok; GPS_ECMDUNSUPPORTED -75, GPS_ECMDFAILED -76).
"""
from uasync_sim.errors import code

GPS_ECMDUNSUPPORTED = code("GPS_ECMDUNSUPPORTED")
GPS_ECMDFAILED = code("GPS_ECMDFAILED")
GPS_EBADARG = code("GPS_EBADARG")
MODEL_RMC, MODEL_GGA = 1, 8


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("cmd").app("nav", "model_at=100,seconds=30,commands=1")
    sim.run_until(12_000)
    v = sim.expect("note:version")
    assert v.sarg == 0 and v.sarg2 == len("AXN_2.10_3339_2012072601,5223,PA6H,1.0"), v
    a = sim.expect("note:antenna")
    assert a.sarg == 0 and a.sarg2 == 3, a          # active antenna
    u = sim.expect("note:unsupported")
    assert u.sarg == GPS_ECMDUNSUPPORTED and u.sarg2 == 1, u
    r = sim.expect("note:rate")
    assert r.sarg == 0, r
    e = sim.expect("note:enable")
    assert e.sarg == 0, e
    assert app.probe("model_mask") == MODEL_RMC | MODEL_GGA
    # Obeyed: from the next epoch the model reports every 200 ms, and each
    # fix follows the previous one by exactly 200 ms.
    fixes = [f.t_ns for f in sim.events("note:fix") if e.t_ns + 1e9 < f.t_ns < e.t_ns + 2e9]
    assert len(fixes) >= 8, fixes
    rmc_steps = sorted(set(b - a for a, b in zip(fixes[::2], fixes[2::2])))
    assert rmc_steps == [200_000_000], rmc_steps
    rs = sim.expect("note:restart")
    assert rs.sarg == 0 and rs.sarg2 == 1, rs
    sb = sim.expect("note:standby")
    assert sb.sarg == 0, sb
    # Standby: after the burst already on the line, nothing from the
    # receiver until the next command wakes it.
    assert not [f for f in sim.events("note:fix") if sb.t_ns + 300e6 < f.t_ns < sb.t_ns + 2e9]
    w = sim.expect("note:wake")
    assert w.sarg == 0 and w.t_ns > sb.t_ns + 2e9, w
    b = sim.expect("note:baud")
    assert b.sarg == 0 and b.sarg2 == 38400 and app.probe("model_baud") == 38400, b
    # The line itself changed rate: bytes from the receiver last 10 bits at
    # 9600 baud before the command (1041666 or 1041667 ns) and at 38400 after it
    # (260416 or 260417 ns, the bit times rounded to the nanosecond), both
    # ways: the receiver still answers commands, with no framing error.
    # Counted by the simulator's index (thousands of bytes, no record is
    # built); the durations themselves are listed only on failure.
    def durations(lo, hi):
        return {r.arg2 for r in sim.events("uart_rx", board=0)
                if (lo is None or r.t_ms >= lo) and (hi is None or r.t_ms <= hi)}
    before = (None, (b.t_ns - 100_000_001) / 1e6)           # t < b - 100 ms
    after = ((b.t_ns + 100_000_001) / 1e6, None)            # t > b + 100 ms
    for (lo, hi), bit10 in ((before, (1041666, 1041667)), (after, (260416, 260417))):
        n = sim.count("uart_rx", since=lo, until=hi, board=0)
        ok = sum(sim.count("uart_rx", since=lo, until=hi, board=0, arg2=d) for d in bit10)
        assert n and ok == n, (n, ok, durations(lo, hi))
    assert app.probe("uart_errors") == 0
    bra = sim.expect("note:bad_rate_arg")
    assert bra.sarg == GPS_EBADARG and bra.t_ns == b.t_ns, bra  # not sent
    br = sim.expect("note:bad_rate")
    assert br.sarg == GPS_ECMDFAILED, br      # 50 ms: valid command, failed
    assert app.probe("refused") == 2 and app.probe("acked") == 3
    assert app.probe("model_period") == 200
    ctx.log(f"gps_commands: version {v.t_ns / 1e6:.3f} ms, antenna {a.t_ns / 1e6:.3f} ms, "
            f"rate 200 ms acked at {r.t_ns / 1e6:.3f} ms, {app.probe('model_commands')} "
            f"commands obeyed by the model")
