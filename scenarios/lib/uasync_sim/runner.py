#!/usr/bin/env python3
"""Run scenario scripts: `tools/sim run` and `tools/sim list` call this.

A scenario is a Python file whose module docstring starts with a one-line
description and which defines `scenario(ctx)`.  The function builds a
simulation with `ctx.sim()`, drives it and asserts; an exception fails it.
Whatever happens, the runner writes each simulation's trace files
(trace.txt, trace.vcd, trace.json, timeline.png) to DIR/<scenario>/.

    runner.py [--seed N | --seeds A..B] [--out DIR] [--tap] SCENARIO...
    runner.py --list

Scenario paths are taken relative to the current directory.  A scenario that
cannot be loaded (missing file, syntax error) or raises fails with its own
file and line; the other scenarios still run.
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
from uasync_sim.sim import ExportError, ScenarioError, Sim  # noqa: E402

ROOT = _lib.ROOT
LIB_DIR = os.path.dirname(os.path.abspath(__file__))
SEED_MAX = (1 << 64) - 1
SEEDS_MAX = 1_000_000  # a sweep longer than this is a typo


class LoadError(Exception):
    """A scenario file that cannot be run; the message names file and line."""


class Context:
    """What a scenario gets: its seed, its output folder, and sim()."""

    def __init__(self, name, seed, out_dir, quiet=False, make_dir=True):
        self.name = name
        self.seed = seed
        self.out_dir = out_dir
        self.root = ROOT
        self.build = _lib.BUILD
        self.data = os.path.join(os.path.dirname(ROOT), "shared", "data")
        self.quiet = quiet
        self.sims = []
        if make_dir:  # else made when the scenario asks for a file in it
            os.makedirs(out_dir, exist_ok=True)

    def sim(self, seed=None):
        s = Sim(seed=self.seed if seed is None else seed, name=self.name)
        self.sims.append(s)
        return s

    def out(self, filename):
        os.makedirs(self.out_dir, exist_ok=True)
        return os.path.join(self.out_dir, filename)

    def log(self, *args, **kw):
        if not self.quiet:
            print(*args, **kw, flush=True)

    def made_files(self):
        """Whether the scenario wrote anything into its folder."""
        try:
            return bool(os.listdir(self.out_dir))
        except OSError:
            return False

    def remove_out_dir(self):
        """Remove the (empty) folder of a run whose traces are not kept."""
        try:
            os.rmdir(self.out_dir)
        except OSError:
            pass

    def has_data(self, *parts):
        return os.path.exists(os.path.join(self.data, *parts))


def load(path):
    """(name, module) of a scenario file, or LoadError saying why not."""
    name = os.path.splitext(os.path.basename(path))[0]
    if not os.path.exists(path):
        raise LoadError(f"{path}: no such scenario file (paths are relative to "
                        f"{os.getcwd()})")
    if not os.path.isfile(path):
        raise LoadError(f"{path}: not a scenario file (a directory?)")
    spec = importlib.util.spec_from_file_location(f"scenario_{name}", path)
    if spec is None or spec.loader is None:
        raise LoadError(f"{path}: not a Python file")
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
    except SyntaxError as e:
        text = (e.text or "").rstrip("\n")
        raise LoadError(f"{e.filename or path}:{e.lineno}: SyntaxError: {e.msg}"
                        + (f"\n    {text.strip()}" if text.strip() else ""))
    except Exception as e:
        raise LoadError(user_traceback(e))
    if not callable(getattr(mod, "scenario", None)):
        raise LoadError(f"{path}: defines no scenario(ctx) function")
    return name, mod


def shown(path):
    """path as the user can type it from the current directory."""
    rel = os.path.relpath(path)
    return path if rel.startswith(".." + os.sep + "..") else rel


def user_traceback(e):
    """The exception with only the frames of the user's files (not this
    library's): `file:line: in function` and the source line, then
    `Type: message`."""
    out = []
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if os.path.dirname(os.path.abspath(f.filename)) != LIB_DIR
              and not f.filename.startswith("<frozen")]
    for f in frames:
        out.append(f"{shown(f.filename)}:{f.lineno}: in {f.name}")
        if f.line:
            out.append(f"    {f.line}")
    msg = str(e)
    kind = type(e).__name__
    out.append(f"{kind}: {msg}" if msg else kind)
    return "\n".join(out)


def describe(mod):
    doc = (mod.__doc__ or "").strip().splitlines()
    return doc[0] if doc else "(no description)"


def run_one(path, seed, out_root, quiet=False, keep="all", stats=None):
    """Run one scenario; returns (ok, name, virtual_s, wall_s, error_text,
    out_dir).  keep: whose traces are written, "all" runs or "failed" ones
    only (a sweep: a passing seed writes nothing), or "none".  stats, a
    dict, receives the simulations' virtual seconds summed ("virtual_sum")."""
    t0 = time.time()
    name = os.path.splitext(os.path.basename(path))[0]
    out_dir = os.path.join(out_root, name)
    try:
        name, mod = load(path)
        ctx = Context(name, seed, out_dir, quiet, make_dir=keep == "all")
    except LoadError as e:
        return False, name, 0.0, time.time() - t0, str(e) + "\n", None
    except OSError as e:
        return False, name, 0.0, time.time() - t0, \
            f"cannot create {out_dir}: {e.strerror}\n", None
    err = ""
    try:
        mod.scenario(ctx)
        ok = True
    except Exception as e:  # a failed scenario is reported, the run goes on
        err = user_traceback(e) + "\n"
        ok = False
    virtual = max((s.now for s in ctx.sims), default=0.0) / 1000.0
    if stats is not None:
        stats["virtual_sum"] = sum(s.now for s in ctx.sims) / 1000.0
    write = keep == "all" or (keep == "failed" and not ok)
    for i, s in enumerate(ctx.sims):
        if not ctx.quiet:
            ctx.log(s.task_summary(), end="")  # one table per simulation
        paths = []
        if write:
            try:
                paths = s.export(ctx.out_dir if i == 0
                                 else os.path.join(ctx.out_dir, f"sim{i}"))
            except ExportError as e:  # traces that are not written fail the run
                err += f"{e}\n"
                ok = False
                paths = e.written
        if paths:
            ctx.log("timeline files: " + ", ".join(shown(p) for p in paths))
        s.close()
    if not write and os.path.isdir(ctx.out_dir) and not ctx.made_files():
        ctx.remove_out_dir()
    return ok, name, virtual, time.time() - t0, err, ctx.out_dir if write else None


def report(ok, name, seed, virtual, wall, out_dir):
    where = f"traces in {shown(out_dir)}/" if out_dir else "not run"
    print(f"{'PASS' if ok else 'FAIL'} {name} (seed {seed}): {virtual:.3f} s virtual, "
          f"{wall:.2f} s wall, {where}", flush=True)


def parse_seed(text, what="--seed"):
    """A seed: a decimal integer 0..2^64-1, else ValueError saying so."""
    t = str(text).strip()
    if not t.isdigit():
        raise ValueError(f"{what} {text!r} is not a seed: seeds are whole numbers "
                         f"0..{SEED_MAX}")
    v = int(t)
    if v > SEED_MAX:
        raise ValueError(f"{what} {text} is out of range: seeds are 0..{SEED_MAX}")
    return v


def parse_range(text):
    """A..B (or N) -> range, else ValueError saying what is allowed."""
    a, dots, b = str(text).partition("..")
    lo = parse_seed(a, "--seeds start")
    hi = parse_seed(b, "--seeds end") if dots else lo
    if hi < lo:
        raise ValueError(f"--seeds {text}: the range is empty (write A..B with A <= B)")
    if hi - lo + 1 > SEEDS_MAX:
        raise ValueError(f"--seeds {text}: {hi - lo + 1} seeds; at most {SEEDS_MAX} "
                         "per sweep")
    return range(lo, hi + 1)


def sim_command():
    """How the user standing in the current directory calls tools/sim."""
    rel = os.path.relpath(os.path.join(ROOT, "tools", "sim"))
    return rel if os.sep in rel else "./" + rel


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
                      f"{sim_command()} run --seed {seed} {path}")
                print("  " + "\n  ".join(out.strip().splitlines()[-6:]))
    print(f"{len(jobs) - len(failures)} passed, {len(failures)} failed "
          f"({len(seeds)} seeds x {len(paths)} scenarios)")
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description="run uasync scenarios")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--seeds", help="sweep a range of seeds, e.g. 1..200")
    ap.add_argument("--out", default=os.path.join(ROOT, "out"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tap", action="store_true", help="TAP output (for meson test)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.list:
        status = 0
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py"))):
            try:
                name, mod = load(path)
                print(f"{name:22s} {describe(mod)}")
            except LoadError as e:
                print(f"error: {e}", file=sys.stderr)
                status = 1
        return status
    try:
        args.seed = parse_seed(args.seed)
        seeds = parse_range(args.seeds) if args.seeds is not None else None
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.realtime and seeds is not None:
        print("error: --seeds cannot be used with --realtime: a real-time run is one "
              "seed, watched by a person (use --seed N)", file=sys.stderr)
        return 2
    if args.realtime:
        return realtime(args)
    if not args.scenarios:
        ap.error("no scenario given")
    if seeds is not None:
        missing = [p for p in args.scenarios if not os.path.isfile(p)]
        if missing:
            for p in missing:
                print(f"error: {p}: no such scenario file", file=sys.stderr)
            return 2
        return sweep(args.scenarios, seeds, args.out)
    if args.tap:
        print(f"1..{len(args.scenarios)}")
    failed = 0
    for i, path in enumerate(args.scenarios, 1):
        ok, name, virtual, wall, err, out_dir = run_one(path, args.seed, args.out,
                                                        args.quiet or args.tap)
        if args.tap:
            print(f"{'ok' if ok else 'not ok'} {i} - {name} ({virtual:.3f} s virtual)")
            if err:
                print("# " + err.rstrip("\n").replace("\n", "\n# "))
        else:
            if err:
                print(err, end="")
            report(ok, name, args.seed, virtual, wall, out_dir)
        failed += not ok
    if len(args.scenarios) > 1 and not args.tap:
        print(f"{len(args.scenarios) - failed} passed, {failed} failed")
    return 1 if failed else 0


def realtime(args):
    """Wall time on the virtual board window (tools/realtime).

    The window runs one compiled app on one board; it cannot run a
    scenario's Python (its boards, wires and stimuli are scheduled in
    virtual time).  A scenario runs in real time when it names its app:
    REALTIME_APP (default: the scenario's name, when an app has that name)
    with REALTIME_ARGS.  Extra runner flags come from $UASYNC_BOARD_ARGS
    (e.g. "--headless --duration 5000 --script 'click;wait 500;quit'")."""
    import shlex
    from uasync_sim.apps import app_names
    if not args.scenarios:
        print("error: no scenario given", file=sys.stderr)
        return 2
    board = os.path.join(_lib.BUILD, "tools", "realtime", "uasync-board")
    if not os.path.exists(board):
        print("error: --realtime needs uasync-board (libuv and SDL2 dev packages)",
              file=sys.stderr)
        return 2
    apps = [n for n, _ in app_names()]
    plan = []
    for path in args.scenarios:
        try:
            name, mod = load(path)
        except LoadError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        app = getattr(mod, "REALTIME_APP", name)
        if app not in apps:
            print(f"error: {path} cannot run in real time: its boards and stimuli are "
                  "Python code scheduled in virtual time, and the real-time window runs "
                  "one compiled app; set REALTIME_APP = \"<app>\" in the scenario to "
                  "pick one (apps: " + ", ".join(apps) + ")", file=sys.stderr)
            return 2
        plan.append((app, getattr(mod, "REALTIME_ARGS", "")))
    status = 0
    for app, app_args in plan:
        cmd = [board, "--app", app, "--args", app_args, "--seed", str(args.seed)]
        cmd += shlex.split(os.environ.get("UASYNC_BOARD_ARGS", ""))
        status = max(status, subprocess.run(cmd).returncode)
    return status


if __name__ == "__main__":
    sys.exit(main())
