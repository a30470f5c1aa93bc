"""z85, CURVE keys, versions, capabilities."""

import pytest

from _impl import z85, zmq


def test_z85_rfc32_vector():
    raw = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
    assert z85.encode(raw) == b"HelloWorld"
    assert z85.decode(b"HelloWorld") == raw
    assert z85.decode("HelloWorld") == raw


def test_z85_roundtrip_and_bad_length():
    raw = bytes(range(32))
    assert z85.decode(z85.encode(raw)) == raw
    with pytest.raises(ValueError):
        z85.encode(b"abc")


def test_curve_keypair_and_public():
    public, secret = zmq.curve_keypair()
    assert len(public) == 40 and len(secret) == 40
    assert len(z85.decode(public)) == 32
    assert zmq.curve_public(secret) == public
    other = zmq.curve_keypair()
    assert other != (public, secret)


def test_versions_and_has():
    assert zmq.zmq_version_info() >= (4, 3, 0)
    assert zmq.zmq_version() == "%d.%d.%d" % zmq.zmq_version_info()
    assert isinstance(zmq.pyzmq_version(), str)
    assert zmq.has("curve") and zmq.has("ipc")
    assert not zmq.has("no-such-capability")


def test_constants():
    assert (zmq.PAIR, zmq.PUB, zmq.SUB, zmq.REQ, zmq.REP, zmq.DEALER, zmq.ROUTER, zmq.PULL,
            zmq.PUSH, zmq.XPUB, zmq.XSUB, zmq.STREAM) == tuple(range(12))
    assert zmq.SNDMORE == 2 and zmq.DONTWAIT == zmq.NOBLOCK == 1
    assert zmq.POLLIN == 1 and zmq.POLLOUT == 2
    assert zmq.IDENTITY == zmq.ROUTING_ID == 5
    assert zmq.EVENT_ALL == 0xFFFF and zmq.EVENT_HANDSHAKE_SUCCEEDED == 0x1000
    assert zmq.ETERM == 156384712 + 53 and zmq.EFSM == 156384712 + 51


def test_enums():
    assert zmq.SocketType.PUSH == zmq.PUSH and zmq.SocketType(zmq.ROUTER).name == "ROUTER"
    assert zmq.SocketOption.LINGER == zmq.LINGER
    assert zmq.Event.HANDSHAKE_SUCCEEDED == zmq.EVENT_HANDSHAKE_SUCCEEDED
    assert zmq.Errno.ETERM == zmq.ETERM and zmq.Errno.EAGAIN == zmq.EAGAIN
    assert zmq.PollEvent.POLLIN == zmq.POLLIN
