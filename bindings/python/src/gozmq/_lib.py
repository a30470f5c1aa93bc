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


MsgT = ctypes.c_void_p * (MSG_T_SIZE // ctypes.sizeof(c_void_p))


def msg_t():
    """A fresh, uninitialised zmq_msg_t (64 bytes, pointer-aligned)."""
    return MsgT()


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
    ("zmq_msg_set", _I, _P, _I, _I),
    ("zmq_msg_init_data", _I, _P, _P, _S, _P, _P),
]
# Draft API (gozmq's `make lib-draft`, libzmq --enable-drafts): None when the
# loaded library does not export them.
_DRAFT_PROTOS = [
    ("zmq_msg_set_routing_id", _I, _P, ctypes.c_uint32),
    ("zmq_msg_routing_id", ctypes.c_uint32, _P),
    ("zmq_msg_set_group", _I, _P, _CP),
    ("zmq_msg_group", _CP, _P),
    ("zmq_join", _I, _V, _CP),
    ("zmq_leave", _I, _V, _CP),
]

for _name, _res, *_args in _PROTOS:
    globals()[_name] = _declare(lib, _name, _res, *_args)
for _name, _res, *_args in _FAST_PROTOS:
    globals()[_name] = _declare(fast, _name, _res, *_args)
for _name, _res, *_args in _DRAFT_PROTOS:
    try:
        globals()[_name] = _declare(fast if _name.startswith("zmq_msg") else lib, _name,
                                    _res, *_args)
    except AttributeError:
        globals()[_name] = None
DRAFT_API = zmq_msg_set_routing_id is not None and zmq_msg_set_group is not None

# zmq_msg_data's address as an int (zmq_msg_data itself returns char *).
zmq_msg_data_addr = fast["zmq_msg_data"]  # a new function object ([], not getattr)
zmq_msg_data_addr.restype, zmq_msg_data_addr.argtypes = _V, [_P]
# A free function for zmq_msg_init_data that does nothing: zmq_errno takes
# no arguments, and the C calling convention lets a caller pass it two it
# ignores (frame._Lent explains why nothing more is wanted).
NOOP_FREE = ctypes.cast(fast.zmq_errno, c_void_p)

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

# gozmq_recv_batch (capi/zmq.c), one of the library's two extensions to zmq.h:
# receives a part as zmq_msg_recv does, plus the parts already queued
# behind it, in one call (Socket.recv explains why). Only gozmq's library
# exports it; with any other (pyzmq's libzmq, a system libzmq) both are
# None and every receive takes the one-call-per-part path. GOZMQ_NO_BATCH=1
# turns it off (for comparisons).
#   int gozmq_recv_batch(void *s, zmq_msg_t *msg, void *buf, size_t bufsize,
#                        size_t *sizes, unsigned char *more, int max, int flags)
try:
    raw_recv_batch = fast["gozmq_recv_batch"]  # non-blocking tries: keeps the GIL, no argtypes
    # Blocking: releases the GIL, no argtypes either (converting eight
    # arguments through argtypes costs microseconds, paid on every wait).
    raw_recv_batch_wait = lib["gozmq_recv_batch"]
except AttributeError:
    raw_recv_batch = raw_recv_batch_wait = None
# gozmq_wanted (capi/zmq.c), the second extension: whether a SUB socket
# still admits a message starting with the given bytes, so batched SUB
# messages can be dropped after an unsubscription as the library drops
# queued ones. Without it SUB sockets do not batch.
#   int gozmq_wanted(void *s, const void *data, size_t size)
try:
    raw_wanted = fast["gozmq_wanted"]
except AttributeError:
    raw_wanted = None
if os.environ.get("GOZMQ_NO_BATCH"):
    raw_recv_batch = raw_recv_batch_wait = None

# ---- gozmq's own zmq_msg_t layout ---------------------------------------------
# A ctypes call costs 0.2-0.6 us, more than the C function behind it for the
# pure accessors (zmq_msg_data, zmq_msg_size, zmq_msg_more). On gozmq's
# library the binding reads those fields straight out of the 64-byte
# zmq_msg_t instead (capi/msg.h, viewed as 8 little-endian words):
#   word 0..4 (bytes 0..39)  inline body of up to 40 bytes ("vsm"), or
#   word 0 gz_content *, word 1 data pointer, word 2 size ("lmsg");
#   word 7: byte 60 type (0x61 vsm, 0x62 lmsg), 61 flags (bit 0 MORE),
#           62 inline size.
# That is only true of gozmq: real libzmq lays the struct out differently.
# probe_layout() checks the layout on messages the loaded library built
# itself, so any other library (or a future gozmq with another layout)
# gets the generic path of one ctypes call per accessor.
# GOZMQ_GENERIC_MSG=1 forces the generic path (the tests use it).
VSM, LMSG, VSM_MAX = 0x61, 0x62, 40


def word7(m) -> int:
    """Bytes 56..63 of a zmq_msg_t as one little-endian integer."""
    return m[7] or 0


def probe_layout() -> bool:
    if os.environ.get("GOZMQ_GENERIC_MSG"):
        return False
    try:
        return _probe(msg_t())
    except TypeError:  # a NULL word where gozmq has a pointer
        return False


def _probe(m) -> bool:
    if zmq_msg_init(m) != 0:
        return False
    ok = word7(m) == VSM << 32 and not any(m[:7])
    zmq_msg_close(m)
    for size in (5, VSM_MAX, VSM_MAX + 1, 1000):
        if not ok or zmq_msg_init_size(m, size) != 0:
            return False
        data = ctypes.cast(zmq_msg_data(m), c_void_p).value
        w = word7(m)
        if size <= VSM_MAX:
            ok = data == ctypes.addressof(m) and w == (VSM << 32 | size << 48)
        else:
            ok = data is not None and m[1] == data and m[2] == size and w == LMSG << 32
        ok = ok and zmq_msg_size(m) == size
        zmq_msg_close(m)
    return ok


def empty_msg_bytes() -> bytes:
    """An empty initialised zmq_msg_t as bytes (gozmq: a byte copy of it is
    an empty message too, and one needs no closing)."""
    m = msg_t()
    zmq_msg_init(m)
    return bytes(m)


GOZMQ_LAYOUT = probe_layout()
EMPTY_MSG = empty_msg_bytes()

# Runs pending Python signal handlers (PyErr_CheckSignals): after EINTR a
# blocking call calls it, so Ctrl-C raises KeyboardInterrupt, as pyzmq does.
check_signals = ctypes.pythonapi.PyErr_CheckSignals
check_signals.restype = c_int
check_signals.argtypes = []
