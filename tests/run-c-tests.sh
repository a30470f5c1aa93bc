#!/usr/bin/env bash
# Builds tests/c with CMake and runs every test against gozmq and against
# Debian's libzmq. Usage: [SANITIZE=1] tests/run-c-tests.sh [gozmq|libzmq]
set -euo pipefail
cd "$(dirname "$0")/.."
# SANITIZE=1 builds the same tests with AddressSanitizer and UBSan (leak
# checking on) in a separate tree.
build=build/ctest
san=OFF
if [ "${SANITIZE:-0}" = 1 ]; then
  build=build/ctest-asan
  san=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
fi
cmake -S . -B "$build" -DGOZMQ_LIB_DIR="$PWD/build/lib" -DGOZMQ_DRAFT_LIB_DIR="$PWD/build/lib-draft" -DGOZMQ_SANITIZE=$san >/dev/null
cmake --build "$build" -j2 >/dev/null
label=()
[ $# -gt 0 ] && label=(-L "$1")
cd "$build"
ctest -j2 --output-on-failure "${label[@]}"
