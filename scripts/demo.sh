#!/usr/bin/env bash
# The demo: C programs compiled against include/zmq.h talk through gozmq's
# libzmq.so.5, then to a real libzmq peer (Debian's pyzmq).
set -euo pipefail
cd "$(dirname "$0")/.."
lib="$PWD/build/lib"
out=build/examples
mkdir -p "$out"
for p in hello_push hello_pull; do
  cc -O2 -Wall -Iinclude "examples/$p.c" -o "$out/$p" -L"$lib" -lzmq -Wl,-rpath,"$lib"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

echo "== 1. gozmq <-> gozmq over ipc"
"$out/hello_pull" "ipc://$tmp/demo.sock" bind & pid=$!
"$out/hello_push" "ipc://$tmp/demo.sock" connect 5
wait $pid

echo "== 2. gozmq PUSH -> real libzmq PULL (pyzmq) over tcp"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 examples/pyzmq_peer.py pull "tcp://127.0.0.1:$port" & pid=$!
"$out/hello_push" "tcp://127.0.0.1:$port" connect 5
wait $pid

echo "== 3. real libzmq PUSH (pyzmq) -> gozmq PULL over tcp"
"$out/hello_pull" "tcp://127.0.0.1:$port" bind & pid=$!
/usr/bin/python3 examples/pyzmq_peer.py push "tcp://127.0.0.1:$port" 5
wait $pid
echo "demo: OK"
