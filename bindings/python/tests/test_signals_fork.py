"""Signals interrupt blocking calls; fork() without exec; spawn works."""

import multiprocessing
import os
import signal
import threading

import pytest

from _impl import IMPL, zmq


def _signal_repeatedly(pid, stop, rescue=None, sig=signal.SIGINT, every=0.02, limit=250):
    """Sends sig to pid until stop is set (bounded); the repetition makes
    sure one arrives while the main thread waits inside the library. If
    the signals never got through, rescue() unblocks the call so that the
    test fails instead of hanging."""
    for _ in range(limit):
        if stop.wait(every):
            return
        os.kill(pid, sig)
    if rescue is not None:
        rescue()


@pytest.mark.parametrize("call", ["recv", "poll", "send"])
def test_signal_handler_runs_during_blocking_call(ctx, call):
    """A handler that returns lets the call go on; one that raises ends it:
    Ctrl-C (SIGINT → KeyboardInterrupt) interrupts a blocking recv."""
    sock = ctx.socket(zmq.PULL if call != "send" else zmq.PUSH)
    sock.bind("tcp://127.0.0.1:*")  # PUSH with no peer: send blocks
    addr = sock.last_endpoint.decode()
    calls = []

    def rescue():
        peer = ctx.socket(zmq.PULL if call == "send" else zmq.PUSH)
        peer.connect(addr)
        if call != "send":
            peer.send(b"rescue")

    def handler(signum, frame):
        calls.append(signum)
        if len(calls) == 3:
            raise KeyboardInterrupt
    old = signal.signal(signal.SIGINT, handler)
    stop = threading.Event()
    t = threading.Thread(target=_signal_repeatedly, args=(os.getpid(), stop, rescue))
    t.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            if call == "recv":
                sock.recv()
            elif call == "poll":
                _poll_forever(sock)
            else:
                sock.send(b"blocked")
    finally:
        stop.set()
        t.join()
        signal.signal(signal.SIGINT, old)
    assert len(calls) == 3  # the first two returned, and the call resumed


def _poll_forever(sock):
    p = zmq.Poller()
    p.register(sock, zmq.POLLIN)
    return p.poll()


def test_default_sigint_raises_keyboard_interrupt(ctx):
    sock = ctx.socket(zmq.PULL)
    sock.bind("inproc://ctrl-c")
    stop = threading.Event()
    t = threading.Thread(target=_signal_repeatedly, args=(os.getpid(), stop))
    t.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            sock.recv()
    finally:
        stop.set()
        t.join()


def _spawned_child(port):
    import importlib
    z = importlib.import_module(os.environ.get("GOZMQ_TEST_IMPL", "gozmq"))
    with z.Context() as c:
        s = c.socket(z.PUSH)
        s.connect(f"tcp://127.0.0.1:{port}")
        s.send(b"from spawned child")
        s.close(linger=5000)


def test_multiprocessing_spawn_works(ctx):
    pull = ctx.socket(zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    p = multiprocessing.get_context("spawn").Process(target=_spawned_child, args=(port,))
    p.start()
    try:
        assert pull.poll(20000)
        assert pull.recv() == b"from spawned child"
    finally:
        p.join(20)
    assert p.exitcode == 0


@pytest.mark.gozmq_only
def test_fork_child_gets_clear_error():
    """In a child forked without exec, gozmq raises ForkError (its message
    names the "spawn" start method) instead of hanging."""
    assert IMPL == "gozmq"
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PUSH)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report what happened through the pipe, then _exit
        code = b"?"
        try:
            try:
                zmq.Context()
                code = b"no error"
            except zmq.ForkError as e:
                code = b"ForkError:" + str(e).encode()
            try:
                sock.send(b"x")
            except zmq.ForkError as e:
                code += b"|send:" + str(e.errno).encode()
        except BaseException as e:
            code = repr(e).encode()
        os.write(w, code)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        report = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status)
    assert report.startswith(b"ForkError:"), report
    assert b"spawn" in report
    assert report.endswith(b"|send:%d" % zmq.ENOTRECOVERABLE)
    assert issubclass(zmq.ForkError, zmq.ZMQError)
    sock.close(linger=0)
    ctx.term()
