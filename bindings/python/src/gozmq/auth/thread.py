"""ThreadAuthenticator: an Authenticator that answers ZAP requests on a
background thread, configured from the caller's thread."""

from __future__ import annotations

import threading
from typing import Any

from .. import constants as _c
from ..error import ContextTerminated
from ..poll import Poller
from ..socket import Socket
from .base import Authenticator


class ThreadAuthenticator(Authenticator):
    """Runs the ZAP handler on a daemon thread. ``start()`` returns once the
    handler is bound, so sockets created afterwards are authenticated;
    ``stop()`` ends and joins the thread."""

    def __init__(self, context: Any = None, encoding: str = "utf-8", log: Any = None):
        super().__init__(context, encoding, log)
        self.thread: threading.Thread | None = None
        self.pipe: Any = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self) -> None:
        endpoint = f"inproc://gozmq-auth-{id(self):x}"
        self.pipe = self.context.socket(_c.PAIR, socket_class=Socket)
        self.pipe.linger = 0
        self.pipe.bind(endpoint)
        self._ready.clear()
        self.thread = threading.Thread(target=self._run, args=(endpoint,), daemon=True,
                                       name="gozmq-zap")
        self.thread.start()
        self._ready.wait()
        if self._error is not None:
            self.thread.join()
            self.pipe.close()
            raise self._error

    def _run(self, endpoint: str) -> None:
        try:
            Authenticator.start(self)
            control = self.context.socket(_c.PAIR, socket_class=Socket)
            control.linger = 0
            control.connect(endpoint)
        except BaseException as e:  # reported to start()'s caller
            self._error = e
            self._ready.set()
            return
        self._ready.set()
        poller = Poller()
        poller.register(self.zap_socket, _c.POLLIN)
        poller.register(control, _c.POLLIN)
        try:
            while True:
                events = dict(poller.poll())
                if control in events:
                    control.recv()
                    break
                if self.zap_socket in events:
                    self._handle_one(self.zap_socket.recv_multipart())
        except ContextTerminated:
            pass
        finally:
            control.close()
            Authenticator.stop(self)

    def stop(self) -> None:
        """Stops the handler thread and waits for it."""
        if self.pipe is not None:
            try:  # without waiting: the thread may be gone already
                self.pipe.send(b"TERMINATE", _c.NOBLOCK)
            except Exception:
                pass
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None

    def is_alive(self) -> bool:
        """True while the handler thread runs."""
        return self.thread is not None and self.thread.is_alive()
