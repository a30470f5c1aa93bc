"""Loads libzmq.so.5 and declares the C functions gozmq calls.

Where the library comes from, first match wins:

1. ``GOZMQ_LIBRARY``: a path to a ``libzmq.so.5`` (for example a
   system-wide ``make install``), or a bare name the dynamic loader finds
   (``libzmq.so.5``).
2. The copy bundled in the wheel, ``gozmq/_lib/libzmq.so.5``.

Two handles to the same library are kept. ``lib`` (``ctypes.CDLL``) releases
the GIL around each call and is used for everything that may block.
``fast`` (``ctypes.PyDLL``) keeps the GIL and is used for calls that never
block: the pure-C ``zmq_msg_*`` accessors and non-blocking sends/receives
(dropping and retaking the GIL costs more than such a call itself).
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (POINTER, c_char, c_char_p, c_int, c_long, c_short, c_size_t,
                    c_void_p)
from pathlib import Path

ENV_VAR = "GOZMQ_LIBRARY"
_BUNDLED = Path(__file__).resolve().parent / "_lib" / "libzmq.so.5"


def _locate() -> str:
    wanted = os.environ.get(ENV_VAR)
    if wanted:
        return wanted
    if _BUNDLED.exists():
        return str(_BUNDLED)
    raise ImportError(
        f"gozmq: no libzmq.so.5 bundled at {_BUNDLED} and {ENV_VAR} is not set; "
        f"set {ENV_VAR} to the path of a gozmq libzmq.so.5 (e.g. build/lib/libzmq.so.5)")


path = _locate()
# No use_errno: it costs ~0.4 us on every call (measured), and errno is
# only needed after a failure, where zmq_errno() is called at once (in the
# same function, before Python can run a signal handler; dropping and
# retaking the GIL preserves errno).
lib = ctypes.CDLL(path)
fast = ctypes.PyDLL(path)


class pollitem_t(ctypes.Structure):
    """zmq_pollitem_t as zmq.h lays it out on POSIX."""
    _fields_ = [("socket", c_void_p), ("fd", c_int), ("events", c_short),
                ("revents", c_short)]


MSG_T_SIZE = 64  # sizeof(zmq_msg_t)


def msg_t():
    """A fresh, uninitialised zmq_msg_t (64 bytes, pointer-aligned)."""
    return (ctypes.c_void_p * (MSG_T_SIZE // ctypes.sizeof(c_void_p)))()


def _declare(handle, name, restype, *argtypes):
    fn = getattr(handle, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


_V, _P, _I, _S, _CP = c_void_p, c_void_p, c_int, c_size_t, c_char_p
_PROTOS = [
    # name, restype, argtypes
    ("zmq_errno", _I),
    ("zmq_strerror", _CP, _I),
    ("zmq_version", None, POINTER(c_int), POINTER(c_int), POINTER(c_int)),
    ("zmq_has", _I, _CP),
    ("zmq_ctx_new", _V),
    ("zmq_ctx_term", _I, _V),
    ("zmq_ctx_shutdown", _I, _V),
    ("zmq_ctx_set", _I, _V, _I, _I),
    ("zmq_ctx_get", _I, _V, _I),
    ("zmq_socket", _V, _V, _I),
    ("zmq_close", _I, _V),
    ("zmq_setsockopt", _I, _V, _I, _P, _S),
    ("zmq_getsockopt", _I, _V, _I, _P, POINTER(c_size_t)),
    ("zmq_bind", _I, _V, _CP),
    ("zmq_connect", _I, _V, _CP),
    ("zmq_unbind", _I, _V, _CP),
    ("zmq_disconnect", _I, _V, _CP),
    ("zmq_send", _I, _V, _CP, _S, _I),
    ("zmq_recv", _I, _V, _P, _S, _I),
    ("zmq_msg_send", _I, _P, _V, _I),
    ("zmq_msg_recv", _I, _P, _V, _I),
    ("zmq_poll", _I, POINTER(pollitem_t), _I, c_long),
    ("zmq_proxy", _I, _V, _V, _V),
    ("zmq_proxy_steerable", _I, _V, _V, _V, _V),
    ("zmq_socket_monitor", _I, _V, _CP, _I),
    ("zmq_z85_encode", _CP, _P, _CP, _S),
    ("zmq_z85_decode", _P, _P, _CP),
    ("zmq_curve_keypair", _I, _P, _P),
    ("zmq_curve_public", _I, _P, _CP),
]
# Pure C in gozmq (no call into Go, never blocks): declared on the PyDLL handle.
_FAST_PROTOS = [
    ("zmq_msg_init", _I, _P),
    ("zmq_msg_init_size", _I, _P, _S),
    ("zmq_msg_close", _I, _P),
    ("zmq_msg_copy", _I, _P, _P),
    ("zmq_msg_data", POINTER(c_char), _P),
    ("zmq_msg_size", _S, _P),
    ("zmq_msg_more", _I, _P),
    ("zmq_msg_get", _I, _P, _I),
    ("zmq_msg_gets", _CP, _P, _CP),
]

for _name, _res, *_args in _PROTOS:
    globals()[_name] = _declare(lib, _name, _res, *_args)
for _name, _res, *_args in _FAST_PROTOS:
    globals()[_name] = _declare(fast, _name, _res, *_args)

# Non-blocking variants that keep the GIL: tried first by send/recv, which
# fall back to the blocking (GIL-releasing) call only when they would block.
fast_send = _declare(fast, "zmq_send", _I, _V, _CP, _S, _I)
fast_msg_send = _declare(fast, "zmq_msg_send", _I, _P, _V, _I)
fast_msg_recv = _declare(fast, "zmq_msg_recv", _I, _P, _V, _I)
errno = _declare(fast, "zmq_errno", _I)

# The hottest calls without argtypes: argument conversion through argtypes
# costs more than the call (measured 2.0 us vs 0.6 us for zmq_send here).
# Callers pass exactly: a c_void_p handle, a msg_t array, bytes, and ints
# below 2**31 (libffi widens a C int to the 64-bit size_t register).
raw_send = fast["zmq_send"]
raw_msg_recv = fast["zmq_msg_recv"]
raw_msg_data = fast["zmq_msg_data"]
raw_msg_data.restype = POINTER(c_char)
raw_msg_more = fast["zmq_msg_more"]
raw_getsockopt = fast["zmq_getsockopt"]
raw_msg_init = fast["zmq_msg_init"]
raw_msg_close = fast["zmq_msg_close"]
INT_MAX = 2**31 - 1

# Runs pending Python signal handlers (PyErr_CheckSignals): after EINTR a
# blocking call calls it, so Ctrl-C raises KeyboardInterrupt, as pyzmq does.
check_signals = ctypes.pythonapi.PyErr_CheckSignals
check_signals.restype = c_int
check_signals.argtypes = []
