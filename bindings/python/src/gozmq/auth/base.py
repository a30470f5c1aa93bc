"""Authenticator: a ZAP (RFC 27) handler with IP allow/deny lists, PLAIN
passwords and CURVE keys, configured per domain as pyzmq's is."""

from __future__ import annotations

import logging
import threading
from typing import Any

from .. import constants as _c
from ..context import Context
from ..socket import Socket
from ..utils import z85
from .certs import load_certificates

CURVE_ALLOW_ANY = "*"
ZAP_ENDPOINT = "inproc://zeromq.zap.01"


def _text(b: bytes, encoding: str) -> str:
    return b.decode(encoding, "replace")


class Authenticator:
    """Answers ZAP requests on ``inproc://zeromq.zap.01`` of ``context``.

    Rules, in order: if an allow list exists, only its addresses pass; else
    addresses on the deny list are refused. Then NULL passes, PLAIN needs a
    password configured for the domain, CURVE a known key for the domain (or
    ``configure_curve(location=CURVE_ALLOW_ANY)``).
    """

    def __init__(self, context: Context | None = None, encoding: str = "utf-8",
                 log: Any = None):
        self.context = context or Context.instance()
        self.encoding = encoding
        self.log = log or logging.getLogger("gozmq.auth")
        self.allow_any = False
        self.whitelist: set[str] = set()
        self.blacklist: set[str] = set()
        self.passwords: dict[str, dict[str, str]] = {}
        self.certs: dict[str, dict[bytes, bool]] = {}
        self.zap_socket: Any = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Binds the ZAP socket."""
        # A plain Socket even on an asyncio Context: the handler calls it
        # synchronously (its asyncio variant waits with a Poller first).
        self.zap_socket = self.context.socket(_c.REP, socket_class=Socket)
        self.zap_socket.linger = 1
        self.zap_socket.bind(ZAP_ENDPOINT)

    def stop(self) -> None:
        """Closes the ZAP socket."""
        if self.zap_socket is not None:
            self.zap_socket.close()
        self.zap_socket = None

    def allow(self, *addresses: str) -> None:
        """Accept only these IP addresses (text form, as the peer's
        address in ZAP requests), plus any others allowed before. Other
        checks (PLAIN, CURVE) still apply. Exclusive with deny()."""
        with self._lock:
            if self.blacklist:
                raise ValueError("use allow or deny, not both")
            self.whitelist.update(addresses)

    def deny(self, *addresses: str) -> None:
        """Refuse these IP addresses. Exclusive with allow()."""
        with self._lock:
            if self.whitelist:
                raise ValueError("use allow or deny, not both")
            self.blacklist.update(addresses)

    def configure_plain(self, domain: str = "*", passwords: dict[str, str] | None = None) -> None:
        """PLAIN: ``passwords`` maps user names to passwords for ``domain``."""
        with self._lock:
            self.passwords[domain] = dict(passwords or {})

    def configure_curve(self, domain: str = "*", location: str | Any = "") -> None:
        """CURVE: accept the public keys of the ``*.key`` certificates in
        directory ``location`` for ``domain``, or any key if ``location`` is
        CURVE_ALLOW_ANY."""
        with self._lock:
            if location == CURVE_ALLOW_ANY:
                self.allow_any = True
            else:
                self.allow_any = False
                self.certs[domain] = load_certificates(location)

    def curve_user_id(self, client_public_key: bytes) -> str:
        """The User-Id given to a CURVE client: its Z85 public key."""
        return z85.encode(client_public_key).decode("ascii")

    def configure_gssapi(self, domain: str = "*", location: str | None = None) -> None:
        """GSSAPI is not supported by gozmq's library."""
        raise NotImplementedError("GSSAPI is not supported")

    # ---- request handling ------------------------------------------------------
    def handle_zap_message(self, msg: list[bytes]) -> None:
        """Answers one ZAP request (the frames after the REP envelope)."""
        if len(msg) < 6:
            self.log.error("invalid ZAP request: %d frames", len(msg))
            if len(msg) >= 2:
                self._reply(msg[1], b"500", b"Invalid request", b"")
            return
        version, request_id, domain, address, identity, mechanism = msg[:6]
        credentials = msg[6:]
        if version != b"1.0":
            self._reply(request_id, b"400", b"Invalid version", b"")
            return
        status, reason, user_id = self._authenticate(
            _text(domain, self.encoding), _text(address, self.encoding), mechanism, credentials)
        self._reply(request_id, status, reason.encode(self.encoding),
                    user_id.encode(self.encoding))

    def _handle_one(self, msg: list[bytes]) -> None:
        """handle_zap_message, logging a failure instead of ending the
        handler (a REP socket that owes a reply gets a 500)."""
        try:
            self.handle_zap_message(msg)
        except Exception:
            self.log.exception("ZAP handler failed on %r", msg)
            if len(msg) >= 2 and self.zap_socket is not None:
                try:
                    self._reply(msg[1], b"500", b"Internal error", b"")
                except Exception:
                    pass

    def _authenticate(self, domain: str, address: str, mechanism: bytes,
                      credentials: list[bytes]) -> tuple[bytes, str, str]:
        with self._lock:
            if self.whitelist:
                if address not in self.whitelist:
                    return b"400", "Address not allowed", ""
            elif address in self.blacklist:
                return b"400", "Address denied", ""
            if mechanism == b"NULL":
                return b"200", "OK", ""
            if mechanism == b"PLAIN":
                if len(credentials) != 2:
                    return b"400", "Invalid PLAIN credentials", ""
                user = _text(credentials[0], self.encoding)
                password = _text(credentials[1], self.encoding)
                table = self.passwords.get(domain or "*")
                if table is None:
                    return b"400", "Unknown domain", ""
                if table.get(user) != password:
                    return b"400", "Invalid username or password", ""
                return b"200", "OK", user
            if mechanism == b"CURVE":
                if len(credentials) != 1 or len(credentials[0]) != 32:
                    return b"400", "Invalid CURVE credentials", ""
                key = credentials[0]
                if not self.allow_any:
                    known = self.certs.get(domain or "*")
                    if known is None:
                        return b"400", "Unknown domain", ""
                    if z85.encode(key) not in known:
                        return b"400", "Unknown key", ""
            else:
                return b"400", "Unsupported mechanism", ""
        return b"200", "OK", self.curve_user_id(key)

    def _reply(self, request_id: bytes, status: bytes, text: bytes, user_id: bytes) -> None:
        self.log.debug("ZAP reply %s %s", status, text)
        self.zap_socket.send_multipart([b"1.0", request_id, status, text, user_id, b""])
