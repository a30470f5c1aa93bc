"""gozmq: pyzmq's API over gozmq's libzmq.so.5 (ZeroMQ written in Go).

Use it where you used pyzmq::

    import gozmq as zmq

    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    port = push.bind_to_random_port("tcp://127.0.0.1")

The library is the copy bundled in the wheel, or the one named by the
GOZMQ_LIBRARY environment variable. It holds a Go runtime: it cannot be used
in a child created by fork() without exec (ForkError); with multiprocessing
use the "spawn" start method.
"""

from . import constants
from .constants import *  # noqa: F401,F403
from .constants_enum import (ContextOption, Errno, Event, Flag, PollEvent, SecurityMechanism,
                             SocketOption, SocketType)
from .error import (Again, ContextTerminated, ForkError, InterruptedSystemCall, NotDone,
                    ZMQBaseError, ZMQBindError, ZMQError, ZMQVersionError, strerror)
from .frame import COPY_THRESHOLD, Frame, Message, MessageTracker
from .socket import Socket
from .context import Context
from .poll import Poller, select, zmq_poll
from ._funcs import (curve_keypair, curve_public, device, has, proxy, proxy_steerable,
                     zmq_errno)
from .utils import z85
from .utils import monitor as _monitor  # noqa: F401  (gozmq.utils.monitor)
from .utils.version import (__version__, pyzmq_version, pyzmq_version_info, zmq_version,
                            zmq_version_info)

from ._lib import DRAFT_API  # the loaded library exports the draft API
IPC_PATH_MAX_LEN = 107


def get_library_dirs() -> list:
    """Directories holding the libzmq.so.5 gozmq loaded."""
    import os
    from . import _lib
    return [os.path.dirname(os.path.abspath(_lib.path))]


def get_includes() -> list:
    """Directories with zmq.h (none are shipped in the wheel)."""
    return []
