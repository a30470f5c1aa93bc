"""asyncio integration: awaitable send/recv on sockets, and an async Poller.

Built on ``loop.add_reader(ZMQ_FD)``. ZMQ_FD is edge-triggered: it only
says the socket's state *may* have changed, and a send or receive made by
anyone can consume the change without the fd firing again. So whenever the
fd fires, and after every operation while others wait, the socket re-reads
ZMQ_EVENTS and serves waiters until it can make no more progress. Nothing
spins: with no waiter the fd is not watched, and an idle watched fd is quiet.

Usage::

    import gozmq.asyncio as zaio
    ctx = zaio.Context()
    sock = ctx.socket(zmq.PULL)
    msg = await sock.recv()
"""

from __future__ import annotations

import asyncio
import pickle
import weakref
from collections import deque
from typing import Any, Callable

from . import constants as _c
from . import context as _context
from . import poll as _poll
from . import socket as _socket
from .error import Again, ZMQError
from .utils import jsonapi

_DONTWAIT = _c.DONTWAIT


class _FdWatch:
    """One loop reader per fd, shared by every waiter on it (a socket's own
    queue and any Pollers), since asyncio allows one reader per fd."""

    _by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _FdWatch]" = \
        weakref.WeakKeyDictionary()

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.readers: dict[int, dict[int, Callable[[], None]]] = {}
        self.writers: dict[int, dict[int, Callable[[], None]]] = {}
        self._next = 0

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop) -> "_FdWatch":
        w = cls._by_loop.get(loop)
        if w is None:
            w = cls._by_loop[loop] = cls(loop)
        return w

    def add(self, fd: int, cb: Callable[[], None], write: bool = False) -> tuple:
        table = self.writers if write else self.readers
        self._next += 1
        token = (fd, self._next, write)
        cbs = table.get(fd)
        if cbs is None:
            cbs = table[fd] = {}
            adder = self.loop.add_writer if write else self.loop.add_reader
            adder(fd, self._fire, table, fd)
        cbs[self._next] = cb
        return token

    def remove(self, token: tuple) -> None:
        fd, key, write = token
        table = self.writers if write else self.readers
        cbs = table.get(fd)
        if cbs is None or key not in cbs:
            return
        del cbs[key]
        if not cbs:
            del table[fd]
            (self.loop.remove_writer if write else self.loop.remove_reader)(fd)

    @staticmethod
    def _fire(table: dict, fd: int) -> None:
        for cb in list(table.get(fd, {}).values()):
            cb()


class Socket(_socket.Socket):
    """A Socket whose send/recv/poll return awaitables (asyncio Futures)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        d = self.__dict__
        d["_aio_loop"] = None
        d["_recvq"] = deque()
        d["_sendq"] = deque()
        d["_watch"] = None
        d["_check_pending"] = False

    # ---- plumbing ---------------------------------------------------------------
    def _loop(self) -> asyncio.AbstractEventLoop:
        loop = self._aio_loop
        if loop is None or loop.is_closed():
            loop = asyncio.get_running_loop() if _running() else asyncio.get_event_loop()
            self.__dict__["_aio_loop"] = loop
        return loop

    def _watch_fd(self) -> None:
        if self._watch is None:
            self.__dict__["_watch"] = _FdWatch.of(self._loop()).add(self.FD, self._on_events)

    def _unwatch_fd(self) -> None:
        token = self._watch
        if token is not None:
            self.__dict__["_watch"] = None
            loop = self._aio_loop
            if loop is not None and not loop.is_closed():
                _FdWatch.of(loop).remove(token)

    def _soon(self) -> None:
        """Schedules a ZMQ_EVENTS re-check (the edge may be gone)."""
        if not self._check_pending:
            self.__dict__["_check_pending"] = True
            self._loop().call_soon(self._on_events)

    def _on_events(self) -> None:
        self.__dict__["_check_pending"] = False
        if self._closed:
            self._cancel_all()
            return
        for q in (self._recvq, self._sendq):
            if any(f.done() for f, _ in q):  # cancelled or timed-out waiters
                live = [w for w in q if not w[0].done()]
                q.clear()
                q.extend(live)
        # Serve waiters by trying their operations (a try that would block
        # costs no more than reading ZMQ_EVENTS); only when nothing moves,
        # read ZMQ_EVENTS, which also re-arms the edge-triggered fd, and
        # go on if it shows readiness that appeared after the tries.
        while self._recvq or self._sendq:
            progressed = False
            if self._recvq:
                progressed |= self._serve(self._recvq)
            if self._sendq:
                progressed |= self._serve(self._sendq)
            if progressed:
                continue
            try:
                events = self._events()
            except ZMQError as e:
                self._fail_all(e)
                return
            if not ((events & _c.POLLIN and self._recvq)
                    or (events & _c.POLLOUT and self._sendq)):
                break
        if not self._recvq and not self._sendq:
            self._unwatch_fd()

    @staticmethod
    def _serve(queue: deque) -> bool:
        """Runs the oldest live waiter's operation without blocking; True if
        a waiter finished (or was found cancelled)."""
        fut, op = queue[0]
        if fut.done():
            queue.popleft()
            return True
        try:
            result = op()
        except Again:
            return False
        except Exception as e:
            queue.popleft()
            fut.set_exception(e)
            return True
        queue.popleft()
        fut.set_result(result)
        return True

    def _fail_all(self, exc: BaseException) -> None:
        for q in (self._recvq, self._sendq):
            while q:
                fut, _ = q.popleft()
                if not fut.done():
                    fut.set_exception(exc)
        self._unwatch_fd()

    def _cancel_all(self) -> None:
        loop = self._aio_loop
        live = loop is not None and not loop.is_closed()
        for q in (self._recvq, self._sendq):
            while q:
                fut, _ = q.popleft()
                if live:
                    fut.cancel()
        self._unwatch_fd()

    def _start(self, queue: deque, op: Callable[[], Any], flags: int) -> asyncio.Future:
        loop = self._loop()
        fut = loop.create_future()
        if not queue:
            try:
                result = op()
            except Again:
                if flags & _DONTWAIT:
                    fut.set_exception(Again(_c.EAGAIN))
                    return fut
            except Exception as e:
                fut.set_exception(e)
                return fut
            else:
                fut.set_result(result)
                if self._recvq or self._sendq:
                    self._soon()
                return fut
        queue.append((fut, op))
        # A waiter cancelled (or timed out) leaves the queue at the next check.
        fut.add_done_callback(self._on_waiter_done)
        self._watch_fd()
        self._soon()
        return fut

    # Any other call on the socket may consume the fd's edge that a waiter
    # needs (libzmq semantics: it processes the socket's pending commands),
    # so with waiters present each is followed by a re-check (get, set, bind,
    # connect, unbind and disconnect are wrapped by _rechecking below).
    def _recheck_if_waiting(self) -> None:
        if (self._recvq or self._sendq) and not self._closed:
            self._soon()

    def _on_waiter_done(self, fut: asyncio.Future) -> None:
        if fut.cancelled() and not self._closed:
            self._soon()

    def close(self, linger: int | None = None) -> None:
        if not self._closed:
            self._cancel_all()
        super().close(linger)

    # ---- awaitable API --------------------------------------------------------
    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> asyncio.Future:
        """Awaitable: one message part (bytes, or a Frame if copy=False)."""
        base = super().recv
        return self._start(self._recvq, lambda: base(flags | _DONTWAIT, copy), flags)

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> asyncio.Future:
        """Awaitable: every part of one message."""
        base = super().recv_multipart
        return self._start(self._recvq, lambda: base(flags | _DONTWAIT, copy), flags)

    def send(self, data: Any, flags: int = 0, copy: bool = True, track: bool = False,
             **kwargs: Any) -> asyncio.Future:
        """Awaitable: resolves once the part is queued for sending."""
        base = super().send
        return self._start(self._sendq, lambda: base(data, flags | _DONTWAIT, copy, track,
                                                     **kwargs), flags)

    def send_multipart(self, msg_parts: Any, flags: int = 0, copy: bool = True,
                       track: bool = False, **kwargs: Any) -> asyncio.Future:
        """Awaitable: resolves once the whole message is queued."""
        base = super().send_multipart
        parts = list(msg_parts)
        return self._start(self._sendq, lambda: base(parts, flags | _DONTWAIT, copy, track),
                           flags)

    async def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> str:
        return (await self.recv(flags)).decode(encoding)

    async def send_string(self, u: str, flags: int = 0, copy: bool = True,
                          encoding: str = "utf-8", **kwargs: Any) -> None:
        if not isinstance(u, str):
            raise TypeError("send_string takes a str")
        await self.send(u.encode(encoding), flags, copy, **kwargs)

    recv_unicode = recv_string
    send_unicode = send_string

    async def recv_json(self, flags: int = 0, **kwargs: Any) -> Any:
        return jsonapi.loads(await self.recv(flags), **kwargs)

    async def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> None:
        send_kw = _socket.split_send_kwargs(kwargs)
        await self.send(jsonapi.dumps(obj, **kwargs), flags, **send_kw)

    async def recv_pyobj(self, flags: int = 0) -> Any:
        return pickle.loads(await self.recv(flags))

    async def send_pyobj(self, obj: Any, flags: int = 0, protocol: int = pickle.DEFAULT_PROTOCOL,
                         **kwargs: Any) -> None:
        await self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    async def recv_serialized(self, deserialize: Any, flags: int = 0, copy: bool = True) -> Any:
        return deserialize(await self.recv_multipart(flags, copy))

    async def send_serialized(self, msg: Any, serialize: Any, flags: int = 0, copy: bool = True,
                              **kwargs: Any) -> None:
        await self.send_multipart(serialize(msg), flags, copy, **kwargs)

    def poll(self, timeout: int | None = None, flags: int = _c.POLLIN) -> asyncio.Future:
        """Awaitable: the ready events within ``timeout`` ms (0 if none)."""
        p = Poller()
        p.register(self, flags)
        loop = self._loop()

        async def run() -> int:
            return dict(await p.poll(timeout)).get(self, 0)
        return asyncio.ensure_future(run(), loop=loop)


def _rechecking(name: str) -> Callable[..., Any]:
    """The base Socket's method ``name``, followed by a ZMQ_EVENTS re-check
    when waiters are queued (see Socket._recheck_if_waiting)."""
    base = getattr(_socket.Socket, name)

    def method(self: Socket, *args: Any, **kwargs: Any) -> Any:
        try:
            return base(self, *args, **kwargs)
        finally:
            self._recheck_if_waiting()
    method.__name__ = method.__qualname__ = name
    method.__doc__ = base.__doc__
    return method


for _name in ("get", "set", "bind", "connect", "unbind", "disconnect"):
    setattr(Socket, _name, _rechecking(_name))
Socket.getsockopt = Socket.get
Socket.setsockopt = Socket.set


class Poller(_poll.Poller):
    """An asyncio Poller: ``await poller.poll(timeout_ms)``."""

    def poll(self, timeout: int | None = None) -> asyncio.Future:  # type: ignore[override]
        """Awaitable list of ready ``(socket, events)``; [] on timeout."""
        return asyncio.ensure_future(self._poll(timeout))

    async def _poll(self, timeout: int | None) -> list[tuple[Any, int]]:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None or timeout < 0 else loop.time() + timeout / 1000.0
        watch = _FdWatch.of(loop)
        while True:
            ready = _poll.zmq_poll(self.sockets, 0)
            if ready:
                return ready
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return []
            wake = loop.create_future()

            def fire(w: asyncio.Future = wake) -> None:
                if not w.done():
                    w.set_result(None)
            tokens = []
            try:
                for obj, events in self.sockets:
                    if isinstance(obj, _socket.Socket):
                        tokens.append(watch.add(obj.FD, fire))
                        continue
                    fd = _poll._fd_of(obj)
                    if events & _c.POLLIN:
                        tokens.append(watch.add(fd, fire))
                    if events & _c.POLLOUT:
                        tokens.append(watch.add(fd, fire, write=True))
                try:
                    await asyncio.wait_for(wake, remaining)
                except asyncio.TimeoutError:
                    pass
            finally:
                for t in tokens:
                    watch.remove(t)


class Context(_context.Context):
    """A Context whose sockets are asyncio Sockets."""

    _socket_class = Socket
    _instance = None


def _running() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


__all__ = ["Context", "Socket", "Poller"]
