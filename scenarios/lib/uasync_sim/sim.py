"""Scenario verbs over the simulator.

Times given to and returned by this module are milliseconds of virtual time
(floats are fine: 0.001 is one microsecond); internally everything is
integer nanoseconds, so nothing is rounded twice.

    sim = Sim(seed=ctx.seed)
    board = sim.board("b0")
    app = board.app("demo")
    app.button("btn").click(at=100, hold=80)
    sim.run_for(500)
    sim.expect("note:click", at=150.0, within=0.1)
"""
import ctypes
import inspect
import os
import math
import struct
import subprocess
import tempfile
from collections.abc import Sequence

from . import _lib
from . import errors as _errors
from ._lib import lib

NS_PER_MS = 1_000_000


_sim_set_name = lib.sim_set_name
_note_name_of = lib.sim_trace_note_name_of
_print_summary = lib.sim_print_task_summary
_libc = ctypes.CDLL(None)
_libc.fopen.restype, _libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
_libc.fclose.restype, _libc.fclose.argtypes = ctypes.c_int, [ctypes.c_void_p]


def ms_to_ns(ms):
    return int(round(ms * NS_PER_MS))


# The largest virtual time (ns) a scenario may name: the simulator's clock is
# an unsigned 64-bit count of ns and UINT64_MAX means "forever".
MAX_NS = (1 << 64) - 2


def _number(value, what, unit="ms"):
    """value as a finite float, or ScenarioError naming `what`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{what} must be a number of {unit}, not {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ScenarioError(f"{what} must be a finite number of {unit}, not {value!r}")
    return value


def _duration_ns(ms, what):
    """A duration in ms -> ns, refused when negative or beyond the clock."""
    _number(ms, what)
    if ms < 0:
        raise ScenarioError(f"{what}={ms!r} ms is negative: durations are 0 or more")
    ns = ms_to_ns(ms)
    if ns > MAX_NS:
        raise ScenarioError(f"{what}={ms!r} ms is beyond the simulator's clock "
                            f"(at most {MAX_NS / NS_PER_MS:.0f} ms)")
    return ns


def _us_duration_ns(us, what):
    """A duration in us -> ns, refused like _duration_ns but in the unit
    the caller gave."""
    _number(us, what, "us")
    if us < 0:
        raise ScenarioError(f"{what}={us!r} us is negative: durations are 0 or more")
    return _duration_ns(us / 1000.0, what)


def _time_ns(sim, at, what="at", now_ns=None):
    """An absolute virtual time in ms -> ns: None means now; a time before
    now, negative or beyond the clock is refused (a stimulus in the past
    would silently collapse onto the present).  now_ns: the simulation's
    time when the caller already has it."""
    if now_ns is None:
        now_ns = sim.now_ns
    if at is None:
        return now_ns
    _number(at, what)
    ns = ms_to_ns(at)
    if ns < 0:
        raise ScenarioError(f"{what}={at!r} ms is negative: times are 0 or more")
    if ns > MAX_NS:
        raise ScenarioError(f"{what}={at!r} ms is beyond the simulator's clock "
                            f"(at most {MAX_NS / NS_PER_MS:.0f} ms)")
    if ns < now_ns:
        raise ScenarioError(f"{what}={at!r} ms is in the past: the simulation is "
                            f"already at {sim.now} ms")
    return ns


def _stim_ns(sim, at, what="at"):
    """_time_ns for a stimulus: moved by the explorer within the jitter the
    scenario declared (Sim.stimulus_jitter), never into the past."""
    ns = _time_ns(sim, at, what)
    if sim._jitter_ns:
        ns = lib.sim_perturb_stimulus(sim._h, ns, sim._jitter_ns)
    return ns


def ns_to_ms(ns):
    return ns / NS_PER_MS


class ScenarioError(AssertionError):
    """A failed expectation; its message says where, what and what happened."""


class ExportError(OSError):
    """Trace files that could not be written; .written lists those that were."""

    def __init__(self, msg, written=()):
        super().__init__(msg)
        self.written = list(written)

    def __str__(self):
        return self.args[0]


# Kind names and numbers ("pin" <-> 32), read once from the library.
KIND_NAMES = {k: lib.sim_trace_kind_name(k).decode() for k in range(64)}
KINDS = {}
for _k, _n in KIND_NAMES.items():
    if _n != "?":
        KINDS.setdefault(_n, _k)
_REC = struct.Struct("=QHHIII")  # sim_trace_rec_t, 24 bytes
U32 = (1 << 32) - 1
U64 = (1 << 64) - 1


class Record:
    """One trace record; .line is its text line as the simulator's exporter
    writes it (formatted by the simulator when first asked for)."""
    __slots__ = ("index", "t_ns", "kind", "board", "obj", "arg", "arg2", "_line",
                 "_sim")

    def __init__(self, index, t_ns, kind, board, obj, arg, arg2, sim=None, line=None):
        self.index = index
        self.t_ns = t_ns
        self.kind = kind
        self.board = board
        self.obj = obj
        self.arg = arg
        self.arg2 = arg2
        self._sim = sim
        self._line = line

    def _key(self):
        return (self.index, self.t_ns, self.kind, self.board, self.obj, self.arg, self.arg2)

    def __eq__(self, other):
        """The same record of the same trace (equal fields)."""
        return isinstance(other, Record) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    @property
    def kind_name(self):
        return KIND_NAMES.get(self.kind, "?")

    @property
    def line(self):
        if self._line is None:
            sim = self._sim
            if sim is None or not sim._h:
                return ""
            rec = _lib.TraceRec(self.t_ns, self.kind, self.board, self.obj, self.arg,
                                self.arg2)
            self._line = lib.sim_trace_line(sim._h, ctypes.byref(rec)).decode(
                errors="replace")
        return self._line

    @property
    def t_ms(self):
        return ns_to_ms(self.t_ns)

    @property
    def sarg(self):
        """arg as a signed 32-bit value."""
        return self.arg - (1 << 32) if self.arg & 0x80000000 else self.arg

    @property
    def sarg2(self):
        return self.arg2 - (1 << 32) if self.arg2 & 0x80000000 else self.arg2

    def __repr__(self):
        return self.line or f"{self.t_ms:.6f} ms {self.kind_name} {self.obj} {self.arg}"


class TraceView(Sequence):
    """The records of a simulation, time-ordered, read from the simulator
    one by one when indexed (nothing is copied up front).  Valid until the
    simulation runs again."""

    def __init__(self, sim):
        self._sim = sim
        self._n = lib.sim_trace_count(sim._h)

    def __len__(self):
        return self._n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("trace index out of range")
        r = lib.sim_trace_get(self._sim._h, i).contents
        return Record(i, r.t_ns, r.kind, r.board, r.obj, r.arg, r.arg2, self._sim)


class Records(Sequence):
    """The records a query matched, time-ordered: a copy of them as the
    simulator holds them (valid after the simulation runs on), each Record
    built only when read, so that a scenario that counts or sums thousands
    of records builds no Python object per record.  column() reads one
    field of every record at once."""
    __slots__ = ("_index", "_raw", "_sim")

    # The field's unsigned type and its position in sim_trace_rec_t, in
    # units of that type (_REC: t_ns Q, kind H, board H, obj I, arg I, arg2 I).
    _COLUMNS = {"t_ns": ("Q", 0, 3), "kind": ("H", 4, 12), "board": ("H", 5, 12),
                "obj": ("I", 3, 6), "arg": ("I", 4, 6), "arg2": ("I", 5, 6)}

    def __init__(self, index, raw, sim):
        self._index = memoryview(index).cast("I")
        self._raw = raw
        self._sim = sim

    def __len__(self):
        return len(self._index)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("record index out of range")
        return Record(self._index[i], *_REC.unpack_from(self._raw, _REC.size * i),
                      self._sim)

    def __iter__(self):
        sim = self._sim
        for i, f in zip(self._index, _REC.iter_unpack(self._raw)):
            yield Record(i, *f, sim)

    def __eq__(self, other):
        return isinstance(other, (list, tuple, Records)) and list(self) == list(other)

    def __repr__(self):
        return "[" + ", ".join(repr(r) for r in self[:10]) + \
            (f", ... {len(self) - 10} more]" if len(self) > 10 else "]")

    def column(self, field):
        """One field of every record, in order, as a sequence of ints read
        straight from the records' bytes: t_ns, kind, board, obj, arg, arg2
        or index (the record's position in the whole trace)."""
        if field == "index":
            return self._index
        if field not in self._COLUMNS:
            raise ScenarioError(f"column {field!r}: the fields are index, "
                                + ", ".join(self._COLUMNS))
        fmt, first, stride = self._COLUMNS[field]
        return memoryview(self._raw).cast(fmt)[first::stride]


def _field_value(v, limit):
    """A field value as the integer the simulator compares, or None when no
    record can have it (out of range, not a whole number)."""
    if isinstance(v, (bool, int)) or (isinstance(v, float) and v.is_integer()):
        v = int(v)
        return v if 0 <= v <= limit else None
    return None


class Sim:
    """One simulation: a virtual clock, boards, models and a trace."""

    def __init__(self, seed=1, name="scenario"):
        self._h, self._apps = None, []  # close() works whatever happens next
        if isinstance(seed, bool) or not isinstance(seed, int) or \
                not 0 <= seed <= (1 << 64) - 1:
            raise ScenarioError(f"seed {seed!r} is out of range: 0..{(1 << 64) - 1}")
        self.seed = seed
        self.name = name
        self._h = lib.sim_new(seed)
        _sim_set_name(self._h, name.encode())  # the trace header says it
        self.boards = []
        self._apps = []
        self._unhandled_allowed = 0
        self._jitter_ns = 0

    def stimulus_jitter(self, ms):
        """Declare that this scenario's expectations hold when any stimulus
        (a press, a frame, bytes fed, a pin driven) lands up to `ms` earlier
        or later than scripted: `tools/sim explore` then moves stimuli
        within that window.  Without it, stimuli are never moved."""
        self._jitter_ns = _duration_ns(ms, "stimulus_jitter")
        return self

    def unordered_boards(self):
        """Declare that this scenario's expectations hold whichever board
        steps first when several are due at one instant (two boards are two
        CPUs): `tools/sim explore` then varies that order.  Without it the
        simulator's tie-break (creation order) is kept."""
        lib.sim_perturb_boards(self._h, True)
        return self

    def explore(self, seed, permille):
        """Draw perturbations at random (tools/sim explore does this)."""
        if lib.sim_explore_random(self._h, seed, permille) != 0:
            raise ScenarioError(lib.sim_last_error(self._h).decode())

    def perturb(self, kind, board, point, value):
        """Replay one decision of a perturbation plan (--perturb FILE)."""
        if lib.sim_perturb_plan(self._h, kind, board, point, value) != 0:
            raise ScenarioError(lib.sim_last_error(self._h).decode())

    def perturbations(self):
        """The decisions this run took: (kind, board, point, value, t_ns)."""
        out, p = [], _lib.Perturb()
        for i in range(lib.sim_perturb_count(self._h)):
            lib.sim_perturb_get(self._h, i, ctypes.byref(p))
            out.append((p.kind, p.board, p.point, p.value, p.t_ns))
        return out

    def close(self):
        for app in self._apps:
            app.free()
        self._apps = []
        if self._h:
            lib.sim_free(self._h)
            self._h = None

    def __del__(self):
        self.close()

    # --- building ------------------------------------------------------------

    def board(self, name="b0", start_tick=0):
        b = Board(self, lib.sim_board_new(self._h, name.encode(), start_tick), name)
        self.boards.append(b)
        return b

    def find_board(self, name):
        """The board named `name`, also one an app created (a pair's peer,
        "<board>_peer"), or ScenarioError."""
        for b in self.boards:
            if b.name == name:
                return b
        h = lib.sim_board_find(self._h, name.encode())
        if not h:
            raise ScenarioError(f"no board named {name!r} (boards: "
                                f"{', '.join(self.board_names()) or 'none'})")
        b = Board(self, h, name)
        self.boards.append(b)
        return b

    def pin(self, name):
        """A free pin owned by no board (a model's end of a wire)."""
        return Pin(self, lib.sim_pin_new(self._h, name.encode()), name)

    def uart(self, name, baud):
        return Uart(self, lib.sim_uart_new(self._h, name.encode(), baud), name)

    # --- time ---------------------------------------------------------------

    @property
    def now_ns(self):
        return lib.sim_now(self._h)

    @property
    def now(self):
        """Virtual time in ms."""
        return ns_to_ms(self.now_ns)

    def run_for(self, ms):
        ns = _duration_ns(ms, "run_for")
        if self.now_ns + ns > MAX_NS:
            raise ScenarioError(f"run_for({ms!r}) would run past the simulator's clock "
                                f"(at most {MAX_NS / NS_PER_MS:.0f} ms)")
        lib.sim_run_for(self._h, ns)
        self._check_unhandled()
        return self

    def run_until(self, t_ms):
        ns = _time_ns(self, t_ms, "run_until")
        lib.sim_run_until(self._h, ns)
        self._check_unhandled()
        return self

    def allow_unhandled(self, count):
        """Declare that `count` task failures nobody awaits are expected
        (a scenario that provokes them on purpose).  Without it, the first
        unhandled error fails the scenario when run_* returns."""
        self._unhandled_allowed = count
        return self

    def unhandled_errors(self):
        """Number of unhandled task errors so far, over every board."""
        return lib.sim_unhandled_errors(self._h, None, None)

    def _check_unhandled(self):
        if lib.sim_unhandled_errors(self._h, None, None) <= self._unhandled_allowed:
            return  # the common case, without building ctypes out-parameters
        task, status = ctypes.c_uint32(0), ctypes.c_int32(0)
        n = lib.sim_unhandled_errors(self._h, ctypes.byref(task), ctypes.byref(status))
        if n <= self._unhandled_allowed:
            return
        name = lib.sim_task_name_of(self._h, task.value)
        who = name.decode() if name else f"task {task.value}"
        raise ScenarioError(self._where() + f"{n} unhandled task error(s); the first: "
                            f"{who} failed with {_errors.name(status.value)} "
                            f"({status.value}) and nobody awaited it "
                            f"(declare expected ones with sim.allow_unhandled(n))")

    def run_until_true(self, predicate, timeout, step=1.0):
        """Run in `step` ms slices until predicate() holds; the time it first
        held (at slice resolution), or ScenarioError after `timeout` ms."""
        _duration_ns(timeout, "timeout")
        if not step > 0:
            raise ScenarioError(f"step={step!r} ms must be more than 0")
        end = self.now + timeout
        while self.now < end:
            if predicate():
                return self.now
            self.run_until(min(self.now + step, end))
        if predicate():
            return self.now
        raise ScenarioError(self._where() + f"condition still false after {timeout} ms")

    def wait_pin(self, pin, level, timeout):
        """Run until `pin` reads `level`; returns the exact time of the edge (ms)."""
        start = lib.sim_trace_count(self._h)
        t = self.run_until_true(lambda: pin.level == level, timeout, step=0.01)
        edge = self._query(KINDS["pin"], None, 0, U64, {"obj": pin.id, "arg": level},
                           start=start, limit=1)
        return edge[0].t_ms if edge else t

    # --- trace ----------------------------------------------------------------

    def trace(self):
        """All records so far, time-ordered (a sequence read on demand)."""
        return TraceView(self)

    def _query(self, kind, name, t_lo, t_hi, fields, start=0, limit=0, count=False):
        """Records matching, from the simulator's index (sim_trace_query);
        with count, only how many (no record is built)."""
        q = _lib.TraceQuery(kind=kind, t_lo=max(0, t_lo), t_hi=min(U64, t_hi),
                            from_=start, limit=limit)
        if t_hi < 0 or t_lo > U64:
            return 0 if count else []
        if name:
            q.name = name.encode()
        for k, bit, lim in (("board", _lib.TQ_BOARD, 0xFFFF), ("obj", _lib.TQ_OBJ, U32),
                            ("arg", _lib.TQ_ARG, U32), ("arg2", _lib.TQ_ARG2, U32)):
            if k in fields:
                v = _field_value(fields[k], lim)
                if v is None:
                    return 0 if count else []  # no record holds that value
                q.mask |= bit
                setattr(q, k, v)
        n = lib.sim_trace_query(self._h, ctypes.byref(q))
        if count or n == 0:
            return n if count else []
        return Records(ctypes.string_at(lib.sim_trace_query_indices(self._h), 4 * n),
                       ctypes.string_at(lib.sim_trace_query_records(self._h),
                                        _REC.size * n), self)

    FIELDS = ("board", "obj", "arg", "arg2")

    def board_names(self):
        """{name: index} of the boards (the first of a name), as the trace
        header lists them (apps create boards too)."""
        names, i = {}, 0
        while True:
            n = lib.sim_trace_board_name(self._h, i)
            if n is None:
                return names
            names.setdefault(n.decode(errors="replace"), i)
            i += 1

    def _fields(self, fields):
        """Check expect()/events() keyword fields; board= may be the board's
        name or its index."""
        for k in fields:
            if k not in self.FIELDS:
                raise ScenarioError(self._where() + f"unknown field {k}=: the fields are "
                                    + ", ".join(self.FIELDS))
        b = fields.get("board")
        if isinstance(b, str):
            boards = self.board_names()
            if b not in boards:
                raise ScenarioError(self._where() + f"board={b!r}: no board of that name "
                                    "(boards: " + ", ".join(boards) + ")")
            fields = dict(fields, board=boards[b])
        return fields

    def events(self, event, since=None, **fields):
        """Records matching `event` ("kind", or "kind:name" where name is the
        task, pin or note name as the text trace shows it).  Fields select
        on the record: board (its name or index), obj, arg, arg2."""
        fields = self._fields(fields)
        return self._events(event, None if since is None else ms_to_ns(since), U64,
                            fields)

    def count(self, event, since=None, until=None, **fields):
        """How many records match, selected as events() does, from `since`
        to `until` ms (both included) when given: counted by the simulator,
        no record is built (a check over thousands of bytes stays cheap)."""
        fields = self._fields(fields)
        kind, _, name = event.partition(":")
        if kind not in KINDS:
            return 0
        t_lo = 0 if since is None else ms_to_ns(_number(since, "since"))
        t_hi = U64 if until is None else ms_to_ns(_number(until, "until"))
        return self._query(KINDS[kind], name, t_lo, t_hi, fields, count=True)

    def _events(self, event, t_lo, t_hi, fields, limit=0):
        kind, _, name = event.partition(":")
        if kind not in KINDS:
            return []  # no record is of that kind
        return self._query(KINDS[kind], name, 0 if t_lo is None else t_lo, t_hi,
                           fields, limit=limit)

    def expect(self, event, at=None, within=0.0, after=None, count=None, **fields):
        """Assert that `event` happened: at `at` ms (+- within), or at any time
        after `after` ms, and `count` times if given.  Returns the first match."""
        fields = self._fields(fields)
        since = None if after is None else ms_to_ns(after)
        if count is not None:
            kind, _, name = event.partition(":")
            found = self._query(KINDS[kind], name, since or 0, U64, fields, count=True) \
                if kind in KINDS else 0
            if found != count:
                self._fail(event, f"{count} occurrence(s)",
                           self._events(event, since, U64, fields), at)
        if at is None:
            first = self._events(event, since, U64, fields, limit=1)
            if not first:
                self._fail(event, "at least one", first, after)
            return first[0]
        lo, hi = ms_to_ns(at - within), ms_to_ns(at + within)
        hit = self._events(event, lo if since is None else max(lo, since), hi, fields,
                           limit=1)
        if hit:
            return hit[0]
        want = f"at {at} ms" + (f" +- {within} ms" if within else " exactly")
        self._fail(event, want, self._events(event, since, U64, fields), at)

    def expect_none(self, event, between=(0, None), **fields):
        lo = between[0]
        hi = between[1] if between[1] is not None else float("inf")
        fields = self._fields(fields)
        try:  # a range in ns a little wider than [lo, hi] ms; exact test below
            t_lo = math.floor(lo * NS_PER_MS) - 2 - int(abs(lo) * 1e-3)
            t_hi = U64 if hi == float("inf") else \
                math.ceil(hi * NS_PER_MS) + 2 + int(abs(hi) * 1e-3)
        except (TypeError, ValueError, OverflowError):
            t_lo, t_hi = 0, U64
        bad = [r for r in self._events(event, t_lo, t_hi, fields) if lo <= r.t_ms <= hi]
        if bad:
            self._fail(event, f"none between {lo} and {hi} ms", bad, lo)

    def _where(self):
        here = os.path.dirname(os.path.abspath(__file__))
        for frame in inspect.stack()[1:]:
            if os.path.dirname(os.path.abspath(frame.filename)) != here:
                line = (frame.code_context or [""])[0].strip()
                return f"{os.path.basename(frame.filename)}:{frame.lineno}: {line}\n"
        return ""

    def _fail(self, event, want, matches, around_ms):
        msg = [self._where() + f"expected {event} {want}"]
        if matches:
            msg.append("actual:")
            msg += [f"  {r.line}" for r in matches[:10]]
        else:
            msg.append(f"actual: no {event} at all")
        trace = self.trace()
        if around_ms is not None and len(trace):
            # the first record nearest in time to around_ms
            t = ms_to_ns(around_ms)
            i = lib.sim_trace_lower_bound(self._h, max(0, min(U64, t)))
            if i == len(trace) or (i > 0 and t - trace[i - 1].t_ns <= trace[i].t_ns - t):
                i = lib.sim_trace_lower_bound(self._h, trace[i - 1].t_ns)
            msg.append(f"trace around {around_ms} ms:")
            msg += [f"  {r.line}" for r in trace[max(0, i - 6):i + 7]]
        raise ScenarioError("\n".join(msg))

    def task_stats(self, task):
        """Resumes, busy ms and worst/last wake-up latency (ms) of a task
        (a pointer from App.tasks())."""
        st = _lib.TaskStats()
        if lib.sim_task_stats(self._h, task, ctypes.byref(st)) != 0:
            return None
        return {"resumes": st.resumes, "busy_ms": ns_to_ms(st.busy_ns),
                "worst_latency_ms": ns_to_ms(st.worst_latency_ns),
                "last_latency_ms": ns_to_ms(st.last_latency_ns)}

    def note_name(self, code):
        """The name an app gave its note code ("press", "ir"...), or None."""
        name = _note_name_of(self._h, code)
        return name.decode() if name is not None else None

    def task_summary(self):
        """The run's summary as a string: the simulator's per-task table
        (sim_print_task_summary: resumes, CPU time and worst wake-up latency
        of every task), then the per-board power table (power_summary)."""
        return self._c_table(_print_summary) + self.power_summary()

    def power_summary(self):
        """Per board: time in each power state, the estimated average current
        and charge (sim_print_power_summary), as a string."""
        if not _lib.has("sim_print_power_summary"):
            return ""
        return self._c_table(lib.sim_print_power_summary)

    def _c_table(self, printer):
        fd, path = tempfile.mkstemp(prefix="uasync-summary-", suffix=".txt")
        os.close(fd)
        try:
            f = _libc.fopen(path.encode(), b"w")
            if not f:
                raise OSError(f"cannot write {path}")
            printer(self._h, f)
            _libc.fclose(f)
            with open(path) as f:
                return f.read()
        finally:
            os.remove(path)

    # --- output -------------------------------------------------------------------

    def export(self, out_dir, png=True):
        """Write trace.txt, trace.vcd, trace.json and timeline.png (when the
        renderer is built) into out_dir; returns the paths written.
        A file that cannot be written raises ExportError naming it (after
        trying the others): a run whose traces are missing has failed."""
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as e:
            raise ExportError(f"cannot create the trace folder {out_dir}: {e.strerror}")
        paths = [os.path.join(out_dir, n) for n in ("trace.txt", "trace.vcd", "trace.json")]
        errors = []
        for path, st in ((paths[0], lib.sim_export_text(self._h, paths[0].encode())),
                         (paths[1], lib.sim_export_vcd(self._h, paths[1].encode(), 1000)),
                         (paths[2], lib.sim_export_json(self._h, paths[2].encode()))):
            if st != 0:
                why = lib.sim_last_error(self._h).decode() or _lib.err_name(st)
                errors.append(f"{path} not written: {why}")
        written = [p for p in paths if not any(e.startswith(p + " ") for e in errors)]
        renderer = os.path.join(_lib.BUILD, "tools", "timeline", "uasync-png")
        if png and os.path.exists(renderer) and paths[0] in written:
            out = os.path.join(out_dir, "timeline.png")
            r = subprocess.run([renderer, paths[0], out, "--title", self.name],
                               capture_output=True, text=True)
            if r.returncode == 0:
                written.append(out)
            else:
                errors.append(f"{out} not written: {r.stderr.strip()}")
        if errors:
            raise ExportError("\n".join(errors), written)
        return written


# Board resources are numbered from 0; the limits keep a typo (pin(-1),
# pin(100000)) from allocating millions of pins.
MAX_PINS, MAX_UARTS, MAX_I2C = 1024, 64, 64


def _index(n, what, limit):
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < limit:
        raise ScenarioError(f"{what} {n!r} is out of range: 0..{limit - 1}")
    return n


def _positive(v, what, hi=None):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or \
            (hi is not None and v > hi):
        rng = f"1..{hi}" if hi is not None else "more than 0"
        raise ScenarioError(f"{what}={v!r} is out of range: {rng}")
    return v


class Board:
    def __init__(self, sim, handle, name):
        self.sim, self._h, self.name = sim, handle, name
        self.apps = []

    @property
    def index(self):
        """The board's number in the trace (records' .board)."""
        return lib.sim_board_index(self._h)

    def pin(self, n, name=None):
        _index(n, f"board {self.name}: pin", MAX_PINS)
        p = Pin(self.sim, lib.sim_board_pin(self._h, n), name or f"{self.name}.p{n}")
        if name:
            lib.sim_pin_set_name(p._h, name.encode())
        return p

    def uart(self, n, baud=9600):
        _index(n, f"board {self.name}: uart", MAX_UARTS)
        _positive(baud, "baud", 0xFFFFFFFF)
        return Uart(self.sim, lib.sim_board_uart(self._h, n, baud), f"{self.name}.uart{n}")

    def i2c(self, n=0, clock_hz=100_000):
        _index(n, f"board {self.name}: i2c", MAX_I2C)
        _positive(clock_hz, "clock_hz", 0xFFFFFFFF)
        return I2c(self.sim, lib.sim_board_i2c(self._h, n, clock_hz))

    def irq_latency(self, us):
        """The longest this board's interrupts may be held off while a step
        runs (its critical sections), which this scenario's expectations
        tolerate: the window in which `tools/sim explore` moves an
        interrupt (default 0: interrupts are never moved)."""
        lib.sim_board_set_irq_latency(self._h, _us_duration_ns(us, "irq_latency"))
        return self

    def set_costs(self, step_us=0.0, irq_us=0.0):
        step = _us_duration_ns(step_us, "step_us")
        irq = _us_duration_ns(irq_us, "irq_us")
        lib.sim_board_set_costs(self._h, step, irq)

    @property
    def ticks(self):
        return lib.sim_board_ticks(self._h)

    def hog(self, busy, at=None, every=None, count=1, name="hog"):
        """Take the board's CPU for `busy` ms at `at` (default now), then
        every `every` ms, `count` times in all (None: without end), as a
        task that does not yield would (sim_board_add_hog, sim.h): steps
        wait, interrupts still run.  Traced as a task `name`; returns its
        task id.  Used by the budget scenarios (docs/budgets.md)."""
        if not isinstance(name, str):
            raise ScenarioError(f"board {self.name}: hog name={name!r} is not a string")
        busy_ns = _duration_ns(busy, "busy")
        first = _time_ns(self.sim, at, "at")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                                  or not 1 <= count < 0xFFFFFFFF):
            raise ScenarioError(f"board {self.name}: hog count={count!r} is out of "
                                f"range: 1..{0xFFFFFFFF - 1}, or None for without end")
        every_ns = 0 if every is None else _duration_ns(every, "every")
        if count != 1 and (every is None or every_ns < max(busy_ns, 1)):
            raise ScenarioError(f"board {self.name}: hog every={every!r} ms is out of "
                                f"range: a hog that repeats needs every >= busy "
                                f"({busy!r} ms) and more than 0")
        tid = lib.sim_board_add_hog(self._h, name.encode(), first, every_ns, busy_ns,
                                    0xFFFFFFFF if count is None else count)
        if tid <= 0:
            raise ScenarioError(f"board {self.name}: "
                                f"{lib.sim_last_error(self.sim._h).decode()}")
        return tid

    # --- power (sim.h, "Power and energy") ------------------------------------

    def set_power(self, run_ma=10.75, idle_ma=3.0, deep_ma=0.042, deep_min_ms=0.0):
        """Currents of the board's power states (mA) and its deep-sleep
        threshold (0: no deep sleep); the defaults are the simulator's."""
        if lib.sim_board_set_power(self._h, run_ma, idle_ma, deep_ma,
                                   ms_to_ns(deep_min_ms)) != 0:
            raise ScenarioError(f"board {self.name}: "
                                f"{lib.sim_last_error(self.sim._h).decode()}")
        return self

    def power_stats(self):
        """Figures so far: ms in each state, wake-ups, charge (mAh) of the
        MCU, of the loads and in all, and the average current (mA)."""
        st = _lib.PowerStats()
        lib.sim_board_power_stats(self._h, ctypes.byref(st))
        return {"run_ms": ns_to_ms(st.state_ns[0]), "idle_ms": ns_to_ms(st.state_ns[1]),
                "deep_ms": ns_to_ms(st.state_ns[2]), "total_ms": ns_to_ms(st.total_ns),
                "wakeups": st.wakeups, "cpu_mah": st.cpu_mah, "loads_mah": st.loads_mah,
                "mah": st.mah, "avg_ma": st.avg_ma}

    def load(self, name, ma):
        """A device load on the board's supply drawing `ma` from now on."""
        h = lib.sim_power_load_new(self._h, name.encode(), ma)
        if not h:
            raise ScenarioError(f"board {self.name}: "
                                f"{lib.sim_last_error(self.sim._h).decode()}")
        return Load(self.sim, h, name)

    def app(self, name, args=""):
        from .apps import App
        a = App(self, name, args)
        self.apps.append(a)
        return a


class Load:
    """A device's current on a board's supply (Board.load)."""

    def __init__(self, sim, handle, name):
        self.sim, self._h, self.name = sim, handle, name

    def set(self, ma, at=None):
        """Draw `ma` from now, or from `at` ms."""
        st = (lib.sim_power_load_set(self._h, ma) if at is None else
              lib.sim_power_load_set_at(self._h, ms_to_ns(at), ma))
        if st != 0:
            raise ScenarioError(f"load {self.name}: "
                                f"{lib.sim_last_error(self.sim._h).decode()}")
        return self

    @property
    def ma(self):
        return lib.sim_power_load_ma(self._h)

    @property
    def mah(self):
        return lib.sim_power_load_mah(self._h)


class Pin:
    def __init__(self, sim, handle, name):
        self.sim, self._h, self.name = sim, handle, name
        self._source = None

    @property
    def id(self):
        return lib.sim_pin_id(self._h)

    @property
    def level(self):
        return lib.sim_pin_level(self._h)

    def wire(self, other):
        lib.sim_wire(self._h, other._h)
        return self

    def pull(self, direction):
        """+1 pull-up, -1 pull-down, 0 none."""
        if direction not in (-1, 0, 1):
            raise ScenarioError(f"pin {self.name}: pull {direction!r} is not +1, -1 or 0")
        lib.sim_pin_pull(self._h, direction)
        return self

    def _driven(self, level):
        """The source's level code for 0, 1 or None (release); the pin's
        source, made on first use."""
        if self._source is None:
            self._source = lib.sim_source_new(self._h)
        if level not in (0, 1, None) or isinstance(level, float):
            raise ScenarioError(f"pin {self.name}: level {level!r} is not 0, 1 or None")
        return -1 if level is None else int(level)

    def drive(self, level, at=None):
        """Drive 0, 1 or None (release) now or at `at` ms."""
        lvl = self._driven(level)
        if at is None:
            lib.sim_source_set(self._source, lvl)
        else:
            lib.sim_source_at(self._source, _stim_ns(self.sim, at), lvl)
        return self

    def edges(self, times_levels):
        """Scripted edges: [(t_ms, level), ...], one stimulus (the explorer
        moves the waveform as a whole)."""
        sim, shift = self.sim, None
        now_ns = sim.now_ns                  # nothing runs while edges are set
        source_at = lib.sim_source_at
        for t, level in times_levels:
            lvl = self._driven(level)
            ns = _time_ns(sim, t, now_ns=now_ns)
            if shift is None:
                shift = _stim_ns(sim, t) - ns
            source_at(self._source, max(now_ns, ns + shift), lvl)
        return self

    def button(self, active_level=0, bounce=None):
        b = Button(self.sim, lib.sim_button_new(self._h, active_level))
        if bounce is not None:
            lo, hi, chatter = bounce
            lib.sim_button_set_bounce(b._h, ms_to_ns(lo), ms_to_ns(hi), chatter)
        return b

    def nec(self, jitter_us=0, glitch_p=0.0, glitch_us=0):
        n = Nec(self.sim, lib.sim_nec_new(self._h))
        if jitter_us:
            lib.sim_nec_set_jitter(n._h, int(jitter_us * 1000))
        if glitch_p:
            lib.sim_nec_set_glitches(n._h, glitch_p, int(glitch_us * 1000))
        return n

    def replay(self, path, at=0.0, signal=None):
        """Drive the pin from a VCD or LIRC mode2 recording; returns edges."""
        t = _stim_ns(self.sim, at)
        if path.endswith(".vcd"):
            n = lib.sim_replay_vcd(self._h, path.encode(),
                                   signal.encode() if signal else None, t)
        else:
            n = lib.sim_replay_mode2(self._h, path.encode(), t)
        if n < 0:  # the reader's message names the file (and line)
            raise ScenarioError(f"replay: {lib.sim_last_error(self.sim._h).decode()}")
        return n


class Button:
    def __init__(self, sim, handle):
        self.sim, self._h = sim, handle

    def press(self, at=None):
        lib.sim_button_press(self._h, _stim_ns(self.sim, at))

    def release(self, at=None):
        lib.sim_button_release(self._h, _stim_ns(self.sim, at))

    def click(self, at=None, hold=100.0):
        lib.sim_button_click(self._h, _stim_ns(self.sim, at), _duration_ns(hold, "hold"))

    @property
    def settled_at(self):
        return ns_to_ms(lib.sim_button_settled_at(self._h))


class Nec:
    def __init__(self, sim, handle):
        self.sim, self._h = sim, handle

    def send(self, address, command, at=None, repeats=0):
        """Send a frame (and repeat codes); returns when the last mark ends (ms)."""
        t = _stim_ns(self.sim, at)
        if isinstance(address, bool) or not isinstance(address, int) \
                or not 0 <= address <= 0xFFFF:
            raise ScenarioError(f"address {address!r} is out of range: 0..0xFFFF")
        if isinstance(command, bool) or not isinstance(command, int) \
                or not 0 <= command <= 0xFF:
            raise ScenarioError(f"command {command!r} is out of range: 0..0xFF")
        if isinstance(repeats, bool) or not isinstance(repeats, int) \
                or not 0 <= repeats <= 1000:
            raise ScenarioError(f"repeats {repeats!r} is out of range: 0..1000")
        return ns_to_ms(lib.sim_nec_send(self._h, t, address, command, repeats))


class Uart:
    def __init__(self, sim, handle, name):
        self.sim, self._h, self.name = sim, handle, name

    def feed(self, data, at=None):
        if isinstance(data, str):
            data = data.encode()
        t = _stim_ns(self.sim, at)
        lib.sim_uart_feed(self._h, t, data, len(data))

    def feed_file(self, path, at=None):
        t = _stim_ns(self.sim, at)
        if os.path.isdir(path):
            raise ScenarioError(f"feed {path}: is a directory, not a file")
        n = lib.sim_uart_feed_file(self._h, t, path.encode())
        if n < 0:  # the message names the file
            raise ScenarioError(f"feed_file: {lib.sim_last_error(self.sim._h).decode()}")
        return n

    def noise(self, p_flip=0.0, p_frame=0.0):
        lib.sim_uart_set_noise(self._h, p_flip, p_frame)

    def connect(self, other):
        lib.sim_uart_connect(self._h, other._h)

    @property
    def captured(self):
        n = ctypes.c_size_t(0)
        p = lib.sim_uart_captured(self._h, ctypes.byref(n))
        return ctypes.string_at(p, n.value) if n.value else b""

    @property
    def counters(self):
        return {"rx": lib.sim_uart_rx_count(self._h),
                "overruns": lib.sim_uart_overruns(self._h),
                "framing_errors": lib.sim_uart_framing_errors(self._h)}


class I2c:
    FAULTS = {"ok": 0, "nack_addr": 1, "nack_data": 2, "stuck": 3}

    def __init__(self, sim, handle):
        self.sim, self._h = sim, handle

    def inject(self, fault, count=1):
        lib.sim_i2c_inject(self._h, self.FAULTS[fault], count)

    @property
    def counters(self):
        return {"transfers": lib.sim_i2c_transfers(self._h),
                "failures": lib.sim_i2c_failures(self._h)}
