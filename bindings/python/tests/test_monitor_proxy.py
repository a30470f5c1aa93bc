"""Socket monitor events and zmq.proxy."""

import threading

from _impl import monitor, zmq
from conftest import recv_within


def next_event(mon, wanted, ms=5000):
    """Reads events until one in ``wanted`` arrives; returns it."""
    seen = []
    for _ in range(50):
        assert mon.poll(ms), f"no monitor event; saw {seen}"
        evt = monitor.recv_monitor_message(mon)
        seen.append(evt["event"])
        if evt["event"] in wanted:
            return evt
    raise AssertionError(f"none of {wanted} in {seen}")


def test_monitor_events_over_tcp(ctx):
    server = ctx.socket(zmq.REP)
    smon = server.get_monitor_socket()
    assert server.get_monitor_socket() is smon  # one per socket
    server.bind("tcp://127.0.0.1:*")
    addr = server.last_endpoint
    evt = next_event(smon, {zmq.EVENT_LISTENING})
    assert evt["endpoint"] == addr
    client = ctx.socket(zmq.REQ)
    cmon = client.get_monitor_socket(zmq.EVENT_CONNECTED | zmq.EVENT_HANDSHAKE_SUCCEEDED
                                     | zmq.EVENT_DISCONNECTED | zmq.EVENT_MONITOR_STOPPED)
    client.connect(addr.decode())
    evt = next_event(cmon, {zmq.EVENT_CONNECTED})
    assert evt["endpoint"] == addr and evt["value"] > 0  # value: the fd
    next_event(cmon, {zmq.EVENT_HANDSHAKE_SUCCEEDED})
    next_event(smon, {zmq.EVENT_ACCEPTED})
    next_event(smon, {zmq.EVENT_HANDSHAKE_SUCCEEDED})
    client.send(b"hi")
    assert recv_within(server) == b"hi"
    server.close(linger=0)  # the client sees its peer go
    next_event(cmon, {zmq.EVENT_DISCONNECTED})
    client.disable_monitor()
    next_event(cmon, {zmq.EVENT_MONITOR_STOPPED})


def test_parse_monitor_message():
    import struct
    evt = monitor.parse_monitor_message([struct.pack("=Hi", zmq.EVENT_ACCEPTED, 12),
                                         b"tcp://1.2.3.4:5"])
    assert evt == {"event": zmq.EVENT_ACCEPTED, "value": 12, "endpoint": b"tcp://1.2.3.4:5"}


def test_proxy_router_dealer_until_term():
    ctx = zmq.Context()
    frontend = ctx.socket(zmq.ROUTER)
    fport = frontend.bind_to_random_port("tcp://127.0.0.1")
    backend = ctx.socket(zmq.DEALER)
    backend.bind("inproc://workers")
    capture = ctx.socket(zmq.PUB)
    capture.bind("inproc://capture")
    tap = ctx.socket(zmq.SUB)
    tap.subscribe(b"")
    tap.connect("inproc://capture")
    outcome = []

    def run_proxy():
        try:
            zmq.proxy(frontend, backend, capture)
        except zmq.ContextTerminated:
            outcome.append("terminated")
        finally:
            for s in (frontend, backend, capture):
                s.close(linger=0)
    t = threading.Thread(target=run_proxy)
    t.start()
    worker = ctx.socket(zmq.REP)
    worker.connect("inproc://workers")
    client = ctx.socket(zmq.REQ)
    client.connect(f"tcp://127.0.0.1:{fport}")
    for i in range(5):
        client.send(b"job %d" % i)
        assert recv_within(worker) == b"job %d" % i
        worker.send(b"done %d" % i)
        assert recv_within(client) == b"done %d" % i
    # the capture socket saw the traffic (envelope + body of each direction)
    captured = [recv_within(tap) for _ in range(3)]
    assert b"job 0" in captured
    for s in (worker, client, tap):
        s.close(linger=0)
    ctx.term()
    t.join(10)
    assert not t.is_alive() and outcome == ["terminated"]


def test_proxy_steerable_terminate(ctx):
    front = ctx.socket(zmq.PULL)
    front.bind("inproc://steer-front")
    back = ctx.socket(zmq.PUSH)
    back.bind("inproc://steer-back")
    control_in = ctx.socket(zmq.PAIR)
    control_in.bind("inproc://steer-control")
    done = threading.Event()

    def run():
        zmq.proxy_steerable(front, back, None, control_in)
        done.set()
    t = threading.Thread(target=run)
    t.start()
    push = ctx.socket(zmq.PUSH)
    push.connect("inproc://steer-front")
    pull = ctx.socket(zmq.PULL)
    pull.connect("inproc://steer-back")
    push.send(b"through")
    assert recv_within(pull) == b"through"
    control = ctx.socket(zmq.PAIR)
    control.connect("inproc://steer-control")
    control.send(b"TERMINATE")
    t.join(10)
    assert done.is_set()
