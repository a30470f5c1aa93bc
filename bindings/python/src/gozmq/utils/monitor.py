"""Reading socket monitor events (zmq_socket_monitor's two-part messages)."""

from __future__ import annotations

import struct
from typing import Any

from ..constants_enum import Event


def parse_monitor_message(msg: list[bytes]) -> dict[str, Any]:
    """Turns a monitor message ``[event+value, endpoint]`` into
    ``{"event": Event, "value": int, "endpoint": bytes}``."""
    if len(msg) != 2 or len(msg[0]) != 6:
        raise RuntimeError(f"invalid monitor message: {msg!r}")
    first = msg[0].bytes if hasattr(msg[0], "bytes") else bytes(msg[0])
    endpoint = msg[1].bytes if hasattr(msg[1], "bytes") else bytes(msg[1])
    event, value = struct.unpack("=Hi", first)
    try:
        event = Event(event)
    except ValueError:
        pass
    return {"event": event, "value": value, "endpoint": endpoint}


def recv_monitor_message(socket: Any, flags: int = 0) -> dict[str, Any]:
    """Receives one event from a monitor socket and parses it."""
    return parse_monitor_message(socket.recv_multipart(flags))
