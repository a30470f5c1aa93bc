"""Module-level functions: proxy, CURVE keys, capabilities, errno."""

from __future__ import annotations

import ctypes
from typing import Any

from . import _lib
from .error import raise_errno
from .constants import SNDMORE as _SNDMORE
from .socket import _retry


def _h(sock: Any) -> Any:
    return None if sock is None else sock._h


def _forward_batch(src: Any, dst: Any, capture: Any) -> None:
    """Forwards the parts src's receive batch holds (socket._Batch), which
    the library has already handed out and zmq_proxy would never see, as
    the proxy would forward them."""
    while src is not None and (src._bq or src._fq):
        data = src.recv()
        flags = _SNDMORE if src._rcvmore() else 0
        if capture is not None:
            capture.send(data, flags)
        dst.send(data, flags)


def proxy(frontend: Any, backend: Any, capture: Any = None) -> None:
    """zmq_proxy: forwards between frontend and backend (and copies to
    capture) until the context is terminated (raises ContextTerminated)."""
    _forward_batch(frontend, backend, capture)
    _forward_batch(backend, frontend, capture)
    _retry(_lib.zmq_proxy, _h(frontend), _h(backend), _h(capture))


def proxy_steerable(frontend: Any, backend: Any, capture: Any = None, control: Any = None) -> None:
    """zmq_proxy_steerable: like proxy, controlled by PAUSE / RESUME /
    TERMINATE / STATISTICS commands on ``control``; returns on TERMINATE."""
    _forward_batch(frontend, backend, capture)
    _forward_batch(backend, frontend, capture)
    _retry(_lib.zmq_proxy_steerable, _h(frontend), _h(backend), _h(capture), _h(control))


def device(device_type: int, frontend: Any, backend: Any) -> None:
    """The old zmq_device: the same as proxy(frontend, backend)."""
    proxy(frontend, backend)


def curve_keypair() -> tuple[bytes, bytes]:
    """A new CURVE key pair ``(public, secret)``, each 40 Z85 characters."""
    public, secret = ctypes.create_string_buffer(41), ctypes.create_string_buffer(41)
    if _lib.zmq_curve_keypair(public, secret) != 0:
        raise_errno(_lib.errno())
    return public.value, secret.value


def curve_public(secret_key: bytes | str) -> bytes:
    """The Z85 public key that belongs to a Z85 secret key."""
    if isinstance(secret_key, str):
        secret_key = secret_key.encode("ascii")
    public = ctypes.create_string_buffer(41)
    if _lib.zmq_curve_public(public, secret_key) != 0:
        raise_errno(_lib.errno())
    return public.value


def has(capability: str) -> bool:
    """zmq_has: "ipc", "curve", "draft", ..."""
    return bool(_lib.zmq_has(capability.encode("ascii")))


def zmq_errno() -> int:
    """errno of the last failed call made through gozmq on this thread."""
    return _lib.errno()
