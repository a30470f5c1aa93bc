"""JSON helpers returning and taking bytes, as pyzmq's zmq.utils.jsonapi."""

from __future__ import annotations

import json
from typing import Any


def dumps(o: Any, **kwargs: Any) -> bytes:
    """json.dumps encoded to UTF-8 bytes."""
    return json.dumps(o, **kwargs).encode("utf-8")


def loads(s: bytes | str, **kwargs: Any) -> Any:
    """json.loads of bytes or str."""
    if isinstance(s, (bytes, bytearray, memoryview)):
        s = bytes(s).decode("utf-8")
    return json.loads(s, **kwargs)
