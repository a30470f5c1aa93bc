"use strict"
/* The one switch: GOZMQ_TEST_IMPL=zeromq runs the same suite against the
   zeromq npm package, which proves the API under test is zeromq.js's. */
const which = process.env.GOZMQ_TEST_IMPL || "gozmq"
module.exports = which === "zeromq" ? require("zeromq") : require("..")
module.exports.implName = which
