"""GPS PPS: precise time on a board whose crystal is 37 ppm fast, over a simulated hour; a PPS outage.

The receiver model (sim/models/gps_model.h) raises PPS at every true second
of track time (track time 0 = 12:00:00 UTC, started at 100 ms) and sends
its RMC right after.  The board's crystal is +37 ppm (sim_board_set_crystal_ppb
37000): its tick runs 37 us per second fast.  The nav app (apps/nav)
calibrates gps_timer against 60 s of PPS, then every 60 s of its own clock
reports the UTC time of day gps_timer_time_us gives ("t": second, us).  The
truth is the simulation's time: 43200 s + (t - 100 ms).
"""
from uasync_sim.errors import code

T0_NS = 100 * 1_000_000      # model start: track time 0 = 12:00:00 UTC
BAUD = 9600
BOUND_US = 2                 # stated error bound after calibration


def byte_ns(k, t0_ns=0):
    return t0_ns + (k + 1) * 10 * 1_000_000_000 // BAUD


def true_us_of_day(t_ns):
    return 43200 * 1_000_000 + (t_ns - T0_NS) // 1000


def scenario(ctx):
    hour(ctx)
    outage(ctx)


def hour(ctx):
    sim = ctx.sim()
    app = sim.board("ppm37").app(
        "nav", "model_at=100,seconds=3700,pps=1,ppb=37000,cal=60,report=60,mask=1")
    sim.run_until(3_662_000)
    cal = sim.expect("note:calibrated")
    # 37 ppm measured over 60 s of pulses to the microsecond: 37000 ppb
    # within 1 us / 60 s = 17 ppb.
    assert abs(cal.sarg - 37000) <= 17 and cal.sarg2 == 0, cal
    reports = sim.events("note:t")
    assert len(reports) >= 59, len(reports)
    worst = 0
    for r in reports:
        got = r.sarg * 1_000_000 + r.sarg2
        err = got - true_us_of_day(r.t_ns)
        worst = max(worst, abs(err))
        assert abs(err) <= BOUND_US, (r, err)
    assert app.probe("outages") == 0 and app.probe("pulses") >= 3600
    # Without the driver's correction the board's own clock would be off
    # by 37 us per second: 133 ms after the hour.
    ctx.log(f"gps_pps: crystal +37 ppm, calibrated {cal.sarg} ppb; "
            f"{len(reports)} reports over {reports[-1].t_ns / 1e9:.0f} s, "
            f"worst time error {worst} us (bound {BOUND_US} us)")


def outage(ctx):
    """PPS lost for a minute from track time 1800 s: said at the first RMC
    without its pulse, and again when pulses come back."""
    sim = ctx.sim()
    app = sim.board("outage").app(
        "nav", "model_at=100,seconds=1900,pps=1,ppb=37000,cal=10,report=10,"
               "mask=1,pps_off=1800000,pps_on=1860000")
    sim.run_until(1_900_000)
    app.set("burst_ms", 1_800_000)
    rmc_cr = app.text("burst").index("\r")
    lost = sim.expect("note:pps_lost", count=1)
    assert lost.t_ns == byte_ns(rmc_cr, T0_NS + 1800 * 1_000_000_000), lost
    back = sim.expect("note:pps_back", count=1)
    assert back.t_ns == byte_ns(rmc_cr, T0_NS + 1860 * 1_000_000_000), back
    # During the outage time_us says GPS_ENOPPS (-77) once the last pulse
    # is 1.5 s old; the reports before and after are within the bound.
    errs = [r for r in sim.events("note:t_err")]
    assert errs and all(r.sarg == code("GPS_ENOPPS") for r in errs)
    assert all(T0_NS + 1801.5e9 <= r.t_ns < T0_NS + 1861e9 for r in errs)
    for r in sim.events("note:t"):
        if T0_NS + 1801.5e9 <= r.t_ns < T0_NS + 1861e9:
            continue
        got = r.sarg * 1_000_000 + r.sarg2
        assert abs(got - true_us_of_day(r.t_ns)) <= BOUND_US, r
    assert app.probe("outages") == 1
    ctx.log(f"gps_pps: outage 1800..1860 s reported at {lost.t_ns / 1e9:.6f} s, "
            f"over at {back.t_ns / 1e9:.6f} s; {len(errs)} reports said GPS_ENOPPS")
