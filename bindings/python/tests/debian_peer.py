"""Interop peer run by /usr/bin/python3: Debian's pyzmq over real libzmq,
in its own process. Prints "port N" after binding, "libzmq X" first.

  debian_peer.py rep-bind N                bind REP, answer N requests (upper-case)
  debian_peer.py req-connect ENDPOINT N    connect REQ, send N requests, check replies
  debian_peer.py sub-connect ENDPOINT      SUB to b"t", print each body until b"t END"
  debian_peer.py curve-pull SERVER_SECRET  bind PULL as CURVE server, print 3 messages
"""
import sys

import zmq

role = sys.argv[1]
ctx = zmq.Context()
print("libzmq", zmq.zmq_version(), flush=True)


def bind(sock):
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    print("port", port, flush=True)


if role == "rep-bind":
    s = ctx.socket(zmq.REP)
    s.rcvtimeo = 20000
    bind(s)
    for _ in range(int(sys.argv[2])):
        s.send(s.recv().upper())
elif role == "req-connect":
    s = ctx.socket(zmq.REQ)
    s.rcvtimeo = 20000
    s.connect(sys.argv[2])
    for i in range(int(sys.argv[3])):
        s.send(b"question %d" % i)
        reply = s.recv()
        assert reply == b"QUESTION %d" % i, reply
    print("replies ok", flush=True)
elif role == "sub-connect":
    s = ctx.socket(zmq.SUB)
    s.rcvtimeo = 20000
    s.subscribe(b"t")
    s.connect(sys.argv[2])
    print("subscribed", flush=True)
    while True:
        topic, body = s.recv_multipart()
        print("got", body.decode(), flush=True)
        if body == b"END":
            break
elif role == "curve-pull":
    secret = sys.argv[2].encode()
    s = ctx.socket(zmq.PULL)
    s.rcvtimeo = 20000
    s.curve_server = True
    s.curve_secretkey = secret
    s.curve_publickey = zmq.curve_public(secret)
    bind(s)
    for _ in range(3):
        frame = s.recv(copy=False)
        print("got", frame.bytes.decode(), flush=True)
else:
    sys.exit("unknown role " + role)
s.close(linger=5000)
ctx.term()
