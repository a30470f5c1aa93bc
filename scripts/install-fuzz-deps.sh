#!/usr/bin/env bash
# Installs what `make fuzz-c` needs beyond `make deps`: clang and its
# runtime libraries (libFuzzer, ASan, UBSan). Not part of `make test`.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if ! command -v clang >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq clang >/dev/null
fi
# libFuzzer lives in the compiler-rt package of clang's own version.
major="$(clang -dumpversion | cut -d. -f1)"
rt="$(clang -print-runtime-dir 2>/dev/null || true)"
if [ ! -e "$rt/libclang_rt.fuzzer-x86_64.a" ] && [ ! -e "$rt/libclang_rt.fuzzer.a" ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "libclang-rt-$major-dev" >/dev/null
fi
