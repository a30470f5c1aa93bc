#!/usr/bin/env bash
# Our library must export exactly what Debian's libzmq.so.5 (4.3.4)
# exports: every zmq_* symbol, plus the gozmq_* extensions named one by
# one in gozmq-extensions.symbols (README, "Using it"), and nothing else
# (no Go or cgo internals).
set -euo pipefail
cd "$(dirname "$0")"
lib=$1
ref=libzmq-4.3.4.symbols
ext=gozmq-extensions.symbols
sys=/usr/lib/x86_64-linux-gnu/libzmq.so.5
if [ -e "$sys" ]; then
  # The installed reference must agree with the committed list.
  diff <(nm -D --defined-only "$sys" | awk '{print $3}' | sort) "$ref" >/dev/null \
    || { echo "installed libzmq exports differ from $ref"; exit 1; }
fi
# Only gozmq_ names may be extensions (anything else would shadow or
# invent a libzmq symbol).
if grep -v '^gozmq_[a-z0-9_]*$' "$ext"; then
  echo "$ext: the lines above are not gozmq_* names"
  exit 1
fi
ours=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort)
if ! diff <(echo "$ours") <(sort "$ref" "$ext"); then
  echo "exports differ from libzmq's plus $ext (< ours, > expected)"
  exit 1
fi
readelf -d "$lib" | grep -q 'SONAME.*\[libzmq.so.5\]' || { echo "SONAME is not libzmq.so.5"; exit 1; }
echo "exports: $(echo "$ours" | wc -l) symbols, libzmq.so.5's plus $(wc -l < "$ext") gozmq extension(s)"
