#!/usr/bin/env bash
# Prepares build/py-venv for the Python binding's tests and benchmark:
# a venv of the machine's python3 with pytest and pyzmq (pyzmq bundles real
# libzmq: the reference the same test suite and the benchmark run against),
# plus gozmq itself, installed from the wheel that pip builds out of
# bindings/python (the wheel bundles build/lib/libzmq.so.5).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/py-venv
py=$venv/bin/python
pip=( "$py" -m pip --disable-pip-version-check -q )
if [ ! -x "$py" ]; then
  python3 -m venv "$venv"
fi
req=bindings/python/tests/requirements.txt
stamp=$venv/.requirements
if ! cmp -s "$req" "$stamp"; then
  "${pip[@]}" install -r "$req"
  cp "$req" "$stamp"
fi
rm -rf build/wheels bindings/python/build
"${pip[@]}" wheel --no-deps -w build/wheels ./bindings/python
rm -rf bindings/python/build bindings/python/src/*.egg-info
"${pip[@]}" install --force-reinstall --no-deps build/wheels/gozmq-*.whl
