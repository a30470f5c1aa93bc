#!/usr/bin/env bash
# make bench: builds the perf tools once (perf/*.c against include/zmq.h)
# and runs them on gozmq (build/lib) and Debian's libzmq by switching
# LD_LIBRARY_PATH, alternating run by run; scripts/bench.py writes the
# `bench` section of BENCHMARKS.md. About 5 minutes on 2 cores.
# BENCH_PAIRS, BENCH_SCALE and BENCH_ONLY shorten a run (see bench.py);
# BENCH_OUT writes the section to another file (make test smoke-runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
theirs=/usr/lib/x86_64-linux-gnu
[ -e "$theirs/libzmq.so.5" ] || theirs=$(dirname "$(ldconfig -p | awk '/libzmq.so.5 /{print $NF; exit}')")
[ -e build/lib/libzmq.so.5 ] || { echo "bench: build/lib/libzmq.so.5 missing (make lib)"; exit 1; }
[ -e "$theirs/libzmq.so.5" ] || { echo "bench: Debian's libzmq.so.5 not found (make deps)"; exit 1; }
command -v taskset >/dev/null || { echo "bench: taskset (util-linux) is needed"; exit 1; }
exec python3 scripts/bench.py build/perf "$PWD/build/lib" "$theirs" "${BENCH_OUT:-BENCHMARKS.md}"
