"""Talking to Debian's pyzmq over real libzmq in another process
(/usr/bin/python3), over tcp: REQ/REP both ways, PUB/SUB, CURVE."""

import os
import select
import subprocess

from _impl import zmq
from conftest import recv_within

DEBIAN_PYTHON = "/usr/bin/python3"
PEER = __file__.replace("test_interop.py", "debian_peer.py")


class Peer:
    def __init__(self, *args):
        self.proc = subprocess.Popen([DEBIAN_PYTHON, PEER, *map(str, args)],
                                     stdout=subprocess.PIPE, bufsize=0)
        self.buf = b""
        first = self.line()
        assert first.startswith("libzmq 4."), first

    def line(self, timeout=30.0):
        """The peer's next output line; None if none within timeout."""
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(fd, 4096)
            assert chunk, "peer ended early (exit %s)" % self.proc.wait()
            self.buf += chunk
        out, self.buf = self.buf.split(b"\n", 1)
        return out.decode().strip()

    def port(self):
        key, port = self.line().split()
        assert key == "port"
        return int(port)

    def finish(self):
        rest = self.buf + self.proc.communicate(timeout=30)[0]
        assert self.proc.returncode == 0, rest
        return rest.decode().split("\n")


def test_debian_peer_is_real_libzmq():
    out = subprocess.run([DEBIAN_PYTHON, "-c", "import zmq; print(zmq.zmq_version())"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and out.stdout.startswith("4.")


def test_our_req_to_their_rep(ctx):
    peer = Peer("rep-bind", 5)
    req = ctx.socket(zmq.REQ)
    req.connect(f"tcp://127.0.0.1:{peer.port()}")
    for i in range(5):
        req.send(b"q%d" % i)
        assert recv_within(req, 20000) == b"Q%d" % i
    peer.finish()


def test_their_req_to_our_rep(ctx):
    rep = ctx.socket(zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    peer = Peer("req-connect", f"tcp://127.0.0.1:{port}", 5)
    for _ in range(5):
        rep.send(recv_within(rep, 20000).upper())
    assert peer.finish()[0] == "replies ok"


def test_our_pub_to_their_sub(ctx):
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    peer = Peer("sub-connect", f"tcp://127.0.0.1:{port}")
    assert peer.line() == "subscribed"
    # the subscription reaches us asynchronously: publish probes until one
    # is echoed back, bounded
    for i in range(400):
        pub.send_multipart([b"t", b"probe"])
        pub.send_multipart([b"x", b"filtered out"])
        if peer.line(0.05) == "got probe":
            break
    else:
        raise AssertionError("the subscriber never received a probe")
    pub.send_multipart([b"t", b"END"])
    lines = [ln for ln in peer.finish() if ln]
    assert lines[-1] == "got END"
    assert "got filtered out" not in lines


def test_our_curve_client_to_their_curve_server(ctx):
    server_public, server_secret = zmq.curve_keypair()
    peer = Peer("curve-pull", server_secret.decode())
    port = peer.port()
    push = ctx.socket(zmq.PUSH)
    public, secret = zmq.curve_keypair()
    push.curve_serverkey = server_public
    push.curve_publickey = public
    push.curve_secretkey = secret
    push.connect(f"tcp://127.0.0.1:{port}")
    for i in range(3):
        push.send(b"secret %d" % i)
    lines = [ln for ln in peer.finish() if ln]
    assert lines == ["got secret 0", "got secret 1", "got secret 2"]
