#!/usr/bin/env bash
# Builds the C half of the library without Go and runs its unit tests
# twice: under AddressSanitizer + UBSan, and under valgrind memcheck with
# full leak checking. Any error or leak fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/cunit
mkdir -p "$out"
srcs="tests/cunit/test_msg_unit.c capi/msg.c capi/util.c capi/timers.c"
flags="-std=gnu11 -g -O1 -Wall -Wextra -Werror -DZMQ_BUILD_DRAFT_API -Iinclude -Icapi -pthread"
gcc $flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer $srcs -o "$out/asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$out/asan"
gcc $flags $srcs -o "$out/plain"
valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  --show-leak-kinds=definite,indirect,possible "$out/plain"
