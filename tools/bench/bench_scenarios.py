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
(the process's, plus its children's: the PNG renderer).  R is V / W.

A scenario is timed as a sweep's worker runs its seeds: in an interpreter
that has run it before.  Each of 3 fresh interpreters (start-up, imports,
library load and loading the file not counted; the load is shown apart)
runs the scenario once untimed-for-W, then --rounds times; W is the median
of those timed runs.  The first run of each interpreter pays the process's
one-off cold start -- the first execution of the interpreter's and the
library's code paths and first-touch page faults (~16 us each for anonymous
memory in this project's VM) -- which is start-up, not the scenario; it is
printed apart on the comment line ("first run in a fresh interpreter"), the
figure a single `tools/sim run` sees.

P is the share of W spent outside the simulator library (the scenario's
Python, the verbs, ctypes): one more interpreter runs the scenario with
every call into the library timed (a wrapper around each C function,
reading the monotonic clock before and after: ~0.2 us per call, counted
as Python), W and the library's part both on that clock.  The wait for the
PNG renderer's process counts as not Python.

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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed_library(lib, sim_module):
    """Wrap every function of the ctypes library `lib`, and the renderer's
    process that sim_module starts (its subprocess.run), so that the time
    spent inside them is summed; returns a function giving that sum (s).
    Nested calls (a C function calling back into Python) count once."""
    import ctypes
    spent, depth = [0], [0]
    clock = time.perf_counter_ns

    def wrap(fn):
        def call(*args, **kwargs):
            if depth[0]:
                return fn(*args, **kwargs)
            depth[0] += 1
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += clock() - t0
                depth[0] -= 1
        return call

    for name, fn in list(vars(lib).items()):
        if isinstance(fn, ctypes._CFuncPtr):
            setattr(lib, name, wrap(fn))
    plain = type(lib)

    class Timed(plain):              # functions first looked up later
        def __getattr__(self, name):
            fn = plain.__getattr__(self, name)
            setattr(self, name, wrap(fn))
            return getattr(self, name)
    lib.__class__ = Timed

    class TimedSubprocess:           # the PNG renderer, waited for
        run = staticmethod(wrap(subprocess.run))

        def __getattr__(self, name):
            return getattr(subprocess, name)
    sim_module.subprocess = TimedSubprocess()
    return lambda: spent[0] / 1e9


def child(path, exports, seed, account, rounds):
    """In this interpreter: run one scenario once (the cold first run),
    then `rounds` more times, and print each run's figures as JSON."""
    sys.path.insert(0, os.path.join(ROOT, "scenarios", "lib"))
    from uasync_sim import _lib, runner, sim  # noqa: E402 (imports are not timed)
    import uasync_sim.apps  # noqa: F401,E402  (loaded as a scenario would)
    import uasync_sim.errors  # noqa: F401,E402
    clocks = {}
    if account:
        clocks = {"clock": time.perf_counter,
                  "lib_clock": timed_library(_lib.lib, sim)}
    runs = []
    with tempfile.TemporaryDirectory(prefix="uasync-bench-") as out:
        for k in range(1 + rounds):
            stats = dict(clocks)
            ch0 = os.times()
            ok, name, _, _, err, _ = runner.run_one(path, seed, os.path.join(out, str(k)),
                                                     quiet=True,
                                                     keep="all" if exports else "none",
                                                     stats=stats)
            ch1 = os.times()
            if not ok:
                print(json.dumps({"ok": False, "name": name, "err": err}))
                return 0
            children = (ch1.children_user - ch0.children_user) + \
                (ch1.children_system - ch0.children_system)
            if account:  # wall clocks: the renderer's wait is library time
                total = stats["scenario_cpu"] + stats["export_cpu"]
                lib = stats["scenario_lib"] + stats["export_lib"]
            else:
                total = stats["scenario_cpu"] + stats["export_cpu"] + children
                lib = 0.0
            runs.append({"cpu": total, "lib": lib, "load": stats["load_cpu"],
                         "virtual": stats["virtual_sum"]})
    print(json.dumps({"ok": True, "name": name, "runs": runs}))
    return 0


INTERPRETERS = 3


def measure(build, path, rounds, exports, seed):
    """{"w": median timed run, "runs": every timed run, "cold": median first
    run, "py": median python share (%), "python_s": median python time (s),
    "load": median load, "virtual"}."""
    env = dict(os.environ, UASYNC_ROOT=ROOT, UASYNC_BUILD=build)
    timed, cold, shares, loads, virtual, python_s = [], [], [], [], 0.0, 0.0
    for account in [False] * INTERPRETERS + [True]:
        cmd = [sys.executable, os.path.abspath(__file__), "--child", path,
               "--seed", str(seed), "--rounds", str(rounds)] + \
            (["--exports"] if exports else []) + (["--account"] if account else [])
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if r.returncode != 0 or not r.stdout.strip():
            sys.stderr.write(r.stdout + r.stderr)
            return None
        res = json.loads(r.stdout.strip().splitlines()[-1])
        if not res["ok"]:
            sys.stderr.write(f"{path} failed:\n{res['err']}")
            return None
        first, rest = res["runs"][0], res["runs"][1:]
        if account:
            shares += [max(0.0, x["cpu"] - x["lib"]) / x["cpu"] * 100 if x["cpu"] > 0
                       else 0.0 for x in rest]
            python_s = statistics.median(max(0.0, x["cpu"] - x["lib"]) for x in rest)
            continue
        cold.append(first["cpu"])
        timed += [x["cpu"] for x in rest]
        loads.append(first["load"])
        virtual = first["virtual"]
    return {"w": statistics.median(timed), "runs": timed, "cold": statistics.median(cold),
            "py": statistics.median(shares), "python_s": python_s,
            "load": statistics.median(loads),
            "virtual": virtual}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?")
    ap.add_argument("--rounds", type=int, default=10,
                    help="timed runs per interpreter, 3..1000 (default 10)")
    ap.add_argument("--exports", action="store_true",
                    help="write every trace file, as tools/sim run does")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--account", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.exports, args.seed, args.account, args.rounds)
    if not args.build:
        ap.error("BUILD_DIR is required")
    if not 3 <= args.rounds <= 1000:
        ap.error(f"--rounds {args.rounds} is out of range: 3..1000 timed runs per "
                 "interpreter")
    rounds = args.rounds
    paths = [p for p in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py")))
             if os.path.basename(p) != "conftest.py"]
    if args.only:
        want = set(args.only.split(","))
        known = {os.path.basename(p)[:-3] for p in paths}
        if want - known:
            ap.error(f"--only {','.join(sorted(want - known))}: no such scenario "
                     f"(scenarios: {', '.join(sorted(known))})")
        paths = [p for p in paths if os.path.basename(p)[:-3] in want]
    label = "scenario+exports" if args.exports else "scenario"
    print(f"# scenarios: CPU time, median of {rounds} runs in each of {INTERPRETERS} "
          "interpreters that ran the scenario once before, "
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
        w, v, cold = got["w"], got["virtual"], got["cold"]
        ratio = v / w if w > 0 else float("inf")
        print(f"bench {label} {name}: {v:.3f} virtual s in {w:.4f} s, "
              f"{ratio:.0f} x real time, python {got['py']:.0f} %", flush=True)
        print(f"#   runs: {min(got['runs']):.5f}..{max(got['runs']):.5f} s; "
              f"python {got['python_s'] * 1e6:.0f} us; "
              f"first run in a fresh interpreter: {cold:.4f} s, "
              + (f"{v / cold:.0f} x" if cold > 0 else "inf x")
              + f"; loading the file (not counted): {got['load'] * 1000:.2f} ms")
    return status


if __name__ == "__main__":
    sys.exit(main())
