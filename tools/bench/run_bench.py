#!/usr/bin/env python3
"""Run the core benchmarks: uasync (C) against CPython asyncio, same workloads.

    python3 tools/bench/run_bench.py BUILD_DIR [--extra EXE ...]
                                     [--target-ms MS] [--reps N] [--only A,B]
                                     [--use-build-dir]

Builds ua_bench in a release configuration of its own, build-bench/ at the
top of the tree (-Dbuildtype=release -Db_lto=true -Dtrace=false: what users
ship), runs it, then the asyncio peer of each workload
(tools/bench/asyncio_peers.py, under the Python running this script), and
prints one line per workload:

    bench NAME: uasync X ns/op, cpython-asyncio Y ns/op, ratio Y/X

--use-build-dir measures BUILD_DIR/tools/bench/ua_bench instead, as it was
built there.  The first line says which build was measured.  Then come the
sizes of the core's types (on this host and, when arm-none-eabi-gcc
is installed, on a 32-bit Cortex-M target) and the I/O-priority latency.
Finally it runs BUILD_DIR/sim/sim_bench if it exists and every --extra
executable, printing their output as it is.  Wall-clock figures are printed,
never asserted: the exit status is non-zero only if a benchmark failed to
run.  Standard library only.
"""

import argparse
import os
import re
import shutil
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


def run_core(args, exe):
    cmd = [exe, "--target-ms", str(args.target_ms), "--reps", str(args.reps)]
    if args.only:
        cmd += ["--only", args.only + ",sizeof,io-latency"]
    st, out = run(cmd)
    failed = st != 0
    results, host_sizes, pointer, rest = [], {}, 8, []
    for line in out.splitlines():
        m = re.match(r"uasync (\S+) ([\d.]+) ns/op ops=(\d+)$", line)
        s = re.match(r"sizeof (\S+) (\d+)(?: \((.*)\))?$", line)
        if m:
            results.append((m.group(1), float(m.group(2))))
        elif s and s.group(1) == "pointer":
            pointer = int(s.group(2))
        elif s:
            host_sizes[s.group(1)] = (int(s.group(2)), s.group(3))
        elif line.startswith("uasync "):
            print(line)
            failed = True
        else:
            rest.append(line)
    return failed, results, host_sizes, pointer, rest


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--extra", action="append", default=[],
                    help="another benchmark executable to run (repeatable)")
    ap.add_argument("--target-ms", type=int, default=300,
                    help="wall time aimed at per measured run (default 300)")
    ap.add_argument("--reps", type=int, default=3,
                    help="measured runs per workload; the fastest counts")
    ap.add_argument("--only", help="comma-separated workload names")
    ap.add_argument("--use-build-dir", action="store_true",
                    help="measure BUILD_DIR's ua_bench, not build-bench's")
    args = ap.parse_args()

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
    version = sys.version.split()[0]
    print(f"# cpython-asyncio peer: Python {version} ({sys.executable})")

    failed, results, host_sizes, pointer, rest = run_core(args, exe)
    for line in rest:
        if not line.startswith("bench "):
            print(line)
    missed = []
    for name, ua_ns in results:
        st, out = run([sys.executable, PEERS, name, "--target-ms",
                       str(args.target_ms), "--reps", str(args.reps)])
        m = re.search(r"cpython \S+ ([\d.]+) ns/op", out)
        if st != 0 or not m:
            print(f"bench {name}: uasync {fmt_ns(ua_ns)} ns/op, "
                  "cpython-asyncio FAILED")
            failed = True
            continue
        py_ns = float(m.group(1))
        ratio = py_ns / ua_ns
        if ratio < RATIO_TARGET:
            missed.append(name)
        print(f"bench {name}: uasync {fmt_ns(ua_ns)} ns/op, cpython-asyncio "
              f"{fmt_ns(py_ns)} ns/op, ratio {fmt_ratio(ratio)}", flush=True)
    if results:
        print(f"# ratio target >= {RATIO_TARGET}: met by "
              f"{len(results) - len(missed)} of {len(results)}"
              + (f" (missed: {', '.join(missed)})" if missed else ""))
    print_sizes(host_sizes, pointer)
    for line in rest:
        if line.startswith("bench "):
            print(line)

    extras = list(args.extra)
    sim_bench = os.path.join(args.build_dir, "sim", "sim_bench")
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
