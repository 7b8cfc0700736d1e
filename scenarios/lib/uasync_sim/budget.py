#!/usr/bin/env python3
"""tools/sim budget -- the longest CPU hog a scenario survives.

    tools/sim budget SCENARIO --task NAME [--max MS] [--resolution MS]
                     [--seed N] [--out DIR]
    tools/sim budget --all [--out DIR]     every scenarios/budget/*.py: a table
    tools/sim budget --check [FILE]        each figure of FILE's table (default
                                           docs/budgets.md) still holds (CI)

A budget scenario (scenarios/budget/) hogs a board's CPU with
`board.hog(busy=ctx.param("NAME_ms", 0), ..., name="NAME")` and asserts that
the firmware still does its job.  `--task NAME` searches the hog length H
(the scenario parameter NAME_ms) for the largest H at which the scenario
still passes, to the resolution (default 0.25 ms), between 0 and --max
(default: the scenario's BUDGET["max"], else 1000 ms):

  1. H = 0 must pass (else the scenario is broken, not fragile: exit 1);
     H = --max must fail (else the budget is beyond it: exit 1);
  2. bisection over multiples of the resolution, keeping "lo passes, hi
     fails", until they are one resolution apart;
  3. the answer H = lo is checked: H - resolution passes and H + resolution
     fails (both from the bisection or run again).

The bisection assumes the scenario is monotonic in H: a longer hog never
helps.  It is what a budget means, and it holds for the shipped budget
scenarios (each hog starts at one moment chosen to hurt, and a longer hog
only delays more), but it is an assumption: a scenario where some longer
hog passes again (a hog that ends after the firmware's own deadline has
moved past it) would get the first edge found, and step 3 only checks
the neighbourhood of the answer.

It prints `budget nec/hog: 48.250 ms (fails at 48.500 ms: <the failed
expectation>)` and keeps the failing run's traces in
DIR/budget/<scenario>-<task>/ (default DIR: out/).  The simulation is
deterministic, so the figure is exact at the resolution: docs/budgets.md
lists each budget and `--check` (a meson test) fails when one differs --
it runs H = 0 and H (must pass) and H + resolution (must fail).

Exit status: 0 found (or every check holds), 1 a scenario failed where it
must pass or passed where it must fail, 2 bad input (missing scenario,
unknown task, a bad --max or --resolution or --seed).
"""
import argparse
import glob
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from uasync_sim import runner  # noqa: E402  (after the path set-up)

ROOT = runner.ROOT
RESOLUTION_MS = 0.25
DEFAULT_MAX_MS = 1000.0
BUDGET_DIR = os.path.join(ROOT, "scenarios", "budget")
DOC = os.path.join(ROOT, "docs", "budgets.md")


class BadInput(Exception):
    """Refused input: exit 2 with the message."""


def budget_files():
    return sorted(glob.glob(os.path.join(BUDGET_DIR, "*.py")))


def tasks_of(mod):
    """The hog tasks a scenario takes: NAME for each NAME_ms in PARAMS."""
    return sorted(p[:-3] for p in (getattr(mod, "PARAMS", None) or {})
                  if p.endswith("_ms"))


def load(path, task):
    """(name, module) of a budget scenario whose hog `task` exists."""
    try:
        name, mod = runner.load(path)
    except runner.LoadError as e:
        raise BadInput(str(e))
    tasks = tasks_of(mod)
    if task not in tasks:
        raise BadInput(f"{path}: unknown task {task!r}: this scenario's hogs are "
                       f"{', '.join(tasks) or 'none'} (a hog NAME is a parameter "
                       f"NAME_ms in its PARAMS)")
    return name, mod


def number(text, what):
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise BadInput(f"{what} {text!r} is not a number of ms")
    if not math.isfinite(v) or v <= 0:
        raise BadInput(f"{what} {text} is out of range: more than 0 ms")
    return v


def summary(msg):
    """One line of a failure: where, and what was expected and seen."""
    lines = [x.strip() for x in msg.strip().splitlines() if x.strip()] or ["?"]
    if len(lines) > 1 and lines[1].startswith("expected"):
        got = lines[3] if len(lines) > 3 and lines[2] == "actual:" else ""
        text = f"{lines[0]}: {lines[1]}" + (f"; got {got}" if got else "")
    elif len(lines) > 1 and lines[1].startswith("AssertionError: "):
        # `file:line: source`, `AssertionError: what`: where and what
        where = re.match(r"(\S+:\d+): ", lines[0])
        text = (where.group(1) + ": " if where else "") + lines[1][16:]
    else:
        text = ": ".join(lines[:2])
    return text if len(text) <= 200 else text[:197] + "..."


class Search:
    """Runs of one scenario at hog lengths k * resolution, remembered."""

    def __init__(self, path, task, seed, resolution, out):
        self.path, self.task, self.seed, self.res = path, task, seed, resolution
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.out = os.path.join(out, "budget", f"{self.name}-{task}")
        self.results = {}
        self.runs = 0

    def ms(self, k):
        return round(k * self.res, 6)

    def run(self, k, keep="none"):
        """(passed, message) at H = k * resolution."""
        if k in self.results and keep == "none":
            return self.results[k]
        stats = {}
        ok, _, _, _, err, _ = runner.run_one(
            self.path, self.seed, self.out, quiet=True, keep=keep, stats=stats,
            params={f"{self.task}_ms": self.ms(k)})
        self.runs += 1
        self.results[k] = (ok, "" if ok else summary(stats.get("message") or err))
        return self.results[k]


def find(path, task, max_ms, resolution, seed, out):
    """Print the budget; returns the exit status and (ms, message) or None."""
    s = Search(path, task, seed, resolution, out)
    label = f"{s.name}/{task}"
    ok, msg = s.run(0)
    if not ok:
        print(f"error: {label}: fails without a hog ({task}_ms=0): {msg}",
              file=sys.stderr)
        return 1, None
    hi = max(1, math.ceil(max_ms / resolution - 1e-9))
    ok, _ = s.run(hi)
    if ok:
        print(f"budget {label}: more than {s.ms(hi):.3f} ms (it still passes at "
              f"--max; raise --max)")
        return 1, None
    lo = 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if s.run(mid)[0]:
            lo = mid
        else:
            hi = mid
    # the neighbourhood of the answer (monotonicity, checked where it matters)
    if lo > 0 and not s.run(lo - 1)[0]:
        print(f"error: {label}: not monotonic: passes at {s.ms(lo):.3f} ms, fails "
              f"at {s.ms(lo - 1):.3f} ms ({s.run(lo - 1)[1]})", file=sys.stderr)
        return 1, None
    ok, msg = s.run(lo + 1, keep="failed")  # again, to keep its traces
    if ok:
        print(f"error: {label}: {s.ms(lo + 1):.3f} ms passed when run again",
              file=sys.stderr)
        return 1, None
    print(f"budget {label}: {s.ms(lo):.3f} ms (fails at {s.ms(lo + 1):.3f} ms: "
          f"{msg})")
    print(f"  {s.runs} runs at a resolution of {resolution:g} ms; the failing "
          f"run's traces: {runner.shown(os.path.join(s.out, s.name))}/")
    return 0, (s.ms(lo), msg)


def doc_rows(path):
    """(driver, scenario path, task, budget ms) of the budget table."""
    rows = []
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 5 or not cells[1].startswith("`scenarios/budget/"):
                continue
            m = re.match(r"\*?\*?([0-9.]+) ms", cells[4])
            if not m:
                raise BadInput(f"{path}: row {cells[1]}: budget {cells[4]!r} is not "
                               "'N ms'")
            rows.append((cells[0], cells[1].strip("`"), cells[2].strip("`"),
                         float(m.group(1))))
    if not rows:
        raise BadInput(f"{path}: no budget table (rows start with a driver and "
                       "`scenarios/budget/...`)")
    return rows


def check(path, seed, out, tap=False):
    """Each documented budget H: 0 and H pass, H + resolution fails.  With
    tap, TAP output (one case per row) for meson test."""
    failed = 0
    rows = doc_rows(path)
    if tap:
        print(f"1..{len(rows)}")
    for i, (driver, scen, task, ms) in enumerate(rows, 1):
        spath = os.path.join(ROOT, scen)
        load(spath, task)
        k = round(ms / RESOLUTION_MS)
        if abs(k * RESOLUTION_MS - ms) > 1e-9:
            raise BadInput(f"{path}: {scen} {task}: {ms} ms is not a multiple of "
                           f"the resolution {RESOLUTION_MS} ms")
        s = Search(spath, task, seed, RESOLUTION_MS, out)
        bad = [f"fails without a hog: {s.run(0)[1]}"] if not s.run(0)[0] else []
        if not s.run(k)[0]:
            bad.append(f"fails at the documented {ms:.3f} ms: {s.run(k)[1]}")
        if s.run(k + 1)[0]:
            bad.append(f"passes at {s.ms(k + 1):.3f} ms: the budget grew "
                       f"(update {os.path.relpath(path, ROOT)})")
        status = ("ok" if not bad else "not ok") if tap else ("ok" if not bad else "FAIL")
        print(f"{status}{f' {i} -' if tap else ''} {driver}: {scen} --task {task}: "
              f"{ms:.3f} ms" + ("" if not bad else ": " + "; ".join(bad)))
        failed += bool(bad)
    return 1 if failed else 0


def run_all(out, seed):
    """The budget of every budget scenario's hog, as table rows."""
    rows, status = [], 0
    for path in budget_files():
        try:
            _, mod = runner.load(path)
        except runner.LoadError as e:
            print(f"error: {e}", file=sys.stderr)
            status = 1
            continue
        info = getattr(mod, "BUDGET", {}) or {}
        for task in tasks_of(mod):
            st, res = find(path, task, float(info.get("max", DEFAULT_MAX_MS)),
                           RESOLUTION_MS, seed, out)
            status = max(status, st)
            if res:
                rows.append((info.get("driver", "?"),
                             os.path.relpath(path, ROOT), task,
                             info.get("pattern", "?"), res[0], res[1]))
    print()
    print("| driver | scenario | task | hog pattern | budget | what breaks first |")
    print("|---|---|---|---|---|---|")
    for d, p, t, pat, ms, msg in rows:
        print(f"| {d} | `{p}` | `{t}` | {pat} | {ms:.3f} ms | {msg} |")
    return status


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="tools/sim budget", description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", nargs="?", help="a budget scenario (scenarios/budget/*.py)")
    ap.add_argument("--task", help="the hog to lengthen: NAME of its NAME_ms parameter")
    ap.add_argument("--max", help="longest hog tried, ms (default: the scenario's "
                                  f"BUDGET['max'], else {DEFAULT_MAX_MS:g})")
    ap.add_argument("--resolution", help=f"ms (default {RESOLUTION_MS:g})")
    ap.add_argument("--seed", default="1", help="the scenario's seed (default 1)")
    ap.add_argument("--out", default=os.path.join(ROOT, "out"),
                    help="where the failing run's traces go (default out/)")
    ap.add_argument("--all", action="store_true",
                    help="every scenarios/budget/*.py hog; prints the table")
    ap.add_argument("--check", nargs="?", const=DOC, metavar="FILE",
                    help="check each budget of FILE's table (default docs/budgets.md)")
    ap.add_argument("--tap", action="store_true", help="--check prints TAP (meson test)")
    args = ap.parse_args(argv)
    try:
        seed = runner.parse_seed(args.seed)
        if args.check:
            if not os.path.isfile(args.check):
                raise BadInput(f"{args.check}: no such file")
            return check(args.check, seed, args.out, args.tap)
        if args.all:
            return run_all(args.out, seed)
        if not args.scenario or not args.task:
            raise BadInput("give SCENARIO --task NAME (or --all, or --check); "
                           "tools/sim budget --help says more")
        name, mod = load(args.scenario, args.task)
        info = getattr(mod, "BUDGET", {}) or {}
        max_ms = number(args.max, "--max") if args.max is not None \
            else float(info.get("max", DEFAULT_MAX_MS))
        res = number(args.resolution, "--resolution") \
            if args.resolution is not None else RESOLUTION_MS
        if res > max_ms:
            raise BadInput(f"--resolution {res:g} is out of range: 0..--max "
                           f"({max_ms:g} ms)")
    except (BadInput, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return find(args.scenario, args.task, max_ms, res, seed, args.out)[0]


if __name__ == "__main__":
    sys.exit(main())
