"""Poller over sockets and raw fds, Socket.poll, select, FD/EVENTS."""

import os
import selectors
import socket as pysocket

import pytest

from _impl import zmq


def test_poller_sockets_and_fds(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "tcp"))
    r, w = os.pipe()
    try:
        poller = zmq.Poller()
        poller.register(a, zmq.POLLIN)
        poller.register(b, zmq.POLLIN)
        poller.register(r, zmq.POLLIN)
        assert poller.poll(50) == []
        a.send(b"x")
        assert dict(poller.poll(5000)) == {b: zmq.POLLIN}
        os.write(w, b"!")
        events = dict(poller.poll(5000))
        assert events.get(r) == zmq.POLLIN and events.get(b) == zmq.POLLIN
        os.read(r, 1)
        assert b.recv() == b"x"
        poller.modify(a, zmq.POLLIN | zmq.POLLOUT)
        assert dict(poller.poll(5000)) == {a: zmq.POLLOUT}
        poller.unregister(a)
        poller.unregister(r)
        assert a not in poller
        with pytest.raises(KeyError):
            poller.unregister(a)
        assert poller.poll(0) == []
        poller.register(b, 0)  # flags 0 unregisters
        assert b not in poller
    finally:
        os.close(r)
        os.close(w)


def test_poller_object_with_fileno(ctx):
    s1, s2 = pysocket.socketpair()
    with s1, s2:
        poller = zmq.Poller()
        poller.register(s1, zmq.POLLIN)
        assert poller.poll(20) == []
        s2.send(b"x")
        assert poller.poll(5000) == [(s1.fileno(), zmq.POLLIN)]  # pyzmq reports the fd


def test_poll_timeout_none_waits_for_event(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    a.send(b"ready")
    poller = zmq.Poller()
    poller.register(b, zmq.POLLIN)
    assert poller.poll(None) == [(b, zmq.POLLIN)]


def test_socket_poll(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "ipc"))
    assert b.poll(30) == 0
    assert a.poll(5000, zmq.POLLOUT) == zmq.POLLOUT
    a.send(b"x")
    assert b.poll(5000) == zmq.POLLIN
    assert b.poll(0, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN | zmq.POLLOUT


def test_select(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    assert zmq.select([b], [], [], 0.03) == ([], [], [])
    a.send(b"x")
    rl, wl, xl = zmq.select([b], [a], [], 5)
    assert rl == [b] and wl == [a] and xl == []


def test_fd_is_edge_triggered_recheck_events(ctx, endpoint):
    """The documented ZMQ_FD use: wait for the fd, then read EVENTS."""
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "tcp"))
    sel = selectors.DefaultSelector()
    sel.register(b.fileno(), selectors.EVENT_READ)
    try:
        got = []
        for i in range(50):
            a.send(b"%d" % i)
        deadline = 200
        while len(got) < 50 and deadline:
            deadline -= 1
            while b.getsockopt(zmq.EVENTS) & zmq.POLLIN:
                got.append(b.recv(zmq.NOBLOCK))
            if len(got) < 50:
                sel.select(0.05)
        assert got == [b"%d" % i for i in range(50)]
    finally:
        sel.close()
