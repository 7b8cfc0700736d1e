"""Status codes by name, read from the library's own table (core/ua_err.h):
scenarios never hard-code a number that the C side may renumber.

    from uasync_sim.errors import code
    assert record.sarg == code("HTU21D_ENACK")
"""
import ctypes

from ._lib import lib

_ua_err_name = lib.ua_err_name
_ua_err_name.restype = ctypes.c_char_p
_ua_err_name.argtypes = [ctypes.c_int]

# Core codes, then 24 blocks of 32 driver codes below -64 (ua_err.h).
_LOWEST = -64 - 32 * 24
_BY_NAME = {}
for _v in range(1, _LOWEST - 1, -1):
    _n = _ua_err_name(_v).decode()
    if _n not in ("UA_E?", "UA_EUSER"):
        _BY_NAME[_n] = _v


def code(name):
    """The value of status code `name` ("UA_ETIMEDOUT", "NEC_BADLEADER")."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no status code named {name!r}") from None


def name(value):
    """The name of a status value ("UA_E?" if no table has it)."""
    return _ua_err_name(value).decode()
