#!/usr/bin/env bash
# Installs what gozmq needs to build and test on a fresh Debian machine:
# the reference libzmq (Debian's libzmq5 + headers) and pyzmq over it, used
# only as interop peers and as the second library the C tests run against;
# cmake/pkg-config for tests/c; valgrind for the memory-check variant.
set -euo pipefail
need=()
for p in libzmq5 libzmq3-dev python3-zmq cmake pkg-config valgrind; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Node binding: node and npm, plus Node's C headers for the N-API addon
# (nodesource's nodejs ships them; Debian's come with libnode-dev). The
# npm dev dependencies are installed by `make node-deps` (npm ci).
node_inc="$(node -p 'require("path").resolve(process.execPath, "../../include/node")' 2>/dev/null || true)"
if ! command -v npm >/dev/null 2>&1 || [ ! -f "$node_inc/node_api.h" ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  if command -v node >/dev/null 2>&1 && ! dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q nodesource; then
    $SUDO apt-get install -y -qq npm libnode-dev >/dev/null
  elif ! command -v node >/dev/null 2>&1; then
    $SUDO apt-get install -y -qq nodejs npm libnode-dev >/dev/null
  fi
fi
# The Python binding's tests build a venv of python3 (scripts/python-env.sh
# then pip-installs pytest and pyzmq into it): Debian's python3 needs
# python3-venv for that.
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
# Go modules are fetched by the go command itself (go.sum pins them).
if [ -f go.mod ]; then go mod download; fi
