"""Draft API: routing_id (CLIENT/SERVER) and group (RADIO/DISH) on send
and on Frames, join/leave. gozmq's draft build (build/lib-draft, `make
lib-draft`) exports the draft functions; the package is loaded from it in
a child process (GOZMQ_LIBRARY). pip's pyzmq bundles a libzmq without the
draft API, so these are gozmq_only."""

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from _impl import zmq

pytestmark = pytest.mark.gozmq_only

REPO = Path(__file__).resolve().parents[3]
DRAFT_LIB = REPO / "build" / "lib-draft" / "libzmq.so.5"


def run_draft(code):
    assert DRAFT_LIB.exists(), f"{DRAFT_LIB} missing: run `make lib-draft`"
    env = dict(os.environ, GOZMQ_LIBRARY=str(DRAFT_LIB),
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_client_server_routing_id():
    out = run_draft("""
        import gozmq as zmq
        assert zmq.DRAFT_API
        ctx = zmq.Context()
        server = ctx.socket(zmq.SERVER)
        port = server.bind_to_random_port("tcp://127.0.0.1")
        clients = [ctx.socket(zmq.CLIENT) for _ in range(3)]
        for c in clients:
            c.connect(f"tcp://127.0.0.1:{port}")
        ids = {}
        for i, c in enumerate(clients):
            c.send(b"hello %d" % i)
            assert server.poll(5000)
            f = server.recv(copy=False)
            assert f.routing_id != 0 and f.get("routing_id") == f.routing_id
            ids[f.bytes] = f.routing_id
        assert len(set(ids.values())) == 3
        for i, c in enumerate(clients):  # answer each client by its id
            server.send(b"to %d" % i, routing_id=ids[b"hello %d" % i])
            assert c.poll(5000) and c.recv() == b"to %d" % i
        # A Frame carrying the id, and copy=False with a large body.
        f = zmq.Frame(b"frame")
        f.routing_id = ids[b"hello 0"]
        server.send(f)
        assert clients[0].poll(5000) and clients[0].recv() == b"frame"
        big = bytearray(200000)
        t = server.send(big, routing_id=ids[b"hello 1"], copy=False, track=True)
        assert clients[1].poll(5000) and len(clients[1].recv()) == 200000
        t.wait(10)
        # An unknown id: EHOSTUNREACH, as libzmq's SERVER.
        try:
            server.send(b"nobody", routing_id=12345678)
        except zmq.ZMQError as e:
            assert e.errno == zmq.EHOSTUNREACH, e
        else:
            raise AssertionError("send to an unknown routing id succeeded")
        ctx.destroy(linger=0)
        print("ok")
    """)
    assert "ok" in out


def test_radio_dish_group():
    out = run_draft("""
        import gozmq as zmq
        ctx = zmq.Context()
        dish = ctx.socket(zmq.DISH)
        port = dish.bind_to_random_port("tcp://127.0.0.1")
        dish.join("weather")
        dish.join(b"news")
        radio = ctx.socket(zmq.RADIO)
        radio.connect(f"tcp://127.0.0.1:{port}")
        for _ in range(500):  # until the joins reached the radio (bounded)
            radio.send(b"probe", group="weather")
            if dish.poll(10):
                break
        else:
            raise AssertionError("dish never joined")
        while dish.poll(50):
            dish.recv()
        radio.send(b"sunny", group="weather")
        radio.send(b"other", group="sports")  # not joined: dropped
        f = zmq.Frame(b"headline")
        f.group = "news"
        assert f.group == "news"
        radio.send(f)
        assert dish.poll(5000)
        got = dish.recv(copy=False)
        assert got.bytes == b"sunny" and got.group == "weather" and got.get("group") == "weather"
        assert dish.poll(5000)
        got = dish.recv(copy=False)
        assert got.bytes == b"headline" and got.group == "news"
        dish.leave("weather")
        for _ in range(500):  # until the leave reached the radio
            radio.send(b"gone", group="weather")
            radio.send(b"marker", group="news")
            assert dish.poll(5000)
            if dish.recv(copy=False).bytes == b"marker" and not dish.poll(20):
                break
        # Group names over 255 bytes are refused (ZMQ_GROUP_MAX_LENGTH).
        try:
            zmq.Frame(b"x").group = "g" * 256
        except zmq.ZMQError as e:
            assert e.errno == zmq.EINVAL
        else:
            raise AssertionError("long group accepted")
        ctx.destroy(linger=0)
        print("ok")
    """)
    assert "ok" in out


def test_frame_options_on_draft_library():
    out = run_draft("""
        import gozmq as zmq
        f = zmq.Frame(b"x")
        f.set("routing_id", 7)
        assert f.get("routing_id") == 7 and f.routing_id == 7
        for bad in (0, -1, 2**32):
            try:
                f.routing_id = bad
            except zmq.ZMQError as e:
                assert e.errno == zmq.EINVAL
            else:
                raise AssertionError(f"routing_id {bad} accepted")
        try:
            zmq.Frame(b"y").routing_id
        except zmq.ZMQError:
            pass  # none set: libzmq's zmq_msg_routing_id returns 0
        else:
            raise AssertionError("unset routing_id read")
        f.set("group", b"bytes-group")
        assert f.group == "bytes-group"
        print("ok")
    """)
    assert "ok" in out


def test_without_draft_library_clear_error(ctx):
    """The default (non-draft) library: a clear ENOTSUP naming the fix."""
    assert not zmq.DRAFT_API
    f = zmq.Frame(b"x")
    for call in (lambda: setattr(f, "routing_id", 1), lambda: f.group,
                 lambda: ctx.socket(zmq.PAIR).send(b"x", routing_id=5),
                 lambda: ctx.socket(zmq.PAIR).send(b"x", group="g"),
                 lambda: ctx.socket(zmq.PAIR).join("g")):
        with pytest.raises(zmq.ZMQError) as e:
            call()
        assert e.value.errno == errno.ENOTSUP and "lib-draft" in str(e.value)
