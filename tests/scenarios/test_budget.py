#!/usr/bin/env python3
"""tools/sim budget and the runner's --param (issue 18), TAP.

The search on a scenario whose budget is known by construction (it fails
once its hog is longer than 12.3 ms): the figure, the failing length and
expectation, the exit status, the failing run's traces kept; then bad
input, each refused with its message and status: a missing scenario, an
unknown task, a scenario that fails without a hog, a bad --max or
--resolution or --seed; and the runner's --param: a value handed to the
scenario, an unknown name, a value that is no number, a malformed item,
--param with --seeds.

    test_budget.py BUDGET_PY RUNNER_PY
"""
import os
import subprocess
import sys
import tempfile

BUDGET = os.path.abspath(sys.argv[1])
RUNNER = os.path.abspath(sys.argv[2])
HANG_GUARD = 300  # seconds; only so that a hang fails instead of blocking

results = []
tmp = tempfile.mkdtemp(prefix="uasync-budget-")
out = os.path.join(tmp, "out")


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def run(script, args):
    try:
        r = subprocess.run([sys.executable, script] + args, capture_output=True,
                           text=True, timeout=HANG_GUARD, cwd=tmp)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        return None, f"hung for {HANG_GUARD} s: {e}"


def scenario(name, text):
    path = os.path.join(tmp, f"{name}.py")
    with open(path, "w") as f:
        f.write(text)
    return path


# A hog of H ms from 1 ms; the scenario fails once H > 12.3 ms.
KNOWN = scenario("known", '''"""A budget known by construction."""
PARAMS = {"hog_ms": "the hog's length (ms)"}


def scenario(ctx):
    h = ctx.param("hog_ms", 0.0)
    sim = ctx.sim()
    sim.board("b0").hog(busy=h, at=1, name="hog")
    sim.run_until(100)
    busy = sum(r.arg for r in sim.events("step")
               if r.line.split()[3].endswith(":hog")) / 1e6
    assert abs(busy - h) < 1e-9, (busy, h)   # the hog ran, as long as asked
    assert h <= 12.3, f"hog of {h} ms is over 12.3"
''')
ALWAYS = scenario("always", '''"""Fails without a hog."""
PARAMS = {"hog_ms": "unused"}


def scenario(ctx):
    ctx.param("hog_ms", 0.0)
    assert False, "broken at any length"
''')
SHOW = scenario("show", '''"""Prints its parameter."""
PARAMS = {"x_ms": "a number"}


def scenario(ctx):
    print("x_ms is", ctx.param("x_ms", 7.0))
''')

# --- the search -----------------------------------------------------------------
rc, text = run(BUDGET, [KNOWN, "--task", "hog", "--max", "50", "--out", out])
case("budget of a known scenario: 12.250 ms, fails at 12.500 with its message",
     rc == 0 and "budget known/hog: 12.250 ms (fails at 12.500 ms: " in text
     and "hog of 12.5 ms is over 12.3" in text, text)
case("the failing run's traces are kept",
     os.path.isfile(os.path.join(out, "budget", "known-hog", "known", "trace.txt")),
     text)
rc, text = run(BUDGET, [KNOWN, "--task", "hog", "--max", "50", "--resolution", "0.1",
                        "--out", out])
case("--resolution 0.1: 12.300 ms", rc == 0 and "budget known/hog: 12.300 ms (fails "
     "at 12.400 ms" in text, text)
rc, text = run(BUDGET, [KNOWN, "--task", "hog", "--max", "10", "--out", out])
case("a budget beyond --max is said, status 1",
     rc == 1 and "more than 10.000 ms" in text and "raise --max" in text, text)

# --- bad input -------------------------------------------------------------------
for name, args, status, needle in [
    ("missing scenario", [os.path.join(tmp, "nope.py"), "--task", "hog"], 2,
     "nope.py: no such scenario file"),
    ("unknown task", [KNOWN, "--task", "cpu"], 2,
     "unknown task 'cpu': this scenario's hogs are hog"),
    ("no task", [KNOWN], 2, "give SCENARIO --task NAME"),
    ("fails without a hog", [ALWAYS, "--task", "hog"], 1,
     "always/hog: fails without a hog (hog_ms=0): "),
    ("--max -5", [KNOWN, "--task", "hog", "--max", "-5"], 2,
     "--max -5 is out of range: more than 0 ms"),
    ("--max 0", [KNOWN, "--task", "hog", "--max", "0"], 2,
     "--max 0 is out of range: more than 0 ms"),
    ("--max abc", [KNOWN, "--task", "hog", "--max", "abc"], 2,
     "--max 'abc' is not a number of ms"),
    ("--max nan", [KNOWN, "--task", "hog", "--max", "nan"], 2,
     "--max nan is out of range"),
    ("--resolution above --max", [KNOWN, "--task", "hog", "--max", "1",
                                  "--resolution", "2"], 2,
     "--resolution 2 is out of range: 0..--max (1 ms)"),
    ("--seed -1", [KNOWN, "--task", "hog", "--seed", "-1"], 2,
     "--seed '-1' is not a seed"),
    ("--check of a file without a table", ["--check", ALWAYS], 2, "no budget table"),
]:
    rc, text = run(BUDGET, args + ["--out", out])
    case(f"budget, {name}: status {status}, {needle!r}",
         rc == status and needle in text and "Traceback" not in text, text)

# --- the runner's --param ---------------------------------------------------------
rc, text = run(RUNNER, ["--out", out, "--param", "x_ms=2.5", SHOW])
case("--param x_ms=2.5 reaches the scenario", rc == 0 and "x_ms is 2.5" in text, text)
rc, text = run(RUNNER, ["--out", out, SHOW])
case("without --param, the default", rc == 0 and "x_ms is 7.0" in text, text)
for name, args, needle in [
    ("unknown name", ["--param", "y_ms=1", SHOW],
     "--param y_ms: unknown parameter (this scenario takes: x_ms)"),
    ("not a number", ["--param", "x_ms=fast", SHOW], "'fast' is not a finite number"),
    ("infinite", ["--param", "x_ms=inf", SHOW], "'inf' is not a finite number"),
    ("not NAME=VALUE", ["--param", "x_ms", SHOW], "is not NAME=VALUE"),
    ("with --seeds", ["--param", "x_ms=1", "--seeds", "1..2", SHOW],
     "--param is for single runs"),
]:
    rc, text = run(RUNNER, ["--out", out] + args)
    case(f"--param, {name}: refused with {needle!r}",
         rc in (1, 2) and needle in text and "Traceback" not in text, text)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.rstrip("\n").replace("\n", "\n# "))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
