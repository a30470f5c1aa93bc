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
PollEvent = enum.IntFlag("PollEvent", _group("POLL"), module=__name__)
Flag = enum.IntFlag("Flag", {"DONTWAIT": _c.DONTWAIT, "SNDMORE": _c.SNDMORE},
                    module=__name__)
SecurityMechanism = enum.IntEnum("SecurityMechanism", {"NULL": _c.NULL, "PLAIN": _c.PLAIN,
                                                       "CURVE": _c.CURVE,
                                                       "GSSAPI": _c.GSSAPI}, module=__name__)
