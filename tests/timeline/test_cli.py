#!/usr/bin/env python3
"""Bad input to uasync-png and uasync-view (issue 16), TAP.

Each case feeds one bad input and asserts that the tool returns (the
subprocess timeout only turns a hang into a failure; it is not a performance
limit), with the expected exit status and a message naming the problem, and
that no sanitizer report appears (the ASan+UBSan build runs this too).

    test_cli.py UASYNC_PNG UASYNC_VIEW TRACE_MAKER
"""
import os
import subprocess
import sys
import tempfile

PNG, VIEW, MKTRACE = (os.path.abspath(a) for a in sys.argv[1:4])
HANG_GUARD = 120
tmp = tempfile.mkdtemp(prefix="uasync-tlcli-")
results = []


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def run(cmd, env=None):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=HANG_GUARD,
                           env=env, stdin=subprocess.DEVNULL)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired:
        return None, f"hung (no return in {HANG_GUARD} s)"


def clean(out):
    return "runtime error" not in out and "AddressSanitizer" not in out


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


trace = os.path.join(tmp, "trace.txt")
rc, out = run([MKTRACE, trace])
case("a real trace to work on", rc == 0 and os.path.exists(trace), out)
png = os.path.join(tmp, "out.png")
LAST = "18446744073"  # s: about the last time a uint64_t of ns holds

for args, want_rc, needle, what in (
        (["--to", LAST + "s"], 0, "", "--to at the end of time renders"),
        (["--to", "18446744074s"], 2, "--to 18446744074s: not a time", "--to beyond it"),
        (["--from", "abc"], 2, "--from abc: not a time", "--from abc"),
        (["--to", "5xyz"], 2, "--to 5xyz: not a time", "--to with trailing text"),
        (["--from", "-1"], 2, "--from -1: not a time", "--from negative"),
        (["--width", "wide"], 2, "--width wide: not a whole number", "--width text"),
        (["--from", "2s", "--to", "1s"], 2, "empty window", "--from after --to"),
        (["extra"], 2, "unexpected argument extra", "a third file name")):
    rc, out = run([PNG, trace, png] + args)
    case(f"uasync-png {what}: exit {want_rc}" + (f", {needle!r}" if needle else ""),
         rc == want_rc and needle in out and clean(out), out)

big = write("big.txt", "# uasync sim trace v1 seed=1 records=2\n"
            "0.000 pin        b0 pin0 button=1\n"
            "18446744073709.000 pin        b0 pin0 button=0\n")
rc, out = run([PNG, big, png])
case("a trace ending at the last representable time renders (no endless axis)",
     rc == 0 and clean(out), out)
rc, out = run([PNG, big, png, "--from", "18446744073s", "--to", "18446744073.7s"])
case("a window at the end of time renders", rc == 0 and clean(out), out)

for name, text in (("empty.txt", ""), ("header.txt", "# uasync sim trace v1 seed=1 "
                                                      "records=0\n")):
    rc, out = run([PNG, write(name, text), png])
    case(f"uasync-png of an empty trace ({name}): renders, no sanitizer report",
         rc == 0 and clean(out), out)

rc, out = run([PNG, trace, os.path.join(tmp, "missing", "out.png")])
case("uasync-png to a folder that does not exist: exit 1, says why",
     rc == 1 and "cannot write" in out and "No such file or directory" in out, out)
rc, out = run([PNG, tmp, png])
case("uasync-png of a directory: exit 1, 'Is a directory'",
     rc == 1 and "Is a directory" in out and clean(out), out)
rc, out = run([PNG, os.path.join(tmp, "missing.txt"), png])
case("uasync-png of a missing file: exit 1, names it",
     rc == 1 and "missing.txt" in out and "No such file" in out, out)
rc, out = run([PNG, write("bad.txt", "# uasync sim trace v1\nhello world\n"), png])
case("uasync-png of a bad line: file and line", rc == 1 and "bad.txt:2:" in out, out)
rc, out = run([PNG, write("back.txt", "# uasync sim trace v1\n"
                          "5.000 pin        b0 pin0 button=1\n"
                          "2.000 pin        b0 pin0 button=0\n"), png])
case("uasync-png of a trace going back in time: file, line and why",
     rc == 1 and "back.txt:3: time goes backwards (2.000 us after 5.000 us)" in out, out)
rc, out = run([PNG, write("huge.txt", "# uasync sim trace v1\n"
                          "99999999999999999999.000 pin        b0 pin0 button=1\n"), png])
case("uasync-png of a time beyond 2^64 ns: file, line and why",
     rc == 1 and "huge.txt:2: time" in out and "beyond 2^64 ns" in out, out)

# The viewer with no display: SDL would fall back to an invisible driver and
# wait forever for input.
env = {k: v for k, v in os.environ.items()
       if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
env["XDG_RUNTIME_DIR"] = tmp
# Leak checking is off for the viewer: libraries SDL loads for video keep
# allocations to exit (as in test_view.c); the renderer is leak-checked by
# the uasync-png cases above and test_render.
env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
rc, out = run([VIEW, trace], env)
case("uasync-view with no display: exit 2, says so", rc == 2 and "no display" in out, out)
for drv in ("offscreen", "dummy"):
    rc, out = run([VIEW, trace], dict(env, SDL_VIDEODRIVER=drv))
    case(f"uasync-view on SDL's {drv} driver without a script: exit 2",
         rc == 2 and f"'{drv}'" in out and "--script" in out, out)
rc, out = run([VIEW, trace, "--script", "zoom_in;quit"],
              dict(env, SDL_VIDEODRIVER="offscreen"))
case("uasync-view with a script still runs without a display", rc == 0, out)
rc, out = run([VIEW, tmp, "--script", "quit"], dict(env, SDL_VIDEODRIVER="offscreen"))
case("uasync-view of a directory: exit 1, 'Is a directory'",
     rc == 1 and "Is a directory" in out, out)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip()[-2000:].replace("\n", "\n# "))
