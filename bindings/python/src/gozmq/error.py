"""Exceptions raised by gozmq, with pyzmq's names and hierarchy.

Every failed C call raises :class:`ZMQError` (or a subclass) carrying the
call's ``errno``; ``str(err)`` is ``zmq_strerror(errno)``.
"""

from __future__ import annotations

from errno import EAGAIN, EINTR, ENOTRECOVERABLE

from . import constants as _c


class ZMQBaseError(Exception):
    """Base class of every gozmq exception."""


class ZMQError(ZMQBaseError):
    """A failed ZeroMQ call. ``errno`` is libzmq's error number."""

    errno: int | None = None
    strerror: str

    def __init__(self, errno: int | None = None, msg: str | None = None):
        if errno is None:
            from ._lib import errno as zmq_errno
            errno = zmq_errno()
        self.errno = errno
        self.strerror = msg if msg is not None else strerror(errno)
        super().__init__(self.errno, self.strerror)

    def __str__(self) -> str:
        return self.strerror

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strerror!r})"


class ZMQBindError(ZMQBaseError):
    """bind_to_random_port found no free port."""


class NotDone(ZMQBaseError):
    """A tracked send has not finished yet."""


class Again(ZMQError):
    """EAGAIN: the call would block (DONTWAIT, or a timeout expired)."""


class ContextTerminated(ZMQError):
    """ETERM: the socket's context was terminated."""


class InterruptedSystemCall(ZMQError, InterruptedError):
    """EINTR: a signal interrupted a blocking call."""


class ForkError(ZMQError):
    """The library was used in a child created by fork() without exec.

    gozmq runs a Go runtime, which does not survive fork(). Create
    sockets only in the process that loaded the library, or start children
    with exec; with multiprocessing use the "spawn" start method::

        multiprocessing.set_start_method("spawn")
    """

    def __init__(self, errno: int | None = ENOTRECOVERABLE, msg: str | None = None):
        super().__init__(errno, msg or (
            "gozmq cannot be used in a child process created by fork() without exec "
            "(the Go runtime inside libzmq does not survive fork); use "
            "multiprocessing's \"spawn\" start method or exec a new program"))


class ZMQVersionError(NotImplementedError):
    """The loaded library lacks a feature the call needs."""

    def __init__(self, min_version: str, msg: str = "Feature"):
        from .utils.version import zmq_version
        self.min_version = min_version
        self.msg = msg
        self.version = zmq_version()

    def __repr__(self) -> str:
        return f"ZMQVersionError('{self}')"

    def __str__(self) -> str:
        return f"{self.msg} requires libzmq >= {self.min_version}, have {self.version}"


_STRERROR: dict[int, str] = {}


def strerror(errno: int) -> str:
    """zmq_strerror(errno) as a str (looked up once per errno: every error
    object carries it, and Again is raised on each would-block try)."""
    text = _STRERROR.get(errno)
    if text is None:
        from ._lib import zmq_strerror
        text = _STRERROR[errno] = zmq_strerror(errno).decode("utf-8", "replace")
    return text


_BY_ERRNO = {EAGAIN: Again, _c.ETERM: ContextTerminated, EINTR: InterruptedSystemCall,
             ENOTRECOVERABLE: ForkError}


def error_for(errno: int) -> ZMQError:
    """The exception instance pyzmq would raise for errno."""
    cls = _BY_ERRNO.get(errno, ZMQError)
    if cls is ForkError:
        return ForkError()
    return cls(errno)


def raise_errno(errno: int | None = None):
    """Raise the exception for errno (default: the errno of the last call)."""
    if errno is None:
        from ._lib import errno as zmq_errno
        errno = zmq_errno()
    raise error_for(errno)


__all__ = ["ZMQBaseError", "ZMQError", "ZMQBindError", "NotDone", "Again",
           "ContextTerminated", "InterruptedSystemCall", "ForkError", "ZMQVersionError",
           "strerror"]
