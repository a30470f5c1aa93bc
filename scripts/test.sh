#!/usr/bin/env bash
# Everything `make test` runs (and so CI, via .ci/run). Each step is
# bounded in time; the first failure stops the run with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
lib="$PWD/build/lib/libzmq.so.5"
step() { printf '\n==== %s\n' "$*"; }

step "go vet"
go vet ./...

step "go test -race (core, codec, pipes, transports, architecture)"
go test -race -count=1 -timeout 300s ./...

step "Go benchmarks, briefly (hot path: codec, pipes, strategies, inproc and tcp send/recv)"
go test -count=1 -run '^$' -bench . -benchtime=100x ./... > build/go-bench.txt || { cat build/go-bench.txt; exit 1; }
grep -E '^Benchmark' build/go-bench.txt

step "fuzz smoke (each target briefly)"
bash scripts/fuzz-smoke.sh 10s

step "ABI: exported symbols, header constants, struct layout"
bash tests/abi/run.sh "$lib"

step "make install + pkg-config build of an unchanged program"
bash tests/install/check.sh

step "C unit tests of the message layer (ASan/UBSan and valgrind)"
bash tests/cunit/run.sh

step "C test suite against gozmq and Debian's libzmq"
bash tests/run-c-tests.sh

step "perf tools: one short run of every benchmark case on both libraries"
make -s perf-tools
BENCH_PAIRS=1 BENCH_SCALE=0.01 BENCH_OUT=build/bench-smoke.md bash scripts/bench.sh

step "C test suite again under AddressSanitizer + UBSan (leaks are failures)"
SANITIZE=1 bash tests/run-c-tests.sh

step "Node binding (npm package gozmq; the same suite against the zeromq package)"
make --no-print-directory test-node

step "Python binding: pytest suite on gozmq, then the same tests on pyzmq"
bash scripts/test-python.sh

echo
echo "make test: all steps passed"
