"""pytest support: each scenario is a test, and a `sim` fixture for your own.

    /usr/bin/python3 -m pytest scenarios/                # every scenario, seed 1
    /usr/bin/python3 -m pytest scenarios/ --seeds 1..50  # each one for 50 seeds
    /usr/bin/python3 -m pytest scenarios/gps.py -k "seed=3"

(Debian's python3-pytest; the machine's `python3` may be another
interpreter without pytest.)  conftest.py at the top of the tree loads this module; a
test suite of your own loads it with `-p uasync_sim.pytest_plugin` (with
scenarios/lib on PYTHONPATH) or `from uasync_sim.pytest_plugin import *` in
its conftest.py.

Scenarios.  A .py file that defines `scenario(ctx)` (and is not a test_*.py
module, which pytest collects itself) is collected as one test per seed,
named `NAME[seed=N]`.  It runs exactly as `tools/sim run` runs it; its
traces are written only when it fails (to out/pytest/seedN/NAME/, or
--uasync-out DIR), and the failure shows the failed expectation -- the
scenario line, `expected note:press at 151 ms exactly`, what happened, the
trace around it -- and the command that replays it.

Fixture.  `sim` is the context a scenario function gets (the object
scenario(ctx) receives: .sim() builds a simulation, .seed, .out(), .log()),
seeded with --seed (or each of --seeds):

    def test_click(sim):
        s = sim.sim()
        app = s.board("b0").app("buttons")
        app.button().click(at=100, hold=50)
        s.run_for(500)
        s.expect("note:press", at=100)
"""
import os

import pytest

from . import runner
from .sim import ScenarioError  # noqa: F401  (for users: pytest.raises(ScenarioError))


def pytest_addoption(parser):
    g = parser.getgroup("uasync", "uasync scenarios")
    g.addoption("--seeds", default=None, metavar="A..B",
                help="run each scenario (and each test using `sim`) for every seed "
                     "A..B")
    g.addoption("--seed", default="1", help="the seed when --seeds is not given "
                "(default 1)")
    g.addoption("--uasync-out", default=None, metavar="DIR",
                help="where failing scenarios' traces go (default out/pytest)")


def _seeds(config):
    try:
        if config.getoption("seeds"):
            return list(runner.parse_range(config.getoption("seeds")))
        return [runner.parse_seed(config.getoption("seed"))]
    except ValueError as e:
        raise pytest.UsageError(str(e))


def _out_root(config):
    return config.getoption("uasync_out") or os.path.join(runner.ROOT, "out", "pytest")


def _is_scenario(path):
    name = path.name
    if path.suffix != ".py" or name == "conftest.py" or name.startswith("test_") \
            or name.endswith("_test.py") or "lib" in path.parts[-2:-1]:
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "\ndef scenario(" in f.read()
    except OSError:
        return False


def pytest_collect_file(file_path, parent):
    if _is_scenario(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFailed(Exception):
    """A scenario that failed: its message, replay command and traces."""


class ScenarioFile(pytest.File):
    def collect(self):
        name = self.path.stem
        for seed in _seeds(self.config):
            yield ScenarioItem.from_parent(self, name=f"{name}[seed={seed}]", seed=seed)


class ScenarioItem(pytest.Item):
    def __init__(self, *, seed, **kw):
        super().__init__(**kw)
        self.seed = seed

    def runtest(self):
        stats = {}
        path = str(self.path)
        ok, _, _, _, err, out_dir = runner.run_one(
            path, self.seed, os.path.join(_out_root(self.config), f"seed{self.seed}"),
            quiet=True, keep="failed", stats=stats)
        if not ok:
            msg = runner.failure_message(dict(stats, err=err))
            tail = f"\n\nreplay with: {runner.replay_command(runner.shown(path), self.seed)}"
            if out_dir:
                tail += f"\ntraces in {runner.shown(out_dir)}/"
            raise ScenarioFailed(msg + tail)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name


# --- the `sim` fixture -------------------------------------------------------------

def pytest_generate_tests(metafunc):
    if "sim" in metafunc.fixturenames and metafunc.config.getoption("seeds"):
        seeds = _seeds(metafunc.config)
        metafunc.parametrize("uasync_seed", seeds, ids=[f"seed={s}" for s in seeds],
                             indirect=True)


@pytest.fixture
def uasync_seed(request):
    return getattr(request, "param", None) or _seeds(request.config)[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.uasync_failed = rep.failed


@pytest.fixture
def sim(request, uasync_seed):
    """The scenario context (what scenario(ctx) receives), seeded."""
    name = request.node.name.replace("/", "_")
    out_dir = os.path.join(_out_root(request.config), f"seed{uasync_seed}", name)
    ctx = runner.Context(name, uasync_seed, out_dir, quiet=True, make_dir=False)
    yield ctx
    failed = getattr(request.node, "uasync_failed", False)
    for i, s in enumerate(ctx.sims):
        if failed:  # the traces of a failing test, as for a scenario
            try:
                s.export(out_dir if i == 0 else os.path.join(out_dir, f"sim{i}"))
            except OSError:
                pass
        s.close()
