#!/usr/bin/env python3
"""The explorer (tools/sim explore) against planted bugs and clean scenarios.

    test_explore.py LIBPLANTED_SIM.so

TAP.  Each planted bug is hidden in a plain run, found within its stated
budget of runs, shrunk to the one perturbation that matters (the kind the
bug needs), and its replay file fails again; the fixed twins and every
shipped scenario survive the same exploration with perturbations taken.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIB = os.path.join(ROOT, "scenarios", "lib", "uasync_sim")
EXPLORE = os.path.join(LIB, "explore.py")
RUNNER = os.path.join(LIB, "runner.py")
BUDGET = 100  # runs within which each planted bug must be found

cases = []


def case(fn):
    cases.append(fn)
    return fn


def sh(args, planted=False, fixed=False, timeout=600):
    env = dict(os.environ)
    env.pop("UASYNC_SIM_LIB", None)
    if planted:
        env["UASYNC_SIM_LIB"] = sys.argv[1]
    if fixed:
        env["PLANTED_FIXED"] = "1"
    r = subprocess.run([sys.executable] + args, capture_output=True, text=True,
                       env=env, timeout=timeout, cwd=ROOT)
    return r.returncode, r.stdout + r.stderr


def check(cond, what, out=""):
    if not cond:
        raise AssertionError(what + ("\n" + out if out else ""))


def found_and_shrunk(name, kind, tmp):
    scen = os.path.join(HERE, name + ".py")
    rc, out = sh([RUNNER, "--quiet", "--out", tmp, scen], planted=True)
    check(rc == 0, f"{name}: the plain run must pass (the bug is hidden)", out)
    rc, out = sh([EXPLORE, scen, "--runs", str(BUDGET), "--jobs", "2",
                  "--out", tmp], planted=True)
    check(rc == 1, f"{name}: explore must fail (exit 1), got {rc}", out)
    m = re.search(r"FAIL at explore seed (\d+) after (\d+) perturbation", out)
    check(m is not None and int(m.group(1)) <= BUDGET,
          f"{name}: not found within {BUDGET} runs", out)
    m2 = re.search(r"shrunk (\d+) -> (\d+) perturbation\(s\)", out)
    check(m2 is not None and m2.group(2) == "1", f"{name}: not shrunk to one", out)
    line = out[m2.end():].splitlines()[1].strip()  # the decision, under it
    check(line.split()[0] == kind, f"{name}: the one perturbation is not {kind}: {line}")
    check(f"--lib {os.path.relpath(sys.argv[1], ROOT)}" in out or
          f"--lib {sys.argv[1]}" in out,
          f"{name}: the replay command must name the library (--lib)", out)
    plan = os.path.join(tmp, name + ".perturb.json")
    check(os.path.isfile(plan), f"{name}: no replay file {plan}", out)
    trace = os.path.join(tmp, name, "trace.txt")
    check(os.path.isfile(trace) and "perturb_" + kind in open(trace).read(),
          f"{name}: the minimal run's trace does not mark the perturbation")
    rc, out2 = sh([RUNNER, "--quiet", "--out", os.path.join(tmp, "replay"),
                   "--perturb", plan, scen], planted=True)
    check(rc == 1 and "1 of 1 perturbation(s) taken" in out2,
          f"{name}: the replay must fail again", out2)
    return (f"{name}: found at run {m.group(1)} of {BUDGET} with {m.group(2)} "
            f"perturbations, shrunk to one: {line}")


@case
def lost_wakeup_found_and_shrunk_to_one_order_swap():
    with tempfile.TemporaryDirectory() as tmp:
        return found_and_shrunk("pulse", "order", tmp)


@case
def isr_race_found_and_shrunk_to_one_stimulus_move():
    with tempfile.TemporaryDirectory() as tmp:
        return found_and_shrunk("counter", "stim", tmp)


@case
def fixed_twins_survive_the_same_exploration():
    notes = []
    for name in ("pulse", "counter"):
        with tempfile.TemporaryDirectory() as tmp:
            rc, out = sh([EXPLORE, os.path.join(HERE, name + ".py"), "--runs",
                          str(BUDGET), "--jobs", "2", "--out", tmp],
                         planted=True, fixed=True)
            m = re.search(r"no failure in (\d+) runs \((\d+) perturbations taken", out)
            check(rc == 0 and m is not None and int(m.group(2)) > 0,
                  f"{name} fixed: must pass with perturbations taken", out)
            notes.append(f"{name} fixed: {m.group(2)} perturbations, no failure")
    return "; ".join(notes)


@case
def shipped_scenarios_find_nothing():
    notes = []
    for scen in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py"))):
        if scen.endswith("conftest.py"):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            rc, out = sh([EXPLORE, scen, "--runs", "10", "--permille", "100",
                          "--jobs", "2", "--out", tmp])
            check(rc == 0, f"{os.path.basename(scen)}: explore found a failure", out)
            m = re.search(r"\((\d+) perturbations taken", out)
            notes.append(f"{os.path.basename(scen)[:-3]} {m.group(1)}")
    return "perturbations taken: " + ", ".join(notes)


@case
def drivers_under_a_hog_survive_interrupt_latency():
    """Each budget scenario at 90 % of its documented budget: interrupts
    landing in the hog are held off up to 20 us, boards may swap; the
    drivers must still deliver everything."""
    sys.path.insert(0, os.path.dirname(LIB))
    from uasync_sim import budget
    notes = []
    for driver, scen, task, ms in budget.doc_rows(budget.DOC):
        with tempfile.TemporaryDirectory() as tmp:
            rc, out = sh([EXPLORE, scen, "--param", f"{task}_ms={0.9 * ms:.3f}",
                          "--runs", "10", "--permille", "200", "--jobs", "2",
                          "--out", tmp])
            m = re.search(r"no failure in \d+ runs \((\d+) perturbations taken", out)
            check(rc == 0 and m is not None, f"{scen} {task}: explore failed", out)
            notes.append(f"{os.path.basename(scen)[:-3]}/{task} {m.group(1)}")
    return "perturbations taken: " + ", ".join(notes)


@case
def shards_split_the_runs_and_jobs_do_not_change_the_answer():
    """--shard K/N takes every N-th run from the K-th; the failure reported
    is the lowest failing run whatever the number of jobs."""
    scen = os.path.join(ROOT, "scenarios", "delay.py")
    counts = []
    for k in (1, 2):
        rc, out = sh([EXPLORE, scen, "--runs", "5", "--shard", f"{k}/2", "--jobs", "1"])
        m = re.search(r"explore delay: (\d+) runs \(explore seeds 1\.\.5, shard "
                      rf"{k}/2\)", out)
        check(rc == 0 and m is not None, f"shard {k}/2", out)
        counts.append(int(m.group(1)))
    check(counts == [3, 2], f"shards 1/2 and 2/2 ran {counts}, want [3, 2]")
    seeds = []
    pulse = os.path.join(HERE, "pulse.py")
    for jobs, shard in (("1", None), ("2", None), ("1", "2/2")):
        with tempfile.TemporaryDirectory() as tmp:
            rc, out = sh([EXPLORE, pulse, "--runs", "20", "--jobs", jobs, "--out", tmp]
                         + (["--shard", shard] if shard else []), planted=True)
            m = re.search(r"FAIL at explore seed (\d+)", out)
            check(rc == 1 and m is not None, f"pulse, {jobs} job(s), shard {shard}", out)
            seeds.append(int(m.group(1)))
    check(seeds[0] == seeds[1], f"1 job found seed {seeds[0]}, 2 jobs {seeds[1]}")
    check(seeds[2] % 2 == 0, f"shard 2/2 ran an odd explore seed: {seeds[2]}")
    return f"shards ran {counts} of 5; pulse found at explore seeds {seeds}"


@case
def bad_arguments_are_refused():
    scen = os.path.join(ROOT, "scenarios", "delay.py")
    for args, want in ((["--permille", "0"], "--permille 0 is out of range 1..1000"),
                       (["--runs", "abc"], "--runs 'abc' is not a whole number"),
                       (["--shard", "3/2"], "K=3 is out of range"),
                       ([], None)):
        if want is None:
            rc, out = sh([EXPLORE, "nonexistent.py"])
            check(rc == 2 and "no such scenario file" in out, "missing scenario", out)
            continue
        rc, out = sh([EXPLORE, scen] + args)
        check(rc == 2 and want in out, f"{args}: want exit 2 and {want!r}", out)
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.json")
        for text, want in (("{", "not JSON"),
                           ('{"perturbations": [{"kind": "swap", "board": 0, '
                            '"point": 0, "value": 1}]}', "kind 'swap' is not one of"),
                           ('{"perturbations": [{"kind": "order", "board": 0, '
                            '"point": 0, "value": 0}]}', "value 0 is out of range")):
            with open(bad, "w") as f:
                f.write(text)
            rc, out = sh([RUNNER, "--perturb", bad, scen])
            check(rc == 2 and want in out, f"--perturb {text}: want {want!r}", out)
    return "exit 2 with the reason for each"


def main():
    print(f"1..{len(cases)}", flush=True)
    failed = 0
    for i, fn in enumerate(cases, 1):
        try:
            note = fn()
            print(f"ok {i} - {fn.__name__}" + (f" # {note}" if note else ""), flush=True)
        except Exception as e:  # one case failing does not stop the others
            failed += 1
            print(f"not ok {i} - {fn.__name__}")
            print("# " + str(e).replace("\n", "\n# "), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
