#!/usr/bin/env python3
"""Run one bare-metal test image under qemu-system-arm and relay its output.

The image prints TAP through semihosting and stops QEMU itself (semihosting
SYS_EXIT); this script only adds a wall-clock guard, so that an image that
hangs is killed and reported instead of blocking CI.  Exit status: QEMU's
(0 when every test passed), or 124 on timeout.  Used by `meson test` in an
ARM cross build and by tools/cross.py.

QEMU runs with -icount: virtual time advances with the instructions executed
(8 ns each) and jumps over WFI sleeps, instead of following the host's clock.
Without it a loaded host stalls the emulated CPU for milliseconds while the
clock runs on, and the emulated SysTick drops whole periods -- something no
real chip does -- which made the tick-monotonicity test flaky.  Runs are
deterministic this way; they still make no timing claims.
"""
import argparse
import shutil
import subprocess
import sys


def qemu_command(machine, elf):
    return ["qemu-system-arm", "-M", machine, "-nographic", "-monitor", "none",
            "-icount", "shift=3,sleep=off",
            "-serial", "null",
            "-semihosting-config", "enable=on,target=native", "-kernel", elf]


def run(machine, elf, timeout):
    """Return (exit status, combined output) of one image."""
    if shutil.which("qemu-system-arm") is None:
        return 127, "Bail out! qemu-system-arm is not installed\n"
    p = subprocess.Popen(qemu_command(machine, elf), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace")
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        # SIGTERM lets QEMU flush what the image printed so far.
        p.terminate()
        try:
            out, _ = p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
        return 124, (out or "") + f"\nBail out! timed out after {timeout} s\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--machine", default="mps2-an385")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("elf")
    args = ap.parse_args()
    status, out = run(args.machine, args.elf, args.timeout)
    sys.stdout.write(out)
    return status


if __name__ == "__main__":
    sys.exit(main())
