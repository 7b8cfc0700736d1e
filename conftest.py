"""pytest collects every scenario of scenarios/ as a test (one per seed):

    /usr/bin/python3 -m pytest scenarios/ [--seeds 1..50]

(pytest.ini makes this folder pytest's root, so this file applies wherever
pytest is started in the tree.)  See scenarios/lib/uasync_sim/pytest_plugin.py;
`tools/sim run` does not use this file."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "scenarios", "lib"))

from uasync_sim.pytest_plugin import *  # noqa: E402,F401,F403  (hooks and fixtures)

# The budget scenarios (scenarios/budget/, docs/budgets.md) are run by
# `tools/sim budget` at many hog lengths, not as plain scenarios.
collect_ignore = ["scenarios/budget"]
