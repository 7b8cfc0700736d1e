"""GPS: real receiver logs streamed at 9600 baud into the driver, fixes checked against gpsd; the receiver model's track otherwise.

The nav app (apps/nav) reports "fix" (1e-7 degrees) from the driver's
sentence callback, which runs the instant a position sentence's CR has been
received.  At 9600 baud 8N1 a byte takes 10/9600 s; the simulator places
byte k of a back-to-back burst started at t0 at t0 + (k + 1) x 10 x 1e9 /
9600 ns (integer ns), so every fix time is exact.

Recorded logs (tests/data/nmea/NAME.nmea, gpsd's test logs) are fed
whole from t = 0; NAME.expect.json lists gpsd's TPV reports, each after a
given line: at that line's CR our latest fix must be gpsd's position, and a
TPV printed after a position sentence (RMC A, GGA with a fix, GLL A) must be
our fix at exactly that CR.  The logs are part of the repository: a missing
one is an error, not a skip.
"""
import bisect
import json
import os
import re

BAUD = 9600
TOL_E7 = 2            # gpsd prints 9 decimals; we round to 1e-7 degrees


def byte_ns(k, t0_ns=0):
    """When byte k (from 0) of a burst started at t0 has been received."""
    return t0_ns + (k + 1) * 10 * 1_000_000_000 // BAUD


def is_position(sentence):
    f = sentence.split("*")[0].split(",")
    kind = f[0][3:]
    return ((kind == "RMC" and f[2] == "A" and f[3] != "") or
            (kind == "GGA" and f[6] not in ("", "0") and f[2] != "") or
            (kind == "GLL" and len(f) > 6 and f[6] == "A" and f[1] != ""))


def scenario(ctx):
    model(ctx)
    # index.json names every log, so a log missing from the checkout fails
    # here (cannot open) instead of silently shrinking the run.
    with open(os.path.join(ctx.data, "nmea", "index.json")) as f:
        names = sorted(e["name"] for e in json.load(f))
    assert len(names) == 5, names
    for name in names:
        replay(ctx, os.path.join(ctx.data, "nmea", name + ".nmea"))


def model(ctx):
    """The GPS receiver model on a straight track: 1 Hz bursts from 100 ms."""
    sim = ctx.sim()
    lat0, lon0, dlat, dlon = 514779000, -14000, 200, 300      # 1e-7 deg, per s
    app = sim.board("model").app(
        "nav", f"model_at=100,lat={lat0},lon={lon0},dlat={dlat},dlon={dlon},seconds=5")
    sim.run_until(6000)
    for k in range(6):                     # epochs at 100 + 1000k, track time 1000k
        app.set("burst_ms", 1000 * k)
        burst = app.text("burst")
        start = 100 * 1_000_000 + k * 1_000_000_000
        ends = [i for i, ch in enumerate(burst) if ch == "\r"]
        lines = burst.split("\r\n")
        for line, cr in zip(lines, ends):
            if not is_position(line):
                continue
            r = sim.expect("note:fix", at=byte_ns(cr, start) / 1e6)
            # 5 decimals of minutes: within 1e-5/60 degree of the track.
            assert abs(r.sarg - (lat0 + k * dlat)) <= 2, (line, r)
            assert abs(r.sarg2 - (lon0 + k * dlon)) <= 2, (line, r)
    sim.expect("note:fix", count=12)                             # RMC + GGA x 6
    assert app.probe("epochs") == 6 and app.probe("mode") == 3


def replay(ctx, path):
    name = os.path.basename(path)[:-len(".nmea")]
    with open(path, "rb") as f:
        data = f.read()
    crs = [m.start() for m in re.finditer(b"\r", data)]          # one per line
    lines = data.decode("latin-1").split("\r\n")
    sim = ctx.sim()
    app = sim.board(name[:24]).app("nav")
    app.uart("gps_uart").feed(data, at=0)
    end_ms = byte_ns(len(data)) / 1e6 + 10
    sim.run_until(end_ms)
    fixes = sim.events("note:fix")
    fix_ns = [r.t_ns for r in fixes]                              # time-ordered

    exp_path = path[:-len(".nmea")] + ".expect.json"
    checked = exact = 0
    with open(exp_path) as f:                  # in the repository: required
        tpvs = json.load(f)
    for tpv in tpvs:
        if tpv["lat"] is None:
            continue
        t = byte_ns(crs[tpv["after"]])
        k = bisect.bisect_right(fix_ns, t)                    # fixes up to t
        assert k, f"{name}: no fix by line {tpv['after']} ({tpv['sentence']})"
        last = fixes[k - 1]
        want = (round(tpv["lat"] * 1e7), round(tpv["lon"] * 1e7))
        assert abs(last.sarg - want[0]) <= TOL_E7 and \
            abs(last.sarg2 - want[1]) <= TOL_E7, (name, tpv, last)
        checked += 1
        if is_position(lines[tpv["after"]]):
            sim.expect("note:fix", at=t / 1e6)
            exact += 1
    ctx.log(f"gps: {name}: {len(data)} bytes in {end_ms / 1000:.3f} s, "
            f"{len(fixes)} fixes, {checked} gpsd positions matched "
            f"({exact} at the exact CR time), {app.probe('parsed')} sentences parsed, "
            f"{app.probe('bad_checksum')} bad checksums")
    assert checked > 0, f"{name}: no gpsd position compared"
    assert app.probe("uart_errors") == 0
