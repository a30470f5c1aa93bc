"use strict"
/* Runs a script in a fresh node process (cwd: this directory); resolves
   with its exit code and output, or rejects if it has not exited within
   `ms`. */
const {spawn} = require("node:child_process")

module.exports = function runNode(source, {ms = 10000, flags = []} = {}) {
  const proc = spawn(process.execPath, [...flags, "-e", source], {cwd: __dirname, stdio: ["ignore", "pipe", "pipe"]})
  let out = ""
  proc.stdout.on("data", d => { out += d })
  proc.stderr.on("data", d => { out += d })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL")
      reject(new Error(`process did not exit within ${ms} ms: ${out}`))
    }, ms)
    proc.on("exit", code => {
      clearTimeout(timer)
      resolve({code, out})
    })
  })
}
