#!/usr/bin/env python3
"""Scenario speed: every scenario in scenarios/, timed from its first line
to its last expectation, against the virtual time it simulates.

    python3 tools/bench/bench_scenarios.py BUILD_DIR [--rounds N] [--exports]
                                           [--only NAME,NAME] [--seed N]

One line per scenario (`tools/sim bench` prints them after the core
benchmarks; `tools/sim bench --scenarios` prints only them):

    bench scenario NAME: V virtual s in W s, R x real time, python P %

V is the virtual time of the scenario's simulations added up (a scenario
that runs four 10 s simulations simulates 40 s).  W is CPU time from the
call of scenario(ctx) to its return, plus the trace exports when written
(the process's, plus its children's: the PNG renderer), the median of
--rounds runs (at least 3), each in a fresh interpreter whose start-up,
imports, library load and loading of the scenario file are not counted
(the load is shown apart on the comment line under it).  R is V / W.
P is the share of the time spent outside the simulator library: the
library sums the CPU time spent inside its run, query and export entry
points (sim_cpu_accounting), the rest -- the scenario's Python, the
verbs, ctypes -- is "python".  Child processes count as not Python.
The accounting reads the process CPU clock twice per library call (a
system call, ~2 us in a VM), so P comes from --rounds more runs with it
on, and W from runs with it off: the probe is not part of the scenario.

The comment line under each also gives the same scenario run a second
time in the same interpreter (the first run untimed), as the seeds of a
sweep run: without the first run's cold caches and first-touch page
faults (~16 us each for anonymous memory in this project's VM), which
dominate a scenario of a few hundred microseconds.

By default a run writes no trace files, as a passing seed of a sweep
does; --exports writes them all (trace.txt, .vcd, .json, timeline.png),
as `tools/sim run` does, and prints `bench scenario+exports NAME: ...`.
Figures are printed, never asserted.  Standard library only.
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def child(path, exports, seed, account, warm):
    """Run one scenario in this process and print its figures as JSON
    (warm: of a second run, after an untimed one)."""
    sys.path.insert(0, os.path.join(ROOT, "scenarios", "lib"))
    from uasync_sim import _lib, runner  # noqa: E402 (imports are not timed)
    import uasync_sim.apps  # noqa: F401,E402  (loaded as a scenario would)
    import uasync_sim.errors  # noqa: F401,E402
    _lib.lib.sim_cpu_accounting(account)
    with tempfile.TemporaryDirectory(prefix="uasync-bench-") as out:
        if warm:
            runner.run_one(path, seed, os.path.join(out, "warm-up"), quiet=True,
                           keep="all" if exports else "none", stats={})
        stats = {}
        ch0 = os.times()
        ok, name, _, _, err, _ = runner.run_one(path, seed, out, quiet=True,
                                                 keep="all" if exports else "none",
                                                 stats=stats)
        ch1 = os.times()
    children = (ch1.children_user - ch0.children_user) + \
        (ch1.children_system - ch0.children_system)
    total = stats.get("scenario_cpu", 0.0) + stats.get("export_cpu", 0.0) + children
    lib = stats.get("scenario_lib", 0.0) + stats.get("export_lib", 0.0) + children
    print(json.dumps({"ok": ok, "name": name, "err": err, "cpu": total, "lib": lib,
                      "load": stats.get("load_cpu", 0.0),
                      "virtual": stats.get("virtual_sum", 0.0)}))
    return 0


def measure(build, path, rounds, exports, seed):
    """(median run, CPU of every run, median python share, median load,
    median CPU of a second run in the same process)."""
    env = dict(os.environ, UASYNC_ROOT=ROOT, UASYNC_BUILD=build)
    runs, shares, warm = [], [], []
    for account, second in ((False, False), (True, False), (False, True)):
        for _ in range(rounds):
            cmd = [sys.executable, os.path.abspath(__file__), "--child", path,
                   "--seed", str(seed)] + (["--exports"] if exports else []) + \
                (["--account"] if account else []) + (["--warm"] if second else [])
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if r.returncode != 0 or not r.stdout.strip():
                sys.stderr.write(r.stdout + r.stderr)
                return None
            res = json.loads(r.stdout.strip().splitlines()[-1])
            if not res["ok"]:
                sys.stderr.write(f"{path} failed:\n{res['err']}")
                return None
            if account:
                w = res["cpu"]
                shares.append(max(0.0, w - res["lib"]) / w * 100 if w > 0 else 0.0)
            elif second:
                warm.append(res["cpu"])
            else:
                runs.append(res)
    runs.sort(key=lambda x: x["cpu"])
    return (runs[len(runs) // 2], [x["cpu"] for x in runs], statistics.median(shares),
            statistics.median(x["load"] for x in runs), statistics.median(warm))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--exports", action="store_true",
                    help="write every trace file, as tools/sim run does")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--account", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.exports, args.seed, args.account, args.warm)
    if not args.build:
        ap.error("BUILD_DIR is required")
    rounds = max(3, args.rounds)
    paths = [p for p in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py")))
             if os.path.basename(p) != "conftest.py"]
    if args.only:
        want = set(args.only.split(","))
        paths = [p for p in paths if os.path.basename(p)[:-3] in want]
    label = "scenario+exports" if args.exports else "scenario"
    print(f"# scenarios: CPU time, median of {rounds} runs each, "
          + ("trace files written" if args.exports else "no trace files written"
             " (a passing sweep seed)"), flush=True)
    status = 0
    for path in paths:
        name = os.path.basename(path)[:-3]
        got = measure(os.path.abspath(args.build), path, rounds, args.exports, args.seed)
        if got is None:
            print(f"bench {label} {name}: failed to run")
            status = 1
            continue
        res, all_cpu, py, load, w2 = got
        w, v = res["cpu"], res["virtual"]
        ratio = v / w if w > 0 else float("inf")
        print(f"bench {label} {name}: {v:.3f} virtual s in {w:.4f} s, "
              f"{ratio:.0f} x real time, python {py:.0f} %", flush=True)
        print("#   rounds: " + " ".join(f"{x:.4f}" for x in all_cpu)
              + f"; loading the file (not counted): {load * 1000:.2f} ms"
              + f"; second run in the same process: {w2:.4f} s, "
              + (f"{v / w2:.0f} x" if w2 > 0 else "inf x"))
    return status


if __name__ == "__main__":
    sys.exit(main())
