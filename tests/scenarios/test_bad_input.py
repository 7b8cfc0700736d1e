#!/usr/bin/env python3
"""Bad input to the scenario runner and the scenario verbs (issue 16), TAP.

Each case feeds one bad input seen by a user and asserts the error: the
command returns (a subprocess timeout guards against hangs; it is not a
performance limit), fails (non-zero status, or the scenario counted as
failed) and prints a one-line message naming the problem.

    test_bad_input.py RUNNER_PY
"""
import os
import subprocess
import sys
import tempfile

RUNNER = os.path.abspath(sys.argv[1])
ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
HANG_GUARD = 300  # seconds; only so that a hang fails instead of blocking

results = []
tmp = tempfile.mkdtemp(prefix="uasync-badinput-")


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def run(args, cwd=None):
    """(returncode, stdout+stderr) of the runner; returncode None on a hang."""
    try:
        r = subprocess.run([sys.executable, RUNNER, "--out", os.path.join(tmp, "out")]
                           + args, capture_output=True, text=True, cwd=cwd,
                           timeout=HANG_GUARD)
        return r.returncode, r.stdout + r.stderr
    except subprocess.TimeoutExpired as e:
        return None, f"hung for {HANG_GUARD} s: {e}"


def scenario(body, name="bad"):
    """A scenario file whose scenario(ctx) is `body` (indented 4)."""
    path = os.path.join(tmp, f"{name}.py")
    with open(path, "w") as f:
        f.write(f'"""{name}"""\n\n\ndef scenario(ctx):\n')
        f.write("".join("    " + line + "\n" for line in body.strip("\n").split("\n")))
    return path


def fails_with(name, body, *needles):
    rc, out = run([scenario(body, name)])
    case(f"{name}: refused with {needles[0]!r}",
         rc == 1 and all(n in out for n in needles) and f"FAIL {name}" in out
         and "Traceback" not in out, out)
    return out


BOARD = 'sim = ctx.sim()\nb = sim.board("b0")\n'
BUTTONS = BOARD + 'app = b.app("buttons")\n'

# --- published objects are typed -----------------------------------------------
fails_with("wrong_object_type", BUTTONS + 'app.pin("button")',
           "object 'button' is a button, not a pin")
fails_with("no_such_object", BUTTONS + 'app.uart("gps")',
           "publishes no object 'gps'")

# --- a task failure nobody awaits fails the scenario, unless declared ----------
DOOMED = BOARD + 'app = b.app("cancel", "detached_fail=20")\n'
fails_with("unhandled_error", DOOMED + "sim.run_for(100)",
           "1 unhandled task error(s); the first: doomed failed with UA_EIO (-13)")
rc, out = run([scenario(DOOMED + "sim.allow_unhandled(1)\nsim.run_for(100)\n"
                        "assert sim.unhandled_errors() == 1", "declared_unhandled")])
case("declared_unhandled: an expected unhandled error passes",
     rc == 0 and "PASS declared_unhandled" in out, out)

# --- times and durations -------------------------------------------------------
fails_with("run_for_negative", BOARD + "sim.run_for(-1)",
           "run_for=-1 ms is negative", "run_for_negative.py:7: in scenario")
fails_with("run_for_absurd", BOARD + "sim.run_for(1e30)",
           "beyond the simulator's clock")
fails_with("run_for_nan", BOARD + 'sim.run_for(float("nan"))', "finite number")
fails_with("run_until_past", BOARD + "sim.run_for(10)\nsim.run_until(5)",
           "run_until=5 ms is in the past", "already at 10.0 ms")
fails_with("click_in_the_past", BUTTONS + "sim.run_for(500)\napp.button().click(at=100)",
           "at=100 ms is in the past", "already at 500.0 ms")
fails_with("press_negative", BUTTONS + "app.button().press(at=-5)", "at=-5 ms is negative")
fails_with("feed_in_the_past",
           BOARD + 'u = b.uart(0)\nsim.run_for(20)\nu.feed(b"x", at=1)', "in the past")
fails_with("hold_negative", BUTTONS + "app.button().click(at=10, hold=-1)",
           "hold=-1 ms is negative")

fails_with("app_unknown", BOARD + 'b.app("nope")', "no app named 'nope' (apps: demo, buttons")

# --- objects ------------------------------------------------------------------------
fails_with("pin_negative", BOARD + "b.pin(-1)", "pin -1 is out of range: 0..1023")
fails_with("uart_huge", BOARD + "b.uart(10**6)", "uart 1000000 is out of range")
fails_with("drive_level", BOARD + "b.pin(0).drive(2)", "level 2 is not 0, 1 or None")
fails_with("edges_level", BOARD + "b.pin(0).edges([(1, 0), (2, 7)])",
           "level 7 is not 0, 1 or None")
fails_with("edges_in_the_past", BOARD + "sim.run_for(20)\nb.pin(0).edges([(1, 0)])",
           "at=1 ms is in the past")
# --- what a scenario declares for tools/sim explore (docs/explore.md) ----------------
fails_with("jitter_negative", "ctx.sim().stimulus_jitter(-1)",
           "stimulus_jitter=-1 ms is negative")
fails_with("jitter_not_a_number", "ctx.sim().stimulus_jitter('2')",
           "stimulus_jitter must be a number of ms, not '2'")
fails_with("irq_latency_negative", BOARD + "b.irq_latency(-5)",
           "irq_latency=-5 us is negative")
fails_with("irq_latency_not_a_number", BOARD + "b.irq_latency(None)",
           "irq_latency must be a number of us, not None")
fails_with("step_cost_not_a_number", BOARD + "b.set_costs(step_us='x')",
           "step_us must be a number of us, not 'x'")
fails_with("seed_negative", "ctx.sim(seed=-3)", "seed -3 is out of range")
fails_with("nec_command", BOARD + 'n = b.pin(3).nec()\nn.send(0, 300, at=1)',
           "command 300 is out of range: 0..0xFF")

# --- expect -----------------------------------------------------------------------------
out = fails_with("expect_board_unknown",
                 BUTTONS + 'sim.run_for(10)\nsim.expect("note:press", board="b9")',
                 "board='b9': no board of that name (boards: b0)")
rc, out = run([scenario(BUTTONS + 'app.button().click(at=10)\nsim.run_for(300)\n'
                        'sim.expect("note:press", board="b0")\n'
                        'sim.expect("note:press", board=0)', "expect_board_name")])
case("expect accepts the board's own name", rc == 0, out)
rc, out = run([scenario('sim = ctx.sim()\napp = sim.board("a").app("syncom_pair", "count=1")\n'
                        'sim.run_for(3000)\nsim.expect("note:got", board="a_peer")',
                        "expect_board_of_app")])
case("expect accepts the name of a board an app created", rc == 0, out)
fails_with("expect_field_unknown", BUTTONS + 'sim.run_for(10)\nsim.expect("note:press", brd=0)',
           "unknown field brd=", "board, obj, arg, arg2")
# count(): the simulator's count equals the records events() returns, per
# window and field; a bound that is not a number is refused naming it.
rc, out = run([scenario(BUTTONS + 'for t in (10, 400, 800):\n    app.button().click(at=t)\n'
                        'sim.run_for(1200)\n'
                        'ev = sim.events("note:press")\n'
                        'assert len(ev) == 3 and sim.count("note:press") == 3\n'
                        'assert sim.count("note:press", since=ev[1].t_ms) == 2\n'
                        'assert sim.count("note:press", until=ev[1].t_ms) == 2\n'
                        'assert sim.count("note:press", since=ev[1].t_ms, until=ev[1].t_ms) == 1\n'
                        'assert sim.count("note:press", until=ev[0].t_ms - 1e-6) == 0\n'
                        'assert sim.count("note:press", board=1) == 0\n'
                        'assert sim.count("nosuchkind") == 0', "count_windows")])
case("count() counts what events() lists, bounds included", rc == 0, out)
# events() returns a sequence of the matches whose records are built when
# read; its columns are the same fields read straight from the records.
rc, out = run([scenario(BUTTONS + 'for t in (10, 400, 800):\n    app.button().click(at=t)\n'
                        'sim.run_for(1200)\n'
                        'ev = sim.events("note:press")\n'
                        'recs = [ev[0], ev[1], ev[2]]\n'
                        'assert list(ev) == recs and ev == recs and ev[-1] is not None\n'
                        'assert [r.t_ns for r in ev] == [r.t_ns for r in recs]\n'
                        'for f in ("t_ns", "kind", "board", "obj", "arg", "arg2", "index"):\n'
                        '    assert list(ev.column(f)) == [getattr(r, f) for r in ev], f\n'
                        'assert [r.t_ms for r in ev[1:]] == [ev[1].t_ms, ev[2].t_ms]\n'
                        'assert ev[-1].t_ns == ev[2].t_ns and ev[-3].t_ns == ev[0].t_ns\n'
                        'for bad in (3, -4):\n'
                        '    try:\n'
                        '        ev[bad]\n'
                        '    except IndexError:\n'
                        '        pass\n'
                        '    else:\n'
                        '        raise AssertionError(bad)\n'
                        'assert not sim.events("note:nosuch") and sim.events("note:nosuch") == []\n'
                        'sim.expect("note:press", count=3)\n'
                        'assert ev[0].line == sim.trace()[ev[0].index].line',
                        "events_sequence")])
case("events() is a sequence of the records, its columns the same fields", rc == 0, out)
fails_with("events_column_unknown", BUTTONS + 'sim.run_for(10)\nsim.events("step").column("time")',
           "column 'time': the fields are index, t_ns")
fails_with("expect_count_wrong", BUTTONS + 'app.button().click(at=10)\nsim.run_for(300)\n'
           'sim.expect("note:press", count=2)',
           "expected note:press 2 occurrence(s)", "note")
fails_with("count_bound_not_number", BUTTONS + 'sim.count("note:press", until="soon")',
           "until must be a number of ms, not 'soon'")

# --- app arguments --------------------------------------------------------------------
fails_with("app_key_typo", BOARD + 'b.app("buttons", "supress=1")',
           "unknown argument 'supress=1'", "suppress (0..1)")
fails_with("app_value_range", BOARD + 'b.app("buttons", "long=70000")',
           "long=70000 is out of range: long is 0..65535")
fails_with("app_value_text", BOARD + 'b.app("buttons", "long=abc")',
           "long=abc is not a whole number")
fails_with("app_no_value", BOARD + 'b.app("buttons", "suppress")',
           "argument without a value: 'suppress'")
rc, out = run([scenario(BOARD + 'b.app("buttons", "suppress=1, long=900")\nsim.run_for(1)',
                        "app_args_good")])
case("good app arguments still accepted", rc == 0, out)

# --- files -----------------------------------------------------------------------------
m2 = os.path.join(tmp, "bad.mode2")
with open(m2, "w") as f:
    f.write("pulse 9000\nspace -5000\n")
fails_with("replay_mode2_bad", BOARD + f'b.pin(1).replay({m2!r})',
           f"replay: {m2}:2: 'space -5000'")
fails_with("replay_directory", BOARD + f'b.pin(1).replay({tmp!r})', "Is a directory")
fails_with("feed_directory", BOARD + f'b.uart(0).feed_file({tmp!r})', "is a directory")

# --- exporters ------------------------------------------------------------------------
ro = os.path.join(tmp, "ro")
os.makedirs(os.path.join(ro, "export_ro"))
for n in ("trace.txt", "trace.vcd", "trace.json"):
    os.makedirs(os.path.join(ro, "export_ro", n))  # a folder where a file goes
rc, out = run(["--out", ro, scenario(BOARD + "sim.run_for(1)", "export_ro")])
case("exporter failure fails the run", rc == 1 and "FAIL export_ro" in out
     and "trace.vcd not written" in out and "trace.txt not written" in out, out)

# --- the runner's own arguments -----------------------------------------------------------
good = scenario(BOARD + "sim.run_for(1)", "good")
for args, needle in ((["--seeds", "5..1"], "the range is empty"),
                     (["--seeds", "abc"], "'abc' is not a seed"),
                     (["--seeds", "1..abc"], "'abc' is not a seed"),
                     (["--seed", "-3"], "'-3' is not a seed"),
                     (["--seed", str(1 << 64)], "is out of range: seeds are 0..18446744073709551615"),
                     (["--seeds", "1..3", "--realtime"], "--seeds cannot be used with --realtime")):
    rc, out = run(args + [good])
    case(f"{' '.join(args)}: refused with {needle!r}",
         rc == 2 and needle in out and "Traceback" not in out, out)

rc, out = run(["--realtime", os.path.join(ROOT, "scenarios", "pushbutton.py")])
case("--realtime of a scenario with no app says why it cannot",
     rc == 2 and "cannot run in real time" in out and "REALTIME_APP" in out, out)

# --- scenario files: missing, syntax error, exception; the others still run ----------------
syn = os.path.join(tmp, "syntax.py")
with open(syn, "w") as f:
    f.write('"""syntax"""\n\n\ndef scenario(ctx)\n    pass\n')
boom = scenario('x = {}\nx["missing"]', "boom")
rc, out = run([os.path.join(tmp, "nope.py"), syn, boom, good])
case("missing scenario: one line, no traceback",
     "nope.py: no such scenario file" in out and "Traceback" not in out, out)
case("syntax error: file and line", f"{syn}:4: SyntaxError" in out, out)
case("exception: the user's file and line, not the runner's frames",
     f"{boom}:6: in scenario" in out and "KeyError: 'missing'" in out
     and "runner.py" not in out and "sim.py" not in out, out)
case("the other scenarios still run, the failures are counted",
     rc == 1 and "PASS good" in out and "1 passed, 3 failed" in out, out)

# --- paths from the current directory ---------------------------------------------------
rc, out = run(["good.py"], cwd=tmp)
case("a scenario path is relative to the current directory", rc == 0 and "PASS good" in out,
     out)
failing = scenario(BOARD + "assert ctx.seed != 2", "seedfail")
rc, out = run(["--seeds", "1..2", "seedfail.py"], cwd=tmp)
replay = [l for l in out.splitlines() if "replay with" in l]
cmd = replay[0].split("replay with ", 1)[1].split() if replay else []
ok_cmd = len(cmd) > 4 and os.path.isfile(os.path.join(tmp, cmd[0])) and cmd[-1] == "seedfail.py"
case("a sweep's replay command works from where the user stands",
     rc == 1 and ok_cmd and "1 passed, 1 failed" in out, out)

# --- the compiled-code cache (runner.compiled) never serves stale code ------------------
# An edit that keeps the file's size and modification time must still run:
# the cache is keyed by the source's hash, not by the file's stat.
edited = scenario(BOARD + "assert 1 == 1", "edited")
rc1, out1 = run([edited])
st = os.stat(edited)
with open(edited) as f:
    text = f.read()
with open(edited, "w") as f:
    f.write(text.replace("assert 1 == 1", "assert 1 == 2"))
os.utime(edited, ns=(st.st_atime_ns, st.st_mtime_ns))
rc2, out2 = run([edited])
build = os.environ.get("UASYNC_BUILD") or os.path.join(ROOT, "build")
cached = os.listdir(os.path.join(build, "scenario-cache")) \
    if os.path.isdir(os.path.join(build, "scenario-cache")) else []
case("an edited scenario runs its new code, even with the same size and mtime",
     rc1 == 0 and "PASS edited" in out1 and rc2 == 1 and "FAIL edited" in out2
     and "assert 1 == 2" in out2 and os.path.getsize(edited) == st.st_size, out1 + out2)
case("compiled scenarios are cached under the build folder", len(cached) > 0,
     f"nothing in {build}/scenario-cache")

# In one process (a sweep worker), each load is a new module sharing the
# file's code object; an edit between two loads is seen.
memo = scenario("SEEN.append(ctx)\nassert len(SEEN) == 1", "memo")
with open(memo) as f:
    text = f.read()
with open(memo, "w") as f:
    f.write("SEEN = []\n" + text)
probe = f"""
import sys
sys.path.insert(0, {os.path.join(ROOT, "scenarios", "lib")!r})
from uasync_sim import runner
_, a = runner.load({memo!r})
_, b = runner.load({memo!r})
a.scenario(1)
b.scenario(2)
assert a.SEEN == [1] and b.SEEN == [2], (a.SEEN, b.SEEN)
assert a.scenario is not b.scenario and a.scenario.__code__ is b.scenario.__code__
with open({memo!r}, "a") as f:
    f.write("    assert ctx != 3\\n")
_, c = runner.load({memo!r})
assert c.scenario.__code__ is not a.scenario.__code__
try:
    c.scenario(3)
except AssertionError:
    print("edit seen")
"""
r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                   timeout=HANG_GUARD)
case("one process: each load a fresh module sharing the code, an edit seen",
     r.returncode == 0 and "edit seen" in r.stdout, r.stdout + r.stderr)

# --- the demo's summary: the task table once --------------------------------------------
rc, out = run([os.path.join(ROOT, "scenarios", "demo.py")])
case("the demo prints its task table once", rc == 0 and out.count("# tasks at") == 1
     and out.count("worst") == 1, out)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
