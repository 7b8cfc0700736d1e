#!/usr/bin/env python3
"""tools/bench/bench_scenarios.py (issue 19), TAP: its lines have the
promised shape and sane figures, with and without the trace exports (the
python-share runs time every call into the library and the renderer's
process), and a scenario name it does not know is refused.  Figures are
not compared with any speed: the bench prints them, it asserts nothing.

    test_bench.py BUILD_DIR
"""
import os
import re
import subprocess
import sys

BUILD = os.path.abspath(sys.argv[1])
ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "tools", "bench", "bench_scenarios.py")
HANG_GUARD = 300  # seconds; only so that a hang fails instead of blocking
LINE = re.compile(r"^bench (scenario|scenario\+exports) (\w+): ([0-9.]+) virtual s in "
                  r"([0-9.]+) s, ([0-9]+) x real time, python ([0-9]+) %$")
COMMENT = re.compile(r"^#   runs: ([0-9.]+)\.\.([0-9.]+) s; python ([0-9]+) us; first run "
                     r"in a fresh interpreter: ([0-9.]+) s, [0-9]+ x; loading the file "
                     r"\(not counted\): [0-9.]+ ms$")
results = []


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def bench(*args):
    r = subprocess.run([sys.executable, BENCH, BUILD, "--rounds", "3", *args],
                       capture_output=True, text=True, timeout=HANG_GUARD)
    return r.returncode, r.stdout, r.stderr


def check(label, args, names, virtual):
    rc, out, err = bench(*args)
    lines = [l for l in out.splitlines() if l.startswith("bench ")]
    comments = [l for l in out.splitlines() if l.startswith("#   runs")]
    got = {}
    for line, comment in zip(lines, comments):
        m, c = LINE.match(line), COMMENT.match(comment)
        if m and c:
            got[m.group(2)] = (m, c)
    case(f"{label}: exit 0, a line and a comment per scenario",
         rc == 0 and sorted(got) == sorted(names) and len(lines) == len(names),
         out + err)
    for name, (m, c) in sorted(got.items()):
        v, w, ratio, py = float(m.group(3)), float(m.group(4)), int(m.group(5)), \
            int(m.group(6))
        lo, hi, cold = float(c.group(1)), float(c.group(2)), float(c.group(4))
        # W is printed to 0.1 ms and the runs to 10 us: compare within that
        case(f"{label}: {name} simulates {virtual[name]} s, W and R = V / W "
             f"within its runs, P a share",
             v == virtual[name] and 0 < lo <= hi and cold > 0
             and lo - 0.00005 <= w <= hi + 0.00005
             and 0.99 * v / (hi + 0.000005) <= ratio <= 1.01 * v / max(lo - 0.000005, 1e-9)
             and 0 <= py <= 100,
             m.group(0) + "\n" + c.group(0))


check("no exports", ["--only", "power,asi2c"], ["power", "asi2c"],
      {"power": 0.1, "asi2c": 27.5})
check("exports", ["--exports", "--only", "power"], ["power"], {"power": 0.1})
rc, out, err = bench("--only", "powr,demo")
case("an unknown scenario is refused with exit 2, naming it",
     rc == 2 and "--only powr: no such scenario" in err and "bench " not in out,
     out + err)

rc, out, err = bench("--rounds", "0", "--only", "power")
case("--rounds 0 is refused with exit 2 and the range",
     rc == 2 and "--rounds 0 is out of range: 3..1000" in err and "bench " not in out,
     out + err)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
