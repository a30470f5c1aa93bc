"""Interop peer for the Node tests: Debian's pyzmq over Debian's libzmq.

Usage: py_peer.py MODE. Prints its endpoint on the first line of stdout,
then serves until done, bounded by a 20 s timeout on every wait.
  rep      REP bound to tcp: replies "re:"+request, for 3 requests
  push     PUSH bound to tcp: sends 5 two-part messages once connected
  pull     PULL bound to tcp: receives 5 messages, prints each joined by |
  curve    REP as a CURVE server; its public key is the 2nd stdout line
"""
import sys
import zmq

mode = sys.argv[1]
ctx = zmq.Context()
kind = {"rep": zmq.REP, "push": zmq.PUSH, "pull": zmq.PULL, "curve": zmq.REP}[mode]
s = ctx.socket(kind)
s.setsockopt(zmq.LINGER, 2000)
s.setsockopt(zmq.RCVTIMEO, 20000)
s.setsockopt(zmq.SNDTIMEO, 20000)
pub = None
if mode == "curve":
    pub, sec = zmq.curve_keypair()
    s.curve_server = True
    s.curve_secretkey = sec
s.bind("tcp://127.0.0.1:*")
print(s.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
if pub is not None:
    print(pub.decode(), flush=True)
print("libzmq", zmq.zmq_version(), file=sys.stderr)
if mode in ("rep", "curve"):
    for _ in range(3):
        req = s.recv()
        s.send(b"re:" + req)
elif mode == "push":
    for i in range(5):
        s.send_multipart([b"py", str(i).encode()])
elif mode == "pull":
    for _ in range(5):
        print("|".join(p.decode() for p in s.recv_multipart()), flush=True)
s.close()
ctx.term()
