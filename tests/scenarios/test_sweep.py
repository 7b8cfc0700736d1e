#!/usr/bin/env python3
"""Sweeps (issue 19), TAP: what a passing sweep writes, what a failing seed
reports, --shard K/N, JUnit output, and a sweep split into 3 shards run by
GNU parallel (as on several hosts, here `--sshlogin :`, this machine) whose
merged JUnit equals the unsharded run's.

    test_sweep.py RUNNER_PY
"""
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

RUNNER = os.path.abspath(sys.argv[1])
ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
HANG_GUARD = 600  # seconds; only so that a hang fails instead of blocking

results = []
tmp = tempfile.mkdtemp(prefix="uasync-sweep-")


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def run(args, cwd=None, **kw):
    try:
        r = subprocess.run([sys.executable, RUNNER] + args, capture_output=True,
                           text=True, cwd=cwd or tmp, timeout=HANG_GUARD, **kw)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        return None, f"hung for {HANG_GUARD} s: {e}"


def files_under(d):
    out = []
    for base, _, names in os.walk(d):
        out += [os.path.relpath(os.path.join(base, n), d) for n in names]
    return sorted(out)


def cases_of(path):
    """[(classname, name, failure message or None)] of a JUnit file."""
    root = ET.parse(path).getroot()
    out = []
    for tc in root.iter("testcase"):
        f = tc.find("failure")
        out.append((tc.get("classname"), tc.get("name"),
                    None if f is None else f.get("message")))
    return out


# A scenario that fails on seed 3 (an expectation 1 ms off) and passes
# otherwise, next to two real ones.
with open(os.path.join(tmp, "flaky.py"), "w") as f:
    f.write('''"""fails on seed 3"""


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("buttons")
    app.button().click(at=100, hold=50)
    sim.run_for(500)
    sim.expect("note:press", at=151 if ctx.seed == 3 else 100)
''')
SCEN = [os.path.join(ROOT, "scenarios", "pushbutton.py"),
        os.path.join(ROOT, "scenarios", "switch.py"), "flaky.py"]

# --- a passing sweep writes its summary only ------------------------------------
out = os.path.join(tmp, "pass")
rc, text = run(["--out", out, "--seeds", "1..20"] + SCEN[:2])
written = files_under(out)
case("a passing sweep writes only its summary",
     rc == 0 and "40 passed, 0 failed" in text and written == ["sweep/summary.txt"],
     text + "\n" + "\n".join(written))
out = os.path.join(tmp, "keep")
rc, text = run(["--out", out, "--seeds", "1..2", "--keep-all"] + SCEN[:1])
written = files_under(out)
case("--keep-all keeps every seed's traces",
     rc == 0 and "sweep/seed1/pushbutton/trace.txt" in written
     and "sweep/seed2/pushbutton/trace.txt" in written, "\n".join(written))

# --- a failing seed: its expectation, its replay, its traces only ------------------
out = os.path.join(tmp, "fail")
rc, text = run(["--out", out, "--seeds", "1..4", "--junit", "all.xml"] + SCEN)
written = files_under(out)
case("a failing seed is reported with its failed expectation",
     rc == 1 and "FAIL flaky.py seed 3: replay with" in text
     and "expected note:press at 151 ms exactly" in text
     and "11 passed, 1 failed (4 seeds x 3 scenarios)" in text, text)
case("only the failing seed's traces are written",
     sorted(w for w in written if w.endswith("trace.txt")) ==
     ["sweep/seed3/flaky/trace.txt"] and "sweep/summary.txt" in written,
     "\n".join(written))
with open(os.path.join(out, "sweep", "summary.txt")) as f:
    summary = f.read()
case("the summary file names the failure and its replay",
     "FAIL flaky.py seed 3" in summary and "expected note:press at 151 ms" in summary
     and "--seed 3 flaky.py" in summary, summary)
whole = cases_of(os.path.join(tmp, "all.xml"))
fails = [c for c in whole if c[2]]
case("JUnit: one testcase per (scenario, seed), the failure's message",
     len(whole) == 12 and fails == [("scenarios.flaky", "flaky[seed=3]",
                                     "flaky.py:9: expected note:press at 151 ms exactly")],
     repr(whole))
junit_text = open(os.path.join(tmp, "all.xml")).read()
case("JUnit: the failure's text has the replay command",
     "replay with: " in junit_text and "run --seed 3 flaky.py" in junit_text, junit_text)

# --- shards ---------------------------------------------------------------------------
shard_sets = []
for k in (1, 2, 3):
    rc, text = run(["--out", os.path.join(tmp, f"s{k}"), "--seeds", "1..4", "--shard",
                    f"{k}/3", "--junit", f"shard{k}.xml"] + SCEN)
    shard_sets.append({(c[0], c[1]) for c in cases_of(os.path.join(tmp, f"shard{k}.xml"))})
union = set().union(*shard_sets)
case("shards are disjoint and their union is the whole sweep",
     sum(len(s) for s in shard_sets) == 12 and union == {(c[0], c[1]) for c in whole},
     repr(shard_sets))
rc2, _ = run(["--out", os.path.join(tmp, "s1b"), "--seeds", "1..4", "--shard", "1/3",
              "--junit", "shard1b.xml"] + SCEN)
case("a shard is reproducible",
     cases_of(os.path.join(tmp, "shard1b.xml")) == cases_of(os.path.join(tmp, "shard1.xml")))
for bad, needle in (("0/3", "K=0 is out of range: 1..3"), ("4/3", "K=4 is out of range"),
                    ("1/0", "N=0 is out of range"), ("x", "is not K/N")):
    rc, text = run(["--seeds", "1..2", "--shard", bad] + SCEN[:1])
    case(f"--shard {bad} is refused", rc == 2 and needle in text, text)
rc, text = run(["--merge-junit", "dup.xml", "shard1.xml", "shard1b.xml"])
case("merging overlapping shards is refused", rc == 2 and "overlap" in text, text)

# --- 3 shards through GNU parallel, merged == unsharded ---------------------------------
parallel = shutil.which("parallel")
if parallel is None:
    case("GNU parallel is installed (tools/sim installs it)", False)
else:
    cmd = [parallel, "--will-cite", "--sshlogin", ":", "-j", "3",
           sys.executable, RUNNER, "--out", os.path.join(tmp, "par", "{}"),
           "--seeds", "1..4", "--shard", "{}/3", "--junit",
           os.path.join(tmp, "par", "shard{}.xml")] + \
        [os.path.abspath(os.path.join(tmp, s)) for s in SCEN] + [":::", "1", "2", "3"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=HANG_GUARD)
    rc, text = run(["--merge-junit", "merged.xml"] +
                   [os.path.join(tmp, "par", f"shard{k}.xml") for k in (1, 2, 3)])
    merged = cases_of(os.path.join(tmp, "merged.xml")) if rc == 0 else []
    # the unsharded run named flaky.py relative to tmp: same testcases
    case("3 shards run by GNU parallel merge into the unsharded run's results",
         r.returncode == 1 and rc == 0 and merged == whole,
         r.stdout + r.stderr + text + "\n" + repr(merged))

# --- the progress line: on a terminal only ---------------------------------------------
rc, text = run(["--out", os.path.join(tmp, "quiet"), "--seeds", "1..3"] + SCEN[:1])
case("no progress line when not on a terminal", rc == 0 and "\r" not in text
     and "runs/s" not in text, text)
master, slave = pty.openpty()
p = subprocess.Popen([sys.executable, RUNNER, "--out", os.path.join(tmp, "tty"),
                      "--seeds", "1..3"] + SCEN[:1], cwd=tmp, stdout=subprocess.PIPE,
                     stderr=slave, text=True)
os.close(slave)
tty_out = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    tty_out += chunk
p.wait(timeout=HANG_GUARD)
os.close(master)
case("a progress line on a terminal: runs done / total, failures, rate, time left",
     b"3/3 runs, 0 failed" in tty_out and b"runs/s" in tty_out and b"s left" in tty_out,
     repr(tty_out))

shutil.rmtree(tmp, ignore_errors=True)
print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
