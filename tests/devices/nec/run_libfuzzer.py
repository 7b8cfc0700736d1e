#!/usr/bin/env python3
"""Run a libFuzzer binary briefly, seeded and bounded by a run count (so the
result does not depend on the machine's speed), over a copy of its corpus
(libFuzzer adds what it finds to the first directory: never the source
tree).  Prints one TAP test point.

    run_libfuzzer.py <fuzzer> <corpus dir> <runs>
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    fuzzer, corpus, runs = sys.argv[1], sys.argv[2], sys.argv[3]
    print("1..1")
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "corpus")
        shutil.copytree(corpus, work)
        r = subprocess.run([fuzzer, work, "-seed=1", f"-runs={runs}",
                            "-timeout=10", "-rss_limit_mb=1024",
                            f"-artifact_prefix={tmp}/"],
                           capture_output=True, text=True, cwd=tmp)
        tail = [l for l in r.stderr.splitlines() if l.startswith(("#", "Done"))]
        for line in (tail[-3:] if r.returncode == 0 else r.stderr.splitlines()[-40:]):
            print("# " + line)
    ok = "ok" if r.returncode == 0 else "not ok"
    print(f"{ok} 1 - {os.path.basename(fuzzer)}: {runs} runs, no crash, "
          f"no hang, no broken invariant")
    return 0 if r.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
