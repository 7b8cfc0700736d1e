"""Apps: compiled-in firmware started on a simulated board (see apps/sim_app.h).

    app = board.app("buttons", "suppress=1")
    app.button("button").click(at=100)
    app.probe("pressed")
"""
import ctypes

from ._lib import lib
from .sim import Button, I2c, Nec, Pin, ScenarioError, Uart


def app_names():
    return [(lib.sim_app_name(i).decode(), lib.sim_app_description(i).decode())
            for i in range(lib.sim_app_count())]


class App:
    def __init__(self, board, name, args=""):
        self.board, self.sim, self.name = board, board.sim, name
        self._h = lib.sim_app_start(board._h, name.encode(), args.encode())
        if not self._h:
            err = lib.sim_last_error(self.sim._h).decode()
            raise ScenarioError(err if err.startswith(f"app {name}:") else f"app {name}: {err}")
        self.sim._apps.append(self)

    def free(self):
        if self._h:
            lib.sim_app_free(self._h)
            self._h = None

    def _object(self, name):
        p = lib.sim_app_object(self._h, name.encode())
        if not p:
            raise ScenarioError(f"app {self.name} publishes no object '{name}'")
        return p

    def button(self, name="button"):
        return Button(self.sim, self._object(name))

    def nec(self, name="ir_remote"):
        return Nec(self.sim, self._object(name))

    def pin(self, name):
        return Pin(self.sim, self._object(name), name)

    def uart(self, name):
        return Uart(self.sim, self._object(name), name)

    def i2c(self, name):
        return I2c(self.sim, self._object(name))

    def probe(self, name):
        v = ctypes.c_int64(0)
        if lib.sim_app_probe(self._h, name.encode(), ctypes.byref(v)) != 0:
            raise ScenarioError(f"app {self.name} has no probe '{name}'")
        return v.value

    def set(self, name, value):
        """Call one of the app's setters (e.g. a model's measured value)."""
        if lib.sim_app_set(self._h, name.encode(), int(value)) != 0:
            raise ScenarioError(f"app {self.name} has no setter '{name}'")

    def text(self, name):
        t = lib.sim_app_text(self._h, name.encode())
        if t is None:
            raise ScenarioError(f"app {self.name} has no text '{name}'")
        return t.decode()

    def lcd_text(self):
        return self.text("lcd")

    def tasks(self):
        """[(name, task pointer)] of the app's tasks."""
        n = lib.sim_app_task_count(self._h)
        return [(lib.sim_app_task_name(self._h, i).decode(), lib.sim_app_task(self._h, i))
                for i in range(n)]
