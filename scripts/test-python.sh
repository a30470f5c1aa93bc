#!/usr/bin/env bash
# The Python binding's pytest suite, run twice: on gozmq (the wheel built
# from bindings/python, bundling build/lib/libzmq.so.5), then on pyzmq over
# real libzmq with the same tests (GOZMQ_TEST_IMPL=zmq), which shows the
# API is pyzmq's. Interop tests talk to Debian's pyzmq (/usr/bin/python3)
# in another process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/python-env.sh
py=build/py-venv/bin/python
export PYTHONDONTWRITEBYTECODE=1
echo "-- gozmq"
GOZMQ_TEST_IMPL=gozmq timeout 400 "$py" -m pytest -q -p no:cacheprovider bindings/python/tests
echo "-- pyzmq (real libzmq), same tests"
GOZMQ_TEST_IMPL=zmq timeout 400 "$py" -m pytest -q -p no:cacheprovider bindings/python/tests
