#!/usr/bin/env bash
# `make fuzz-c`: builds every target in tests/c/fuzz as a libFuzzer
# program (clang -fsanitize=fuzzer, with ASan and UBSan on the C side)
# against build/lib/libzmq.so.5 and runs each for a while on a copy of its
# seeds (captured handshakes and built-in seeds). libFuzzer's coverage
# guidance sees only the harness, not the Go library, so this is mostly a
# long random walk from the seeds; crashes and hangs are what it finds.
# Usage: tests/c/fuzz/libfuzzer.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/../../.."
secs=${1:-30}
out=build/fuzz
mkdir -p "$out"
lib="$PWD/build/lib"
# "target:corpus dirs:runs", as in tests/c/fuzz/CMakeLists.txt
mapfile -t specs < <(sed -n 's/^  "\([a-z0-9_]*:[^"]*\)".*/\1/p' tests/c/fuzz/CMakeLists.txt)
# FUZZ_TARGETS="bind_null connect_stream" runs only those.
if [ -n "${FUZZ_TARGETS:-}" ]; then
  mapfile -t specs < <(for s in "${specs[@]}"; do for t in $FUZZ_TARGETS; do [ "${s%%:*}" = "$t" ] && echo "$s"; done; done)
fi
for spec in "${specs[@]}"; do
  name=${spec%%:*}
  dirs=${spec#*:}
  dirs=${dirs%:*}
  bin="$out/${name}_fuzzer"
  corpus="$PWD/$out/${name}_corpus" # absolute: some targets chdir
  flags=(-g -O1 -D_GNU_SOURCE -Iinclude -Itests/c/fuzz -L"$lib" -Wl,-rpath,"$lib")
  clang "${flags[@]}" -fsanitize=fuzzer,address,undefined "tests/c/fuzz/$name.c" -lzmq -o "$bin"
  # The same target with the ctest driver, to write out its built-in seeds.
  clang "${flags[@]}" "tests/c/fuzz/$name.c" tests/c/fuzz/driver.c -lzmq -o "$bin.seeds"
  mkdir -p "$corpus"
  "$bin.seeds" -dump-seeds="$corpus"
  for d in $dirs; do cp tests/c/fuzz/corpus/"$d"/* "$corpus"/; done
  echo "==== $name: $secs s"
  # -timeout=0: libFuzzer's timeout is a SIGALRM every second whose handler
  # lacks SA_ONSTACK; landing on a thread in Go code it runs on a goroutine
  # stack and crashes the runtime, and landing in a blocking zmq_recv it
  # makes the call fail with EINTR (README: signal handlers). The targets
  # bound every wait themselves.
  if ! ASAN_OPTIONS=detect_leaks=0 "$bin" -max_total_time="$secs" -timeout=0 -print_final_stats=1 \
      -artifact_prefix="$PWD/$out/${name}_" "$corpus" > "$out/$name.log" 2>&1; then
    tail -40 "$out/$name.log"
    echo "fuzz-c: $name failed (log: $out/$name.log)"
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+ +DONE" "$out/$name.log" || true
done
echo "fuzz-c: done"
