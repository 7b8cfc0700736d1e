#!/usr/bin/env python3
"""Scenarios under pytest (issue 19), TAP: `pytest scenarios/` runs every
scenario as a test, --seeds parametrises them, a failure shows the failed
expectation and the replay command, and the `sim` fixture serves a test
function of a user's own suite.  pytest is Debian's python3-pytest, run by
/usr/bin/python3 (tools/sim installs it).

    test_pytest.py
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
PY = "/usr/bin/python3"
HANG_GUARD = 600

results = []
tmp = tempfile.mkdtemp(prefix="uasync-pytest-")


def case(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def pytest(args, cwd):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "scenarios", "lib"),
               PYTHONDONTWRITEBYTECODE="1")
    r = subprocess.run([PY, "-m", "pytest", "-p", "no:cacheprovider",
                        "--uasync-out=" + os.path.join(tmp, "out")] + args,
                       capture_output=True, text=True, cwd=cwd, env=env,
                       timeout=HANG_GUARD)
    return r.returncode, r.stdout + r.stderr


have = subprocess.run([PY, "-c", "import pytest"], capture_output=True).returncode == 0
case("pytest is installed for /usr/bin/python3 (python3-pytest)", have)
if have:
    n = len([f for f in os.listdir(os.path.join(ROOT, "scenarios"))
             if f.endswith(".py") and f != "conftest.py"])
    rc, out = pytest(["scenarios/", "-q", "--seeds", "1..2"], ROOT)
    case(f"pytest scenarios/ --seeds 1..2: every scenario passes for both seeds",
         rc == 0 and f"{2 * n} passed" in out, out)
    rc, out = pytest(["scenarios/", "-q", "--collect-only"], ROOT)
    case("each scenario is one test named NAME[seed=N]",
         rc == 0 and "demo.py::demo[seed=1]" in out and "conftest" not in out.split(
             "\n")[0] and f"{n} tests collected" in out, out)

    # A suite of one's own: the plugin, a failing scenario, a test using `sim`.
    suite = os.path.join(tmp, "suite")
    os.makedirs(suite)
    with open(os.path.join(suite, "conftest.py"), "w") as f:
        f.write("from uasync_sim.pytest_plugin import *  # noqa\n")
    with open(os.path.join(suite, "flaky.py"), "w") as f:
        f.write('''"""fails on seed 3"""


def scenario(ctx):
    sim = ctx.sim()
    app = sim.board("b0").app("buttons")
    app.button().click(at=100, hold=50)
    sim.run_for(500)
    sim.expect("note:press", at=151 if ctx.seed == 3 else 100)
''')
    # the example of docs/sweeps.md
    shutil.copy(os.path.join(ROOT, "docs", "examples", "test_pytest_fixture.py"),
                os.path.join(suite, "test_mine.py"))
    rc, out = pytest(["-q", "--seeds", "2..3"], suite)
    case("a failing scenario fails its seed only",
         rc == 1 and "1 failed, 3 passed" in out, out)
    case("the failure shows the expectation and the replay command",
         "expected note:press at 151 ms exactly" in out and "flaky.py:9:" in out
         and "replay with: " in out and "run --seed 3 " in out and "Traceback" not in out,
         out)
    case("the failing seed's traces are written, the passing ones' not",
         os.path.exists(os.path.join(tmp, "out", "seed3", "flaky", "trace.txt"))
         and not os.path.exists(os.path.join(tmp, "out", "seed2", "flaky")), out)
    rc, out = pytest(["-v", "--seeds", "2..3"], suite)
    case("the sim fixture: a test of one's own, once per seed",
         "test_mine.py::test_click[seed=2] PASSED" in out and
         "test_mine.py::test_click[seed=3] PASSED" in out, out)

shutil.rmtree(tmp, ignore_errors=True)
print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} - {name}")
    if not ok:
        print("# " + detail.strip().replace("\n", "\n# "))
