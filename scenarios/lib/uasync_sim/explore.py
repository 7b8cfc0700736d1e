#!/usr/bin/env python3
"""Schedule exploration: `tools/sim explore SCENARIO` calls this.

Seed sweeps vary the physical world; exploration varies what the firmware
may not rely on (sim.h, "Schedule exploration"; docs/explore.md):

  order  the order of tasks woken by ISR flags at one pass, among
         themselves and among the tasks that pass's timers woke
         (core/ua_loop.h lists the orders the loop promises: never moved);
  irq    the instant a pin or UART interrupt is taken while a busy step
         runs, within the interrupt latency the scenario declared with
         board.irq_latency(us) (none declared: none moved);
  stim   the instant of each stimulus, within the jitter the scenario
         declared with sim.stimulus_jitter(ms) (none declared: none moved);
  board  which board steps first when several are due at one instant (two
         boards are two CPUs), if the scenario declared it tolerates that
         with sim.unordered_boards() (otherwise creation order is kept).

Run r draws its decisions from explore seed E + r: at each decision point a
non-default choice with probability P per mille.  The scenario's own seed
(--seed) is the same for every run.  On the first failing run (the lowest
run number, whatever --jobs is) the explorer shrinks the decisions that run
took -- it drops them, halves first, then one by one, while the scenario
still fails -- prints the minimal set with a replay command, and keeps the
minimal run's trace (the decisions are notes on its timeline).

    explore.py SCENARIO [--runs N] [--seed S] [--explore-seed E]
               [--permille P] [--jobs J] [--shard K/N] [--out DIR]

Exit status: 0 when no run failed, 1 when one did (a bug found is not a
success), 2 for bad arguments.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from uasync_sim import runner  # noqa: E402  (after the path set-up)

KINDS = {1: "order", 2: "irq", 3: "stim", 4: "board"}
KIND_IDS = {v: k for k, v in KINDS.items()}
ANY_BOARD = 0xFFFF
MASK64 = (1 << 64) - 1


class PlanError(ValueError):
    """A perturbation file that cannot be replayed; the message says why."""


class Exploration:
    """How one run is perturbed -- drawn at random from a seed, or replayed
    from a plan -- and, after it, the decisions it took."""

    def __init__(self, seed=None, permille=0, plan=()):
        self.seed, self.permille = seed, permille
        self.plan = list(plan)  # dicts: sim, kind, board, point, value
        self.taken = []

    def apply(self, sim, index):
        if self.seed is not None:
            sim.explore((self.seed * 0x9E3779B97F4A7C15 + index) & MASK64,
                        self.permille)
            return
        for p in self.plan:
            if p["sim"] == index:
                sim.perturb(KIND_IDS[p["kind"]], p["board"], p["point"], p["value"])

    def collect(self, sim, index):
        for kind, board, point, value, t_ns in sim.perturbations():
            self.taken.append({"sim": index, "kind": KINDS[kind], "board": board,
                               "point": point, "value": value,
                               "at_ms": round(t_ns / 1e6, 6)})


def describe(p):
    """One decision in words."""
    where = f"sim {p['sim']}, " if p["sim"] else ""
    board = "" if p["board"] == ANY_BOARD else f"board b{p['board']} "
    what = {"order": f"flag wake-up moved {p['value']} place(s) ahead",
            "irq": f"interrupt taken {p['value'] / 1000:.3f} us late",
            "stim": f"stimulus moved {p['value'] / 1e6:+.6f} ms",
            "board": f"board #{p['value']} of the others due steps first"}[p["kind"]]
    return (f"{where}{p['kind']} point {p['point']} {board}at {p['at_ms']:.3f} ms: "
            f"{what}")


def write_plan(path, scenario, seed, plan):
    with open(path, "w") as f:
        json.dump({"scenario": scenario, "seed": seed,
                   "perturbations": plan}, f, indent=1)
        f.write("\n")


def read_plan(path):
    """(seed, [decision...]) of a perturbation file, or PlanError."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except OSError as e:
        raise PlanError(f"--perturb {path}: {e.strerror}")
    except ValueError as e:
        raise PlanError(f"--perturb {path}: not JSON ({e})")
    if not isinstance(doc, dict) or not isinstance(doc.get("perturbations"), list):
        raise PlanError(f"--perturb {path}: no \"perturbations\" list")
    seed = doc.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MASK64:
        raise PlanError(f"--perturb {path}: seed {seed!r} is not 0..{MASK64}")
    plan = []
    for i, p in enumerate(doc["perturbations"]):
        where = f"--perturb {path}: perturbation {i}"
        if not isinstance(p, dict):
            raise PlanError(f"{where} is not an object")
        if p.get("kind") not in KIND_IDS:
            raise PlanError(f"{where}: kind {p.get('kind')!r} is not one of "
                            + ", ".join(KIND_IDS))
        for key, hi in (("sim", 1 << 16), ("board", ANY_BOARD), ("point", (1 << 32) - 1)):
            v = p.get(key, 0 if key == "sim" else None)
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= hi:
                raise PlanError(f"{where}: {key} {v!r} is out of range 0..{hi}")
        v = p.get("value")
        lo = -(1 << 31) if p["kind"] == "stim" else 1
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v < (1 << 31) \
                or v == 0:
            raise PlanError(f"{where}: value {v!r} is out of range {lo}..{(1 << 31) - 1}"
                            " (and not 0)")
        plan.append({"sim": p.get("sim", 0), "kind": p["kind"], "board": p["board"],
                     "point": p["point"], "value": v, "at_ms": p.get("at_ms", 0.0)})
    return seed, plan


def run(path, seed, exploration, out, params=None, keep="none"):
    """(ok, the failure's message, the folder of the traces kept) of one
    quiet run; keep="none" writes nothing."""
    stats = {}
    ok, _, _, _, err, out_dir = runner.run_one(path, seed, out, quiet=True, keep=keep,
                                               stats=stats, explore=exploration,
                                               params=params)
    msg = stats.get("message") or (err.strip().splitlines() or [""])[-1]
    return ok, msg, out_dir


def _worker(job):
    path, seed, explore_seed, permille, params = job
    tmp = tempfile.mkdtemp(prefix="uasync-explore-")
    try:
        e = Exploration(seed=explore_seed, permille=permille)
        ok, msg, _ = run(path, seed, e, tmp, params)
        return explore_seed, ok, msg, e.taken
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shrink(path, seed, taken, tmp, budget, params=None):
    """The smallest sublist of `taken` found that still fails, and the runs
    spent: halves first (while they fail alone), then one at a time."""
    runs = 0

    def fails(plan):
        nonlocal runs
        runs += 1
        return not run(path, seed, Exploration(plan=plan), tmp, params)[0]

    cur = list(taken)
    chunk = max(1, len(cur) // 2)
    while chunk >= 1 and runs < budget:
        i, removed = 0, False
        while i < len(cur) and runs < budget:
            trial = cur[:i] + cur[i + chunk:]
            if trial != cur and fails(trial):
                cur, removed = trial, True
            else:
                i += chunk
        if chunk == 1 and not removed:
            break
        chunk = max(1, chunk // 2) if not removed or chunk > 1 else 1
    return cur, runs


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="sim explore",
        description="Run a scenario many times with perturbations of what the "
                    "firmware may not rely on; shrink the first failure to a "
                    "minimal set with a replay command.",
        epilog="docs/explore.md explains the perturbations and the file format.")
    ap.add_argument("scenario", help="a scenario file (scenarios/*.py)")
    ap.add_argument("--runs", default="200", help="runs to try (default 200)")
    ap.add_argument("--seed", default="1", help="the scenario's seed (default 1)")
    ap.add_argument("--explore-seed", default="1",
                    help="run r draws from this seed + r (default 1)")
    ap.add_argument("--permille", default="30",
                    help="chance per decision point of a perturbation, in "
                         "per mille, 1..1000 (default 30)")
    ap.add_argument("--jobs", default=str(os.cpu_count() or 1),
                    help="parallel runs (default: all cores)")
    ap.add_argument("--shard", metavar="K/N",
                    help="run only the K-th of N disjoint parts of the runs")
    ap.add_argument("--out", default=os.path.join(runner.ROOT, "out", "explore"),
                    help="where the minimal failing run's files go "
                         "(default out/explore/)")
    ap.add_argument("--shrink-runs", default="400",
                    help="most runs spent shrinking (default 400)")
    ap.add_argument("--param", action="append", metavar="NAME=VALUE",
                    help="a scenario parameter, as for tools/sim run (e.g. a "
                         "budget scenario's hog_ms)")
    args = ap.parse_args(argv)

    def number(text, what, lo, hi):
        try:
            v = int(text)
        except ValueError:
            ap.error(f"{what} {text!r} is not a whole number ({lo}..{hi})")
        if not lo <= v <= hi:
            ap.error(f"{what} {v} is out of range {lo}..{hi}")
        return v

    runs = number(args.runs, "--runs", 1, 1_000_000)
    seed = number(args.seed, "--seed", 0, MASK64)
    eseed = number(args.explore_seed, "--explore-seed", 0, MASK64 - 1_000_000)
    permille = number(args.permille, "--permille", 1, 1000)
    jobs = number(args.jobs, "--jobs", 1, 256)
    budget = number(args.shrink_runs, "--shrink-runs", 0, 100_000)
    try:
        shard = runner.parse_shard(args.shard) if args.shard else None
        params = runner.parse_params(args.param)
    except ValueError as e:
        ap.error(str(e))
    if not os.path.isfile(args.scenario):
        ap.error(f"{args.scenario}: no such scenario file")
    name = os.path.splitext(os.path.basename(args.scenario))[0]

    seeds = [eseed + r for r in range(runs)]
    if shard is not None:
        k, n = shard
        seeds = [s for i, s in enumerate(seeds) if i % n == k - 1]
    print(f"explore {name}: {len(seeds)} runs (explore seeds {eseed}..{eseed + runs - 1}"
          + (f", shard {args.shard}" if shard else "") + f"), scenario seed {seed}, "
          f"{permille} per mille per decision point", flush=True)

    # A baseline run without perturbations: a scenario that already fails
    # has nothing to explore.
    tmp = tempfile.mkdtemp(prefix="uasync-explore-")
    try:
        ok, msg, _ = run(args.scenario, seed, None, tmp, params)
        if not ok:
            print(f"explore {name}: fails without any perturbation: {msg}")
            return 1
        failure, decisions = None, 0
        jobs_list = [(args.scenario, seed, s, permille, params) for s in seeds]
        batch = max(1, jobs) * 4
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            for i in range(0, len(jobs_list), batch):
                results = list(pool.map(_worker, jobs_list[i:i + batch]))
                decisions += sum(len(r[3]) for r in results)
                bad = [r for r in results if not r[1]]
                if bad:
                    failure = min(bad, key=lambda r: r[0])
                    break
        if failure is None:
            print(f"explore {name}: no failure in {len(seeds)} runs "
                  f"({decisions} perturbations taken in all)")
            return 0
        es, _, msg, taken = failure
        print(f"FAIL at explore seed {es} after {len(taken)} perturbation(s): {msg}",
              flush=True)
        minimal, spent = shrink(args.scenario, seed, taken, tmp, budget, params)
        print(f"shrunk {len(taken)} -> {len(minimal)} perturbation(s) in {spent} runs:")
        for p in minimal:
            print("  " + describe(p))
        # The minimal run again, keeping its trace: its failure is the one
        # the replay command shows.
        os.makedirs(args.out, exist_ok=True)
        plan_path = os.path.join(args.out, f"{name}.perturb.json")
        write_plan(plan_path, args.scenario, seed, minimal)
        ok, msg, out_dir = run(args.scenario, seed, Exploration(plan=minimal),
                               args.out, params, keep="all")
        if ok:
            print("  (the minimal set no longer fails on its own: the failure needs "
                  "the order of the whole run; the file keeps the set found)")
        else:
            print(f"  fails with: {msg}")
        extra = "".join(f" --param {k}={v:g}" for k, v in params.items())
        if os.environ.get("UASYNC_SIM_LIB"):  # the user's firmware (--lib)
            extra += f" --lib {runner.shown(os.environ['UASYNC_SIM_LIB'])}"
        print(f"replay: tools/sim run {args.scenario} --perturb "
              f"{runner.shown(plan_path)}{extra}")
        if out_dir:
            print(f"trace of the minimal run (decisions are 'perturb_*' notes): "
                  f"{runner.shown(out_dir)}/")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
