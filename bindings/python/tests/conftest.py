"""Shared fixtures. GOZMQ_TEST_IMPL picks the package under test: "gozmq"
(default) or "zmq" (pyzmq), so the same tests check that gozmq's API is
pyzmq's. Tests marked gozmq_only are deselected when pyzmq is under test:
gozmq's packaging, its fork guard, and one asyncio case that pyzmq 27
gets wrong (a waiter stranded after reading ZMQ_EVENTS)."""

import os
import uuid

import pytest

from _impl import IMPL, zmq

TRANSPORTS = ["inproc", "ipc", "tcp"]


def pytest_configure(config):
    config.addinivalue_line("markers", "gozmq_only: gozmq's own package or behaviour, not "
                            "pyzmq's API")


def pytest_collection_modifyitems(config, items):
    if IMPL == "gozmq":
        return
    keep = [i for i in items if "gozmq_only" not in i.keywords]
    drop = [i for i in items if "gozmq_only" in i.keywords]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_report_header(config):
    return f"package under test: {IMPL} ({zmq.__file__}), libzmq {zmq.zmq_version()}"


@pytest.fixture
def ctx():
    c = zmq.Context()
    yield c
    c.destroy(linger=0)


@pytest.fixture
def endpoint(tmp_path):
    """bind(sock, transport) -> the address to connect to."""
    def bind(sock, transport):
        if transport == "inproc":
            addr = f"inproc://t-{uuid.uuid4().hex}"
        elif transport == "ipc":
            addr = f"ipc://{tmp_path}/s-{uuid.uuid4().hex[:8]}"
        else:
            addr = "tcp://127.0.0.1:*"
        sock.bind(addr)
        return sock.getsockopt(zmq.LAST_ENDPOINT).decode()
    return bind


def recv_within(sock, ms=5000, **kw):
    """recv after poll, so a lost message fails the test instead of hanging."""
    assert sock.poll(ms, zmq.POLLIN), "no message within %d ms" % ms
    return sock.recv(**kw)


def recv_multipart_within(sock, ms=5000, **kw):
    assert sock.poll(ms, zmq.POLLIN), "no message within %d ms" % ms
    return sock.recv_multipart(**kw)


def subscribed(pub, sub, topic=b"", tries=200):
    """Publishes probes until sub receives one (the slow-joiner wait),
    bounded; then drains the probes."""
    for _ in range(tries):
        pub.send_multipart([topic + b"probe", b""])
        if sub.poll(20):
            break
    else:
        raise AssertionError("subscription never took effect")
    while sub.poll(50):
        sub.recv_multipart()
