"""asyncio sockets and Poller: awaitable send/recv, no lost messages, no spin."""

import asyncio
import time

import pytest

from _impl import zaio, zmq


def run(coro, timeout=60):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture
def actx():
    c = zaio.Context()
    yield c
    c.destroy(linger=0)


def test_push_pull_and_multipart(actx):
    async def main():
        pull = actx.socket(zmq.PULL)
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push = actx.socket(zmq.PUSH)
        push.connect(f"tcp://127.0.0.1:{port}")
        waiter = asyncio.ensure_future(pull.recv())  # waits before anything is sent
        await asyncio.sleep(0)
        assert not waiter.done()
        await push.send(b"first")
        assert await waiter == b"first"
        await push.send_multipart([b"a", b"b", b"c"])
        assert await pull.recv_multipart() == [b"a", b"b", b"c"]
        await push.send_string("text")
        assert await pull.recv_string() == "text"
        await push.send_json({"k": 1})
        assert await pull.recv_json() == {"k": 1}
        await push.send_json({"k": 2, "a": 0}, sort_keys=True)  # keywords reach json.dumps
        assert await pull.recv() == b'{"a": 0, "k": 2}'
        await push.send_pyobj((1, "x"))
        assert await pull.recv_pyobj() == (1, "x")
        await push.send(b"frame")
        f = await pull.recv(copy=False)
        assert f.bytes == b"frame"
    run(main())


def test_req_rep_between_tasks(actx):
    async def server(rep, n):
        for _ in range(n):
            msg = await rep.recv()
            await rep.send(msg.upper())

    async def main():
        rep = actx.socket(zmq.REP)
        port = rep.bind_to_random_port("tcp://127.0.0.1")
        req = actx.socket(zmq.REQ)
        req.connect(f"tcp://127.0.0.1:{port}")
        task = asyncio.ensure_future(server(rep, 50))
        for i in range(50):
            await req.send(b"hello %d" % i)
            assert await req.recv() == b"HELLO %d" % i
        await task
    run(main())


def test_dontwait_and_cancel(actx):
    async def main():
        pull = actx.socket(zmq.PULL)
        pull.bind("inproc://aio-cancel")
        with pytest.raises(zmq.Again):
            await pull.recv(zmq.NOBLOCK)
        fut = pull.recv()
        fut.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fut
        push = actx.socket(zmq.PUSH)
        push.connect("inproc://aio-cancel")
        await push.send(b"after cancel")
        # the cancelled receive must not have swallowed the message
        assert await asyncio.wait_for(pull.recv(), 5) == b"after cancel"
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pull.recv(), 0.05)
        await push.send(b"after timeout")
        assert await asyncio.wait_for(pull.recv(), 5) == b"after timeout"
    run(main())


def test_stress_no_lost_message_with_small_hwm(actx):
    """Sender and receiver in one loop, HWM 10 so both wait on the edge-
    triggered fd many times; every message arrives, in order."""
    n = 20000

    async def sender(push):
        for i in range(n):
            await push.send(b"%d" % i)

    async def receiver(pull):
        for i in range(n):
            assert await pull.recv() == b"%d" % i

    async def main():
        pull = actx.socket(zmq.PULL)
        pull.rcvhwm = 10
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push = actx.socket(zmq.PUSH)
        push.sndhwm = 10
        push.connect(f"tcp://127.0.0.1:{port}")
        await asyncio.gather(receiver(pull), sender(push))
    run(main(), timeout=120)


def test_many_concurrent_receivers(actx):
    async def main():
        pull = actx.socket(zmq.PULL)
        pull.bind("inproc://aio-many")
        push = actx.socket(zmq.PUSH)
        push.connect("inproc://aio-many")
        futs = [pull.recv() for _ in range(100)]
        for i in range(100):
            await push.send(b"%d" % i)
        got = await asyncio.gather(*futs)
        assert got == [b"%d" % i for i in range(100)]  # served in call order
    run(main())


def test_idle_wait_does_not_spin(actx):
    async def main():
        pull = actx.socket(zmq.PULL)
        pull.bind("tcp://127.0.0.1:*")
        cpu0 = time.process_time()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pull.recv(), 0.5)
        poller = zaio.Poller()
        poller.register(pull, zmq.POLLIN)
        assert await poller.poll(500) == []
        return time.process_time() - cpu0
    used = run(main())
    assert used < 0.25, f"idle awaits used {used:.3f}s of CPU in 1s"


def test_poller_sockets_and_fd(actx):
    import os

    async def main():
        a = actx.socket(zmq.PAIR)
        a.bind("inproc://aio-poll")
        b = actx.socket(zmq.PAIR)
        b.connect("inproc://aio-poll")
        r, w = os.pipe()
        try:
            poller = zaio.Poller()
            poller.register(b, zmq.POLLIN)
            poller.register(r, zmq.POLLIN)
            assert await poller.poll(20) == []
            pending = asyncio.ensure_future(poller.poll())
            await asyncio.sleep(0)
            await a.send(b"wake")
            assert await asyncio.wait_for(pending, 5) == [(b, zmq.POLLIN)]
            assert await b.recv() == b"wake"
            os.write(w, b"x")
            assert await asyncio.wait_for(poller.poll(), 5) == [(r, zmq.POLLIN)]
            assert await b.poll(10) == 0
            await a.send(b"x")
            assert await b.poll(5000) == zmq.POLLIN
        finally:
            os.close(r)
            os.close(w)
    run(main())


def test_close_cancels_waiters(actx):
    async def main():
        s = actx.socket(zmq.PULL)
        s.bind("inproc://aio-close")
        fut = s.recv()
        await asyncio.sleep(0)
        s.close(linger=0)
        with pytest.raises(asyncio.CancelledError):
            await fut
    run(main())


def test_peer_in_another_thread_wakes_the_loop(actx):
    """Only the fd can wake the loop here: the peer is a plain socket in a
    thread. The sender waits for room (HWM 5), the receiver for data."""
    import threading
    n = 3000
    sync_ctx = zmq.Context()

    def echo(port):
        s = sync_ctx.socket(zmq.PAIR)
        s.rcvhwm = s.sndhwm = 5
        s.connect(f"tcp://127.0.0.1:{port}")
        for _ in range(n):
            assert s.poll(20000)
            s.send(s.recv())
        s.close(linger=5000)

    async def main():
        pair = actx.socket(zmq.PAIR)
        pair.sndhwm = pair.rcvhwm = 5
        port = pair.bind_to_random_port("tcp://127.0.0.1")
        t = threading.Thread(target=echo, args=(port,))
        t.start()

        async def sender():
            for i in range(n):
                await pair.send(b"%d" % i)

        async def receiver():
            return [await pair.recv() for _ in range(n)]
        got, _ = await asyncio.gather(receiver(), sender())
        await asyncio.get_running_loop().run_in_executor(None, t.join)
        assert got == [b"%d" % i for i in range(n)]
    try:
        run(main(), timeout=120)
    finally:
        sync_ctx.destroy(linger=0)


@pytest.mark.parametrize("call", [
    # pyzmq 27 strands the waiter in this case (so it is gozmq's own check)
    pytest.param("events", marks=pytest.mark.gozmq_only), "option", "bind"])
def test_other_calls_do_not_strand_a_waiter(actx, call):
    """A call that processes the socket's pending commands (reading EVENTS,
    an option, bind) also consumes the fd's edge; the waiter still wakes."""
    async def main():
        pull = actx.socket(zmq.PULL)
        pull.bind("inproc://strand")
        push = actx.socket(zmq.PUSH)
        push.connect("inproc://strand")
        fut = pull.recv()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert not fut.done()
        await push.send(b"x")
        if call == "events":
            pull.getsockopt(zmq.EVENTS)
        elif call == "option":
            pull.rcvtimeo = 1000
        else:
            pull.bind("tcp://127.0.0.1:*")
        assert await asyncio.wait_for(fut, 5) == b"x"
    run(main())


@pytest.mark.gozmq_only
def test_send_json_takes_send_keywords(actx):
    """send()'s own keywords (copy, track, routing_id, group) go to send and
    the rest to json.dumps, as the synchronous send_json does; pyzmq 27's
    asyncio send_json hands them all to json.dumps (TypeError)."""
    async def main():
        pull = actx.socket(zmq.PULL)
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push = actx.socket(zmq.PUSH)
        push.connect(f"tcp://127.0.0.1:{port}")
        await push.send_json({"k": 2, "a": 0}, copy=False, sort_keys=True)
        assert await pull.recv() == b'{"a": 0, "k": 2}'
        push.close(0)
        pull.close(0)
    run(main())
