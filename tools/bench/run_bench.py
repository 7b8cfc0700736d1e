#!/usr/bin/env python3
"""Run the core benchmarks: uasync (C) against CPython asyncio, same workloads.

    python3 tools/bench/run_bench.py BUILD_DIR [--extra EXE ...]
                                     [--target-ms MS] [--rounds N] [--only A,B]
                                     [--budget-ms MS] [--no-scaling | --scaling-only]
                                     [--use-build-dir]

Builds ua_bench in a release configuration of its own, build-bench/ at the
top of the tree (-Dbuildtype=release -Db_lto=true -Dtrace=false: what users
ship) and compares it with the asyncio peer of each workload
(tools/bench/asyncio_peers.py, under the Python running this script), one
line per workload:

    bench NAME: uasync X ns/op, cpython-asyncio Y ns/op, ratio Y/X

Made to stay put on a busy shared machine: both sides are timed in process
CPU time (CLOCK_PROCESS_CPUTIME_ID in C, time.process_time in Python), so
time the machine spends on other processes is not counted.  Each runtime is
calibrated once to runs of about --target-ms, then the two are interleaved
over --rounds rounds (at least 3; each round one measured run of each, back
to back, which one goes first alternating), and the median round of each
is printed, with the rounds themselves on a comment line.  Every side
counts an operation the same way (`ua_bench --list` says what one op is;
event-pingpong's is a round trip, two hops).

--use-build-dir measures BUILD_DIR/tools/bench/ua_bench instead, as it was
built there.  The first line says which build was measured.  Then come the
sizes of the core's types (on this host and, when arm-none-eabi-gcc
is installed, on a 32-bit Cortex-M target), the I/O-priority latency and
the scaling lines (`ua_bench --scaling`, uasync alone: cost per operation
at N = 10, 1000, 100000; --no-scaling skips them, --scaling-only prints
only them).  Finally it runs
BUILD_DIR/tools/bench/sim_bench if it exists and every --extra executable, printing
their output as it is.  Figures are printed, never asserted: the exit
status is non-zero only if a benchmark failed to run.  Standard library
only.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(HERE, "asyncio_peers.py")
RATIO_TARGET = 100
BENCH_BUILD = os.path.join(ROOT, "build-bench")
BENCH_OPTIONS = ["-Dbuildtype=release", "-Db_lto=true", "-Dtrace=false"]

# Types whose size is reported, with the typical frame ua_bench also prints.
SIZE_TYPES = ["ua_task_t", "ua_co_t", "typical_frame", "ua_callback_t",
              "ua_event_t", "ua_lock_t", "ua_sem_t", "ua_cond_t",
              "ua_queue_t", "ua_barrier_t", "ua_flag_t", "ua_loop_t",
              "ua_gather_t"]


def fmt_ns(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def fmt_ratio(r):
    # One decimal below 1000, so a ratio just under the target never prints
    # as the target itself.
    return f"{r:.1f}" if r < 1000 else f"{r:.0f}"


def run(cmd):
    """Run cmd, echoing its stderr; returns (exit status, stdout)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.stderr.strip():
        sys.stderr.write(p.stderr)
    return p.returncode, p.stdout


def sizes_32bit():
    """Sizes on a 32-bit Cortex-M target, read from symbol sizes in an object
    file compiled by arm-none-eabi-gcc (nothing runs on the target)."""
    gcc = shutil.which("arm-none-eabi-gcc")
    nm = shutil.which("arm-none-eabi-nm")
    if not gcc or not nm:
        return {}
    src = ['#include "ua.h"',
           "typedef struct { ua_task_t task; ua_co_t co; uint32_t i; }"
           " typical_frame;"]
    src += [f"const unsigned char size_{t}[sizeof({t})] = {{0}};"
            for t in SIZE_TYPES]
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "sizes.c")
        o = os.path.join(tmp, "sizes.o")
        with open(c, "w") as f:
            f.write("\n".join(src) + "\n")
        st, _ = run([gcc, "-mcpu=cortex-m4", "-mthumb", "-std=c11", "-c",
                     "-I", os.path.join(ROOT, "core"), c, "-o", o])
        if st != 0:
            return {}
        st, out = run([nm, "-S", o])
    sizes = {}
    for line in out.splitlines():
        m = re.match(r"[0-9a-f]+ ([0-9a-f]+) \w size_(\w+)$", line)
        if m:
            sizes[m.group(2)] = int(m.group(1), 16)
    return sizes


def print_sizes(host, pointer):
    cross = sizes_32bit()
    where = "32-bit Cortex-M (arm-none-eabi-gcc)"
    if not cross:
        print("# 32-bit sizes not measured (arm-none-eabi-gcc absent); "
              "ua_task_t is designed to be 32 bytes there")
    for name, (size, note) in host.items():
        line = f"sizeof {name}: {size} bytes on this host ({pointer}-byte pointers)"
        if name in cross:
            line += f", {cross[name]} on {where}"
        print(line + (f" -- {note}" if note else ""))


def build_release():
    """Configure (once) and build ua_bench in build-bench; its path."""
    if not os.path.exists(os.path.join(BENCH_BUILD, "build.ninja")):
        st, _ = run(["meson", "setup", BENCH_BUILD] + BENCH_OPTIONS)
        if st != 0:
            sys.exit("run_bench: meson setup build-bench failed")
    # Only the benchmark and what it links (core): a warning in an unrelated
    # target must not keep the scheduler from being measured.
    st, _ = run(["ninja", "-C", BENCH_BUILD, "tools/bench/ua_bench"])
    if st != 0:
        sys.exit("run_bench: building build-bench/tools/bench/ua_bench failed")
    return os.path.join(BENCH_BUILD, "tools", "bench", "ua_bench")


def workloads(exe, only):
    """[(name, what one op is)] from `ua_bench --list`, in its order."""
    st, out = run([exe, "--list"])
    if st != 0:
        sys.exit("run_bench: ua_bench --list failed")
    names = []
    for line in out.splitlines():
        name, _, what = line.partition(": one op = ")
        if what and (not only or name in only.split(",")):
            names.append((name, what))
    return names


def calibrate(side, exe, name, target_ms):
    """Units for one run of about target_ms on one side; None on failure."""
    if side == "uasync":
        cmd = [exe, "--calibrate", name, "--target-ms", str(target_ms)]
    else:
        cmd = [sys.executable, PEERS, name, "--calibrate",
               "--target-ms", str(target_ms)]
    st, out = run(cmd)
    m = re.search(r" n=(\d+)", out)
    return int(m.group(1)) if st == 0 and m else None


def measure(side, exe, name, n):
    """ns/op of one measured run of n units on one side; None on failure."""
    if side == "uasync":
        cmd = [exe, "--run", name, "--n", str(n)]
    else:
        cmd = [sys.executable, PEERS, name, "--n", str(n)]
    st, out = run(cmd)
    m = re.search(r" ([\d.]+) ns/op", out)
    return float(m.group(1)) if st == 0 and m else None


def compare(exe, name, args):
    """Calibrate both sides, interleave them over args.rounds rounds; the
    two lists of ns/op per round, or None for a side that failed."""
    sides = ("uasync", "cpython")
    n = {side: calibrate(side, exe, name, args.target_ms) for side in sides}
    per_round = {side: [] if n[side] else None for side in sides}
    for r in range(args.rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for side in order:
            if per_round[side] is None:
                continue
            ns = measure(side, exe, name, n[side])
            if ns is None:
                per_round[side] = None
            else:
                per_round[side].append(ns)
    return per_round["uasync"], per_round["cpython"]


def run_info(exe):
    """Sizes and the io-latency line from `ua_bench --info`."""
    st, out = run([exe, "--info"])
    host_sizes, pointer, rest = {}, 8, []
    for line in out.splitlines():
        s = re.match(r"sizeof (\S+) (\d+)(?: \((.*)\))?$", line)
        if s and s.group(1) == "pointer":
            pointer = int(s.group(2))
        elif s:
            host_sizes[s.group(1)] = (int(s.group(2)), s.group(3))
        else:
            rest.append(line)
    return st != 0, host_sizes, pointer, rest


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--extra", action="append", default=[],
                    help="another benchmark executable to run (repeatable)")
    ap.add_argument("--target-ms", type=int, default=300,
                    help="CPU time aimed at per measured run (default 300)")
    ap.add_argument("--rounds", "--reps", type=int, default=5,
                    help="interleaved rounds per workload, at least 3 "
                         "(default 5); the median counts")
    ap.add_argument("--only", help="comma-separated workload names")
    ap.add_argument("--budget-ms", type=int, default=2000,
                    help="CPU time after which a scaling run is stopped")
    ap.add_argument("--no-scaling", action="store_true",
                    help="skip the scaling lines")
    ap.add_argument("--scaling-only", action="store_true",
                    help="only the scaling lines (ua_bench --scaling)")
    ap.add_argument("--use-build-dir", action="store_true",
                    help="measure BUILD_DIR's ua_bench, not build-bench's")
    args = ap.parse_args()
    args.rounds = max(3, args.rounds)

    if args.use_build_dir:
        exe = os.path.join(args.build_dir, "tools", "bench", "ua_bench")
        if not os.access(exe, os.X_OK):
            sys.exit(f"run_bench: {exe} not found; build first "
                     f"(ninja -C {args.build_dir})")
        print(f"# measured build: {os.path.relpath(exe, ROOT)} "
              "(as configured there)")
    else:
        exe = build_release()
        print(f"# measured build: {os.path.relpath(exe, ROOT)} "
              f"({' '.join(BENCH_OPTIONS)})")
    if args.scaling_only:
        st, out = run([exe, "--scaling", "--budget-ms", str(args.budget_ms)])
        sys.stdout.write(out)
        return 1 if st != 0 else 0
    version = sys.version.split()[0]
    print(f"# cpython-asyncio peer: Python {version} ({sys.executable})")
    print(f"# timing: process CPU time on both sides "
          f"(CLOCK_PROCESS_CPUTIME_ID / time.process_time); each side "
          f"calibrated to ~{args.target_ms} ms runs, then {args.rounds} "
          f"interleaved rounds (one run of each per round, the first "
          f"alternating); the median round is shown")

    failed = False
    missed = []
    names = workloads(exe, args.only)
    for name, what in names:
        print(f"# {name}: one op = {what} (counted the same way on both sides)")
    for name, _ in names:
        ua, py = compare(exe, name, args)
        if ua is None:
            print(f"bench {name}: uasync FAILED")
            failed = True
            continue
        ua_ns = statistics.median(ua)
        if py is None:
            print(f"bench {name}: uasync {fmt_ns(ua_ns)} ns/op, "
                  "cpython-asyncio FAILED")
            failed = True
            continue
        py_ns = statistics.median(py)
        ratio = py_ns / ua_ns
        if ratio < RATIO_TARGET:
            missed.append(name)
        print(f"bench {name}: uasync {fmt_ns(ua_ns)} ns/op, cpython-asyncio "
              f"{fmt_ns(py_ns)} ns/op, ratio {fmt_ratio(ratio)}")
        print(f"#   rounds (ns/op): uasync {' '.join(fmt_ns(x) for x in ua)}; "
              f"cpython-asyncio {' '.join(fmt_ns(x) for x in py)}", flush=True)
    if names:
        print(f"# ratio target >= {RATIO_TARGET}: met by "
              f"{len(names) - len(missed)} of {len(names)}"
              + (f" (missed: {', '.join(missed)})" if missed else ""))
    info_failed, host_sizes, pointer, rest = run_info(exe)
    failed |= info_failed
    print_sizes(host_sizes, pointer)
    for line in rest:
        print(line)
    sys.stdout.flush()
    if not args.no_scaling and not args.only:
        st, out = run([exe, "--scaling", "--budget-ms", str(args.budget_ms)])
        sys.stdout.write(out)
        failed |= st != 0

    extras = list(args.extra)
    sim_bench = os.path.join(args.build_dir, "tools", "bench", "sim_bench")
    if os.access(sim_bench, os.X_OK) and sim_bench not in extras:
        extras.insert(0, sim_bench)
    for extra in extras:
        print(f"# {extra}", flush=True)
        st, out = run([extra])
        sys.stdout.write(out)
        if st != 0:
            print(f"# {extra} exited with status {st}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
