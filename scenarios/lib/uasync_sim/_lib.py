"""ctypes bindings of libuasync.so (core, drivers, the simulator and the apps).

Only this module knows C signatures; the rest of the package speaks Python.
"""
import ctypes
import os
from ctypes import (POINTER, c_char_p, c_double, c_int, c_long, c_size_t, c_uint,
                    c_uint8, c_uint16, c_uint32, c_uint64, c_void_p)

ROOT = os.environ.get("UASYNC_ROOT") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get("UASYNC_BUILD") or os.path.join(ROOT, "build")


class TraceRec(ctypes.Structure):
    _fields_ = [("t_ns", c_uint64), ("kind", c_uint16), ("board", c_uint16),
                ("obj", c_uint32), ("arg", c_uint32), ("arg2", c_uint32)]


class TraceQuery(ctypes.Structure):
    """sim_trace_query_t (sim_trace.h)."""
    _fields_ = [("kind", ctypes.c_int32), ("mask", c_uint32), ("name", c_char_p),
                ("t_lo", c_uint64), ("t_hi", c_uint64), ("from_", c_uint64),
                ("limit", c_uint64), ("board", c_uint32), ("obj", c_uint32),
                ("arg", c_uint32), ("arg2", c_uint32)]


TQ_BOARD, TQ_OBJ, TQ_ARG, TQ_ARG2 = 1, 2, 4, 8


class TaskStats(ctypes.Structure):
    _fields_ = [("resumes", c_uint64), ("busy_ns", c_uint64),
                ("worst_latency_ns", c_uint64), ("last_latency_ns", c_uint64)]


class Perturb(ctypes.Structure):
    """sim_perturb_t (sim.h, schedule exploration)."""
    _fields_ = [("kind", c_uint32), ("board", c_uint32), ("point", c_uint32),
                ("value", ctypes.c_int64), ("t_ns", c_uint64)]


class PowerStats(ctypes.Structure):
    _fields_ = [("state_ns", c_uint64 * 3), ("total_ns", c_uint64),
                ("wakeups", c_uint32), ("cpu_mah", c_double),
                ("loads_mah", c_double), ("mah", c_double), ("avg_ma", c_double)]


# name: (restype, [argtypes])
_SIGNATURES = {
    "sim_new": (c_void_p, [c_uint64]),
    "sim_free": (None, [c_void_p]),
    "sim_seed": (c_uint64, [c_void_p]),
    "sim_now": (c_uint64, [c_void_p]),
    "sim_run_until": (c_uint64, [c_void_p, c_uint64]),
    "sim_run_for": (c_uint64, [c_void_p, c_uint64]),
    "sim_stop": (None, [c_void_p]),
    "sim_unhandled_errors": (c_uint32, [c_void_p, POINTER(c_uint32), POINTER(ctypes.c_int32)]),
    "sim_pending_events": (c_uint64, [c_void_p]),
    "sim_last_error": (c_char_p, [c_void_p]),
    "sim_board_new": (c_void_p, [c_void_p, c_char_p, c_uint32]),
    "sim_board_name": (c_char_p, [c_void_p]),
    "sim_board_index": (c_uint, [c_void_p]),
    "sim_board_ticks": (c_uint32, [c_void_p]),
    "sim_board_set_costs": (None, [c_void_p, c_uint64, c_uint64]),
    "sim_board_busy_until": (c_uint64, [c_void_p]),
    "sim_board_find": (c_void_p, [c_void_p, c_char_p]),
    "sim_board_add_hog": (c_int, [c_void_p, c_char_p, c_uint64, c_uint64, c_uint64, c_uint32]),
    "sim_task_stats": (c_int, [c_void_p, c_void_p, POINTER(TaskStats)]),
    "sim_task_id": (c_uint32, [c_void_p, c_void_p]),
    "sim_board_pin": (c_void_p, [c_void_p, c_uint]),
    "sim_pin_new": (c_void_p, [c_void_p, c_char_p]),
    "sim_pin_set_name": (None, [c_void_p, c_char_p]),
    "sim_wire": (None, [c_void_p, c_void_p]),
    "sim_pin_level": (c_int, [c_void_p]),
    "sim_pin_pull": (None, [c_void_p, c_int]),
    "sim_pin_id": (c_uint32, [c_void_p]),
    "sim_source_new": (c_void_p, [c_void_p]),
    "sim_source_set": (None, [c_void_p, c_int]),
    "sim_source_at": (None, [c_void_p, c_uint64, c_int]),
    "sim_board_uart": (c_void_p, [c_void_p, c_uint, c_uint32]),
    "sim_uart_new": (c_void_p, [c_void_p, c_char_p, c_uint32]),
    "sim_uart_feed": (None, [c_void_p, c_uint64, c_char_p, c_size_t]),
    "sim_uart_feed_file": (c_long, [c_void_p, c_uint64, c_char_p]),
    "sim_uart_set_noise": (None, [c_void_p, c_double, c_double]),
    "sim_uart_connect": (None, [c_void_p, c_void_p]),
    "sim_uart_captured": (POINTER(c_uint8), [c_void_p, POINTER(c_size_t)]),
    "sim_uart_rx_count": (c_uint32, [c_void_p]),
    "sim_uart_overruns": (c_uint32, [c_void_p]),
    "sim_uart_framing_errors": (c_uint32, [c_void_p]),
    "sim_board_i2c": (c_void_p, [c_void_p, c_uint, c_uint32]),
    "sim_i2c_inject": (None, [c_void_p, c_int, c_int]),
    "sim_i2c_transfers": (c_uint32, [c_void_p]),
    "sim_i2c_failures": (c_uint32, [c_void_p]),
    "sim_button_new": (c_void_p, [c_void_p, c_int]),
    "sim_button_set_bounce": (None, [c_void_p, c_uint64, c_uint64, c_uint]),
    "sim_button_press": (None, [c_void_p, c_uint64]),
    "sim_button_release": (None, [c_void_p, c_uint64]),
    "sim_button_click": (None, [c_void_p, c_uint64, c_uint64]),
    "sim_button_settled_at": (c_uint64, [c_void_p]),
    "sim_nec_new": (c_void_p, [c_void_p]),
    "sim_nec_set_jitter": (None, [c_void_p, c_uint64]),
    "sim_nec_set_glitches": (None, [c_void_p, c_double, c_uint64]),
    "sim_nec_send": (c_uint64, [c_void_p, c_uint64, c_uint32, c_uint8, c_uint]),
    "sim_replay_vcd": (c_long, [c_void_p, c_char_p, c_char_p, c_uint64]),
    "sim_replay_mode2": (c_long, [c_void_p, c_char_p, c_uint64]),
    "sim_trace_enable": (None, [c_void_p, ctypes.c_bool]),
    "sim_trace_count": (c_size_t, [c_void_p]),
    "sim_trace_get": (POINTER(TraceRec), [c_void_p, c_size_t]),
    "sim_trace_kind_name": (c_char_p, [c_uint]),
    "sim_trace_query": (c_size_t, [c_void_p, POINTER(TraceQuery)]),
    "sim_trace_query_indices": (c_void_p, [c_void_p]),
    "sim_trace_query_records": (c_void_p, [c_void_p]),
    "sim_trace_lower_bound": (c_size_t, [c_void_p, c_uint64]),
    "sim_trace_line": (c_char_p, [c_void_p, POINTER(TraceRec)]),
    "sim_trace_board_name": (c_char_p, [c_void_p, c_uint]),
    "sim_export_text": (c_int, [c_void_p, c_char_p]),
    "sim_export_vcd": (c_int, [c_void_p, c_char_p, c_uint]),
    "sim_export_json": (c_int, [c_void_p, c_char_p]),
    "ua_strerror": (c_char_p, [c_int]),
    "ua_err_name": (c_char_p, [c_int]),
    "sim_set_name": (None, [c_void_p, c_char_p]),
    "sim_trace_note_name_of": (c_char_p, [c_void_p, c_uint32]),
    "sim_print_task_summary": (c_int, [c_void_p, c_void_p]),
    "sim_app_start": (c_void_p, [c_void_p, c_char_p, c_char_p]),
    "sim_app_free": (None, [c_void_p]),
    "sim_app_count": (c_uint, []),
    "sim_app_name": (c_char_p, [c_uint]),
    "sim_app_description": (c_char_p, [c_uint]),
    "sim_app_object": (c_void_p, [c_void_p, c_char_p, ctypes.c_int]),
    "sim_app_object_type": (ctypes.c_int, [c_void_p, c_char_p]),
    "sim_obj_type_name": (c_char_p, [ctypes.c_int]),
    "sim_app_probe": (c_int, [c_void_p, c_char_p, POINTER(ctypes.c_int64)]),
    "sim_app_text": (c_char_p, [c_void_p, c_char_p]),
    "sim_app_set": (c_int, [c_void_p, c_char_p, ctypes.c_int64]),
    "sim_app_task_count": (c_uint, [c_void_p]),
    "sim_app_task": (c_void_p, [c_void_p, c_uint]),
    "sim_app_task_name": (c_char_p, [c_void_p, c_uint]),
    "sim_task_name_of": (c_char_p, [c_void_p, c_uint32]),
    # power and energy (sim.h)
    "sim_board_set_power": (c_int, [c_void_p, c_double, c_double, c_double, c_uint64]),
    "sim_board_power_stats": (None, [c_void_p, POINTER(PowerStats)]),
    "sim_power_load_new": (c_void_p, [c_void_p, c_char_p, c_double]),
    "sim_power_load_set": (c_int, [c_void_p, c_double]),
    "sim_power_load_set_at": (c_int, [c_void_p, c_uint64, c_double]),
    "sim_power_load_mah": (c_double, [c_void_p]),
    "sim_power_load_ma": (c_double, [c_void_p]),
    "sim_print_power_summary": (c_int, [c_void_p, c_void_p]),
    "sim_explore_random": (c_int, [c_void_p, c_uint64, c_uint32]),
    "sim_perturb_plan": (c_int, [c_void_p, c_uint32, c_uint32, c_uint32, ctypes.c_int64]),
    "sim_perturb_count": (c_size_t, [c_void_p]),
    "sim_perturb_get": (c_int, [c_void_p, c_size_t, ctypes.c_void_p]),
    "sim_perturb_stimulus": (c_uint64, [c_void_p, c_uint64, c_uint64]),
    "sim_board_set_irq_latency": (None, [c_void_p, c_uint64]),
    "sim_perturb_boards": (None, [c_void_p, ctypes.c_bool]),
}


# The C interface these bindings speak (SIM_ABI_VERSION in apps/sim_app.h).
ABI_VERSION = 1


def _load():
    """Our libuasync.so, or the user's simulator library named by
    UASYNC_SIM_LIB (uasync-sim run --lib, tools/sim run --lib).  A library
    that cannot be used is a one-line error, not a traceback."""
    user = os.environ.get("UASYNC_SIM_LIB")
    path = user or os.path.join(BUILD, "apps", "libuasync.so")
    if not os.path.exists(path):
        raise SystemExit(f"uasync_sim: {path}: no such simulator library" if user else
                         f"{path} is missing: run tools/sim first (it builds it)")
    try:
        lib = ctypes.CDLL(os.path.abspath(path))
    except OSError as e:
        raise SystemExit(f"uasync_sim: {path} cannot be loaded: {e}")
    if getattr(lib, "sim_abi_version", None) is None:
        raise SystemExit(f"uasync_sim: {path} is not a uasync simulator library "
                         "(it has no sim_abi_version)")
    lib.sim_abi_version.restype, lib.sim_abi_version.argtypes = c_uint, []
    if lib.sim_abi_version() != ABI_VERSION:
        raise SystemExit(f"uasync_sim: {path} speaks simulator interface "
                         f"{lib.sim_abi_version()}, this package speaks {ABI_VERSION}: "
                         "rebuild the library against this uasync")
    for name, (res, args) in _SIGNATURES.items():
        fn = getattr(lib, name, None)
        if fn is None:
            raise SystemExit(f"uasync_sim: {path} lacks {name}: not a complete "
                             "uasync simulator library")
        fn.restype, fn.argtypes = res, args
    return lib


lib = _load()


def has(name):
    return getattr(lib, name, None) is not None


def err_name(status):
    return lib.ua_err_name(status).decode()
