"""AsyncioAuthenticator: the ZAP handler as a task of the running asyncio
loop (no thread), with the same configuration methods as the others."""

from __future__ import annotations

import asyncio
from typing import Any

from .. import constants as _c
from ..asyncio import Poller
from .base import Authenticator


class AsyncioAuthenticator(Authenticator):
    """Answers ZAP requests from a task on the running loop. Call
    ``start()`` from a coroutine (or with a loop set), ``stop()`` to end."""

    def __init__(self, context: Any = None, loop: Any = None, encoding: str = "utf-8",
                 log: Any = None):
        super().__init__(context, encoding, log)
        self.loop = loop
        self._task: "asyncio.Task | None" = None

    async def _serve(self) -> None:
        poller = Poller()
        poller.register(self.zap_socket, _c.POLLIN)
        while True:
            events = dict(await poller.poll())
            if self.zap_socket in events:
                # A REP socket with a request ready: recv and reply do not block.
                self._handle_one(self.zap_socket.recv_multipart(_c.NOBLOCK))

    def start(self) -> None:
        """Binds the ZAP socket and starts the handler task."""
        super().start()
        loop = self.loop or asyncio.get_event_loop()
        self._task = loop.create_task(self._serve())

    def stop(self) -> None:
        """Cancels the handler task and closes the ZAP socket."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().stop()
