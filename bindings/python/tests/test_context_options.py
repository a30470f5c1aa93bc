"""Context lifetime, options as attributes, errors."""

import threading

import pytest

from _impl import zmq
from conftest import recv_within


def test_instance_is_shared_and_recreated_after_term():
    a = zmq.Context.instance()
    assert zmq.Context.instance() is a
    a.term()
    assert a.closed
    b = zmq.Context.instance()
    assert b is not a and not b.closed
    b.term()


def test_context_manager_destroys_leftover_sockets():
    with zmq.Context() as ctx:
        s = ctx.socket(zmq.PUSH)
        s.connect("tcp://127.0.0.1:9")
        s.linger = 0
    assert ctx.closed and s.closed


def test_destroy_with_linger_closes_sockets():
    ctx = zmq.Context()
    socks = [ctx.socket(zmq.PUSH) for _ in range(3)]
    for s in socks:
        s.connect("tcp://127.0.0.1:9")
        s.send(b"undeliverable")
    ctx.destroy(linger=0)
    assert ctx.closed and all(s.closed for s in socks)


def test_socket_on_terminated_context():
    ctx = zmq.Context()
    ctx.term()
    with pytest.raises(zmq.ZMQError) as e:
        ctx.socket(zmq.PUSH)
    assert e.value.errno == zmq.ENOTSUP


def test_term_wakes_blocked_recv_with_context_terminated():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.bind("inproc://blocked")
    errors = []
    started = threading.Event()

    def blocked():
        started.set()
        try:
            s.recv()
        except zmq.ContextTerminated as e:
            errors.append(e)
        finally:
            s.close()
    t = threading.Thread(target=blocked)
    t.start()
    started.wait(5)
    ctx.term()  # returns once the thread closed its socket
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and errors[0].errno == zmq.ETERM
    assert isinstance(errors[0], zmq.ZMQError)


def test_context_options_as_attributes():
    ctx = zmq.Context(io_threads=2)
    try:
        assert ctx.io_threads == 2
        assert ctx.get(zmq.IO_THREADS) == 2
        ctx.max_sockets = 100
        assert ctx.get(zmq.MAX_SOCKETS) == 100
        ctx.set(zmq.MAX_SOCKETS, 200)
        assert ctx.max_sockets == 200
        assert ctx.get(zmq.SOCKET_LIMIT) > 0
        ctx.linger = 7  # a socket option: default for new sockets
        s = ctx.socket(zmq.PUSH)
        assert s.linger == 7
        s.close()
        with pytest.raises(AttributeError):
            ctx.no_such_option = 1
    finally:
        ctx.destroy(linger=0)


def test_socket_options_types(ctx):
    s = ctx.socket(zmq.DEALER)
    assert s.type == zmq.DEALER
    assert s.getsockopt(zmq.TYPE) == zmq.DEALER
    s.linger = 250
    assert s.linger == 250 and s.getsockopt(zmq.LINGER) == 250
    s.setsockopt(zmq.SNDHWM, 17)
    assert s.sndhwm == 17
    s.hwm = 33
    assert s.sndhwm == 33 and s.rcvhwm == 33
    s.routing_id = b"\x00binary\xff"
    assert s.getsockopt(zmq.ROUTING_ID) == b"\x00binary\xff"
    assert s.identity == b"\x00binary\xff"
    s.maxmsgsize = 2**40
    assert s.maxmsgsize == 2**40
    s.affinity = 3
    assert s.affinity == 3
    s.setsockopt_string(zmq.ZAP_DOMAIN, "global")
    assert s.getsockopt_string(zmq.ZAP_DOMAIN) == "global"
    s.plain_username = b"u"
    assert s.plain_username == b"u"
    assert s.getsockopt(zmq.EVENTS) & zmq.POLLOUT == 0  # no peer yet
    assert isinstance(s.fd, int) and s.FD == s.fileno() == s.getsockopt(zmq.FD)
    with pytest.raises(TypeError):
        s.setsockopt(zmq.ROUTING_ID, "text is not bytes")
    with pytest.raises(zmq.ZMQError) as e:
        s.setsockopt(zmq.SNDHWM, -1)
    assert e.value.errno == zmq.EINVAL
    with pytest.raises(AttributeError):
        s.no_such_option = 1
    with pytest.raises(AttributeError):
        s.no_such_option


def test_curve_key_options(ctx):
    public, secret = zmq.curve_keypair()
    s = ctx.socket(zmq.DEALER)
    s.curve_server = 1
    s.curve_secretkey = secret
    s.curve_publickey = public
    assert s.mechanism == zmq.CURVE
    with pytest.raises(zmq.ZMQError) as e:
        s.curve_publickey = b"short"
    assert e.value.errno == zmq.EINVAL


def test_errors_carry_errno_and_text():
    e = zmq.ZMQError(zmq.EAGAIN)
    assert e.errno == zmq.EAGAIN and str(e) == zmq.strerror(zmq.EAGAIN)
    assert issubclass(zmq.Again, zmq.ZMQError)
    assert issubclass(zmq.ContextTerminated, zmq.ZMQError)
    assert issubclass(zmq.ZMQVersionError, NotImplementedError)
    assert "Operation cannot be accomplished in current state" in zmq.strerror(zmq.EFSM)


def test_shadow_socket_and_context(ctx):
    s = ctx.socket(zmq.PAIR)
    shadow = zmq.Socket.shadow(s.underlying)
    assert shadow.underlying == s.underlying
    shadow.bind("inproc://shadowed")  # acts on the same C socket
    peer = ctx.socket(zmq.PAIR)
    peer.connect("inproc://shadowed")
    peer.send(b"via shadow")
    assert recv_within(s) == b"via shadow"
    c2 = zmq.Context.shadow(ctx.underlying)
    assert c2.underlying == ctx.underlying
    s2 = c2.socket(zmq.PAIR)  # a socket of the original context
    s2.connect("inproc://shadowed")
    s2.close()


def test_option_enums_match_constants():
    """The enums hold zmq.h's names (draft and older aliases included), each
    equal to the module constant, with the current name canonical."""
    for enum, names in ((zmq.SocketOption, ["ROUTING_ID", "IDENTITY", "CONNECT_RID", "HWM",
                                            "TCP_ACCEPT_FILTER", "HELLO_MSG", "BUSY_POLL",
                                            "ZAP_ENFORCE_DOMAIN", "WSS_TRUST_SYSTEM",
                                            "GSSAPI_PRINCIPAL_NAMETYPE", "NORM_PUSH"]),
                        (zmq.ContextOption, ["IO_THREADS", "THREAD_AFFINITY_CPU_ADD",
                                             "THREAD_NAME_PREFIX", "MSG_T_SIZE"]),
                        (zmq.SocketType, ["PAIR", "STREAM", "XREQ", "SERVER", "DISH",
                                          "CHANNEL"])):
        assert set(names) <= set(enum.__members__)
        for name, member in enum.__members__.items():
            assert getattr(zmq, name) == member, name
    assert zmq.SocketOption(zmq.ROUTING_ID).name == "ROUTING_ID"
    assert zmq.SocketOption(zmq.CONNECT_ROUTING_ID).name == "CONNECT_ROUTING_ID"
    assert zmq.SocketType(zmq.DEALER).name == "DEALER"


def test_every_socket_option_is_an_attribute(ctx):
    """Each SocketOption name is a socket attribute: reading it returns a
    value or fails as an option (ZMQError / write-only), never as an
    unknown attribute name."""
    s = ctx.socket(zmq.ROUTER)
    for name in zmq.SocketOption.__members__:
        try:
            getattr(s, name.lower())
        except zmq.ZMQError:
            pass
        except AttributeError as e:
            assert "write-only" in str(e), (name, e)
    # Older names set the same option as the current ones.
    s.delay_attach_on_connect = 1
    assert s.immediate == 1
    s.router_behavior = 1  # ROUTER_MANDATORY
    s.connect_rid = b"peer-1"  # CONNECT_ROUTING_ID, write-only
    s.tcp_keepalive_idle = 30
    assert s.tcp_keepalive_idle == 30


def test_option_attributes_in_lower_and_upper_case(ctx):
    """Options read and write as attributes in lower or upper case (and set
    in any case); a write-only one says so; an unknown name is an
    AttributeError; methods named like options stay methods."""
    s = ctx.socket(zmq.SUB)
    s.linger = 7
    assert s.linger == 7 and s.LINGER == 7
    s.RCVHWM = 11
    assert s.rcvhwm == 11
    s.SndHwm = 13
    assert s.sndhwm == 13
    assert s.type == zmq.SUB
    with pytest.raises(AttributeError, match="write-only"):
        s.connect_routing_id
    with pytest.raises(AttributeError):
        s.no_such_option
    s.subscribe(b"t")  # SUBSCRIBE is also a method name: the method wins
    s.close()


@pytest.mark.gozmq_only
def test_socket_has_no_getattr():
    """Option attributes are properties, not a __getattr__: with one, every
    attribute lookup on a socket (its methods too) takes Python's slow
    generic path (socket.py explains the numbers)."""
    from gozmq import socket
    assert not any("__getattr__" in vars(c) for c in socket.Socket.__mro__)
    assert isinstance(vars(socket.Socket)["rcvhwm"], property)


@pytest.mark.gozmq_only
def test_attribute_tables_come_from_the_enums():
    from gozmq import context, socket
    assert socket.SOCKET_OPTIONS == {n: int(v) for n, v in
                                     zmq.SocketOption.__members__.items()}
    assert set(context._CONTEXT_OPTIONS) == set(zmq.ContextOption.__members__) | {"IPV6",
                                                                                  "BLOCKY"}
