#!/usr/bin/env bash
# ABI checks for the built library: exported symbols, header constants,
# struct layouts. Usage: tests/abi/run.sh build/lib/libzmq.so.5
set -uo pipefail
cd "$(dirname "$0")/../.."
lib=$(realpath "${1:-build/lib/libzmq.so.5}")
pass=0 fail=0
check() { if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "abi: FAILED: $*"; fi; }
check bash tests/abi/check_exports.sh "$lib"
check python3 tests/abi/check_header.py
check bash tests/abi/check_layout.sh "$lib"
echo "abi: $pass passed, $fail failed"
[ "$fail" = 0 ]
