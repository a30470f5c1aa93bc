"""Receive batches: on gozmq's library, recv() takes several queued parts
per call into the library (gozmq_recv_batch) and hands them out from a
per-socket batch. Nothing the application can observe may change, so
every test here also runs on pyzmq (where the same calls simply receive
one part each); the gozmq_only ones check that batching really happens,
and the others check (on gozmq) that the batch holds parts at the point
where they look, so that they test the batch and not the library.
"""

import asyncio
import copy
import threading
import time

import pytest

from _impl import IMPL, zaio, zmq

GOZMQ = IMPL == "gozmq"


def pipe(ctx, kind=(zmq.PUSH, zmq.PULL)):
    """A connected sender/receiver pair over inproc."""
    a, b = ctx.socket(kind[0]), ctx.socket(kind[1])
    addr = f"inproc://batch-{id(a):x}"
    b.bind(addr)
    a.connect(addr)
    b.rcvtimeo = 5000  # a lost part fails the test instead of hanging it
    return a, b


class Feeder:
    """Sends to one DEALER from a ROUTER over inproc. A ROUTER's send puts
    the message in the pipe before it returns (a PUSH's may still be on
    its way in gozmq's send cache), so the receiver's first recv batches
    everything sent before it, and the tests know what the batch holds."""

    def __init__(self, ctx):
        self.router = ctx.socket(zmq.ROUTER, socket_class=zmq.Socket)
        self.router.router_mandatory = 1
        self.dealer = ctx.socket(zmq.DEALER)
        self.dealer.identity = b"rx"
        self.dealer.rcvtimeo = 5000  # a lost part fails the test instead of hanging it
        addr = f"inproc://feed-{id(self):x}"
        self.router.bind(addr)
        self.dealer.connect(addr)
        for _ in range(500):  # until the ROUTER knows the DEALER (bounded)
            try:
                self.router.send_multipart([b"rx", b"hello"])
                break
            except zmq.ZMQError:
                self.router.poll(10, zmq.POLLOUT)
        # Plain (not awaitable) calls, so asyncio DEALERs work here too.
        assert zmq.select([self.dealer], [], [], 5)[0]
        assert zmq.Socket.recv(self.dealer, zmq.DONTWAIT) == b"hello"

    def send(self, data):
        self.router.send_multipart([b"rx", data])

    def send_multipart(self, parts):
        self.router.send_multipart([b"rx"] + list(parts))


def batched(sock):
    """Parts waiting in the Python-side batch, as bytes or as Frames (0 on
    pyzmq)."""
    return len(sock._bq) + len(sock._fq) if GOZMQ else 0


def body(i, n):
    return bytes([i & 255]) * n


def first_of_batch(ctx, n, size):
    """A Feeder that sent n bodies, and its receiver once it took the
    first (on gozmq the other n-1 then wait in the receiver's batch)."""
    feed = Feeder(ctx)
    for i in range(n):
        feed.send(body(i, size))
    assert feed.dealer.recv() == body(0, size)
    if GOZMQ:
        assert batched(feed.dealer) == n - 1
    return feed, feed.dealer


def count_batch_calls(monkeypatch):
    """A list that gets one entry per non-blocking gozmq_recv_batch call
    the binding makes from now on."""
    from gozmq import socket as gsock
    calls = []
    real = gsock._raw_batch

    def counting(*args):
        calls.append(1)
        return real(*args)
    monkeypatch.setattr(gsock, "_raw_batch", counting)
    return calls


@pytest.mark.gozmq_only
def test_one_library_call_per_batch(ctx, monkeypatch):
    calls = count_batch_calls(monkeypatch)
    feed = Feeder(ctx)
    push, pull = feed, feed.dealer
    for i in range(300):
        push.send(body(i, 256))
    got = [pull.recv() for _ in range(300)]
    assert got == [body(i, 256) for i in range(300)]
    # Up to 128 cached parts plus the one asked for per call (fewer when the
    # dealer's sends are still arriving): allow some slack.
    assert len(calls) <= 15, len(calls)
    assert pull._bt is not None and ctx.socket(zmq.SUB)._bt is not None
    assert ctx.socket(zmq.XSUB)._bt is None  # XSUB does not batch


@pytest.mark.parametrize("kind", [(zmq.PUSH, zmq.PULL), (zmq.PAIR, zmq.PAIR),
                                  (zmq.DEALER, zmq.DEALER), (zmq.DEALER, zmq.ROUTER)])
def test_order_sizes_and_more_across_batches(ctx, kind):
    """Many multipart messages with parts of every size (empty, inline,
    larger than the batch buffer) come out whole and in order, with the
    right RCVMORE after every part, whether taken one by one, as
    multipart lists, or mixed with copy=False receives."""
    a, b = pipe(ctx, kind)
    sizes = [0, 1, 40, 41, 256, 1000, 40000, 70000, 5, 300]
    msgs = []
    for i in range(60):
        parts = [body(i * 3 + k, sizes[(i + k) % len(sizes)]) for k in range(1 + i % 3)]
        a.send_multipart(parts)
        msgs.append(parts)
    prefix = kind[1] == zmq.ROUTER  # ROUTER prepends the sender's routing id
    saw_batch = False
    for i, parts in enumerate(msgs):
        if i % 3 == 0:
            got = b.recv_multipart()
        elif i % 3 == 1:
            got = []
            while True:
                got.append(b.recv())
                saw_batch |= batched(b) > 0
                if not b.getsockopt(zmq.RCVMORE):
                    break
                assert b.rcvmore
        else:
            frames = b.recv_multipart(copy=False)
            assert [f.more for f in frames] == [True] * (len(frames) - 1) + [False]
            got = [f.bytes for f in frames]
        if prefix:
            got = got[1:]
        assert got == parts, i
    assert b.poll(0) == 0
    assert saw_batch or not GOZMQ


def test_poll_events_while_batched(ctx):
    """Parts already in the batch make the socket readable: poll(), the
    Poller, select, getsockopt(EVENTS) and the events attribute say so,
    without waiting, even though the library holds nothing any more."""
    push, pull = first_of_batch(ctx, 5, 10)
    for i in range(1, 5):
        t0 = time.monotonic()
        assert pull.poll(2000) == zmq.POLLIN
        p = zmq.Poller()
        p.register(pull, zmq.POLLIN | zmq.POLLOUT)
        assert dict(p.poll(2000)).get(pull, 0) & zmq.POLLIN
        assert zmq.select([pull], [], [], 2)[0] == [pull]
        assert pull.getsockopt(zmq.EVENTS) & zmq.POLLIN
        assert pull.events & zmq.POLLIN
        if GOZMQ:  # what the asyncio Socket reads after each wake-up
            assert pull._events() & zmq.POLLIN
        assert time.monotonic() - t0 < 1.5  # none of them waited
        assert pull.recv() == body(i, 10)
    assert pull.poll(0) == 0
    assert not pull.getsockopt(zmq.EVENTS) & zmq.POLLIN
    assert not pull.events & zmq.POLLIN


def test_poller_with_other_sockets_and_fds(ctx):
    """A batched socket among others: the poll does not wait, and the
    others' events are still reported."""
    feed = Feeder(ctx)
    push, pull = feed, feed.dealer
    push2, pull2 = pipe(ctx)
    for i in range(3):
        push.send(body(i, 3))
    push2.send(b"other")
    assert pull.recv() == body(0, 3)
    p = zmq.Poller()
    p.register(pull, zmq.POLLIN)
    p.register(pull2, zmq.POLLIN)
    events = dict(p.poll(2000))
    assert events.get(pull) == zmq.POLLIN
    for _ in range(100):  # pull2's message is queued (inproc): seen within a few polls
        if events.get(pull2) == zmq.POLLIN:
            break
        events = dict(p.poll(20))
    assert events.get(pull2) == zmq.POLLIN


def test_rcvmore_from_batch(ctx):
    feed = Feeder(ctx)
    push, pull = feed, feed.dealer
    push.send_multipart([b"a1", b"a2", b"a3"])
    push.send_multipart([b"b1"])
    push.send_multipart([b"c1", b"c2"])
    want = [(b"a1", 1), (b"a2", 1), (b"a3", 0), (b"b1", 0), (b"c1", 1), (b"c2", 0)]
    for i, (data, more) in enumerate(want):
        assert pull.recv() == data
        if GOZMQ:
            assert batched(pull) == len(want) - 1 - i
        assert pull.getsockopt(zmq.RCVMORE) == more
        assert pull.rcvmore == more


def test_copy_false_and_recv_into_keep_order(ctx):
    """copy=False and recv_into take batched parts first."""
    feed = Feeder(ctx)
    push, pull = feed, feed.dealer
    push.send_multipart([b"p0", b"p1"])
    for i in range(2, 8):
        push.send(b"p%d" % i)
    assert pull.recv() == b"p0"
    if GOZMQ:
        assert batched(pull) == 7
    f = pull.recv(copy=False)
    assert f.bytes == b"p1" and not f.more and not pull.rcvmore
    buf = bytearray(10)
    assert pull.recv_into(buf) == 2 and buf[:2] == b"p2"
    small = bytearray(1)
    assert pull.recv_into(small) == 2 and small == b"p"  # truncated, full size returned
    assert pull.recv() == b"p4"
    assert [f.bytes for f in pull.recv_multipart(copy=False)] == [b"p5"]
    assert pull.recv_string() == "p6"
    assert pull.recv(copy=False).bytes == b"p7"
    assert pull.poll(0) == 0


def test_dontwait_and_rcvtimeo(ctx):
    feed = Feeder(ctx)
    push, pull = feed, feed.dealer
    with pytest.raises(zmq.Again):
        pull.recv(zmq.DONTWAIT)
    push.send(b"x")
    push.send(b"y")
    assert pull.recv(zmq.DONTWAIT) == b"x"
    assert pull.recv(zmq.DONTWAIT) == b"y"  # from the batch on gozmq
    pull.rcvtimeo = 100
    t0 = time.monotonic()
    with pytest.raises(zmq.Again):
        pull.recv()
    assert 0.08 < time.monotonic() - t0 < 3


def test_close_discards_batch(ctx):
    push, pull = first_of_batch(ctx, 4, 8)
    pull.close()
    with pytest.raises(zmq.ZMQError) as e:
        pull.recv()
    assert e.value.errno == zmq.ENOTSOCK
    with pytest.raises(zmq.ZMQError):
        pull.recv(copy=False)


@pytest.mark.gozmq_only
def test_context_term_fails_batched_receives():
    """Once the context terminates, gozmq's receives fail with ETERM at
    once, messages queued or not, and parts in the batch are no exception.
    (libzmq notices the termination only when it next processes commands,
    which a receive that finds a message may not do for up to 100 more.)"""
    c = zmq.Context()
    feed = Feeder(c)
    push, pull = feed, feed.dealer
    waiter = c.socket(zmq.PULL)
    waiter.bind("inproc://batch-term-waiter")
    for i in range(5):
        push.send(body(i, 8))
    assert pull.recv() == body(0, 8)
    if GOZMQ:
        assert batched(pull) == 4
    feed.router.close(linger=0)
    woke = []

    def wait_for_term():
        try:
            waiter.recv()
        except zmq.ContextTerminated:
            woke.append("ETERM")
        waiter.close()
    t_wait = threading.Thread(target=wait_for_term)
    t_wait.start()
    t_term = threading.Thread(target=c.term)
    t_term.start()
    t_wait.join(10)  # the termination has begun once the waiter got ETERM
    assert woke == ["ETERM"]
    with pytest.raises(zmq.ContextTerminated):
        pull.recv()
    pull.close()
    t_term.join(10)
    assert not t_term.is_alive()


def test_asyncio_waiters_served_from_batch():
    """Awaiting receives are served from the batch (the socket's fd does
    not fire for parts the binding already holds), and so are an asyncio
    Poller and Socket.poll."""
    async def main():
        actx = zaio.Context()
        try:
            feed = Feeder(actx)
            push, pull = feed, feed.dealer
            waiters = [asyncio.ensure_future(pull.recv()) for _ in range(3)]
            await asyncio.sleep(0)
            for i in range(12):
                push.send(body(i, 20))
            got = await asyncio.wait_for(asyncio.gather(*waiters), 5)
            assert got == [body(i, 20) for i in range(3)]
            assert await asyncio.wait_for(pull.recv(), 5) == body(3, 20)
            if GOZMQ:
                assert batched(pull) == 8
            poller = zaio.Poller()
            poller.register(pull, zmq.POLLIN)
            assert dict(await asyncio.wait_for(poller.poll(5000), 5)).get(pull) == zmq.POLLIN
            assert await asyncio.wait_for(pull.poll(5000), 5) == zmq.POLLIN
            for i in range(4, 12):
                assert await asyncio.wait_for(pull.recv(), 5) == body(i, 20)
            assert await pull.poll(0) == 0
        finally:
            actx.destroy(linger=0)
    asyncio.run(asyncio.wait_for(main(), 30))


def test_asyncio_multipart_across_batches():
    async def main():
        actx = zaio.Context()
        try:
            push, pull = pipe(actx, (zmq.DEALER, zmq.DEALER))
            for i in range(40):
                await push.send_multipart([body(i, 1), body(i, 300), body(i, 0)])
            for i in range(40):
                got = await asyncio.wait_for(pull.recv_multipart(), 5)
                assert got == [body(i, 1), body(i, 300), body(i, 0)], i
        finally:
            actx.destroy(linger=0)
    asyncio.run(asyncio.wait_for(main(), 30))


def test_proxy_forwards_batched_parts():
    """zmq.proxy on a socket the application has received from: the parts
    its batch holds (the library has handed them out already) are
    forwarded first, whole and in order."""
    c = zmq.Context()
    feed = Feeder(c)
    front = feed.dealer
    back = c.socket(zmq.PUSH)
    back.bind("inproc://batch-proxy-back")
    sink = c.socket(zmq.PULL)
    sink.rcvtimeo = 5000
    sink.connect("inproc://batch-proxy-back")
    for i in range(6):
        feed.send_multipart([b"m%d" % i, b"tail"])
    assert front.recv() == b"m0" and front.rcvmore
    if GOZMQ:
        assert batched(front) == 11
    outcome = []

    def run_proxy():
        try:
            zmq.proxy(front, back)
        except zmq.ContextTerminated:
            outcome.append("terminated")
        finally:
            front.close(linger=0)
            back.close(linger=0)
    t = threading.Thread(target=run_proxy)
    t.start()
    try:
        assert sink.recv_multipart() == [b"tail"]  # the rest of the message begun above
        for i in range(1, 6):
            assert sink.recv_multipart() == [b"m%d" % i, b"tail"]
    finally:
        sink.close(linger=0)
        feed.router.close(linger=0)
        c.term()
        t.join(10)
    assert outcome == ["terminated"]


@pytest.mark.gozmq_only
def test_copy_false_one_library_call_per_batch(ctx, monkeypatch):
    """recv(copy=False) batches too: one call for many Frames."""
    feed = Feeder(ctx)
    for i in range(300):
        feed.send(body(i, 256))
    calls = count_batch_calls(monkeypatch)
    frames = [feed.dealer.recv(copy=False) for _ in range(300)]
    assert [f.bytes for f in frames] == [body(i, 256) for i in range(300)]
    assert 1 <= len(calls) <= 15, len(calls)


def test_copy_false_frames_of_a_batch(ctx):
    """Frames handed out of a batch behave as any received Frame: data,
    length, buffer, MORE (attribute, get, RCVMORE), equality, copies,
    sending them on; and they are Frames."""
    feed = Feeder(ctx)
    msgs = [[body(i, 1 + i * 37 % 300) for _ in range(1 + i % 3)] for i in range(30)]
    for parts in msgs:
        feed.send_multipart(parts)
    pull = feed.dealer
    out, sink = pipe(ctx)
    kept = []
    first = True
    for parts in msgs:
        for k, data in enumerate(parts):
            f = pull.recv(copy=False)
            if first and GOZMQ:
                assert batched(pull) == sum(map(len, msgs)) - 1
                first = False
            last = k == len(parts) - 1
            assert isinstance(f, zmq.Frame) and isinstance(f, zmq.Message)
            assert f.more == (not last) and f.get(zmq.MORE) == (not last)
            assert pull.getsockopt(zmq.RCVMORE) == (not last)
            assert f.bytes == data and bytes(f) == data and len(f) == len(data)
            assert f.buffer.tobytes() == data
            c = copy.copy(f)
            assert c.bytes == data
            out.send(f, zmq.SNDMORE if not last else 0)
            kept.append(c)
    assert pull.poll(0) == 0
    for parts in msgs:
        assert sink.recv_multipart() == parts
    assert [f.bytes for f in kept] == [p for parts in msgs for p in parts]


def test_copy_false_metadata_follows_each_peer(ctx):
    """Frames of parts from different peers, received with copy=False,
    each report their own peer's metadata (Socket-Type) however the
    parts were interleaved and batched, and their Peer-Address."""
    router = ctx.socket(zmq.ROUTER)
    router.rcvtimeo = 5000
    port = router.bind_to_random_port("tcp://127.0.0.1")
    peers = []
    for kind in (zmq.DEALER, zmq.REQ, zmq.DEALER, zmq.REQ):
        s = ctx.socket(kind)
        s.connect(f"tcp://127.0.0.1:{port}")
        peers.append(s)
    names = {zmq.DEALER: "DEALER", zmq.REQ: "REQ"}
    for rnd in range(5):
        want = {}
        for s in peers:
            n = 1 if s.type == zmq.REQ else 20
            for i in range(n):
                s.send(b"%d" % i)
            want[s.type] = want.get(s.type, 0) + n
        got = {}
        while sum(got.values()) < sum(want.values()):
            frames = router.recv_multipart(copy=False)
            kinds = {f.get("Socket-Type") for f in frames}
            assert len(kinds) == 1, kinds  # one message, one peer
            kind = kinds.pop()
            body_ = frames[-1].bytes
            # REQ messages have an empty delimiter, DEALER ones do not.
            assert len(frames) == (3 if kind == "REQ" else 2), (kind, len(frames))
            assert all(f.get("Peer-Address") == "127.0.0.1" for f in frames)
            got[kind] = got.get(kind, 0) + 1
            if kind == "REQ":
                router.send_multipart([frames[0].bytes, b"", b"ok"])
        assert got == {names[k]: v for k, v in want.items()}, rnd
        for s in peers:
            if s.type == zmq.REQ:
                s.rcvtimeo = 5000
                assert s.recv() == b"ok"
    assert body_ is not None


def sub_pair(ctx, topics):
    """A PUB and a SUB over inproc, the SUB subscribed to topics and known
    to the PUB (its subscriptions reach the PUB in order, the last topic
    last), with nothing left queued."""
    pub, sub = ctx.socket(zmq.PUB), ctx.socket(zmq.SUB)
    addr = f"inproc://batch-sub-{id(pub):x}"
    pub.bind(addr)
    sub.connect(addr)
    sub.rcvtimeo = 5000
    for t in topics:
        sub.subscribe(t)
    last = topics[-1]
    for _ in range(500):  # until the PUB has the last subscription (bounded)
        pub.send(last + b"-sync")
        if sub.poll(10):
            break
    pub.send(last + b"-end")
    while sub.recv() != last + b"-end":
        pass
    return pub, sub


@pytest.mark.parametrize("copy", [True, False])
def test_unsubscribe_drops_batched_messages(ctx, copy):
    """Messages a SUB has queued (on gozmq: batched) that an
    unsubscription no longer admits are dropped, whole; the rest of a
    message the application has begun to receive still comes, and the
    others keep their order and MORE flags."""
    pub, sub = sub_pair(ctx, [b"b", b"a"])

    def recv():
        got = sub.recv(copy=copy)
        return got if copy else got.bytes

    pub.send(b"a1")
    pub.send(b"b1")
    pub.send_multipart([b"a2", b"x"])
    pub.send_multipart([b"b2", b"y"])
    pub.send(b"a3")
    pub.send_multipart([b"a4", b"t1", b"t2"])
    pub.send(b"b3")
    assert recv() == b"a1"
    if GOZMQ:
        assert batched(sub) == 10
    sub.unsubscribe(b"a")
    assert recv() == b"b1" and not sub.rcvmore
    assert [recv(), recv()] == [b"b2", b"y"]
    assert recv() == b"b3"
    assert sub.poll(0) == 0
    # An unsubscription in the middle of a message: its rest still comes.
    sub.subscribe(b"a")
    for _ in range(500):  # until the PUB has the subscription again (bounded)
        pub.send(b"a-sync")
        if sub.poll(10):
            break
    pub.send(b"a-end")
    while recv() != b"a-end":
        pass
    pub.send_multipart([b"a5", b"t1", b"t2"])
    pub.send(b"a6")
    pub.send(b"b4")
    assert recv() == b"a5" and sub.rcvmore
    if GOZMQ:
        assert batched(sub) == 4
    sub.unsubscribe(b"a")
    assert recv() == b"t1" and sub.rcvmore
    assert recv() == b"t2" and not sub.rcvmore
    assert recv() == b"b4"
    assert sub.poll(0) == 0


@pytest.mark.gozmq_only
def test_batched_part_given_a_message_closes_it():
    """set() gives a batched part a message of its own (a part has no
    __del__); that message is closed when the part goes, not leaked."""
    import gc
    c = zmq.Context()
    try:
        push, pull = pipe(c)
        push.send(b"one")
        push.send(b"two")
        f = pull.recv(copy=False)
        assert f._msg is None  # a batched part
        with pytest.raises(zmq.ZMQError):
            f.set(zmq.MORE, 1)  # no settable int option in 4.3: EINVAL, after _own
        m = f._msg
        assert m is not None and (m[7] or 0) >> 32 & 255 != 0  # an initialised message
        del f
        gc.collect()
        assert (m[7] or 0) >> 32 & 255 == 0  # zmq_msg_close zeroes it
        assert pull.recv() == b"two"
    finally:
        c.destroy(linger=0)
