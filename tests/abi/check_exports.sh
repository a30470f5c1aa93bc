#!/usr/bin/env bash
# Our library must export exactly what Debian's libzmq.so.5 (4.3.4)
# exports: every zmq_* symbol, and nothing else (no Go or cgo internals).
set -euo pipefail
cd "$(dirname "$0")"
lib=$1
ref=libzmq-4.3.4.symbols
sys=/usr/lib/x86_64-linux-gnu/libzmq.so.5
if [ -e "$sys" ]; then
  # The installed reference must agree with the committed list.
  diff <(nm -D --defined-only "$sys" | awk '{print $3}' | sort) "$ref" >/dev/null \
    || { echo "installed libzmq exports differ from $ref"; exit 1; }
fi
ours=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if ! diff <(echo "$ours") "$ref"; then
  echo "exports differ from libzmq's (< ours, > libzmq)"
  exit 1
fi
readelf -d "$lib" | grep -q 'SONAME.*\[libzmq.so.5\]' || { echo "SONAME is not libzmq.so.5"; exit 1; }
echo "exports: $(echo "$ours" | wc -l) symbols, identical to libzmq.so.5"
