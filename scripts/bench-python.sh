#!/usr/bin/env bash
# Python binding throughput: gozmq vs pyzmq (pip, real libzmq) in the same
# Python, plus Debian's pyzmq; rewrites only the bench-python section of
# BENCHMARKS.md. About five minutes (15 runs per row: rates here move by a third
# from run to run, as the shared machine moves between a fast and a slow state).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/python-env.sh
build/py-venv/bin/python bindings/python/bench/throughput.py --count 200000 --repeat 15 \
  --update BENCHMARKS.md
