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
import hashlib
import importlib.util
import marshal
import os
import subprocess
import sys
import tempfile
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

    def __init__(self, name, seed, out_dir, quiet=False, make_dir=True,
                 explore=None):
        self.name = name
        self.explore = explore  # explore.Exploration, or None
        self.seed = seed
        self.out_dir = out_dir
        self.root = ROOT
        self.build = _lib.BUILD
        self.data = os.path.join(ROOT, "tests", "data")  # recorded logs, in the repo
        self.quiet = quiet
        self.sims = []
        if make_dir:  # else made when the scenario asks for a file in it
            os.makedirs(out_dir, exist_ok=True)

    def sim(self, seed=None):
        s = Sim(seed=self.seed if seed is None else seed, name=self.name)
        if self.explore is not None:
            self.explore.apply(s, len(self.sims))
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

    def param(self, name, default):
        """A scenario parameter given with --param NAME=VALUE (a number), or
        `default`.  The scenario declares the names it takes in a module
        dict PARAMS = {name: description}; run_one refuses any other."""
        params = getattr(self, "params", {})
        declared = getattr(self, "declared", None)
        if declared is not None and name not in declared:
            raise ScenarioError(f"ctx.param({name!r}): the scenario does not declare "
                                f"it in PARAMS")
        return params.get(name, default)


def compiled(path):
    """The code object of a scenario file, compiled once per content.

    Python caches bytecode in __pycache__ only when allowed to write it
    (not under PYTHONDONTWRITEBYTECODE), so each run would compile the file
    again: here it is cached in BUILD/scenario-cache/, one file per path,
    holding the interpreter's bytecode magic and a hash of the source, so
    an edited file or another Python never gets stale code.  A cache that
    cannot be read or written costs only the compile; without a build
    folder (an installed uasync-sim) nothing is cached.

    The process also keeps the code object it made or read: a sweep worker
    runs one file for many seeds, each in a new module (no state carries
    over from one seed to the next), and the shared code keeps what the
    interpreter learnt running it (its specialised instructions)."""
    with open(path, "rb") as f:
        src = f.read()
    stamp = importlib.util.MAGIC_NUMBER + hashlib.sha1(src).digest()
    key = (os.path.abspath(path), stamp)
    if key not in _CODE:
        _CODE.clear()                       # one file's code at a time is enough
        _CODE[key] = _compiled(path, src, stamp)
    return _CODE[key]


_CODE = {}


def _compiled(path, src, stamp):
    """compiled() without the in-process memo: the build folder's cache,
    else a compile."""
    cache = os.path.join(_lib.BUILD, "scenario-cache",
                         hashlib.sha1(path.encode()).hexdigest() + ".bin")
    try:
        with open(cache, "rb") as f:
            blob = f.read()
        if blob.startswith(stamp):
            return marshal.loads(blob[len(stamp):])
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent or unreadable: compile
    code = compile(src, path, "exec", dont_inherit=True)
    if not os.path.isdir(_lib.BUILD):
        return code
    tmp = None
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cache), suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(stamp + marshal.dumps(code))
        os.replace(tmp, cache)  # atomic: a concurrent run reads old or new
    except OSError:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)
    return code


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
        exec(compiled(path), mod.__dict__)
    except SyntaxError as e:
        text = (e.text or "").rstrip("\n")
        raise LoadError(f"{e.filename or path}:{e.lineno}: SyntaxError: {e.msg}"
                        + (f"\n    {text.strip()}" if text.strip() else ""))
    except Exception as e:
        raise LoadError(user_traceback(e))
    if not callable(getattr(mod, "scenario", None)):
        raise LoadError(f"{path}: defines no scenario(ctx) function")
    return name, mod


def scenario_files():
    """The scenarios of scenarios/ (conftest.py is pytest's, not one)."""
    return [p for p in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.py")))
            if os.path.basename(p) != "conftest.py"]


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


def exception_message(e):
    """`file:line: source` of the user's last frame, then `Type: message`
    (a failed expectation's message names its own line already)."""
    msg = str(e)
    if isinstance(e, ScenarioError) and msg:
        return msg  # `file:line: source`, then `expected ...`: already says it
    head = f"{type(e).__name__}: {msg}" if msg else type(e).__name__
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if os.path.dirname(os.path.abspath(f.filename)) != LIB_DIR
              and not f.filename.startswith("<frozen")]
    if frames and not msg.startswith(os.path.basename(frames[-1].filename) + ":"):
        f = frames[-1]
        head = f"{shown(f.filename)}:{f.lineno}: {(f.line or '').strip()}\n" + head
    return head


def describe(mod):
    doc = (mod.__doc__ or "").strip().splitlines()
    return doc[0] if doc else "(no description)"


def parse_params(items):
    """--param NAME=VALUE items -> {name: float}, else ValueError saying why."""
    params = {}
    for item in items or ():
        name, eq, value = item.partition("=")
        name = name.strip()
        if not eq or not name.isidentifier():
            raise ValueError(f"--param {item!r} is not NAME=VALUE (e.g. hog_ms=12.5)")
        try:
            v = float(value)
        except ValueError:
            v = None
        if v is None or v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"--param {item}: {value!r} is not a finite number")
        params[name] = v
    return params


def check_params(path, mod, params):
    """LoadError unless the scenario declares every parameter given."""
    declared = getattr(mod, "PARAMS", {}) or {}
    for name in params:
        if name not in declared:
            takes = ", ".join(sorted(declared)) or "none"
            raise LoadError(f"{path}: --param {name}: unknown parameter (this "
                            f"scenario takes: {takes})")


def run_one(path, seed, out_root, quiet=False, keep="all", stats=None, params=None,
            explore=None):
    """Run one scenario; returns (ok, name, virtual_s, wall_s, error_text,
    out_dir).  keep: whose traces are written, "all" runs or "failed" ones
    only (a sweep: a passing seed writes nothing), or "none".  stats, a
    dict, receives the simulations' virtual seconds summed ("virtual_sum")
    and, for the bench, the process CPU seconds of loading the file
    ("load_cpu"), of scenario(ctx) itself ("scenario_cpu") and of the trace
    exports ("export_cpu"), and the simulator library's part of the last
    two ("scenario_lib", "export_lib") when the caller puts a clock of the
    time spent in the library in stats["lib_clock"] (the bench times every
    call into it); stats["clock"] replaces process_time for the totals.
    params: the
    scenario's --param values; explore (explore.Exploration) perturbs the
    run and keeps what it took."""
    t0 = time.time()
    name = os.path.splitext(os.path.basename(path))[0]
    out_dir = os.path.join(out_root, name)
    if stats is not None:
        cpu = stats.get("clock", time.process_time)
        lib_s = stats.get("lib_clock", lambda: 0.0)
    else:
        cpu = lib_s = lambda: 0.0
    try:
        c0 = cpu()
        name, mod = load(path)
        if stats is not None:
            stats["load_cpu"] = cpu() - c0
        check_params(path, mod, params or {})
        ctx = Context(name, seed, out_dir, quiet, make_dir=keep == "all",
                      explore=explore)
        ctx.params, ctx.declared = dict(params or {}), getattr(mod, "PARAMS", None)
    except LoadError as e:
        return False, name, 0.0, time.time() - t0, str(e) + "\n", None
    except OSError as e:
        return False, name, 0.0, time.time() - t0, \
            f"cannot create {out_dir}: {e.strerror}\n", None
    err = ""
    c0, l0 = cpu(), lib_s()
    try:
        mod.scenario(ctx)
        ok = True
    except Exception as e:  # a failed scenario is reported, the run goes on
        c1, l1 = cpu(), lib_s()
        err = user_traceback(e) + "\n"
        ok = False
        if stats is not None:
            stats["message"] = exception_message(e)
    else:
        c1, l1 = cpu(), lib_s()
    if stats is not None:
        stats["scenario_cpu"], stats["scenario_lib"] = c1 - c0, l1 - l0
        stats["export_cpu"] = stats["export_lib"] = 0.0
    virtual = max((s.now for s in ctx.sims), default=0.0) / 1000.0
    if stats is not None:
        stats["virtual_sum"] = sum(s.now for s in ctx.sims) / 1000.0
    write = keep == "all" or (keep == "failed" and not ok)
    for i, s in enumerate(ctx.sims):
        if explore is not None:
            explore.collect(s, i)
        if not ctx.quiet:
            ctx.log(s.task_summary(), end="")  # one table per simulation
        paths = []
        if write:
            c0, l0 = cpu(), lib_s()
            try:
                paths = s.export(ctx.out_dir if i == 0
                                 else os.path.join(ctx.out_dir, f"sim{i}"))
            except ExportError as e:  # traces that are not written fail the run
                err += f"{e}\n"
                ok = False
                paths = e.written
            if stats is not None:
                stats["export_cpu"] += cpu() - c0
                stats["export_lib"] += lib_s() - l0
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


def parse_shard(text):
    """K/N -> (K, N), else ValueError saying what is allowed."""
    k, slash, n = str(text).partition("/")
    if not slash or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"--shard {text!r} is not K/N (e.g. 2/3: the second of "
                         "three shards)")
    k, n = int(k), int(n)
    if not 1 <= n <= SEEDS_MAX:
        raise ValueError(f"--shard {text}: N={n} is out of range: 1..{SEEDS_MAX}")
    if not 1 <= k <= n:
        raise ValueError(f"--shard {text}: K={k} is out of range: 1..{n}")
    return k, n


def shard_jobs(jobs, shard):
    """The jobs of shard K/N: every N-th (scenario, seed) pair from the K-th,
    in the order the command line gives them, so that N machines given the
    same command and K = 1..N run disjoint parts whose union is the whole."""
    if shard is None:
        return jobs
    k, n = shard
    return [j for i, j in enumerate(jobs) if i % n == k - 1]


def replay_command(path, seed):
    return f"{sim_command()} run --seed {seed} {path}"


def failure_message(res):
    """What failed, for a summary: the exception's own message (a failed
    expectation: `expected note:press at 151 ms exactly`, what happened and
    the trace around it) after the scenario line that raised it."""
    return (res.get("message") or res.get("err") or "failed").strip("\n")


def headline(msg):
    """One line for a failure: `file:line: expected ...` from a message
    whose first line is `file:line: source`."""
    lines = msg.splitlines() or ["failed"]
    where, sep, _ = lines[0].partition(": ")
    if len(lines) > 1 and sep and where.rpartition(":")[2].isdigit():
        return f"{where}: {lines[1].strip()}"
    return lines[0]


def worker_main(out_root, keep):
    """`runner.py --worker`: run jobs read from stdin ("SEED<TAB>PATH" lines),
    answer one JSON line each on the original stdout; the scenarios' own
    output goes to stderr."""
    import json
    proto = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        seed, _, path = line.rstrip("\n").partition("\t")
        seed = int(seed)
        out = os.path.join(out_root, "sweep", f"seed{seed}")
        c0 = time.process_time()
        stats = {}
        ok, name, virtual, wall, err, out_dir = run_one(path, seed, out, True, keep,
                                                        stats)
        proto.write(json.dumps({"ok": ok, "name": name, "virtual": virtual,
                                "wall": wall, "cpu": time.process_time() - c0,
                                "err": err, "message": stats.get("message", ""),
                                "out": out_dir}) + "\n")
        proto.flush()
    return 0


class Progress:
    """One line on a terminal: runs done / total, failures, rate, time left.
    Silent when stderr is not a terminal."""

    def __init__(self, total):
        self.total, self.done, self.failed = total, 0, 0
        self.t0 = time.time()
        self.on = sys.stderr.isatty()
        self.shown = False

    def clear(self):
        if self.shown:
            sys.stderr.write("\r\033[K")
            self.shown = False

    def update(self, ok):
        self.done += 1
        self.failed += not ok
        if not self.on:
            return
        dt = max(time.time() - self.t0, 1e-9)
        rate = self.done / dt
        left = (self.total - self.done) / rate if rate > 0 else 0
        sys.stderr.write(f"\r\033[K{self.done}/{self.total} runs, {self.failed} failed, "
                         f"{rate:.1f} runs/s, {left:.0f} s left")
        sys.stderr.flush()
        self.shown = True


def sweep(paths, seeds, out_root, keep="failed", shard=None, junit=None):
    """Every (scenario, seed) pair (or shard K/N of them) on one worker
    process per core; each failing pair is reported with its failed
    expectation and the command that replays it.  Traces are written for
    failing pairs only, unless keep="all"."""
    import json
    import threading
    import queue
    all_jobs = [(p, s) for p in paths for s in seeds]
    jobs = shard_jobs(all_jobs, shard)
    results = [None] * len(jobs)
    todo = queue.Queue()
    for i, job in enumerate(jobs):
        todo.put(i)
    progress = Progress(len(jobs))
    lock = threading.Lock()
    failures = []
    os.makedirs(os.path.join(out_root, "sweep"), exist_ok=True)

    def start():
        log = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker",
                                 "--keep", keep, "--out", out_root],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=log, text=True)
        return proc, log

    def crashed(proc, log):
        proc.wait()
        log.seek(0)
        tail = log.read().strip().splitlines()[-8:]
        sig = -proc.returncode if proc.returncode and proc.returncode < 0 else None
        how = f"killed by signal {sig}" if sig else f"exit status {proc.returncode}"
        return f"the scenario's process died ({how})\n" + "\n".join(tail) + "\n"

    def work():
        proc, log = start()
        try:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                path, seed = jobs[i]
                name = os.path.splitext(os.path.basename(path))[0]
                try:
                    proc.stdin.write(f"{seed}\t{path}\n")
                    proc.stdin.flush()
                    line = proc.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = ""
                if line:
                    res = json.loads(line)
                else:  # the worker died with this job: report it, start another
                    res = {"ok": False, "name": name, "virtual": 0.0, "wall": 0.0,
                           "cpu": 0.0, "err": crashed(proc, log), "out": None}
                    proc, log = start()
                results[i] = res
                with lock:
                    progress.update(res["ok"])
                    if not res["ok"]:
                        failures.append(i)
                        progress.clear()
                        report_failure(path, seed, res)
        finally:
            proc.stdin.close()
            proc.wait()
            log.close()

    n = min(len(jobs), os.cpu_count() or 2) or 1
    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    progress.clear()
    nfail = len(failures)
    what = f"({len(seeds)} seeds x {len(paths)} scenarios"
    what += f", shard {shard[0]}/{shard[1]}: {len(jobs)} of {len(all_jobs)} runs)" \
        if shard else ")"
    summary = f"{len(jobs) - nfail} passed, {nfail} failed {what}"
    print(summary, flush=True)
    with open(os.path.join(out_root, "sweep", "summary.txt"), "w") as f:
        for i in sorted(failures):
            path, seed = jobs[i]
            f.write(f"FAIL {os.path.basename(path)} seed {seed}: replay with "
                    f"{replay_command(path, seed)}\n")
            f.write("  " + failure_message(results[i]).replace("\n", "\n  ")
                    + "\n")
        f.write(summary + "\n")
    if junit:
        write_junit(junit, [(path, seed, results[i]) for i, (path, seed) in enumerate(jobs)])
    return 1 if failures else 0


def report_failure(path, seed, res):
    print(f"FAIL {os.path.basename(path)} seed {seed}: replay with "
          f"{replay_command(path, seed)}")
    msg = failure_message(res).splitlines()
    shown_lines = msg[:24] + ([f"... ({len(msg) - 24} more lines)"] if len(msg) > 24 else [])
    print("  " + "\n  ".join(shown_lines))
    if res.get("out"):
        print(f"  traces in {shown(res['out'])}/")
    sys.stdout.flush()


# --- JUnit XML ---------------------------------------------------------------------

def junit_case_key(tc):
    """(scenario, seed) order: "demo[seed=10]" after "demo[seed=9]"."""
    name = tc.get("name", "")
    seed = name.rpartition("[seed=")[2].rstrip("]")
    return (tc.get("classname", ""), int(seed) if seed.isdigit() else -1, name)


def write_junit(path, runs):
    """JUnit XML, one testcase per (scenario, seed): what GitLab, Jenkins and
    GitHub read.  A failure carries the failed expectation as its message
    and the replay command in its text.  Testcases are sorted by scenario
    and seed, so that merged shards compare equal to the whole run."""
    import xml.etree.ElementTree as ET
    cases = []
    for spath, seed, res in runs:
        name = res["name"]
        tc = ET.Element("testcase", {"classname": f"scenarios.{name}",
                                     "name": f"{name}[seed={seed}]",
                                     "file": os.path.relpath(spath, ROOT)
                                     if os.path.abspath(spath).startswith(ROOT + os.sep)
                                     else spath,
                                     "time": f"{res['wall']:.3f}"})
        if not res["ok"]:
            msg = failure_message(res)
            f = ET.SubElement(tc, "failure", {"message": headline(msg),
                                              "type": "ScenarioFailure"})
            f.text = msg + f"\n\nreplay with: {replay_command(spath, seed)}\n"
        cases.append(tc)
    save_junit(path, cases)


def save_junit(path, cases):
    import xml.etree.ElementTree as ET
    cases = sorted(cases, key=junit_case_key)
    failures = sum(1 for c in cases if c.find("failure") is not None)
    total_time = sum(float(c.get("time", "0")) for c in cases)
    root = ET.Element("testsuites", {"name": "uasync scenarios", "tests": str(len(cases)),
                                     "failures": str(failures), "errors": "0",
                                     "time": f"{total_time:.3f}"})
    suite = ET.SubElement(root, "testsuite", {"name": "uasync.scenarios",
                                              "tests": str(len(cases)),
                                              "failures": str(failures), "errors": "0",
                                              "skipped": "0",
                                              "time": f"{total_time:.3f}"})
    suite.extend(cases)
    ET.indent(root)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def merge_junit(out, inputs):
    """Combine the JUnit files of a sweep's shards into one (the testcases of
    all, sorted as the unsharded run writes them); a (scenario, seed) in two
    inputs is an error (shards overlap)."""
    import xml.etree.ElementTree as ET
    cases, seen = [], {}
    for path in inputs:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            raise ValueError(f"{path}: not a JUnit file: {e}")
        for tc in root.iter("testcase"):
            key = (tc.get("classname"), tc.get("name"))
            if key in seen:
                raise ValueError(f"{path}: {key[1]} is also in {seen[key]}: the shards "
                                 "overlap")
            seen[key] = path
            tc.tail = None
            cases.append(tc)
    save_junit(out, cases)
    return len(cases)


def main():
    ap = argparse.ArgumentParser(description="run uasync scenarios")
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--seed", default=None)
    ap.add_argument("--seeds", help="sweep a range of seeds, e.g. 1..200")
    ap.add_argument("--perturb", metavar="FILE",
                    help="replay the perturbations of FILE (tools/sim explore)")
    ap.add_argument("--out", default=os.path.join(ROOT, "out"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--tap", action="store_true", help="TAP output (for meson test)")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--keep-all", action="store_true",
                    help="a sweep keeps every seed's traces (default: failing ones)")
    ap.add_argument("--shard", help="K/N: run the K-th of N disjoint parts")
    ap.add_argument("--junit", help="write JUnit XML results to this file")
    ap.add_argument("--param", action="append", metavar="NAME=VALUE",
                    help="a number the scenario reads with ctx.param (repeatable)")
    ap.add_argument("--merge-junit", nargs="+", metavar=("OUT", "IN"),
                    help="combine shards' JUnit files IN... into OUT")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--keep", default="failed", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker_main(args.out, args.keep)
    if args.merge_junit:
        if len(args.merge_junit) < 2:
            print("error: --merge-junit OUT IN...: give the output file and at least "
                  "one input", file=sys.stderr)
            return 2
        try:
            n = merge_junit(args.merge_junit[0], args.merge_junit[1:])
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{n} testcases from {len(args.merge_junit) - 1} files in "
              f"{args.merge_junit[0]}")
        return 0
    if args.list:
        status = 0
        for path in scenario_files():
            try:
                name, mod = load(path)
                print(f"{name:22s} {describe(mod)}")
            except LoadError as e:
                print(f"error: {e}", file=sys.stderr)
                status = 1
        return status
    plan = None
    try:
        if args.perturb is not None:
            from uasync_sim import explore
            if args.seeds is not None or args.realtime:
                raise ValueError("--perturb replays one run: it cannot be used with "
                                 "--seeds or --realtime")
            file_seed, plan = explore.read_plan(args.perturb)
            if args.seed is None:
                args.seed = str(file_seed)
        args.seed = parse_seed(args.seed if args.seed is not None else "1")
        seeds = parse_range(args.seeds) if args.seeds is not None else None
        shard = parse_shard(args.shard) if args.shard is not None else None
        params = parse_params(args.param)
    except ValueError as e:  # explore.PlanError is one
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.realtime and seeds is not None:
        print("error: --seeds cannot be used with --realtime: a real-time run is one "
              "seed, watched by a person (use --seed N)", file=sys.stderr)
        return 2
    if params and (seeds is not None or args.realtime):
        print("error: --param is for single runs (not with --seeds or --realtime)",
              file=sys.stderr)
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
        return sweep(args.scenarios, seeds, args.out,
                     keep="all" if args.keep_all else "failed", shard=shard,
                     junit=args.junit)
    paths = [p for p, _ in shard_jobs([(p, args.seed) for p in args.scenarios], shard)]
    if args.tap:
        print(f"1..{len(paths)}")
    failed = 0
    runs = []
    for i, path in enumerate(paths, 1):
        stats = {}
        exploration = None
        if plan is not None:
            exploration = explore.Exploration(plan=plan)
        ok, name, virtual, wall, err, out_dir = run_one(path, args.seed, args.out,
                                                        args.quiet or args.tap,
                                                        params=params,
                                                        stats=stats,
                                                        explore=exploration)
        if exploration is not None and not args.tap:
            print(f"{name}: {len(exploration.taken)} of {len(plan)} perturbation(s) "
                  "taken (perturb_* notes in the trace)")
        runs.append((path, args.seed, {"ok": ok, "name": name, "wall": wall, "err": err,
                                       "message": stats.get("message", "")}))
        if args.tap:
            print(f"{'ok' if ok else 'not ok'} {i} - {name} ({virtual:.3f} s virtual)")
            if err:
                print("# " + err.rstrip("\n").replace("\n", "\n# "))
        else:
            if err:
                print(err, end="")
            report(ok, name, args.seed, virtual, wall, out_dir)
        failed += not ok
    if len(paths) > 1 and not args.tap:
        print(f"{len(paths) - failed} passed, {failed} failed")
    if args.junit:
        write_junit(args.junit, runs)
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
