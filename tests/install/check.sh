#!/usr/bin/env bash
# `make install PREFIX=…` lays out library, header and pkg-config file as
# libzmq does, and a program built with `pkg-config --cflags --libs libzmq`
# against that install runs on our library.
set -euo pipefail
cd "$(dirname "$0")/../.."
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix" >/dev/null
for f in lib/libzmq.so.5 lib/libzmq.so include/zmq.h lib/pkgconfig/libzmq.pc; do
  [ -e "$prefix/$f" ] || { echo "install: missing $f"; exit 1; }
done
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion libzmq)" = 4.3.5 ] || { echo "install: pkg-config version"; exit 1; }
cc examples/hello_push.c -o "$prefix/push" $(pkg-config --cflags --libs libzmq)
cc examples/hello_pull.c -o "$prefix/pull" $(pkg-config --cflags --libs libzmq)
# The programs resolve libzmq.so.5 through LD_LIBRARY_PATH, as an
# unchanged libzmq program would; check it is really ours that loads.
export LD_LIBRARY_PATH="$prefix/lib"
# (grep reads all of ldd's output: with -q it may exit first, and under
# pipefail the SIGPIPE that ends ldd then failed this check now and then.)
ldd "$prefix/push" | grep "$prefix/lib/libzmq.so.5" >/dev/null || { echo "install: not linked to ours"; exit 1; }
"$prefix/pull" "ipc://$prefix/s" bind > "$prefix/out" &
pid=$!
"$prefix/push" "ipc://$prefix/s" connect 3 | grep -q "4.3.5"
wait $pid
grep -q "received 3 messages" "$prefix/out"
echo "install: 1 passed, 0 failed"
