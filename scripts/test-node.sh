#!/usr/bin/env bash
# make test-node: the Node binding's node:test suites. The API and interop
# suites run twice: against gozmq, then (GOZMQ_TEST_IMPL=zeromq) against
# the zeromq npm package, which shows the API is zeromq.js's. The package
# suite (npm pack / install / typings) is ours alone.
set -euo pipefail
cd "$(dirname "$0")/../bindings/node"
echo "--- gozmq"
timeout 300 node --test --test-force-exit test/api.test.js test/interop.test.js test/gozmq.test.js test/package.test.js
echo "--- the same API and interop suites against the zeromq package"
GOZMQ_TEST_IMPL=zeromq timeout 300 node --test --test-force-exit test/api.test.js test/interop.test.js
