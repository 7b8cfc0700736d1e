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

    # enum sim_obj_type (apps/sim_app.h)
    _TYPES = {"pin": 1, "uart": 2, "i2c": 3, "button": 4, "nec": 5}

    def _object(self, name, kind):
        """The published object `name`, checked to be a `kind` on the C side:
        a wrong name never hands a model of another type to the library."""
        p = lib.sim_app_object(self._h, name.encode(), self._TYPES[kind])
        if p:
            return p
        actual = lib.sim_app_object_type(self._h, name.encode())
        if actual == 0:
            raise ScenarioError(f"app {self.name} publishes no object '{name}'")
        raise ScenarioError(f"app {self.name}: object '{name}' is a "
                            f"{lib.sim_obj_type_name(actual).decode()}, not a {kind}")

    def button(self, name="button"):
        return Button(self.sim, self._object(name, "button"))

    def nec(self, name="ir_remote"):
        return Nec(self.sim, self._object(name, "nec"))

    def pin(self, name):
        return Pin(self.sim, self._object(name, "pin"), name)

    def uart(self, name):
        return Uart(self.sim, self._object(name, "uart"), name)

    def i2c(self, name):
        return I2c(self.sim, self._object(name, "i2c"))

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
