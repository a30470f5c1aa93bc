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


def _named(names: tuple[str, ...]) -> dict[str, int]:
    """names -> values in the header's order (an older alias after its
    current name, so the enum's canonical name is the current one)."""
    return {name: getattr(_c, name) for name in names}


_events = _group("EVENT_")
_events.pop("ALL_V1", None)
_events.pop("ALL_V2", None)
Event = enum.IntFlag("Event", _events, module=__name__)
# zmq.h's own lists (gen_constants.py): the Socket and Context attribute
# tables are built from these enums (socket.SOCKET_OPTIONS, context.py).
SocketType = enum.IntEnum("SocketType", _named(_c.SOCKET_TYPE_NAMES), module=__name__)
PollEvent = enum.IntFlag("PollEvent", _group("", ["POLLIN", "POLLOUT", "POLLERR", "POLLPRI"]),
                         module=__name__)
Flag = enum.IntFlag("Flag", {"DONTWAIT": _c.DONTWAIT, "SNDMORE": _c.SNDMORE},
                    module=__name__)
SecurityMechanism = enum.IntEnum("SecurityMechanism", {"NULL": _c.NULL, "PLAIN": _c.PLAIN,
                                                       "CURVE": _c.CURVE,
                                                       "GSSAPI": _c.GSSAPI}, module=__name__)

SocketOption = enum.IntEnum("SocketOption", _named(_c.SOCKET_OPTION_NAMES),
                            module=__name__)
ContextOption = enum.IntEnum("ContextOption", _named(_c.CONTEXT_OPTION_NAMES),
                             module=__name__)
Errno = enum.IntEnum("Errno", _group("", [n for n in dir(_c) if n.startswith("E")
                                          and n.isupper() and not n.startswith("EVENT")]),
                     module=__name__)
