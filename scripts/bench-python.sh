#!/usr/bin/env bash
# Python binding throughput: gozmq vs pyzmq (pip, real libzmq) in the same
# Python, plus Debian's pyzmq; rewrites only the bench-python section of
# BENCHMARKS.md. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/python-env.sh
build/py-venv/bin/python bindings/python/bench/throughput.py --count 200000 --repeat 5 \
  --update BENCHMARKS.md
