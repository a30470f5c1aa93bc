"""Context: pyzmq's zmq.Context over zmq_ctx_* calls."""

from __future__ import annotations

import threading
import weakref
from ctypes import c_void_p
from typing import Any, TypeVar

from . import _lib
from . import constants as _c
from .error import ZMQError, raise_errno
from .constants_enum import ContextOption
from .socket import SOCKET_OPTIONS, Socket, _class_attr, _retry

# Context attributes (ctx.io_threads, ...): ContextOption's names, plus the
# two socket option numbers zmq_ctx_set takes as context-wide settings.
_CONTEXT_OPTIONS = {name: int(value) for name, value in ContextOption.__members__.items()}
_CONTEXT_OPTIONS.update(IPV6=_c.IPV6, BLOCKY=_c.BLOCKY)

T = TypeVar("T", bound="Context")


class Context:
    """A ZeroMQ context: owns sockets and the library's I/O machinery.

    ``with Context() as ctx:`` destroys it (closing leftover sockets) on
    exit. Context options are attributes (``ctx.io_threads``); setting a
    *socket* option as an attribute (``ctx.linger = 0``) makes it the
    default for sockets created afterwards, as in pyzmq.
    """

    _instance: Any = None
    _instance_lock = threading.Lock()
    _socket_class: type = Socket

    def __init__(self, io_threads: int = 1, shadow: Any = 0):
        d = self.__dict__
        d["_closed"] = True
        d["sockopts"] = {}
        d["_sockets"] = weakref.WeakSet()
        d["_shadow"] = bool(shadow)
        if shadow:
            handle = shadow.underlying if hasattr(shadow, "underlying") else int(shadow)
        else:
            handle = _lib.zmq_ctx_new()
            if not handle:
                raise_errno(_lib.errno())
        d["_h"] = c_void_p(handle)
        d["_closed"] = False
        if io_threads != 1 and not shadow:
            self.set(_c.IO_THREADS, io_threads)

    @classmethod
    def instance(cls: type[T], io_threads: int = 1) -> T:
        """The process-wide shared Context (created on first use, and again
        after it was terminated)."""
        inst = cls._instance
        if inst is None or inst.closed:
            with cls._instance_lock:
                inst = cls._instance
                if inst is None or inst.closed:
                    inst = cls._instance = cls(io_threads)
        return inst

    @classmethod
    def shadow(cls: type[T], address: int) -> T:
        """A Context object over an existing C context (not owned)."""
        return cls(shadow=address)

    @property
    def underlying(self) -> int:
        """The C context handle (void *) as an int."""
        return self._h.value or 0

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.destroy()

    def __del__(self) -> None:
        # Like pyzmq: a garbage context with no live sockets is terminated.
        d = self.__dict__
        if not d.get("_closed", True) and not d.get("_shadow") and not len(d["_sockets"]):
            try:
                self.term()
            except Exception:
                pass

    def __repr__(self) -> str:
        state = " closed" if self._closed else f" {len(self._sockets)} socket(s)"
        return f"<gozmq.Context at {hex(id(self))}{state}>"

    def socket(self, socket_type: int, socket_class: type | None = None, **kwargs: Any) -> Any:
        """A new socket of ``socket_type`` (zmq.PUSH, ...)."""
        if self._closed:
            raise ZMQError(_c.ENOTSUP)  # pyzmq's errno for a terminated context
        cls = socket_class or self._socket_class
        return cls(self, socket_type, **kwargs)

    def term(self) -> None:
        """zmq_ctx_term: blocks until every socket is closed; blocking calls
        in other threads raise ContextTerminated. Idempotent."""
        if self._closed:
            return
        # Receives fail with ETERM from now on, as the library's do even with
        # messages queued: parts sockets hold in their batches go too.
        for s in list(self._sockets):
            s._bq.clear()
            s._fq.clear()
        _retry(_lib.zmq_ctx_term, self._h)
        self.__dict__["_closed"] = True

    def destroy(self, linger: int | None = None) -> None:
        """Closes every open socket of this context (with ``linger`` if
        given), then terminates it. Not thread-safe with sockets in use."""
        if self._closed:
            return
        for s in list(self._sockets):
            if not s.closed:
                s.close(linger=linger)
        self.term()

    def set(self, option: int, optval: int) -> None:
        """zmq_ctx_set."""
        if _lib.zmq_ctx_set(self._h, option, optval) != 0:
            raise_errno(_lib.errno())

    def get(self, option: int) -> int:
        """zmq_ctx_get."""
        rc = _lib.zmq_ctx_get(self._h, option)
        if rc < 0:
            raise_errno(_lib.errno())
        return rc

    def setsockopt(self, opt: int, value: Any) -> None:
        """Default socket option for sockets created from now on."""
        self.sockopts[opt] = value

    def getsockopt(self, opt: int) -> Any:
        """A default socket option set with setsockopt."""
        return self.sockopts[opt]

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self.__dict__ or _class_attr(type(self), key):
            object.__setattr__(self, key, value)
            return
        upper = key.upper()
        if upper in _CONTEXT_OPTIONS:
            self.set(_CONTEXT_OPTIONS[upper], value)
        elif upper in SOCKET_OPTIONS:
            self.setsockopt(SOCKET_OPTIONS[upper], value)
        else:
            raise AttributeError(f"{type(self).__name__} has no such option: {upper}")

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        upper = key.upper()
        if upper in _CONTEXT_OPTIONS:
            return self.get(_CONTEXT_OPTIONS[upper])
        if upper in SOCKET_OPTIONS and SOCKET_OPTIONS[upper] in self.sockopts:
            return self.sockopts[SOCKET_OPTIONS[upper]]
        raise AttributeError(f"{type(self).__name__} has no attribute {key!r}")

    def __delattr__(self, key: str) -> None:
        upper = key.upper()
        if upper in SOCKET_OPTIONS and SOCKET_OPTIONS[upper] in self.sockopts:
            del self.sockopts[SOCKET_OPTIONS[upper]]
        else:
            object.__delattr__(self, key)
