"""Enum views of the constants, as pyzmq offers (zmq.Event, zmq.SocketType...)."""

from __future__ import annotations

import enum

from . import constants as _c


def _group(prefix: str, names: list[str] | None = None) -> dict[str, int]:
    out = {}
    for name in dir(_c):
        if names is not None:
            if name in names:
                out[name] = getattr(_c, name)
        elif name.startswith(prefix) and isinstance(getattr(_c, name), int):
            out[name[len(prefix):]] = getattr(_c, name)
    return out


_events = _group("EVENT_")
_events.pop("ALL_V1", None)
_events.pop("ALL_V2", None)
Event = enum.IntFlag("Event", _events, module=__name__)
SocketType = enum.IntEnum("SocketType", _group("", "PAIR PUB SUB REQ REP DEALER ROUTER PULL "
                                                "PUSH XPUB XSUB STREAM".split()),
                          module=__name__)
PollEvent = enum.IntFlag("PollEvent", _group("", ["POLLIN", "POLLOUT", "POLLERR", "POLLPRI"]),
                         module=__name__)
Flag = enum.IntFlag("Flag", {"DONTWAIT": _c.DONTWAIT, "SNDMORE": _c.SNDMORE},
                    module=__name__)
SecurityMechanism = enum.IntEnum("SecurityMechanism", {"NULL": _c.NULL, "PLAIN": _c.PLAIN,
                                                       "CURVE": _c.CURVE,
                                                       "GSSAPI": _c.GSSAPI}, module=__name__)

_SOCKET_OPTIONS = (
    "AFFINITY ROUTING_ID SUBSCRIBE UNSUBSCRIBE RATE RECOVERY_IVL SNDBUF RCVBUF RCVMORE FD "
    "EVENTS TYPE LINGER RECONNECT_IVL BACKLOG RECONNECT_IVL_MAX MAXMSGSIZE SNDHWM RCVHWM "
    "MULTICAST_HOPS RCVTIMEO SNDTIMEO LAST_ENDPOINT ROUTER_MANDATORY TCP_KEEPALIVE "
    "TCP_KEEPALIVE_CNT TCP_KEEPALIVE_IDLE TCP_KEEPALIVE_INTVL IMMEDIATE XPUB_VERBOSE "
    "ROUTER_RAW IPV6 MECHANISM PLAIN_SERVER PLAIN_USERNAME PLAIN_PASSWORD CURVE_SERVER "
    "CURVE_PUBLICKEY CURVE_SECRETKEY CURVE_SERVERKEY PROBE_ROUTER REQ_CORRELATE REQ_RELAXED "
    "CONFLATE ZAP_DOMAIN ROUTER_HANDOVER TOS CONNECT_ROUTING_ID HANDSHAKE_IVL SOCKS_PROXY "
    "XPUB_NODROP BLOCKY XPUB_MANUAL XPUB_WELCOME_MSG STREAM_NOTIFY INVERT_MATCHING "
    "HEARTBEAT_IVL HEARTBEAT_TTL HEARTBEAT_TIMEOUT XPUB_VERBOSER CONNECT_TIMEOUT TCP_MAXRT "
    "THREAD_SAFE MULTICAST_MAXTPDU USE_FD BINDTODEVICE"
).split()
SocketOption = enum.IntEnum("SocketOption", _group("", _SOCKET_OPTIONS), module=__name__)
ContextOption = enum.IntEnum("ContextOption", _group("", "IO_THREADS MAX_SOCKETS SOCKET_LIMIT "
                                                     "THREAD_PRIORITY THREAD_SCHED_POLICY "
                                                     "MAX_MSGSZ MSG_T_SIZE".split()),
                             module=__name__)
Errno = enum.IntEnum("Errno", _group("", [n for n in dir(_c) if n.startswith("E")
                                          and n.isupper() and not n.startswith("EVENT")]),
                     module=__name__)
