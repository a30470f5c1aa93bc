#!/usr/bin/env bash
# Builds tests/c with CMake and runs every test against gozmq and against
# Debian's libzmq. Usage: tests/run-c-tests.sh [gozmq|libzmq]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/ctest
cmake -S . -B "$build" -DGOZMQ_LIB_DIR="$PWD/build/lib" -DGOZMQ_DRAFT_LIB_DIR="$PWD/build/lib-draft" >/dev/null
cmake --build "$build" -j2 >/dev/null
label=()
[ $# -gt 0 ] && label=(-L "$1")
cd "$build"
ctest -j2 --output-on-failure "${label[@]}"
