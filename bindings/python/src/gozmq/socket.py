"""Socket: pyzmq's zmq.Socket over zmq_* calls.

Each send or receive is one call into the library: a non-blocking try that
keeps the GIL (cheap, and enough whenever a message is ready or there is
room), and only if that would block, the blocking call that releases the
GIL and waits in the library's ppoll. A signal interrupts that wait; the
signal's Python handler then runs (Ctrl-C raises KeyboardInterrupt) and,
if it returns, the call is retried, as pyzmq does.

On gozmq's library, recv() of PULL, PAIR, DEALER and ROUTER sockets takes
several parts per call into the library (see _Batch): a ctypes call costs
more than pyzmq's whole receive.
"""

from __future__ import annotations

import ctypes
import errno as _errno
import json
import pickle
import random
import struct
from collections import deque
from ctypes import byref, c_char, c_int, c_int64, c_size_t, c_void_p
from typing import Any, Sequence

from . import _lib
from . import constants as _c
from .constants_enum import SocketOption, SocketType
from .error import Again, ZMQBindError, ZMQError, error_for, raise_errno
from . import frame as _frame
from .frame import (_FINISHED_TRACKER, Frame, MessageTracker, _Part, _PeerMeta, _draft,
                    _new_frame, _new_msg, _pool_pop, _release_msg)

_DONTWAIT = _c.DONTWAIT
_SNDMORE = _c.SNDMORE
_EINTR = _errno.EINTR
_EAGAIN = _errno.EAGAIN
_get_errno = _lib.errno
_raw_send = _lib.raw_send
_raw_msg_recv = _lib.raw_msg_recv
_msg_data = _lib.raw_msg_data
_msg_more = _lib.raw_msg_more
_INT_MAX = _lib.INT_MAX
_raw_getsockopt = _lib.raw_getsockopt
_msg_size = _lib.zmq_msg_size
_GZ = _lib.GOZMQ_LAYOUT
_VSM = _lib.VSM
_VSM_MAX = _lib.VSM_MAX
_SMALL_BODY = _frame.SMALL_BODY
_EVENTS = _c.EVENTS
_RCVMORE = _c.RCVMORE
_POLLIN = _c.POLLIN
_raw_batch = _lib.raw_recv_batch
_raw_wanted = _lib.raw_wanted

# ---- receive batches -----------------------------------------------------------
# A ctypes call costs 0.3-0.7 us here, more than pyzmq's whole Cython
# receive, and one receive cannot take fewer than one call. So on gozmq's
# library a copy=True receive on an empty batch calls gozmq_recv_batch,
# which returns the part asked for plus up to _BATCH_PARTS-1 parts already
# queued behind it (those the library's C receive cache holds: up to 128,
# filled by the same call into Go), copied back to back into one buffer;
# Python splits the buffer into bytes objects (one C call, struct, per
# batch) and the following receives pop them from the socket's deque _bq
# without any call. PULL, PAIR, DEALER, ROUTER and SUB batch: an
# unsubscription drops the batched SUB messages it no longer admits, as
# the library does for its own cache (Socket._refilter, asking the library
# through gozmq_wanted). XSUB does not (subscriptions are messages it
# sends), nor do shadow sockets (another object may receive from the same
# socket).
#
# What the application sees stays the same: ZMQ_EVENTS, poll() and
# Pollers report POLLIN while _bq (or _fq) holds parts; ZMQ_RCVMORE is the MORE flag
# of the last part handed out (the batch's flags are kept, see _rcvmore);
# close() and Context.term() drop the batch (the library then answers
# ENOTSOCK or ETERM, as it would with parts queued).
#
# copy=False receives batch too (Socket._recv_frames), into _fq: the call
# then also stops before a part of another connection (GOZMQ_BATCH_ONE_PEER)
# and leaves the batch's metadata in an empty message, which all the
# batch's Frames share for Frame.get (frame._PeerMeta); the Frames are
# made for the whole batch in one loop (frame._Part). A part larger than
# the buffer still arrives zero-copy in a message of its own. Parts one
# kind of batch took and the other kind of receive hands out keep their
# order (bytes from a Frame batch; Frames without metadata from a bytes
# batch).
_BATCH_TYPES = frozenset({_c.PULL, _c.PAIR, _c.DEALER, _c.ROUTER}
                         | ({_c.SUB} if _lib.raw_wanted is not None else set()))
_REFILTER_OPTS = frozenset({_c.UNSUBSCRIBE, _c.INVERT_MATCHING})  # see Socket._refilter
_BATCH_BYTES = 65536  # a first part larger than this arrives as with zmq_msg_recv
_BATCH_PARTS = 160  # more than the library's cache holds (GZ_RXQ_CAP, 128) plus the part asked for
_ONE_PEER = 0x10000  # GOZMQ_BATCH_ONE_PEER (capi/zmq.c)
# Splitters by the batch's sizes (as raw size_t bytes): a struct.Struct of
# "<n>s" fields splits a batch into bytes objects in C (35 ns a part here,
# against 150 for a Python loop of slices). Steady streams repeat a few
# shapes; with sizes that never repeat the table fills up and batches are
# sliced in Python.
_SPLITTERS: dict = {}
_SPLITTERS_MAX = 256


class _Batch:
    """One socket's receive batch buffers; the parts themselves wait in the
    socket's _bq (as bytes) or _fq (as Frames), never both at once. src:
    the last part handed out came from a batch (its MORE flag is
    mb[len(mb) - len(_bq) - len(_fq) - 1]); false once a part was received
    another way (larger than the buffer, or by recv_into). The 33 KiB of
    buffers are allocated by the first batch (sockets that only send never
    need them)."""

    __slots__ = ("buf", "sizes", "szraw", "mores", "mb", "src")

    def __init__(self) -> None:
        self.buf = self.sizes = self.szraw = self.mores = None
        self.mb = b""
        self.src = False

    def allocate(self) -> None:
        self.buf = (c_char * _BATCH_BYTES)()
        self.sizes = (c_size_t * _BATCH_PARTS)()
        self.szraw = (c_char * ctypes.sizeof(self.sizes)).from_buffer(self.sizes)
        self.mores = (c_char * _BATCH_PARTS)()


def _split(bt: _Batch, n: int) -> Any:
    """The n parts in bt.buf as bytes objects (a tuple or a list)."""
    key = bt.szraw[:n * ctypes.sizeof(c_size_t)]
    split = _SPLITTERS.get(key)
    if split is None:
        sizes = bt.sizes[:n]
        if len(_SPLITTERS) >= _SPLITTERS_MAX:
            data = bt.buf[:sum(sizes)]
            parts, off = [], 0
            for size in sizes:
                parts.append(data[off:off + size])
                off += size
            return parts
        split = _SPLITTERS[key] = struct.Struct("".join(["%ds" % s for s in sizes])).unpack_from
    return split(bt.buf)

# Option value types (zmq_setsockopt(3)); everything not listed is an int.
_BYTES_OPTS = {
    _c.ROUTING_ID, _c.SUBSCRIBE, _c.UNSUBSCRIBE, _c.LAST_ENDPOINT, _c.TCP_ACCEPT_FILTER,
    _c.PLAIN_USERNAME, _c.PLAIN_PASSWORD, _c.ZAP_DOMAIN, _c.CURVE_PUBLICKEY,
    _c.CURVE_SECRETKEY, _c.CURVE_SERVERKEY, _c.GSSAPI_PRINCIPAL, _c.GSSAPI_SERVICE_PRINCIPAL,
    _c.SOCKS_PROXY, _c.XPUB_WELCOME_MSG, _c.CONNECT_ROUTING_ID, _c.BINDTODEVICE, _c.METADATA,
    _c.SOCKS_USERNAME, _c.SOCKS_PASSWORD, _c.WSS_KEY_PEM, _c.WSS_CERT_PEM, _c.WSS_TRUST_PEM,
    _c.WSS_HOSTNAME, _c.HELLO_MSG, _c.DISCONNECT_MSG, _c.HICCUP_MSG,
}
_INT64_OPTS = {_c.AFFINITY, _c.MAXMSGSIZE, _c.VMCI_BUFFER_SIZE, _c.VMCI_BUFFER_MIN_SIZE,
               _c.VMCI_BUFFER_MAX_SIZE}
_CURVE_KEYS = {_c.CURVE_PUBLICKEY, _c.CURVE_SECRETKEY, _c.CURVE_SERVERKEY}
# Options whose value is NUL-terminated text in the library.
_TEXT_OPTS = {_c.LAST_ENDPOINT, _c.PLAIN_USERNAME, _c.PLAIN_PASSWORD, _c.ZAP_DOMAIN,
              _c.SOCKS_PROXY, _c.BINDTODEVICE, _c.GSSAPI_PRINCIPAL,
              _c.GSSAPI_SERVICE_PRINCIPAL, _c.SOCKS_USERNAME, _c.SOCKS_PASSWORD}

# Option attributes (sock.linger, sock.identity, ...): SocketOption's
# names, aliases included, which come from zmq.h's option sections.
SOCKET_OPTIONS = {name: int(value) for name, value in SocketOption.__members__.items()}
_TYPE_NAMES = {t.value: t.name for t in SocketType}


def _retry(fn, *args):
    """Calls a blocking C function, retrying after EINTR once the pending
    signal handlers have run (KeyboardInterrupt propagates from them)."""
    while True:
        rc = fn(*args)
        if rc >= 0:
            return rc
        e = _get_errno()
        if e != _EINTR:
            raise error_for(e)
        _lib.check_signals()


def _handle_arg(handle: int) -> Any:
    """The socket handle as the hot calls (no argtypes) pass it: a ctypes
    byref() whose address is the handle. ctypes converts a c_void_p argument
    by making a new argument object on every call; a byref object it copies
    as it is (measured: 40-50 ns less per call, a tenth of a send's ctypes
    cost). The c_char it points at is never read or written."""
    if not handle:
        return c_void_p(None)
    return byref(c_char.from_address(handle))


def _as_bytes(data: Any) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        raise TypeError("str is not allowed, use send_string (or encode it)")
    try:
        return bytes(memoryview(data))
    except TypeError:
        raise TypeError(f"expected bytes or a buffer, got {type(data).__name__}") from None


def _nbytes(data: Any) -> int:
    try:
        return memoryview(data).nbytes
    except TypeError:
        raise TypeError(f"expected bytes or a buffer, got {type(data).__name__}") from None


def _class_attr(cls: type, key: str) -> bool:
    """True if key is defined (or annotated) by cls or a base: such names
    are plain attributes, all others are socket options."""
    for c in cls.__mro__:
        if key in c.__dict__ or key in c.__dict__.get("__annotations__", {}):
            return True
    return False



def split_send_kwargs(kwargs: dict) -> dict:
    """Takes send()'s own keywords (copy, track, routing_id, group) out of
    kwargs, leaving the serializer's (send_json passes the rest on to
    json.dumps, as pyzmq does)."""
    return {k: kwargs.pop(k) for k in ("copy", "track", "routing_id", "group") if k in kwargs}

class Socket:
    """A ZeroMQ socket. Create it with ``Context.socket(type)``.

    Not thread-safe (like libzmq's sockets): use each socket from one thread
    at a time. Socket options can be read and written as attributes
    (``sock.linger = 0``, ``sock.rcvmore``) or with ``set``/``get``.
    """

    _closed: bool
    _monitor_socket: "Socket | None"
    # send(copy=False) copies bodies below this many bytes (pyzmq's rule).
    copy_threshold: int

    def __init__(self, context: Any = None, socket_type: int = -1, *, shadow: int = 0,
                 copy_threshold: int | None = None):
        if context is not None and not hasattr(context, "_h"):
            # Socket(socket_type) style is not pyzmq's; a context is required.
            raise TypeError("Socket needs a Context (use ctx.socket(type))")
        d = self.__dict__
        d["_closed"] = True
        d["_monitor_socket"] = None
        d["context"] = context
        d["_shadow"] = bool(shadow)
        d["_bq"] = deque()  # batched parts not yet handed out (_Batch)
        d["_fq"] = deque()  # the same as Frames (_recv_frames); one of the two is empty
        d["_bt"] = None
        d["copy_threshold"] = (_frame.default_copy_threshold() if copy_threshold is None
                               else copy_threshold)
        if shadow:
            handle = shadow.underlying if hasattr(shadow, "underlying") else int(shadow)
        else:
            handle = _lib.zmq_socket(context._h, socket_type)
            if not handle:
                raise_errno(_lib.errno())
        d["_h"] = c_void_p(handle)
        d["_hp"] = _handle_arg(handle)
        # The message recv() receives into (zmq_msg_recv releases what it
        # held). recv's state is one tuple (each attribute read costs
        # ~40 ns): the handle, the message, and two views of the message
        # that gozmq's layout gives (inline body, data pointer), read
        # without a call into the library.
        m = d["_msg"] = _lib.msg_t()
        _lib.zmq_msg_init(m)
        d["_rx"] = (d["_hp"], m, (c_char * _lib.VSM_MAX).from_buffer(m),
                    ctypes.POINTER(c_char).from_buffer(m, ctypes.sizeof(c_void_p)))
        if _raw_batch is not None and not shadow and socket_type in _BATCH_TYPES:
            d["_bt"] = _Batch()
        d["_closed"] = False
        if context is not None and not shadow:
            context._sockets.add(self)
            for opt, value in context.sockopts.items():
                try:
                    self.set(opt, value)
                except ZMQError:
                    pass  # an option that does not apply to this socket type

    @classmethod
    def shadow(cls, address: int | Any) -> "Socket":
        """A Socket object over an existing socket handle (not owned)."""
        return cls(None, shadow=address)

    # ---- lifetime ---------------------------------------------------------------
    def __del__(self) -> None:
        if not self.__dict__.get("_closed", True) and not self._shadow:
            try:
                self.close()
            except Exception:
                pass

    def __enter__(self) -> "Socket":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        name = _TYPE_NAMES.get(self.type, "?") if not self._closed else "closed"
        return f"<gozmq.Socket({name}) at {hex(id(self))}>"

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._closed

    @property
    def underlying(self) -> int:
        """The C socket handle (void *) as an int."""
        return self._h.value or 0

    def close(self, linger: int | None = None) -> None:
        """Closes the socket; with ``linger`` (ms), sets ZMQ_LINGER first.
        Idempotent."""
        if self._closed:
            return
        if linger is not None:
            v = c_int(linger)  # fails with ETERM once the context is terminating: fine
            _lib.zmq_setsockopt(self._h, _c.LINGER, byref(v), 4)
        mon = self._monitor_socket
        if mon is not None:
            self.__dict__["_monitor_socket"] = None
            mon.close(linger=0)
        self.__dict__["_closed"] = True
        self._bq.clear()
        self._fq.clear()
        if self._shadow:  # the C socket belongs to someone else
            _lib.zmq_msg_close(self._msg)
        else:
            rc = _lib.zmq_close(self._h)
            e = _lib.errno() if rc != 0 else 0
            # Later calls pass NULL, which every libzmq answers with ENOTSOCK
            # (a stale handle would be a use-after-free in libzmq).
            self.__dict__["_h"] = self.__dict__["_hp"] = c_void_p(None)
            self.__dict__["_rx"] = (self._h,) + self._rx[1:]
            if self.context is not None:
                self.context._sockets.discard(self)
            _lib.zmq_msg_close(self._msg)
            if rc != 0:
                raise_errno(e)

    # ---- endpoints ----------------------------------------------------------
    def bind(self, addr: str | bytes) -> "_Endpoint":
        """zmq_bind. Returns a context manager that unbinds on exit."""
        a = addr.encode() if isinstance(addr, str) else addr
        if _lib.zmq_bind(self._h, a) != 0:
            e = _get_errno()
            err = error_for(e)
            err.strerror = f"{err.strerror} (addr={addr!r})"
            raise err
        return _Endpoint(self, "unbind", addr)

    def connect(self, addr: str | bytes) -> "_Endpoint":
        """zmq_connect. Returns a context manager that disconnects on exit."""
        a = addr.encode() if isinstance(addr, str) else addr
        if _lib.zmq_connect(self._h, a) != 0:
            raise_errno(_lib.errno())
        return _Endpoint(self, "disconnect", addr)

    def unbind(self, addr: str | bytes) -> None:
        """zmq_unbind."""
        a = addr.encode() if isinstance(addr, str) else addr
        if _lib.zmq_unbind(self._h, a) != 0:
            raise_errno(_lib.errno())

    def disconnect(self, addr: str | bytes) -> None:
        """zmq_disconnect."""
        a = addr.encode() if isinstance(addr, str) else addr
        if _lib.zmq_disconnect(self._h, a) != 0:
            raise_errno(_lib.errno())

    def bind_to_random_port(self, addr: str, min_port: int = 49152, max_port: int = 65536,
                            max_tries: int = 100) -> int:
        """Binds to ``addr:<port>`` and returns the port. With the default
        range the system picks a free port (``addr:*``); otherwise random
        ports in [min_port, max_port) are tried ``max_tries`` times, then
        ZMQBindError is raised."""
        if min_port == 49152 and max_port == 65536:
            self.bind(f"{addr}:*")
            return int(self.last_endpoint.decode().rsplit(":", 1)[-1])
        for _ in range(max_tries):
            port = random.randrange(min_port, max_port)
            try:
                self.bind(f"{addr}:{port}")
            except ZMQError as e:
                if e.errno not in (_errno.EADDRINUSE, _errno.EACCES):
                    raise
            else:
                return port
        raise ZMQBindError("Could not bind socket to random port.")

    # ---- options ------------------------------------------------------------
    def set(self, option: int, optval: Any) -> None:
        """zmq_setsockopt. Bytes options take bytes (CURVE keys: 32 raw
        bytes or 40 Z85 characters), others an int."""
        if option in _BYTES_OPTS:
            if isinstance(optval, str):
                raise TypeError("str is not allowed for a bytes option, use set_string")
            buf = bytes(optval)
            rc = _lib.zmq_setsockopt(self._h, option, buf, len(buf))
        elif option in _INT64_OPTS:
            v = c_int64(optval)
            rc = _lib.zmq_setsockopt(self._h, option, byref(v), 8)
        else:
            if not isinstance(optval, int):
                raise TypeError(f"option {option} takes an int, got {type(optval).__name__}")
            v = c_int(optval)
            rc = _lib.zmq_setsockopt(self._h, option, byref(v), 4)
        if rc != 0:
            raise_errno(_lib.errno())
        if option in _REFILTER_OPTS and (self._bq or self._fq):
            self._refilter()

    setsockopt = set

    def _refilter(self) -> None:
        """Drops the batched SUB messages that the socket's subscriptions
        no longer admit (after an unsubscription: libzmq filters queued
        messages as they are received, and the library's own receive
        cache does the same). A message is judged by its first part
        (gozmq_wanted, one call each: this is rare); parts that continue
        a message the application has begun to receive are kept."""
        bt = self._bt
        frames = not self._bq
        q = self._fq if frames else self._bq
        mb = bt.mb
        start = len(mb) - len(q)  # mb index of q[0]
        cont = self._rcvmore()
        keep, keep_mb = [], bytearray()
        drop = False
        for i, item in enumerate(q):
            if not cont:
                data = item._bytes if frames else item
                r = _raw_wanted(self._hp, data, len(data))
                if r < 0:
                    raise_errno(_get_errno())
                drop = r == 0
            more = mb[start + i]
            cont = more != 0
            if not drop:
                keep.append(item)
                keep_mb.append(more)
        q.clear()
        q.extend(keep)
        bt.mb = mb[:start] + bytes(keep_mb)

    def get(self, option: int) -> Any:
        """zmq_getsockopt: an int for numeric options, bytes for the others
        (text options without the trailing NUL, CURVE keys in Z85)."""
        if option in _BYTES_OPTS:
            size = 41 if option in _CURVE_KEYS else 256
            buf = ctypes.create_string_buffer(size)
            n = c_size_t(size)
            if _lib.zmq_getsockopt(self._h, option, buf, byref(n)) != 0:
                raise_errno(_lib.errno())
            raw = buf.raw[:n.value]
            if option in _CURVE_KEYS or option in _TEXT_OPTS:
                raw = raw.rstrip(b"\0")
            return raw
        if option in _INT64_OPTS:
            v = c_int64()
            n = c_size_t(8)
        else:
            v = c_int()
            n = c_size_t(4)
        if _lib.zmq_getsockopt(self._h, option, byref(v), byref(n)) != 0:
            raise_errno(_lib.errno())
        if option == _EVENTS and (self._bq or self._fq):
            return v.value | _POLLIN
        if option == _RCVMORE and self._bt is not None and self._bt.src:
            return int(self._rcvmore())
        return v.value

    getsockopt = get

    def set_string(self, option: int, optval: str, encoding: str = "utf-8") -> None:
        """Sets a text option from a str."""
        if not isinstance(optval, str):
            raise TypeError(f"expected str, got {type(optval).__name__}")
        self.set(option, optval.encode(encoding))

    setsockopt_string = set_string
    setsockopt_unicode = set_string

    def get_string(self, option: int, encoding: str = "utf-8") -> str:
        """Reads a text option as a str."""
        if option not in _BYTES_OPTS:
            raise TypeError(f"option {option} is not a text option")
        return self.get(option).decode(encoding)

    getsockopt_string = get_string
    getsockopt_unicode = get_string

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self.__dict__ or _class_attr(type(self), key):
            object.__setattr__(self, key, value)
            return
        opt = SOCKET_OPTIONS.get(key.upper())
        if opt is None:
            raise AttributeError(f"{type(self).__name__} has no such option: {key.upper()}")
        self.set(opt, value)

    @property
    def hwm(self) -> int:
        """SNDHWM (setting it sets both SNDHWM and RCVHWM)."""
        return self.get(_c.SNDHWM)

    @hwm.setter
    def hwm(self, value: int) -> None:
        self.set_hwm(value)

    def set_hwm(self, value: int) -> None:
        """Sets SNDHWM and RCVHWM."""
        self.set(_c.SNDHWM, value)
        self.set(_c.RCVHWM, value)

    def get_hwm(self) -> int:
        return self.get(_c.SNDHWM)

    @property
    def type(self) -> int:
        return self.get(_c.TYPE)

    socket_type = type

    @property
    def FD(self) -> int:
        """ZMQ_FD: readable when the socket's state may have changed; after
        it fires, read ZMQ_EVENTS (edge-triggered, as libzmq's)."""
        return self.get(_c.FD)

    def fileno(self) -> int:
        """ZMQ_FD, so a Socket can be given to selectors and event loops."""
        return self.get(_c.FD)

    def subscribe(self, topic: str | bytes) -> None:
        """SUBSCRIBE to a topic (str is UTF-8 encoded)."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(_c.SUBSCRIBE, topic)

    def unsubscribe(self, topic: str | bytes) -> None:
        """UNSUBSCRIBE from a topic."""
        if isinstance(topic, str):
            topic = topic.encode("utf-8")
        self.set(_c.UNSUBSCRIBE, topic)

    def join(self, group: str | bytes) -> None:
        """Draft: a DISH joins a RADIO group."""
        self._group_call(_lib.zmq_join, "join", group)

    def leave(self, group: str | bytes) -> None:
        """Draft: a DISH leaves a RADIO group."""
        self._group_call(_lib.zmq_leave, "leave", group)

    def _group_call(self, fn: Any, what: str, group: str | bytes) -> None:
        if isinstance(group, str):
            group = group.encode("utf-8")
        if _draft(fn, what)(self._h, group) != 0:
            raise_errno(_get_errno())

    # ---- send ----------------------------------------------------------------
    def send(self, data: Any, flags: int = 0, copy: bool = True, track: bool = False,
             routing_id: int | None = None, group: str | None = None) -> MessageTracker | None:
        """Sends one message part. ``data`` is bytes, a buffer or a Frame.
        Raises Again if DONTWAIT is set and the send would block.

        ``copy=False`` sends a body of at least ``copy_threshold`` bytes
        without copying it (gozmq's library: the memory is lent until the
        library is done, see Frame); smaller ones are copied anyway.
        Returns a MessageTracker when a Frame is sent or ``copy=False``
        (finished at once for copied bodies; None for an untracked lent
        one), else None. ``routing_id`` (CLIENT/SERVER) and ``group``
        (RADIO/DISH) need the draft API."""
        if routing_id is not None or group is not None:
            if not isinstance(data, Frame):
                data = Frame(data, track=track, copy=copy or None,
                             copy_threshold=self.copy_threshold)
            if routing_id is not None:
                data.routing_id = routing_id
            if group is not None:
                data.group = group
        if type(data) is bytes:
            if copy or len(data) < self.copy_threshold:
                n = len(data)
                if n <= _INT_MAX:
                    if _raw_send(self._hp, data, n, flags | _DONTWAIT) < 0:
                        self._send_wait(data, flags, _get_errno())
                    return None if copy else _FINISHED_TRACKER
        elif isinstance(data, Frame):
            if track and data.tracker is None:
                raise ValueError("Not a tracked message")
            self._send_frame(data, flags)
            return data.tracker
        elif isinstance(data, str):
            raise TypeError("str is not allowed, use send_string (or encode it)")
        if copy or _nbytes(data) < self.copy_threshold:
            data = _as_bytes(data)
            send = _raw_send if len(data) <= _INT_MAX else _lib.fast_send
            if send(self._hp, data, len(data), flags | _DONTWAIT) < 0:
                self._send_wait(data, flags, _get_errno())
            return None if copy else _FINISHED_TRACKER
        frame = Frame(data, track=track, copy=False)
        self._send_frame(frame, flags)
        return frame.tracker

    def _send_wait(self, data: bytes, flags: int, e: int) -> None:
        if e == _EINTR:
            _lib.check_signals()
        elif e != _EAGAIN or flags & _DONTWAIT:
            raise error_for(e)
        _retry(_lib.zmq_send, self._h, data, len(data), flags)

    def _send_frame(self, frame: Frame, flags: int) -> None:
        if frame._msg is None:  # a batched part (see _recv_frames): send its bytes
            data = frame._bytes
            if _raw_send(self._hp, data, len(data), flags | _DONTWAIT) < 0:
                self._send_wait(data, flags, _get_errno())
            return
        # The frame stays usable: send a copy of its message (shares the data).
        tmp = _lib.msg_t()
        _lib.raw_msg_init(tmp)
        if _lib.zmq_msg_copy(tmp, frame._msg) != 0:
            raise_errno(_lib.errno())
        if _lib.fast_msg_send(tmp, self._h, flags | _DONTWAIT) >= 0:
            return
        e = _get_errno()
        if e == _EAGAIN and not flags & _DONTWAIT:
            try:
                _retry(_lib.zmq_msg_send, tmp, self._h, flags)
                return
            except BaseException:
                _lib.zmq_msg_close(tmp)
                raise
        _lib.zmq_msg_close(tmp)
        raise error_for(e)

    def send_multipart(self, msg_parts: Sequence[Any], flags: int = 0, copy: bool = True,
                       track: bool = False, **kwargs: Any) -> MessageTracker | None:
        """Sends a sequence of parts as one multipart message."""
        for i, part in enumerate(msg_parts):
            if isinstance(part, (bytes, Frame)):
                continue
            try:
                memoryview(part)
            except TypeError:
                raise TypeError(f"Frame {i} ({part!r:.32}) does not support the buffer "
                                "interface") from None
        last = len(msg_parts) - 1
        send = Socket.send  # not an override (asyncio's returns futures)
        for i, part in enumerate(msg_parts):
            tracker = send(self, part, (flags | _SNDMORE) if i < last else flags, copy=copy,
                           track=track, **kwargs)
        return tracker if msg_parts else None

    def send_string(self, u: str, flags: int = 0, copy: bool = True, encoding: str = "utf-8",
                    **kwargs: Any) -> MessageTracker | None:
        """Sends a str, encoded (UTF-8 by default)."""
        if not isinstance(u, str):
            raise TypeError("send_string takes a str")
        return self.send(u.encode(encoding), flags, copy, **kwargs)

    send_unicode = send_string

    def send_json(self, obj: Any, flags: int = 0, **kwargs: Any) -> MessageTracker | None:
        """Sends obj as JSON (UTF-8)."""
        send_kw = split_send_kwargs(kwargs)
        return self.send(json.dumps(obj, **kwargs).encode("utf-8"), flags, **send_kw)

    def send_pyobj(self, obj: Any, flags: int = 0, protocol: int = pickle.DEFAULT_PROTOCOL,
                   **kwargs: Any) -> MessageTracker | None:
        """Sends obj pickled. Only unpickle data from peers you trust."""
        return self.send(pickle.dumps(obj, protocol), flags, **kwargs)

    def send_serialized(self, msg: Any, serialize: Any, flags: int = 0, copy: bool = True,
                        **kwargs: Any) -> MessageTracker | None:
        """Sends serialize(msg) (a list of parts) as a multipart message."""
        return self.send_multipart(serialize(msg), flags, copy, **kwargs)

    # ---- recv ----------------------------------------------------------------
    def recv(self, flags: int = 0, copy: bool = True, track: bool = False) -> Any:
        """Receives one message part: bytes, or a Frame if ``copy=False``.
        Raises Again if DONTWAIT is set (or RCVTIMEO expired) and nothing
        arrived."""
        if copy:
            q = self._bq
            if q:  # parts of a batch (see _Batch) come first
                return q.popleft()
            bt = self._bt
            if bt is not None:
                return self._recv_batch(bt, q, flags)
            h, m, vsm, pdata = self._rx
            n = _raw_msg_recv(m, h, flags | _DONTWAIT)
            if n < 0:
                n = self._recv_wait(m, flags, _get_errno())
            if n < _SMALL_BODY:
                if not _GZ:
                    return _msg_data(m)[:n]
                # One call per receive: the body is read out of the zmq_msg_t
                # (inline only if it fits, and the type byte says so).
                if n > _VSM_MAX or m[7] >> 32 & 255 != _VSM:
                    return pdata[:n]
                return vsm[:n]
            return self._recv_large(m, n)
        fq = self._fq
        if fq:  # Frames of a batch (see _recv_frames) come first
            return fq.popleft()
        bt = self._bt
        if bt is not None:
            return self._recv_frames(bt, fq, flags)
        # copy=False: a Frame takes over a (recycled) message of its own.
        try:
            m = _pool_pop()
        except IndexError:
            m = _new_msg()
        if _raw_msg_recv(m, self._hp, flags | _DONTWAIT) < 0:
            try:
                self._recv_wait(m, flags, _get_errno())
            except BaseException:
                _release_msg(m)
                raise
        f = _new_frame(Frame)  # _blank, inlined (hot)
        f._msg = m
        f.more = bool(m[7] >> 40 & 1) if _GZ else bool(_msg_more(m))
        f.tracker = f._bytes = f._lent = f._src = None
        return f

    def _recv_batch(self, bt: _Batch, q: deque, flags: int) -> bytes:
        """Receives a batch (one call; waits as recv does if none is
        there), hands out its first part and keeps the rest in q."""
        if self._fq:  # parts a copy=False batch took come first
            return self._fq.popleft()._bytes
        m = self._msg
        if bt.buf is None:
            bt.allocate()
        n = _raw_batch(self._hp, m, bt.buf, _BATCH_BYTES, bt.sizes, bt.mores, _BATCH_PARTS,
                       flags | _DONTWAIT)
        if n < 0:
            n = self._batch_wait(bt, m, flags, _get_errno())
        if n == 0:  # larger than the buffer: whole in m, as zmq_msg_recv leaves it
            bt.src = False
            return self._recv_large(m, _msg_size(m))
        bt.src = True
        bt.mb = bt.mores[:n]
        if n == 1:
            return bt.buf[:bt.sizes[0]]
        parts = _split(bt, n)
        q.extend(parts)
        return q.popleft()

    def _recv_frames(self, bt: _Batch, fq: deque, flags: int) -> Frame:
        """recv(copy=False) with no Frame batched: receives a batch of one
        connection's parts (one call; waits as recv does if none is
        there), makes them all Frames (frame._Part, sharing one _PeerMeta
        for their metadata), hands out the first and keeps the rest in fq.
        Making them here, in one loop, costs less than one at a time."""
        if self._bq:  # parts a copy=True batch took come first, without metadata
            data = self._bq.popleft()
            f = _new_frame(_Part)
            f._bytes, f._src, f.more = data, None, self._rcvmore()
            return f
        if bt.buf is None:
            bt.allocate()
        pm = _PeerMeta()
        m = pm.m
        n = _raw_batch(self._hp, m, bt.buf, _BATCH_BYTES, bt.sizes, bt.mores, _BATCH_PARTS,
                       flags | _ONE_PEER | _DONTWAIT)
        if n < 0:
            n = self._batch_wait(bt, m, flags | _ONE_PEER, _get_errno())
        if n == 0:  # larger than the buffer: whole in m, which a Frame takes over
            pm.m = None
            bt.src = False
            return _frame._blank(Frame, m, bool(m[7] >> 40 & 1))
        bt.src = True
        mb = bt.mb = bt.mores[:n]
        parts = _split(bt, n) if n > 1 else (bt.buf[:bt.sizes[0]],)
        new, part, put = _new_frame, _Part, fq.append
        if 1 in mb:  # some part has MORE
            for data, more in zip(parts, mb):
                f = new(part)
                f._bytes, f._src, f.more = data, pm, more == 1
                put(f)
        else:
            for data in parts:
                f = new(part)
                f._bytes, f._src, f.more = data, pm, False
                put(f)
        return fq.popleft()

    def _batch_wait(self, bt: _Batch, m: Any, flags: int, e: int) -> int:
        if e == _EINTR:
            _lib.check_signals()
        elif e != _EAGAIN or flags & _DONTWAIT:
            raise error_for(e)
        return _retry(_lib.raw_recv_batch_wait, self._hp, m, bt.buf, _BATCH_BYTES, bt.sizes,
                      bt.mores, _BATCH_PARTS, flags)

    def _recv_large(self, m: Any, n: int) -> bytes:
        """The body of a large message, copied; the message is emptied at
        once rather than holding the body until the next receive (it may
        be big, or memory lent by a sender in this process)."""
        if n >= _INT_MAX:  # the size was clamped
            n = _msg_size(m)
        data = _msg_data(m)[:n]
        more = _GZ and m[7] >> 40 & 1
        _lib.raw_msg_close(m)
        _lib.raw_msg_init(m)
        if more:  # keep MORE for _rcvmore (gozmq's layout: flags bit 0 of byte 61)
            m[7] |= 1 << 40
        return data

    def _recv_wait(self, m: Any, flags: int, e: int) -> int:
        if e == _EINTR:
            _lib.check_signals()
        elif e != _EAGAIN or flags & _DONTWAIT:
            raise error_for(e)
        return _retry(_lib.zmq_msg_recv, m, self._h, flags)

    def _recv_frame(self, flags: int) -> Frame:
        return Socket.recv(self, flags, False)

    def _events(self) -> int:
        """ZMQ_EVENTS with one plain call (asyncio reads it on every wake-up)."""
        box = self.__dict__.get("_events_box")
        if box is None:
            v, n = c_int(), c_size_t(4)
            box = self.__dict__["_events_box"] = (v, n, ctypes.pointer(v), ctypes.pointer(n))
        v, n, pv, pn = box
        n.value = 4
        if _raw_getsockopt(self._hp, _EVENTS, pv, pn) != 0:
            raise_errno(_get_errno())
        return v.value | _POLLIN if self._bq or self._fq else v.value

    def _rcvmore(self) -> bool:
        # MORE of the message just received, without an option call.
        bt = self._bt
        if bt is not None and bt.src:
            mb = bt.mb
            return mb[len(mb) - len(self._bq) - len(self._fq) - 1] != 0
        if _GZ:
            return bool((self._msg[7] or 0) >> 40 & 1)
        return bool(self.get(_c.RCVMORE))

    def recv_multipart(self, flags: int = 0, copy: bool = True, track: bool = False) -> list:
        """Receives every part of one multipart message, as a list of bytes
        (or of Frames if ``copy=False``)."""
        if not copy:
            parts = [self._recv_frame(flags)]
            while parts[-1].more:
                parts.append(self._recv_frame(flags))
            return parts
        recv = Socket.recv  # not an override (asyncio's returns futures)
        parts = [recv(self, flags)]
        while self._rcvmore():
            parts.append(recv(self, flags))
        return parts

    def recv_string(self, flags: int = 0, encoding: str = "utf-8") -> str:
        """Receives one part and decodes it (UTF-8 by default)."""
        return self.recv(flags).decode(encoding)

    recv_unicode = recv_string

    def recv_json(self, flags: int = 0, **kwargs: Any) -> Any:
        """Receives one part and parses it as JSON."""
        return json.loads(self.recv(flags), **kwargs)

    def recv_pyobj(self, flags: int = 0) -> Any:
        """Receives one part and unpickles it. Only from trusted peers."""
        return pickle.loads(self.recv(flags))

    def recv_serialized(self, deserialize: Any, flags: int = 0, copy: bool = True) -> Any:
        """deserialize(recv_multipart())."""
        return deserialize(self.recv_multipart(flags, copy=copy))

    def recv_into(self, buffer: Any, /, *, nbytes: int = 0, flags: int = 0) -> int:
        """zmq_recv into a writable buffer; returns the message's full size
        (data beyond the buffer is dropped, as zmq_recv does)."""
        view = memoryview(buffer).cast("B")
        if view.readonly:
            raise TypeError("recv_into needs a writable buffer")
        size = nbytes or len(view)
        if size > len(view):
            raise ValueError("nbytes larger than the buffer")
        if self._bq or self._fq:  # a batched part comes first (truncated as zmq_recv would)
            data = self._bq.popleft() if self._bq else self._fq.popleft()._bytes
            view[:min(size, len(data))] = data[:size]
            return len(data)
        c_buf = (c_char * len(view)).from_buffer(view)
        n = _retry(_lib.zmq_recv, self._h, c_buf, size, flags)
        if self._bt is not None:
            self._bt.src = False
        return n

    # ---- polling and monitoring ------------------------------------------------
    def poll(self, timeout: int | None = None, flags: int = _c.POLLIN) -> int:
        """Waits up to ``timeout`` ms (None: forever) for ``flags``; returns
        the events that are ready (0 on timeout)."""
        if self._closed:
            raise ZMQError(_errno.ENOTSUP)
        from .poll import Poller
        p = Poller()
        p.register(self, flags)
        return dict(p.poll(timeout)).get(self, 0)

    def monitor(self, addr: str | bytes | None, events: int = _c.EVENT_ALL) -> None:
        """zmq_socket_monitor: publish events on a PAIR endpoint (inproc)."""
        if isinstance(addr, str):
            addr = addr.encode()
        if _lib.zmq_socket_monitor(self._h, addr, events) != 0:
            raise_errno(_lib.errno())

    def get_monitor_socket(self, events: int | None = None, addr: str | None = None) -> "Socket":
        """Starts monitoring and returns a PAIR socket that receives the
        events (read them with gozmq.utils.monitor.recv_monitor_message)."""
        if self._monitor_socket is not None:
            return self._monitor_socket
        if addr is None:
            addr = f"inproc://monitor.s-{self.underlying:x}"
        self.monitor(addr, _c.EVENT_ALL if events is None else events)
        mon = self.context.socket(_c.PAIR)
        mon.connect(addr)
        self.__dict__["_monitor_socket"] = mon
        return mon

    def disable_monitor(self) -> None:
        """Stops monitoring (the monitor socket receives MONITOR_STOPPED)."""
        self.__dict__["_monitor_socket"] = None
        self.monitor(None, 0)


# Options as attributes (``sock.linger``, ``sock.RCVHWM``): a property per
# option name, in lower and upper case, made here rather than answered by a
# __getattr__. A class with __getattr__ gets Python's generic attribute
# lookup for every attribute of its objects, its methods included: measured
# on a socket (Python 3.11), a receive served from the batch took 182 ns
# with __getattr__ and 112 without, and ``sock.recv()`` written out in a
# loop 266 and 122 ns (a bound method is made per call when the lookup is
# generic). Setting an option in any case still works (__setattr__);
# reading one needs lower or upper case (pyzmq also takes mixed case).
def _option_property(name: str, opt: int) -> property:
    def fget(self: Socket) -> Any:
        try:
            return self.get(opt)
        except ZMQError as e:
            if e.errno in (_errno.EINVAL, _errno.EFAULT):
                raise AttributeError(f"{name.lower()} attribute is write-only") from None
            raise

    def fset(self: Socket, value: Any) -> None:
        self.set(opt, value)

    return property(fget, fset, doc=f"Socket option ZMQ_{name} (get/set, as get()/set()).")


for _name, _opt in SOCKET_OPTIONS.items():
    for _key in (_name.lower(), _name):
        if not _class_attr(Socket, _key):  # methods and properties keep their names
            setattr(Socket, _key, _option_property(_name, _opt))
del _name, _opt, _key


class _Endpoint:
    """bind()/connect() result: usable as a context manager that undoes it."""

    def __init__(self, socket: Socket, undo: str, addr: Any):
        self.socket, self.undo, self.addr = socket, undo, addr

    def __enter__(self) -> Socket:
        return self.socket

    def __exit__(self, *exc: Any) -> None:
        if not self.socket.closed:
            getattr(self.socket, self.undo)(self.addr)
