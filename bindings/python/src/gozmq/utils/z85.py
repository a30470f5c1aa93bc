"""Z85 (ZeroMQ RFC 32) encoding through the library's zmq_z85_* functions."""

from __future__ import annotations

import ctypes

from .. import _lib


def encode(rawbytes: bytes) -> bytes:
    """Z85 text of ``rawbytes`` (length must be a multiple of 4)."""
    raw = bytes(rawbytes)
    if len(raw) % 4:
        raise ValueError(f"length must be a multiple of 4, not {len(raw)}")
    out = ctypes.create_string_buffer(len(raw) * 5 // 4 + 1)
    if _lib.zmq_z85_encode(out, raw, len(raw)) is None:
        raise ValueError("z85 encoding failed")
    return out.value


def decode(z85bytes: str | bytes) -> bytes:
    """The bytes that Z85 text ``z85bytes`` encodes (length a multiple of 5)."""
    text = z85bytes.encode("ascii") if isinstance(z85bytes, str) else bytes(z85bytes)
    if len(text) % 5:
        raise ValueError(f"Z85 length must be a multiple of 5, not {len(text)}")
    out = ctypes.create_string_buffer(len(text) * 4 // 5 or 1)
    if not _lib.zmq_z85_decode(out, text):
        raise ValueError("invalid Z85 text")
    return out.raw[:len(text) * 4 // 5]
