"""Messaging patterns over inproc, ipc and tcp; multipart; copy=False."""

import errno

import pytest

from _impl import zmq
from conftest import TRANSPORTS, recv_multipart_within, recv_within, subscribed


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_push_pull(ctx, endpoint, transport):
    pull = ctx.socket(zmq.PULL)
    addr = endpoint(pull, transport)
    push = ctx.socket(zmq.PUSH)
    push.connect(addr)
    for i in range(100):
        push.send(b"msg %d" % i)
    assert [recv_within(pull) for _ in range(100)] == [b"msg %d" % i for i in range(100)]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_req_rep(ctx, endpoint, transport):
    rep = ctx.socket(zmq.REP)
    addr = endpoint(rep, transport)
    req = ctx.socket(zmq.REQ)
    req.connect(addr)
    for i in range(10):
        req.send_string(f"ping {i}")
        assert recv_within(rep) == f"ping {i}".encode()
        rep.send(b"pong")
        assert recv_within(req) == b"pong"


def test_req_state_machine(ctx, endpoint):
    req = ctx.socket(zmq.REQ)
    with pytest.raises(zmq.ZMQError) as e:
        req.recv(zmq.NOBLOCK)
    assert e.value.errno == zmq.EFSM
    rep = ctx.socket(zmq.REP)
    req.connect(endpoint(rep, "inproc"))
    req.send(b"a")
    with pytest.raises(zmq.ZMQError) as e:
        req.send(b"b")
    assert e.value.errno == zmq.EFSM


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pub_sub_topics(ctx, endpoint, transport):
    pub = ctx.socket(zmq.PUB)
    addr = endpoint(pub, transport)
    sub = ctx.socket(zmq.SUB)
    sub.subscribe(b"weather")
    sub.subscribe("news")
    sub.connect(addr)
    subscribed(pub, sub, b"news")
    pub.send_multipart([b"sports", b"x"])
    pub.send_multipart([b"weather", b"sun"])
    pub.send_multipart([b"newsflash", b"y"])
    assert recv_multipart_within(sub) == [b"weather", b"sun"]
    assert recv_multipart_within(sub) == [b"newsflash", b"y"]
    sub.unsubscribe("news")
    # Unsubscribing travels to the publisher; wait until weather (still
    # subscribed) gets through after a news message, then news must be gone.
    for _ in range(200):
        pub.send_multipart([b"news", b"late"])
        pub.send_multipart([b"weather", b"rain"])
        got = recv_multipart_within(sub)
        if got == [b"weather", b"rain"]:
            break
        assert got == [b"news", b"late"]
        recv_multipart_within(sub)
    pub.send_multipart([b"news", b"gone"])
    pub.send_multipart([b"weather", b"last"])
    assert recv_multipart_within(sub) == [b"weather", b"last"]


def test_sub_setsockopt_subscribe(ctx, endpoint):
    pub = ctx.socket(zmq.PUB)
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"a")
    sub.connect(endpoint(pub, "tcp"))
    subscribed(pub, sub, b"a")
    pub.send(b"b-no")
    pub.send(b"a-yes")
    assert recv_within(sub) == b"a-yes"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_router_dealer(ctx, endpoint, transport):
    router = ctx.socket(zmq.ROUTER)
    addr = endpoint(router, transport)
    dealers = []
    for name in (b"d1", b"d2"):
        d = ctx.socket(zmq.DEALER)
        d.setsockopt(zmq.IDENTITY, name)
        d.connect(addr)
        dealers.append(d)
    for d in dealers:
        d.send_multipart([b"hello", d.identity])
    seen = {}
    for _ in dealers:
        rid, body, echo = recv_multipart_within(router)
        seen[rid] = (body, echo)
    assert seen == {b"d1": (b"hello", b"d1"), b"d2": (b"hello", b"d2")}
    for rid in (b"d2", b"d1"):
        router.send_multipart([rid, b"reply to " + rid])
    for d in dealers:
        assert recv_multipart_within(d) == [b"reply to " + d.identity]


def test_router_mandatory_unroutable(ctx):
    router = ctx.socket(zmq.ROUTER)
    router.router_mandatory = 1
    with pytest.raises(zmq.ZMQError) as e:
        router.send_multipart([b"nobody", b"x"])
    assert e.value.errno == zmq.EHOSTUNREACH


def test_pair_multipart_kinds(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "ipc"))
    parts = [b"", b"x" * 10, bytearray(b"ba"), memoryview(b"mv"), zmq.Frame(b"frame"),
             b"y" * 100000]
    a.send_multipart(parts)
    got = recv_multipart_within(b)
    assert got == [b"", b"x" * 10, b"ba", b"mv", b"frame", b"y" * 100000]
    with pytest.raises(TypeError):
        a.send_multipart([b"ok", 12345])
    with pytest.raises(TypeError):
        a.send("a str")


def test_sndmore_and_rcvmore(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    a.send(b"1", zmq.SNDMORE)
    a.send(b"2", zmq.SNDMORE)
    a.send(b"3")
    assert recv_within(b) == b"1"
    assert b.getsockopt(zmq.RCVMORE) == 1
    assert b.recv() == b"2"
    assert b.rcvmore == 1
    assert b.recv() == b"3"
    assert b.rcvmore == 0


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_copy_false_frames(ctx, endpoint, transport):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, transport))
    big = bytes(range(256)) * 40
    a.send_multipart([b"small", big])
    f1 = recv_within(b, copy=False)
    f2 = b.recv(copy=False)
    assert isinstance(f1, zmq.Frame)
    assert f1.more and not f2.more
    assert f1.get(zmq.MORE) == 1 and f2.get(zmq.MORE) == 0
    assert f1.bytes == b"small" and len(f1) == 5
    assert f2.bytes == big
    view = f2.buffer
    assert isinstance(view, memoryview) and view.nbytes == len(big)
    assert view[:3].tobytes() == big[:3] and view[-1] == big[-1]
    if transport == "tcp":
        assert f2.get("Peer-Address") == "127.0.0.1"
    a.send(b"again")
    frames = [recv_within(b, copy=False)]
    assert frames[0].bytes == b"again"
    # send a received Frame back, zero-copy on our side
    b.send(f2)
    assert recv_within(a) == big
    mp = None
    a.send_multipart([b"m1", b"m2"])
    mp = recv_multipart_within(b, copy=False)
    assert [f.bytes for f in mp] == [b"m1", b"m2"]


def test_frame_object():
    f = zmq.Frame(b"hello")
    assert f.bytes == b"hello" and len(f) == 5 and bytes(f.buffer) == b"hello"
    assert zmq.Frame(bytearray(b"xy")).bytes == b"xy"
    assert zmq.Frame().bytes == b""
    assert zmq.Message is zmq.Frame


def test_send_recv_string_json_pyobj(ctx, endpoint):
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    b.connect(endpoint(a, "inproc"))
    a.send_string("héllo")
    assert recv_within(b) == "héllo".encode()
    a.send_string("grüße", encoding="latin-1")
    assert b.recv_string(encoding="latin-1") == "grüße"
    a.send_string("ünïcode")
    assert b.recv_string() == "ünïcode"
    a.send_json({"a": [1, 2, {"b": None}]})
    assert b.recv_json() == {"a": [1, 2, {"b": None}]}
    obj = {"t": (1, 2), "s": {3}, "bytes": b"\0\1"}
    a.send_pyobj(obj)
    assert b.recv_pyobj() == obj


def test_again_on_dontwait_and_timeout(ctx, endpoint):
    pull = ctx.socket(zmq.PULL)
    endpoint(pull, "tcp")
    with pytest.raises(zmq.Again) as e:
        pull.recv(zmq.NOBLOCK)
    assert e.value.errno == zmq.EAGAIN
    assert isinstance(e.value, zmq.ZMQError)
    pull.rcvtimeo = 50
    with pytest.raises(zmq.Again):
        pull.recv()
    push = ctx.socket(zmq.PUSH)  # no peer: a send would block
    push.sndtimeo = 0
    with pytest.raises(zmq.Again):
        push.send(b"x")
    with pytest.raises(zmq.Again):
        push.send(b"x", zmq.DONTWAIT)


def test_hwm_blocks_then_drains(ctx, endpoint):
    push, pull = ctx.socket(zmq.PUSH), ctx.socket(zmq.PULL)
    push.hwm = 5
    pull.hwm = 5
    push.connect(endpoint(pull, "inproc"))
    sent = 0
    while True:
        try:
            push.send(b"%d" % sent, zmq.NOBLOCK)
        except zmq.Again:
            break
        sent += 1
        assert sent < 1000
    assert sent >= 5
    assert [pull.recv() for _ in range(sent)] == [b"%d" % i for i in range(sent)]


def test_unbind_disconnect(ctx):
    pull = ctx.socket(zmq.PULL)
    pull.bind("tcp://127.0.0.1:*")
    addr = pull.last_endpoint.decode()
    push = ctx.socket(zmq.PUSH)
    push.connect(addr)
    push.send(b"1")
    assert recv_within(pull) == b"1"
    push.disconnect(addr)
    pull.unbind(addr)
    with pytest.raises(zmq.ZMQError) as e:
        pull.unbind(addr)
    assert e.value.errno == errno.ENOENT
    with pytest.raises(zmq.ZMQError) as e:
        push.disconnect(addr)
    assert e.value.errno == errno.ENOENT


def test_bind_errors(ctx):
    s = ctx.socket(zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    assert 1024 <= port < 65536
    t = ctx.socket(zmq.PULL)
    with pytest.raises(zmq.ZMQError) as e:
        t.bind(f"tcp://127.0.0.1:{port}")
    assert e.value.errno == zmq.EADDRINUSE
    with pytest.raises(zmq.ZMQError) as e:
        t.bind("nosuch://x")
    assert e.value.errno == zmq.EPROTONOSUPPORT
    with pytest.raises(zmq.ZMQError) as e:
        t.connect("tcp://")
    assert e.value.errno == zmq.EINVAL
    p2 = t.bind_to_random_port("tcp://127.0.0.1", min_port=20000, max_port=60000)
    assert 20000 <= p2 < 60000


def test_bind_to_random_port_gives_up(ctx):
    a = ctx.socket(zmq.PULL)
    port = a.bind_to_random_port("tcp://127.0.0.1")
    b = ctx.socket(zmq.PULL)
    with pytest.raises(zmq.ZMQBindError):
        b.bind_to_random_port("tcp://127.0.0.1", min_port=port, max_port=port + 1, max_tries=3)


def test_closed_socket_raises(ctx):
    s = ctx.socket(zmq.PUSH)
    s.close()
    assert s.closed
    s.close()  # idempotent
    for call in (lambda: s.send(b"x"), lambda: s.recv(), lambda: s.recv(copy=False),
                 lambda: s.recv_multipart(), lambda: s.getsockopt(zmq.LINGER)):
        with pytest.raises(zmq.ZMQError) as e:
            call()
        assert e.value.errno == zmq.ENOTSOCK


def test_socket_context_manager_and_linger(ctx):
    with ctx.socket(zmq.PUSH) as s:
        s.linger = 0  # else the context's term would wait for the peer forever
        s.connect("tcp://127.0.0.1:9")
        s.send(b"queued, never delivered")
    assert s.closed
    s2 = ctx.socket(zmq.PUSH)
    s2.connect("tcp://127.0.0.1:9")
    s2.send(b"x")
    s2.close(linger=0)
    assert s2.closed
