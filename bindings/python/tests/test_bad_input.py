"""Bad input from the caller: clean exceptions, never a crash or a hang."""

import pytest

from _impl import z85, zmq


def test_unknown_options(ctx):
    s = ctx.socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as e:
        s.setsockopt(9999, 1)
    assert e.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError) as e:
        s.getsockopt(9999)
    assert e.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError) as e:
        ctx.set(9999, 1)
    assert e.value.errno == zmq.EINVAL


def test_bad_socket_type(ctx):
    with pytest.raises(zmq.ZMQError) as e:
        ctx.socket(12345)
    assert e.value.errno == zmq.EINVAL


def test_bad_endpoints(ctx):
    s = ctx.socket(zmq.PAIR)
    for addr in ("", "tcp://", "tcp://127.0.0.1:notaport", "ipc://", "inproc://"):
        with pytest.raises(zmq.ZMQError):
            s.bind(addr)
    with pytest.raises(zmq.ZMQError) as e:
        s.connect("bogus://x")
    assert e.value.errno == zmq.EPROTONOSUPPORT


def test_bad_z85_and_keys(ctx):
    with pytest.raises(ValueError):
        z85.decode(b"abc")
    with pytest.raises(ValueError):
        z85.encode(b"abc")
    s = ctx.socket(zmq.PAIR)
    with pytest.raises(zmq.ZMQError) as e:
        s.curve_serverkey = b"x" * 39
    assert e.value.errno == zmq.EINVAL


def test_poll_bad_object(ctx):
    p = zmq.Poller()
    with pytest.raises((TypeError, ValueError)):
        p.register(object(), zmq.POLLIN)
        p.poll(0)


def test_huge_message_roundtrip(ctx):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    a.bind("inproc://huge")
    b.connect("inproc://huge")
    big = bytes(range(256)) * (8 * 1024 * 4)  # 8 MiB
    a.send(big)
    assert b.poll(10000)
    assert b.recv() == big
    a.send(memoryview(big)[1:-1])
    assert b.recv(copy=False).bytes == big[1:-1]
