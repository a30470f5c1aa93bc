"""Frame (alias Message): one message part held in a zmq_msg_t.

``recv(copy=False)`` returns a Frame instead of bytes: the data stays in the
library's memory (no copy into a Python object) until ``.bytes`` is read;
``.buffer`` is a zero-copy memoryview of it.

``Frame(data, copy=False)`` (and ``send(data, copy=False)`` for bodies of
at least ``copy_threshold`` bytes) lends ``data``'s memory to the library
instead of copying it (gozmq's library only; see ``_Lent``).
"""

from __future__ import annotations

import ctypes
import errno as _errno
import sys
import threading
import time
from abc import ABCMeta
from collections import deque
from ctypes import c_char, c_void_p
from typing import Any

from . import _lib
from .error import NotDone, ZMQError, raise_errno

# pyzmq's default: bodies below this many bytes are copied even when
# copy=False is asked for, since lending memory costs more than copying
# them (a second zmq_msg_t, and a check per message until it is returned).
# New sockets and Frames read it from the package (gozmq.COPY_THRESHOLD),
# so that setting it there works as in pyzmq.
COPY_THRESHOLD = 65536


def default_copy_threshold() -> int:
    return getattr(sys.modules[__package__], "COPY_THRESHOLD", COPY_THRESHOLD)

_GZ = _lib.GOZMQ_LAYOUT
_VSM, _LMSG = _lib.VSM, _lib.LMSG
_MsgT = _lib.MsgT
_EMPTY = _lib.EMPTY_MSG
_raw_msg_init = _lib.raw_msg_init
_raw_msg_close = _lib.raw_msg_close
_INT_MAX = _lib.INT_MAX
_MORE = 1  # ZMQ_MORE, zmq_msg_get's option

# Bodies of at least this many bytes are never kept in a message longer
# than needed, and only they are ever lent (smaller ones are copied even
# with copy=False: lending costs more than copying them).
SMALL_BODY = 65536

# ---- recycled messages (gozmq only) ------------------------------------------------
# Closing a message is a call into the library (0.2-0.6 us through ctypes).
# A dead Frame whose body is small (so the library's own, never lent
# memory) keeps its zmq_msg_t here instead, unclosed; recv(copy=False)
# receives into one of them, and zmq_msg_recv releases what it held. So a
# received Frame costs one call for its whole life.
_POOL: list = []
_POOL_MAX = 64
_pool_pop, _pool_append = _POOL.pop, _POOL.append  # bound once, not per use


def _new_msg() -> Any:
    """A fresh empty message to receive into."""
    if _GZ:  # a byte copy of an empty message is an empty message
        return _MsgT.from_buffer_copy(_EMPTY)
    m = _MsgT()
    _raw_msg_init(m)
    return m


def _release_msg(m: Any) -> None:
    """Closes m, or keeps it for a later receive if its body is small."""
    if _GZ and len(_POOL) < _POOL_MAX:
        t = (m[7] or 0) >> 32 & 255
        if t == _VSM or (t == _LMSG and m[2] < SMALL_BODY):
            _POOL.append(m)
            return
    _raw_msg_close(m)
_new_frame = object.__new__


def _blank(cls: type, m: Any, more: bool) -> "Frame":
    """A Frame over message m, without __init__ (recv's path)."""
    f = _new_frame(cls)
    f._msg = m
    f.more = more
    f.tracker = f._bytes = f._lent = f._src = None
    return f


# ---- batched parts (gozmq only) -------------------------------------------------
# recv(copy=False) on a socket that batches (Socket._recv_frames) makes
# Frames without a zmq_msg_t of their own: _msg is None, _bytes holds the
# part (copied out of the batch buffer; such parts are at most 64 KiB) and
# _src the _PeerMeta of its batch, shared by all the batch's Frames, which
# answers get() for metadata. So such a Frame costs no call into the
# library in its life. set() gives it a message of its own first (_own).
class _MsgRef:
    """A message closed when the last object referring to this goes, for
    batched parts, which have no __del__: a batch's _PeerMeta, and the
    message a part gets from _own."""

    __slots__ = ("m",)

    def __init__(self, m: Any) -> None:
        self.m = m

    def __del__(self) -> None:
        m = self.m
        if m is not None:
            self.m = None
            _raw_msg_close(m)


class _PeerMeta(_MsgRef):
    """An empty message that holds the metadata of one batch's parts
    (every part of a batch comes from the same connection); closed when
    the last Frame of the batch goes."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(_new_msg())


# What get() reads metadata from for a batched part that has none (one
# that a copy=True batch had taken, received later with copy=False).
_NO_META = _new_msg()


def _draft(fn: Any, what: str) -> Any:
    if fn is None:
        raise ZMQError(_errno.ENOTSUP,
                       f"{what} needs the draft API, which this library ({_lib.path}) does "
                       "not export: use gozmq's draft build (GOZMQ_LIBRARY=build/lib-draft/"
                       "libzmq.so.5, from `make lib-draft`)")
    return fn


class _FrameBase:
    """What every Frame does: Frame's methods, shared with _Part (a
    batched part, without a message of its own). See Frame."""

    __slots__ = ()

    def __len__(self) -> int:
        m = self._msg
        return len(self._bytes) if m is None else _size(m)

    def __bytes__(self) -> bytes:
        return self.bytes

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Frame):
            return self.bytes == other.bytes
        if isinstance(other, (bytes, bytearray, memoryview)):
            return self.bytes == bytes(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.bytes)

    def __repr__(self) -> str:
        n = len(self)
        head = self.bytes[:32]
        return f"<gozmq.Frame({head!r}{'...' if n > 32 else ''}): {n}B>"

    @property
    def bytes(self) -> bytes:
        """The frame's data as bytes (copied once, then cached)."""
        if self._bytes is None:
            m = self._msg
            n = _size(m)
            self._bytes = ctypes.string_at(_data_addr(m), n) if n else b""
        return self._bytes

    @property
    def buffer(self) -> memoryview:
        """A read-only memoryview of the frame's data without copying it."""
        m = self._msg
        if m is None:  # a batched part: its bytes are its data
            return memoryview(self._bytes)
        n = _size(m)
        if n == 0:
            return memoryview(b"")
        arr = (c_char * n).from_address(_data_addr(m))
        arr._owner = self  # keeps the message alive as long as the view
        return memoryview(arr).cast("B").toreadonly()

    def get(self, option: int | str | bytes) -> int | str:
        """A message property: an int option (zmq.MORE, zmq.SRCFD,
        zmq.SHARED) via zmq_msg_get, ``"routing_id"`` / ``"group"``
        (draft), or a metadata name ("Peer-Address", "User-Id",
        "Socket-Type", ...) via zmq_msg_gets, returned as str."""
        m = self._msg
        if m is None or self._src is not None:
            # A batched part: the flags are its own, the metadata its
            # batch's (held by an empty message, as is its SRCFD).
            if option == _MORE:
                return int(self.more)
            m = self._src.m if self._src is not None else _NO_META
        if isinstance(option, int):
            rc = _lib.zmq_msg_get(m, option)
            if rc < 0:
                raise_errno(_lib.errno())
            return rc
        if option == "routing_id":
            rid = _draft(_lib.zmq_msg_routing_id, "routing_id")(m)
            if rid == 0:  # the library says "none" with 0 and no errno
                raise ZMQError(_errno.EINVAL, "the message has no routing_id")
            return rid
        if option == "group":
            g = _draft(_lib.zmq_msg_group, "group")(m)
            if g is None:
                raise_errno(_lib.errno())
            return g.decode("utf-8")
        name = option.encode() if isinstance(option, str) else option
        value = _lib.zmq_msg_gets(m, name)
        if value is None:
            raise_errno(_lib.errno())
        return value.decode("utf-8")

    def set(self, option: int | str, value: Any) -> None:
        """``"routing_id"`` (int) or ``"group"`` (str or bytes) on the
        draft API; an int option through zmq_msg_set (libzmq 4.3 has no
        settable one: EINVAL)."""
        self._own()
        if option == "routing_id":
            if not isinstance(value, int):
                raise TypeError(f"routing_id is an int, got {type(value).__name__}")
            if not 0 <= value < 2**32:
                raise ZMQError(_errno.EINVAL)
            rc = _draft(_lib.zmq_msg_set_routing_id, "routing_id")(self._msg, value)
        elif option == "group":
            if isinstance(value, str):
                value = value.encode("utf-8")
            if not isinstance(value, bytes):
                raise TypeError(f"group is a str, got {type(value).__name__}")
            rc = _draft(_lib.zmq_msg_set_group, "group")(self._msg, value)
        elif isinstance(option, int):
            rc = _lib.zmq_msg_set(self._msg, option, value)
        else:
            raise TypeError(f"unknown Frame option {option!r}")
        if rc != 0:
            raise_errno(_lib.errno())

    @property
    def routing_id(self) -> int:
        """The draft routing id (a SERVER sets it on what it receives;
        set it to answer that CLIENT)."""
        return self.get("routing_id")  # type: ignore[return-value]

    @routing_id.setter
    def routing_id(self, value: int) -> None:
        self.set("routing_id", value)

    @property
    def group(self) -> str:
        """The draft RADIO/DISH group."""
        return self.get("group")  # type: ignore[return-value]

    @group.setter
    def group(self, value: str | bytes) -> None:
        self.set("group", value)

    def __copy__(self) -> "Frame":
        return self.fast_copy()

    def _own(self) -> None:
        """Gives a batched part a message of its own (a copy of its bytes),
        closed when the part goes (_MsgRef: a part has no __del__); its
        metadata stays its batch's."""
        if self._msg is not None:
            return
        data = self._bytes
        m = _MsgT()
        if _lib.zmq_msg_init_size(m, len(data)) != 0:
            raise_errno(_lib.errno())
        if data:
            ctypes.memmove(_lib.zmq_msg_data_addr(m), data, len(data))
        self.__dict__["_ref"] = _MsgRef(m)
        self._msg = m

    def fast_copy(self) -> "Frame":
        """A Frame sharing this one's data (zmq_msg_copy: no byte copy)."""
        if self._msg is None:  # a batched part: share its bytes
            f = _new_frame(_Part)
            f._bytes, f._src, f.more = self._bytes, self._src, self.more
            if self.tracker is not None:
                f.tracker = self.tracker
            return f
        f = Frame._empty()
        if _lib.zmq_msg_copy(f._msg, self._msg) != 0:
            raise_errno(_lib.errno())
        f.more = self.more
        f.tracker = self.tracker
        f._bytes = self._bytes
        f._src = self._src
        if self._lent is not None:  # the copy holds the lent memory too
            f._lent = self._lent
            self._lent.frames += 1
        return f


class Frame(_FrameBase, metaclass=ABCMeta):
    """One message part.

    ``Frame(data)`` copies ``data`` (bytes or any buffer) into a new
    message; with ``copy=False`` (or ``copy=None`` and at least
    ``copy_threshold`` bytes) gozmq's library sends ``data``'s own memory
    (bodies of 64 KiB and more; smaller ones are always copied), and
    ``track=True`` gives a ``tracker`` that says when the library is done
    with it.

    Attributes: ``more`` (another part follows, set by recv), ``bytes`` (a
    bytes copy, cached), ``buffer`` (memoryview, zero-copy, valid as long
    as the Frame lives), ``tracker`` (a MessageTracker, or None),
    ``routing_id`` and ``group`` (draft CLIENT/SERVER, RADIO/DISH).
    """

    # Slots: a Frame is made per recv(copy=False), and slot stores and the
    # release in __del__ cost about half of what the same with an instance
    # dict does. _msg is None once the message is released. Every way of
    # making a Frame sets all six (see _blank).
    __slots__ = ("_msg", "more", "tracker", "_bytes", "_lent", "_src", "__dict__",
                 "__weakref__")

    def __init__(self, data: Any = None, track: bool = False, copy: bool | None = None,
                 copy_threshold: int | None = None, **kwargs: Any):
        self._msg = self.tracker = self._bytes = self._lent = self._src = None
        self.more = False
        if isinstance(data, str):
            raise TypeError("str is not allowed in a Frame: encode it to bytes first")
        if data is None:
            data = b""
        view = data if isinstance(data, bytes) else memoryview(data).cast("B")
        n = len(view)
        if copy is None:
            threshold = default_copy_threshold() if copy_threshold is None else copy_threshold
            copy = n < threshold
        m = _MsgT()
        if not copy and n >= SMALL_BODY and _Lent.available():
            lent = _Lent(m, view, n)
            self._lent = lent
            self._msg = m
            if track:
                self.tracker = MessageTracker(lent)
            return
        if _lib.zmq_msg_init_size(m, n) != 0:
            raise_errno(_lib.errno())
        self._msg = m
        if track:
            self.tracker = _FINISHED_TRACKER
        if n:
            dst = (c_char * n).from_address(_lib.zmq_msg_data_addr(m))
            if isinstance(view, bytes):
                ctypes.memmove(dst, view, n)
                self._bytes = view
            else:
                memoryview(dst).cast("B")[:] = view

    @classmethod
    def _empty(cls) -> "Frame":
        """A Frame with an initialised empty message."""
        return _blank(cls, _new_msg(), False)

    def __del__(self) -> None:
        m = self._msg
        if m is None:
            return
        self._msg = None
        if self._lent is not None:
            _raw_msg_close(m)
            self._lent.orphan()
        elif _GZ and len(_POOL) < _POOL_MAX:  # _release_msg, inlined (hot)
            t = (m[7] or 0) >> 32 & 255
            if t == _VSM or (t == _LMSG and m[2] < SMALL_BODY):
                _pool_append(m)
            else:
                _raw_msg_close(m)
        else:
            _raw_msg_close(m)


class _Part(_FrameBase):
    """A part recv(copy=False) handed out of a batch (see _PeerMeta): a
    Frame to the application (isinstance, every method), but a class of
    its own, made as cheaply as Python allows (Socket._recv_frames makes a
    whole batch of them in one loop):
    - no __del__: nothing is released when it goes (a Python-level __del__
      costs 90-190 ns per object here, measured);
    - three slots stored per part; _msg, tracker and _lent are None from
      the class (set, by _own or fast_copy, they go in the instance's
      __dict__).
    Frame.register makes it a Frame for isinstance and issubclass."""

    __slots__ = ("_bytes", "more", "_src", "__dict__", "__weakref__")
    _msg: Any = None
    tracker: Any = None
    _lent: Any = None


Frame.register(_Part)


Message = Frame


# ---- body size and address: read from the zmq_msg_t on gozmq ------------------------
if _GZ:
    def _size(m: Any) -> int:
        w = m[7] or 0
        if w >> 32 & 255 == _VSM:
            return w >> 48 & 255
        return m[2] or 0

    def _data_addr(m: Any) -> int:
        if (m[7] or 0) >> 32 & 255 == _VSM:
            return ctypes.addressof(m)
        return m[1]
else:
    _size = _lib.zmq_msg_size

    def _data_addr(m: Any) -> int:
        return _lib.zmq_msg_data_addr(m)


# ---- memory lent to the library (send without copying) ---------------------------
class _Lent:
    """Python memory that a message uses as its body (zmq_msg_init_data).

    The library must not see that memory freed while it still sends from
    it, and Python code must not run on the library's threads (a ctypes
    callback would take the GIL on a Go thread, which can deadlock against
    a Python thread waiting in the library with the GIL held, and stalls
    the I/O thread for a GIL switch interval). So the message gets a free
    function that does nothing (``zmq_errno``, which takes no arguments:
    under the C calling convention of every platform gozmq builds for, the
    two it is passed are ignored), and this record keeps a second reference
    to the body (``keeper``, zmq_msg_copy) and the Python object. While the
    library holds the body too, ``zmq_msg_get(keeper, ZMQ_SHARED)`` is 1;
    once it reads 0 the library is done: the keeper is closed and the
    Python object let go. Records of dead Frames still in flight wait in
    ``_INFLIGHT``, swept (_sweep) whenever memory is lent again; a
    MessageTracker checks its own records. Only on gozmq's library (and
    only if its ZMQ_SHARED counts as probed on first use); elsewhere
    Frames copy.
    """

    _ok: "bool | None" = None

    def __init__(self, m: Any, view: Any, n: int):
        if isinstance(view, bytes):
            self.obj = view  # immutable: its own storage is lent
            ptr: Any = view
        else:
            try:
                ptr = self.obj = (c_char * n).from_buffer(view)  # pins the buffer
            except TypeError:  # read-only and not bytes: lend a private copy
                ptr = self.obj = bytes(view)
        if _lib.zmq_msg_init_data(m, ptr, n, _lib.NOOP_FREE, None) != 0:
            raise_errno(_lib.errno())
        self.keeper = _MsgT()
        _raw_msg_init(self.keeper)
        if _lib.zmq_msg_copy(self.keeper, m) != 0:
            e = _lib.errno()
            _raw_msg_close(m)
            raise_errno(e)
        self.frames = 1  # Frames whose message holds the body
        _sweep()

    @classmethod
    def available(cls) -> bool:
        if cls._ok is None:
            cls._ok = _GZ and _probe_shared()
        return cls._ok

    def done(self) -> bool:
        """True once nothing but the keeper holds the body (then releases
        the keeper and the Python object)."""
        k = self.keeper
        if k is None:
            return True
        if self.frames > 0 or _lib.zmq_msg_get(k, _SHARED) != 0:
            return False
        self.keeper = None
        _raw_msg_close(k)
        self.obj = None
        return True

    def orphan(self) -> None:
        """A Frame holding the body was closed."""
        self.frames -= 1
        if self.frames == 0 and not self.done():
            _INFLIGHT.append(self)


_SHARED = 3  # ZMQ_SHARED
# Records of dead Frames whose body the library may still hold. Only
# _sweep (under _SWEEPING) takes records out; orphan appends from any
# thread (deque.append is atomic).
_INFLIGHT: deque = deque()
# The deque is never freed, not even at interpreter exit: memory still lent
# then must outlive the library's last use of it.
ctypes.pythonapi.Py_IncRef(ctypes.py_object(_INFLIGHT))
_SWEEPING = threading.Lock()
_SWEEP_MIN = 32
_full_sweep_at = _SWEEP_MIN


def _sweep() -> None:
    """Lets go of lent memory the library is done with, at a constant
    cost per lend on average. Checking every record at every lend made a
    stream of large zero-copy sends quadratic: with a full send queue
    (1,000 messages of 4 MiB in flight) each send(copy=False) spent about
    0.5 ms checking records, and the 4 MiB row of `make bench-python` ran
    at 0.75 of pyzmq. The library releases a socket's bodies in the order
    they were sent, so the oldest records are checked first, until one is
    still in use. Records that finish out of that order (several sockets,
    one of them stuck) are found by a full pass once the deque has doubled
    since the last one, so at most about twice the records in flight are
    kept. A sweep that finds another under way leaves the work to it."""
    global _full_sweep_at
    if not _SWEEPING.acquire(False):
        return
    try:
        q = _INFLIGHT
        while q and q[0].done():
            q.popleft()
        n = len(q)
        if n >= _full_sweep_at:
            # Exactly the n records present now: records appended meanwhile
            # (and those put back) go behind them.
            for _ in range(n):
                r = q.popleft()
                if not r.done():
                    q.append(r)
            _full_sweep_at = max(_SWEEP_MIN, 2 * len(q))
    finally:
        _SWEEPING.release()


def _probe_shared() -> bool:
    """Checks on a scratch message that ZMQ_SHARED tells whether someone
    besides one message holds a lent body, as _Lent relies on."""
    buf = ctypes.create_string_buffer(8)
    m, c = _MsgT(), _MsgT()
    if _lib.zmq_msg_init_data(m, buf, 8, _lib.NOOP_FREE, None) != 0:
        return False
    ok = _lib.zmq_msg_get(m, _SHARED) == 0
    _raw_msg_init(c)
    ok = ok and _lib.zmq_msg_copy(c, m) == 0 and _lib.zmq_msg_get(m, _SHARED) == 1
    _raw_msg_close(c)
    ok = ok and _lib.zmq_msg_get(m, _SHARED) == 0
    _raw_msg_close(m)
    return ok


class MessageTracker:
    """Tells when the library is done with memory lent by a zero-copy send
    (``send(data, copy=False, track=True)`` with at least
    ``copy_threshold`` bytes; copied sends are done at once).

    ``done`` is True once every watched message is released; ``wait``
    blocks until then (or raises NotDone after ``timeout`` seconds).
    """

    def __init__(self, *towatch: Any):
        self.peers: set = set()
        self._lent: list = []
        for t in towatch:
            if isinstance(t, _Lent):
                self._lent.append(t)
            elif isinstance(t, MessageTracker):
                self._lent.extend(t._lent)
            elif isinstance(t, Frame):
                if t.tracker is not None:
                    self._lent.extend(t.tracker._lent)
            else:
                raise TypeError(f"cannot track {type(t).__name__}")

    @property
    def done(self) -> bool:
        """True once the library released every tracked message."""
        if self._lent:
            self._lent = [r for r in self._lent if not r.done()]
        return not self._lent

    def wait(self, timeout: float | int = -1) -> None:
        """Waits until done; ``timeout`` in seconds (-1: no limit)."""
        deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
        pause = 0.0001
        while not self.done:
            if deadline is not None and time.monotonic() >= deadline:
                raise NotDone
            time.sleep(pause)  # the library gives no signal: check again soon
            pause = min(pause * 2, 0.01)


_FINISHED_TRACKER = MessageTracker()
