"""Poller and select over zmq_poll: sockets and raw file descriptors."""

from __future__ import annotations

import errno as _errno
import time
from typing import Any

from . import _lib
from . import constants as _c
from .error import error_for
from .socket import Socket


def _fd_of(obj: Any) -> int:
    if isinstance(obj, int):
        return obj
    if hasattr(obj, "fileno"):
        return int(obj.fileno())
    raise TypeError(f"cannot poll {obj!r}: not a Socket, an fd or an object with fileno()")


def zmq_poll(sockets: list[tuple[Any, int]], timeout: int | None = -1) -> list[tuple[Any, int]]:
    """One zmq_poll over ``[(socket_or_fd, events), ...]`` with ``timeout``
    in ms (None or negative: forever). Returns the ready ``(obj, revents)``,
    where obj is the Socket, or the fd for anything else (an object with
    fileno() is reported by its fd, as pyzmq does).
    A signal's handler runs during the wait; if it returns, polling goes on
    for the time left."""
    n = len(sockets)
    items = (_lib.pollitem_t * n)()
    keys = []  # what each result names: the Socket, or the fd (as pyzmq does)
    batched = []  # sockets whose receive batch holds parts: readable now
    for i, (obj, events) in enumerate(sockets):
        it = items[i]
        if isinstance(obj, Socket):
            if obj.closed:
                raise error_for(_errno.ENOTSOCK)
            it.socket = obj.underlying
            keys.append(obj)
            if events & _c.POLLIN and (obj._bq or obj._fq):
                batched.append(it)
        else:
            it.fd = _fd_of(obj)
            keys.append(it.fd)
        it.events = events
    if timeout is None or timeout < 0:
        ms, deadline = -1, None
    else:
        ms = int(timeout)
        deadline = time.monotonic() + ms / 1000.0
    if batched:  # ready already: only collect the others' events
        ms, deadline = 0, None
    while True:
        rc = _lib.zmq_poll(items, n, ms)
        if rc >= 0:
            break
        e = _lib.errno()
        if e != _errno.EINTR:
            raise error_for(e)
        _lib.check_signals()
        if deadline is not None:
            ms = max(0, int((deadline - time.monotonic()) * 1000))
    for it in batched:
        it.revents |= _c.POLLIN
    return [(keys[i], items[i].revents) for i in range(n) if items[i].revents]


class Poller:
    """Waits for events on several sockets and fds at once (pyzmq's API):
    ``register(obj, flags)``, then ``dict(poller.poll(timeout_ms))``."""

    def __init__(self) -> None:
        self.sockets: list[tuple[Any, int]] = []
        self._map: dict[Any, int] = {}

    def __contains__(self, socket: Any) -> bool:
        return socket in self._map

    def register(self, socket: Any, flags: int = _c.POLLIN | _c.POLLOUT) -> None:
        """Polls ``socket`` (a Socket, an fd or an object with fileno()) for
        ``flags``; flags 0 unregisters it. Registering again modifies."""
        if flags:
            if socket in self._map:
                self.sockets[self._map[socket]] = (socket, flags)
            else:
                self._map[socket] = len(self.sockets)
                self.sockets.append((socket, flags))
        elif socket in self._map:
            self.unregister(socket)

    def modify(self, socket: Any, flags: int = _c.POLLIN | _c.POLLOUT) -> None:
        """Changes the flags of a registered socket."""
        self.register(socket, flags)

    def unregister(self, socket: Any) -> None:
        """Stops polling ``socket`` (KeyError if it is not registered)."""
        idx = self._map.pop(socket)
        self.sockets.pop(idx)
        for s, i in self._map.items():
            if i > idx:
                self._map[s] = i - 1

    def poll(self, timeout: int | None = None) -> list[tuple[Any, int]]:
        """Waits up to ``timeout`` ms (None or negative: forever) and
        returns ``[(socket, events), ...]`` for those that are ready."""
        if timeout is None or timeout < 0:
            timeout = -1
        return zmq_poll(self.sockets, timeout)


def select(rlist: list, wlist: list, xlist: list, timeout: float | None = None) -> tuple[list, list, list]:
    """select() over sockets and fds; ``timeout`` in seconds (as in
    select.select; None waits forever)."""
    ms = -1 if timeout is None or timeout < 0 else int(timeout * 1000)
    events: dict[Any, int] = {}
    for lst, flag in ((rlist, _c.POLLIN), (wlist, _c.POLLOUT), (xlist, _c.POLLERR)):
        for obj in lst:
            events[obj] = events.get(obj, 0) | flag
    ready = dict(zmq_poll(list(events.items()), ms))
    return ([s for s in rlist if ready.get(s, 0) & _c.POLLIN],
            [s for s in wlist if ready.get(s, 0) & _c.POLLOUT],
            [s for s in xlist if ready.get(s, 0) & _c.POLLERR])
