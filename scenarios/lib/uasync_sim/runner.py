#!/usr/bin/env python3
"""Run scenario scripts: `tools/sim run` and `tools/sim list` call this.

A scenario is a Python file whose module docstring starts with a one-line
description and which defines `scenario(ctx)`.  The function builds a
simulation with `ctx.sim()`, drives it and asserts; an exception fails it.
Whatever happens, the runner writes each simulation's trace files
(trace.txt, trace.vcd, trace.json, timeline.png) to DIR/<scenario>/.

    runner.py [--seed N | --seeds A..B] [--out DIR] [--tap] SCENARIO...
    runner.py --list
"""
import argparse
import concurrent.futures
import glob
import importlib.util
import os
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from uasync_sim import _lib  # noqa: E402  (after the path set-up)
from uasync_sim.sim import Sim  # noqa: E402

ROOT = _lib.ROOT


class Context:
    """What a scenario gets: its seed, its output folder, and sim()."""

    def __init__(self, name, seed, out_dir, quiet=False):
        self.name = name
        self.seed = seed
        self.out_dir = out_dir
        self.root = ROOT
        self.build = _lib.BUILD
        self.data = os.path.join(os.path.dirname(ROOT), "shared", "data")
        self.quiet = quiet
        self.sims = []
        os.makedirs(out_dir, exist_ok=True)

    def sim(self, seed=None):
        s = Sim(seed=self.seed if seed is None else seed, name=self.name)
        self.sims.append(s)
        return s

    def out(self, filename):
        return os.path.join(self.out_dir, filename)

    def log(self, *args, **kw):
        if not self.quiet:
            print(*args, **kw, flush=True)

    def has_data(self, *parts):
        return os.path.exists(os.path.join(self.data, *parts))


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(f"scenario_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return name, mod


def describe(mod):
    doc = (mod.__doc__ or "").strip().splitlines()
    return doc[0] if doc else "(no description)"


def run_one(path, seed, out_root, quiet=False):
    """Run one scenario; returns (ok, name, virtual_s, wall_s, error_text)."""
    name, mod = load(path)
    ctx = Context(name, seed, os.path.join(out_root, name), quiet)
    t0 = time.time()
    err = ""
    try:
        mod.scenario(ctx)
        ok = True
    except Exception:  # a failed scenario is reported, the run goes on
        err = traceback.format_exc()
        ok = False
    virtual = max((s.now for s in ctx.sims), default=0.0) / 1000.0
    for i, s in enumerate(ctx.sims):
        ctx.log(s.task_summary(), end="")
        paths = s.export(ctx.out_dir if i == 0 else os.path.join(ctx.out_dir, f"sim{i}"))
        ctx.log("timeline files: " + ", ".join(os.path.relpath(p, os.getcwd()) for p in paths))
        s.close()
    return ok, name, virtual, time.time() - t0, err, ctx.out_dir


def report(ok, name, seed, virtual, wall, out_dir):
    rel = os.path.relpath(out_dir, os.getcwd())
    print(f"{'PASS' if ok else 'FAIL'} {name} (seed {seed}): {virtual:.3f} s virtual, "
          f"{wall:.2f} s wall, traces in {rel}/", flush=True)


def parse_range(text):
    a, _, b = text.partition("..")
    return range(int(a), int(b or a) + 1)


def sweep(paths, seeds, out_root):
    """One process per core; each failing seed is reported with its replay."""
    jobs = [(p, s) for p in paths for s in seeds]
    failures = []

    def one(job):
        path, seed = job
        out = os.path.join(out_root, "sweep", f"seed{seed}")
        r = subprocess.run([sys.executable, os.path.abspath(__file__), "--quiet",
                            "--seed", str(seed), "--out", out, path],
                           capture_output=True, text=True)
        return path, seed, r.returncode == 0, r.stdout + r.stderr

    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for path, seed, ok, out in pool.map(one, jobs):
            if not ok:
                failures.append((path, seed))
                print(f"FAIL {os.path.basename(path)} seed {seed}: replay with "
                      f"tools/sim run --seed {seed} {os.path.relpath(path)}")
                print("  " + "\n  ".join(out.strip().splitlines()[-6:]))
    print(f"{len(jobs) - len(failures)} passed, {len(failures)} failed "
          f"({len(seeds)} seeds x {len(paths)} scenarios)")
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description="run uasync scenarios")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", help="sweep a range of seeds, e.g. 1..200")
    ap.add_argument("--out", default=os.path.join(ROOT, "out"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tap", action="store_true", help="TAP output (for meson test)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.list:
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py"))):
            name, mod = load(path)
            print(f"{name:22s} {describe(mod)}")
        return 0
    if args.realtime:
        # Wall time on the virtual board window (tools/realtime): the app a
        # scenario runs is REALTIME_APP (default: the scenario's name) with
        # REALTIME_ARGS; extra runner flags come from $UASYNC_BOARD_ARGS
        # (e.g. "--headless --duration 5000 --script 'click;wait 500;quit'").
        import shlex
        board = os.path.join(_lib.BUILD, "tools", "realtime", "uasync-board")
        if not os.path.exists(board):
            print("sim: --realtime needs uasync-board (libuv and SDL2 dev packages)")
            return 2
        status = 0
        for path in args.scenarios:
            name, mod = load(path)
            cmd = [board, "--app", getattr(mod, "REALTIME_APP", name),
                   "--args", getattr(mod, "REALTIME_ARGS", ""), "--seed", str(args.seed)]
            cmd += shlex.split(os.environ.get("UASYNC_BOARD_ARGS", ""))
            status = max(status, subprocess.run(cmd).returncode)
        return status
    if not args.scenarios:
        ap.error("no scenario given")
    if args.seeds:
        return sweep(args.scenarios, parse_range(args.seeds), args.out)
    if args.tap:
        print(f"1..{len(args.scenarios)}")
    failed = 0
    for i, path in enumerate(args.scenarios, 1):
        ok, name, virtual, wall, err, out_dir = run_one(path, args.seed, args.out,
                                                        args.quiet or args.tap)
        if args.tap:
            print(f"{'ok' if ok else 'not ok'} {i} - {name} ({virtual:.3f} s virtual)")
            if err:
                print("# " + err.replace("\n", "\n# "))
        else:
            if err:
                print(err, end="")
            report(ok, name, args.seed, virtual, wall, out_dir)
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
