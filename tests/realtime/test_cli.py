#!/usr/bin/env python3
"""Bad options to uasync-uv and uasync-board, and uasync-board with no
display (issue 16), TAP.  Each must return (the subprocess timeout only
turns a hang into a failure) with exit 2 and a message naming the problem.

    test_cli.py UASYNC_UV UASYNC_BOARD
"""
import os
import subprocess
import sys
import tempfile

UV, BOARD = sys.argv[1], sys.argv[2]
HANG_GUARD = 60
results = []


def run(cmd, env=None):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=HANG_GUARD,
                           stdin=subprocess.DEVNULL, env=env)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return None, f"hung (no return in {HANG_GUARD} s)"


def case(name, ok, detail):
    results.append((name, bool(ok), detail))


rc, out = run([UV, "--help"])
case("uasync-uv --help prints the usage and exits 0",
     rc == 0 and "usage: uasync-uv" in out and "--duration" in out, out)
for args, needle in ((["--bogus", "--duration", "100"], "unknown option --bogus"),
                     (["--duration", "abc"], "--duration abc: not a whole number"),
                     (["--duration"], "--duration : needs a value"),
                     (["--duration", "-5"], "--duration -5: not a whole number"),
                     (["--tcp", "70000"], "--tcp 70000: not a whole number from 1 to 65535")):
    rc, out = run([UV] + args)
    case(f"uasync-uv {' '.join(args)}: exit 2, {needle!r}", rc == 2 and needle in out, out)

for args, needle in ((["--bogus", "1"], "unknown option --bogus"),
                     (["--seed", "-3", "--headless"], "--seed -3: not a whole number"),
                     (["--duration", "abc", "--headless"], "--duration abc"),
                     (["--speed", "fast", "--headless"], "--speed fast"),
                     (["--app"], "--app needs a value")):
    rc, out = run([BOARD] + args)
    case(f"uasync-board {' '.join(args)}: exit 2, {needle!r}", rc == 2 and needle in out, out)
rc, out = run([BOARD, "--help"])
case("uasync-board --help exits 0", rc == 0 and "usage: uasync-board" in out, out)

env = {k: v for k, v in os.environ.items()
       if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
env["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="uasync-rtcli-")
rc, out = run([BOARD, "--app", "buttons"], env)
case("uasync-board with no display and nothing to end it: exit 2, says so",
     rc == 2 and "no display" in out, out)
rc, out = run([BOARD, "--app", "buttons"], dict(env, SDL_VIDEODRIVER="offscreen"))
case("uasync-board on the offscreen driver with nothing to end it: exit 2",
     rc == 2 and "'offscreen'" in out and "--headless" in out, out)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip()[-1500:].replace("\n", "\n# "))
