#!/usr/bin/env python3
"""Fail (TAP) if any object in the given static libraries references the heap."""
import subprocess
import sys

FORBIDDEN = {"malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign"}


def main(libs):
    print(f"1..{len(libs)}")
    failed = 0
    for i, lib in enumerate(libs, 1):
        out = subprocess.run(["nm", "-u", lib], capture_output=True, text=True, check=True).stdout
        bad = sorted({line.split()[-1] for line in out.splitlines()
                      if line.split() and line.split()[-1] in FORBIDDEN})
        if bad:
            failed += 1
            print(f"not ok {i} - {lib} references {', '.join(bad)}")
        else:
            print(f"ok {i} - {lib} references no heap function")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
