"""Frame (alias Message): one message part held in a zmq_msg_t.

``recv(copy=False)`` returns a Frame instead of bytes: the data stays in the
library's memory (no copy into a Python object) until ``.bytes`` is read;
``.buffer`` is a zero-copy memoryview of it.
"""

from __future__ import annotations

import ctypes
from typing import Any

from . import _lib
from .error import ZMQError, raise_errno


_msg_t = _lib.msg_t
_raw_msg_init = _lib.raw_msg_init
_raw_msg_close = _lib.raw_msg_close


class Frame:
    """One message part. ``Frame(data)`` copies ``data`` into a new message.

    Attributes: ``more`` (another part follows, set by recv),
    ``bytes`` (a bytes copy, cached), ``buffer`` (memoryview, zero-copy,
    valid as long as the Frame lives).
    """

    # Class-level defaults: a received Frame sets only _msg (and more).
    more: bool = False
    tracker: Any = None
    _bytes: "bytes | None" = None
    _closed: bool = False

    def __init__(self, data: Any = b"", track: bool = False, copy: bool | None = None,
                 copy_threshold: int | None = None):
        if isinstance(data, str):
            raise TypeError("str is not allowed in a Frame: encode it to bytes first")
        view = memoryview(data).cast("B") if not isinstance(data, bytes) else data
        n = len(view)
        self._msg = _lib.msg_t()
        if _lib.zmq_msg_init_size(self._msg, n) != 0:
            e = _lib.errno()
            del self._msg
            raise_errno(e)
        if n:
            if isinstance(view, bytes):
                ctypes.memmove(_lib.zmq_msg_data(self._msg), view, n)
                self._bytes = view
            else:
                dst = (ctypes.c_char * n).from_address(ctypes.addressof(_lib.zmq_msg_data(self._msg).contents))
                memoryview(dst).cast("B")[:] = view

    @classmethod
    def _empty(cls) -> "Frame":
        """A Frame with an initialised empty message, for recv to fill."""
        f = cls.__new__(cls)
        m = f._msg = _msg_t()
        _raw_msg_init(m)
        return f

    def __del__(self) -> None:
        m = self.__dict__.get("_msg")
        if m is not None and not self._closed:
            self._closed = True
            _raw_msg_close(m)

    def __len__(self) -> int:
        return _lib.zmq_msg_size(self._msg)

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
            n = _lib.zmq_msg_size(self._msg)
            self._bytes = _lib.zmq_msg_data(self._msg)[:n] if n else b""
        return self._bytes

    @property
    def buffer(self) -> memoryview:
        """A read-only memoryview of the frame's data without copying it."""
        n = _lib.zmq_msg_size(self._msg)
        if n == 0:
            return memoryview(b"")
        addr = ctypes.addressof(_lib.zmq_msg_data(self._msg).contents)
        arr = (ctypes.c_char * n).from_address(addr)
        arr._owner = self  # keeps the message alive as long as the view
        return memoryview(arr).cast("B").toreadonly()

    def get(self, option: int | str | bytes) -> int | str:
        """A message property: an int option (zmq.MORE, zmq.SRCFD,
        zmq.SHARED) via zmq_msg_get, or a metadata name ("Peer-Address",
        "User-Id", "Socket-Type", ...) via zmq_msg_gets, returned as str."""
        if isinstance(option, int):
            rc = _lib.zmq_msg_get(self._msg, option)
            if rc < 0:
                raise_errno(_lib.errno())
            return rc
        name = option.encode() if isinstance(option, str) else option
        value = _lib.zmq_msg_gets(self._msg, name)
        if value is None:
            raise_errno(_lib.errno())
        return value.decode("utf-8")

    def set(self, option: int, value: int) -> None:
        """zmq_msg_set: no settable property exists in libzmq 4.3."""
        raise ZMQError(22)

    def __copy__(self) -> "Frame":
        return self.fast_copy()

    def fast_copy(self) -> "Frame":
        """A Frame sharing this one's data (zmq_msg_copy: no byte copy)."""
        f = Frame._empty()
        if _lib.zmq_msg_copy(f._msg, self._msg) != 0:
            raise_errno(_lib.errno())
        f.more = self.more
        return f


Message = Frame


class MessageTracker:
    """pyzmq's send tracker. gozmq always copies data on send, so the
    caller's buffer is free as soon as send returns: a tracker is done at
    once."""

    def __init__(self, *towatch: Any):
        self.peers: set = set()

    @property
    def done(self) -> bool:
        return True

    def wait(self, timeout: float | int = -1) -> None:
        return None


_FINISHED_TRACKER = MessageTracker()
