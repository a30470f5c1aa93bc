"""Receive fast path (bodies read out of the zmq_msg_t, recycled messages),
zero-copy send (copy=False, MessageTracker) and copy_threshold.

The size and lifetime tests run on pyzmq too; those that look at how gozmq
does it (which library layout it detected, memory really being lent) are
gozmq_only. The generic path (any other libzmq) is checked by running the
same round trip in a child with GOZMQ_GENERIC_MSG=1 and on Debian's libzmq.
"""

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from _impl import zmq
from conftest import TRANSPORTS, recv_within

REPO = Path(__file__).resolve().parents[3]
SIZES = [0, 1, 39, 40, 41, 255, 256, 65535, 65536, 70000, 1 << 20]


def body(n, salt=0):
    """n bytes that differ with salt (so a stale body would show)."""
    return (bytes((i + salt) & 255 for i in range(256)) * (n // 256 + 1))[:n]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sizes_copy_and_frames(ctx, endpoint, transport):
    """Every body size class (inline, block, large) comes back intact,
    as bytes and as Frames, and MORE is right on each part."""
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, transport))
    for n in SIZES:
        data = body(n, n)
        a.send(data)
        got = recv_within(b)
        assert type(got) is bytes and got == data, n
        a.send(data)
        f = recv_within(b, copy=False)
        assert len(f) == n and f.bytes == data and bytes(f.buffer) == data and not f.more
    parts = [body(n, 3) for n in SIZES]
    a.send_multipart(parts)
    assert recv_within(b) == parts[0] and b.rcvmore
    assert b.recv_multipart() == parts[1:]
    a.send_multipart(parts)
    frames = [recv_within(b, copy=False)]
    while frames[-1].more:
        frames.append(b.recv(copy=False))
    assert [f.bytes for f in frames] == parts
    assert [f.more for f in frames] == [True] * (len(parts) - 1) + [False]


def test_live_frames_keep_their_bodies(ctx, endpoint):
    """Frames received with copy=False stay intact while later receives
    run, whether earlier Frames are kept or dropped (a dropped Frame's
    message may be reused; a live one's never)."""
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "tcp"))
    sizes = [5, 300, 40, 41, 2000]
    kept = []
    for round_ in range(40):
        for n in sizes:
            a.send(body(n, round_))
        frames = [recv_within(b, copy=False) for _ in sizes]
        kept.extend(frames[::2])  # keep some, drop the others
        del frames
        gc.collect()
    i = 0
    for round_ in range(40):
        for n in sizes[::2]:
            assert kept[i].bytes == body(n, round_)
            i += 1


def test_frame_buffer_outlives_frame(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    a.send(b"view me " * 10)
    view = recv_within(b, copy=False).buffer  # the Frame itself is gone
    gc.collect()
    for i in range(50):  # later receives must not reuse the viewed message
        a.send(b"%d" % i)
        recv_within(b, copy=False)
    assert bytes(view) == b"view me " * 10


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_send_copy_false_tracked(ctx, endpoint, transport):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, transport))
    data = bytearray(body(200000, 9))
    tracker = a.send(data, copy=False, track=True)
    assert isinstance(tracker, zmq.MessageTracker)
    f = recv_within(b, copy=False)
    assert f.bytes == bytes(data)
    del f
    tracker.wait(10)
    assert tracker.done
    for payload in (bytes(body(100000, 1)), memoryview(bytes(body(70000, 2)))):
        a.send(payload, copy=False)
        assert recv_within(b) == bytes(payload)


def test_copy_threshold(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    assert zmq.COPY_THRESHOLD == 65536 and a.copy_threshold == zmq.COPY_THRESHOLD
    # Below the threshold copy=False copies: the tracker is finished at once.
    t = a.send(b"small", copy=False, track=True)
    assert t.done
    assert recv_within(b) == b"small"
    assert a.send(b"copied") is None  # copy=True returns no tracker
    assert recv_within(b) == b"copied"
    untracked = zmq.Frame(b"x" * 100)
    with pytest.raises(ValueError):
        a.send(untracked, track=True)
    a.copy_threshold = 0  # now everything is lent
    data = bytearray(b"lent" * 10)
    t = a.send(data, copy=False, track=True)
    assert recv_within(b) == bytes(data)
    t.wait(10)


def test_tracked_frame_not_done_while_alive(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "tcp"))
    f = zmq.Frame(bytearray(300000), copy=False, track=True)
    t = f.tracker
    assert isinstance(t, zmq.MessageTracker) and not t.done
    assert a.send(f) is t
    assert len(recv_within(b)) == 300000
    assert not t.done  # the Frame itself still holds the memory
    with pytest.raises(zmq.NotDone):
        t.wait(0.01)
    del f
    gc.collect()
    t.wait(10)
    assert t.done


@pytest.mark.gozmq_only
def test_copy_false_lends_memory(ctx, endpoint):
    """gozmq really sends the caller's memory: over inproc the receiver's
    Frame points at it, the buffer cannot be resized while lent, and the
    tracker finishes once the receiver lets go."""
    from gozmq import _lib
    assert _lib.GOZMQ_LAYOUT
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    data = bytearray(b"a" * 100000)
    t = a.send(data, copy=False, track=True)
    with pytest.raises(BufferError):
        data.append(0)  # pinned while lent
    data[0:1] = b"Z"  # not copied: the receiver sees this
    f = recv_within(b, copy=False)
    assert f.bytes[:2] == b"Za" and len(f) == 100000
    assert not t.done  # the received Frame holds the same memory
    del f
    gc.collect()
    t.wait(10)
    data.append(0)  # released: resizable again


def _run_child(code, **env):
    full = dict(os.environ, **env)
    full["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, env=full, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


ROUND_TRIP = """
    import gozmq as zmq
    from gozmq import _lib, frame
    print("layout", _lib.GOZMQ_LAYOUT, "lend", frame._Lent.available(),
          "batch", _lib.raw_recv_batch is not None)
    ctx = zmq.Context()
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b.connect(f"tcp://127.0.0.1:{port}")
    for n in (0, 1, 40, 41, 256, 70000, 1 << 20):
        data = bytes(range(256)) * (n // 256) + b"t" * (n % 256)
        a.send_multipart([data, data])
        assert b.poll(5000)
        assert b.recv() == data and b.rcvmore and b.recv() == data, n
        a.send_multipart([data, data], copy=False)
        fs = b.recv_multipart(copy=False)
        assert [f.bytes for f in fs] == [data, data] and fs[0].more and not fs[1].more
        assert len(fs[1]) == n and bytes(fs[1].buffer) == data
    t = a.send(bytearray(100000), copy=False, track=True)
    assert b.poll(5000) and len(b.recv()) == 100000
    t.wait(10)
    ctx.destroy(linger=0)
    print("ok")
"""


@pytest.mark.gozmq_only
def test_generic_path_forced():
    """GOZMQ_GENERIC_MSG=1: the path used on libraries other than gozmq."""
    out = _run_child(ROUND_TRIP, GOZMQ_GENERIC_MSG="1")
    assert "layout False lend False" in out and "ok" in out


@pytest.mark.gozmq_only
def test_layout_detected():
    out = _run_child(ROUND_TRIP)
    assert "layout True lend True batch True" in out and "ok" in out


@pytest.mark.gozmq_only
def test_generic_path_on_debian_libzmq():
    """The package over real libzmq (Debian's): the layout probe says no,
    and everything goes through the library's own accessors."""
    lib = "/usr/lib/x86_64-linux-gnu/libzmq.so.5"
    if not os.path.exists(lib):  # other architectures: ask the loader
        lib = "libzmq.so.5"
    out = _run_child(ROUND_TRIP, GOZMQ_LIBRARY=lib)
    assert "layout False lend False batch False" in out and "ok" in out


@pytest.mark.gozmq_only
def test_lent_records_swept_at_constant_cost(monkeypatch):
    """Memory lent by send(copy=False) is let go by sweeping the records of
    dead Frames at each new lend. A lend checks a bounded number of records
    on average (it used to check them all: a stream of large zero-copy
    sends with a full queue was quadratic), finished records are let go
    even behind one that never finishes, and at most about twice the
    records in flight are kept."""
    from collections import deque
    from gozmq import frame

    class Record:  # frame._Lent's part that _sweep uses
        checks = 0

        def __init__(self):
            self.busy = True

        def done(self):
            Record.checks += 1
            return not self.busy

    q = deque()
    monkeypatch.setattr(frame, "_INFLIGHT", q)
    monkeypatch.setattr(frame, "_full_sweep_at", frame._SWEEP_MIN)
    stuck = Record()  # a message stuck for good at the head
    q.append(stuck)
    flight, lends, recs, longest = 1000, 6000, [], 0
    for i in range(lends):
        r = Record()
        recs.append(r)
        q.append(r)
        if i >= flight:
            recs[i - flight].busy = False  # finished in send order
        frame._sweep()
        longest = max(longest, len(q))
    assert Record.checks <= 6 * lends, Record.checks
    assert longest <= 2 * (flight + 1) + frame._SWEEP_MIN, longest
    for r in recs:
        r.busy = False
    monkeypatch.setattr(frame, "_full_sweep_at", frame._SWEEP_MIN)
    frame._sweep()
    assert list(q) == [stuck]
    stuck.busy = False
    frame._sweep()
    assert not q
