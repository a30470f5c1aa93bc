"""The package under test, chosen by GOZMQ_TEST_IMPL ("gozmq" or "zmq")."""

import importlib
import os

IMPL = os.environ.get("GOZMQ_TEST_IMPL", "gozmq")
zmq = importlib.import_module(IMPL)
zaio = importlib.import_module(IMPL + ".asyncio")
monitor = importlib.import_module(IMPL + ".utils.monitor")
z85 = importlib.import_module(IMPL + ".utils.z85")
auth = importlib.import_module(IMPL + ".auth")
auth_thread = importlib.import_module(IMPL + ".auth.thread")
