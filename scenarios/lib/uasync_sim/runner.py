#!/usr/bin/env python3
"""Run scenario scripts: `tools/sim run` and `tools/sim list` call this.

A scenario is a Python file with a module docstring (its first line is the
one-line description) and a function `scenario(ctx)`.  ctx gives the seed,
the output folder and the paths of the build; the function raises
AssertionError (or any exception) to fail.  It returns the virtual time it
covered, in seconds, or None.
"""
import argparse
import glob
import importlib.util
import os
import sys
import time
import traceback

ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get("UASYNC_BUILD") or os.path.join(ROOT, "build")


class Context:
    def __init__(self, name, seed, out_dir):
        self.name = name
        self.seed = seed
        self.out_dir = out_dir
        self.root = ROOT
        self.build = BUILD
        os.makedirs(out_dir, exist_ok=True)

    def out(self, filename):
        return os.path.join(self.out_dir, filename)


def load(path):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(f"scenario_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return name, mod


def describe(mod):
    doc = (mod.__doc__ or "").strip().splitlines()
    return doc[0] if doc else "(no description)"


def run_one(path, seed, out_root):
    name, mod = load(path)
    ctx = Context(name, seed, os.path.join(out_root, name))
    t0 = time.time()
    try:
        virtual = mod.scenario(ctx)
        ok = True
    except Exception:  # a failed scenario reports and the run goes on
        traceback.print_exc()
        virtual, ok = None, False
    wall = time.time() - t0
    vt = f"{virtual:.3f} s virtual" if virtual is not None else "- virtual"
    print(f"{'PASS' if ok else 'FAIL'} {name} (seed {seed}): {vt}, {wall:.2f} s wall"
          f" -> {os.path.relpath(ctx.out_dir, os.getcwd())}/", flush=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description="run uasync scenarios")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds")
    ap.add_argument("--out", default=os.path.join(ROOT, "out"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py"))):
            name, mod = load(path)
            print(f"{name:20s} {describe(mod)}")
        return 0
    if args.realtime:
        print("sim: --realtime needs the libuv port, which is not built yet")
        return 2
    if not args.scenarios:
        ap.error("no scenario given")
    failed = [p for p in args.scenarios if not run_one(p, args.seed, args.out)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
