"""A real-libzmq peer for the demo and interop checks: Debian's pyzmq over
Debian's libzmq. Usage: pyzmq_peer.py pull|push ENDPOINT [count]"""
import sys

import zmq

role, endpoint = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
ctx = zmq.Context()
print(f"pyzmq_peer: real libzmq {zmq.zmq_version()}", flush=True)
if role == "pull":
    s = ctx.socket(zmq.PULL)
    s.rcvtimeo = 10000
    s.bind(endpoint)
    got = 0
    while True:
        m = s.recv()
        if m == b"END":
            break
        got += 1
    print(f"pyzmq_peer: received {got} messages from gozmq", flush=True)
else:
    s = ctx.socket(zmq.PUSH)
    s.connect(endpoint)
    for i in range(count):
        s.send(f"hello {i} from libzmq".encode())
    s.send(b"END")
    print(f"pyzmq_peer: sent {count} messages", flush=True)
s.close(linger=5000)
ctx.term()
