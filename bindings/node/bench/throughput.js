"use strict"
/*
 * make bench-node: messages per second for 256-byte messages, gozmq's npm
 * package against the zeromq npm package, measured in the same run, then
 * written into BENCHMARKS.md between the bench-node markers (the rest of
 * the file is left as it is).
 *
 * Each measurement runs in a fresh process (one library per process);
 * a last row uses 64 KiB messages, where the copies count:
 *   same process  PUSH → PULL in one Node process, `await send` in one
 *                 loop and `await receive` in another (one event loop)
 *   two processes PUSH in one process, PULL in another, over tcp
 * Every case runs ROUNDS times, alternating the two packages; the median
 * is reported. Environment: BENCH_MESSAGES, BENCH_ROUNDS, BENCH_OUT.
 */
const {spawn, execFileSync} = require("node:child_process")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const readline = require("node:readline")

const SIZE = 256
const MESSAGES = Number(process.env.BENCH_MESSAGES || 200000)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const ROOT = path.resolve(__dirname, "..", "..", "..")
const OUT = process.env.BENCH_OUT || path.join(ROOT, "BENCHMARKS.md")

function load(impl) {
  return impl === "zeromq" ? require("zeromq") : require("..")
}

/* ---- children --------------------------------------------------------- */

async function receiveAll(pull, n, size) {
  let first = 0
  for (let i = 0; i < n; i++) {
    const [m] = await pull.receive()
    if (m.length !== size) throw new Error(`got ${m.length} bytes`)
    if (i === 0) first = process.hrtime.bigint()
  }
  return Number(process.hrtime.bigint() - first) / 1e9
}

async function sendAll(push, n, size) {
  const msg = Buffer.alloc(size, 0x61)
  for (let i = 0; i < n; i++) await push.send(msg)
}

async function child(impl, mode, n, endpoint, size) {
  const zmq = load(impl)
  if (mode === "same") {
    const pull = new zmq.Pull()
    const push = new zmq.Push()
    await pull.bind(endpoint)
    push.connect(pull.lastEndpoint)
    const t0 = process.hrtime.bigint()
    const [, secs] = await Promise.all([sendAll(push, n, size), receiveAll(pull, n, size)])
    const total = Number(process.hrtime.bigint() - t0) / 1e9
    push.close()
    pull.close()
    /* Messages after the first, over the time from the first to the last. */
    return {rate: (n - 1) / secs, total}
  }
  if (mode === "recv") {
    const pull = new zmq.Pull()
    await pull.bind(endpoint)
    console.log(pull.lastEndpoint)
    const secs = await receiveAll(pull, n, size)
    pull.close()
    return {rate: (n - 1) / secs}
  }
  if (mode === "send") {
    const push = new zmq.Push({linger: -1})
    push.connect(endpoint)
    await sendAll(push, n, size)
    push.close()
    return {}
  }
  throw new Error(`unknown mode ${mode}`)
}

/* ---- parent ----------------------------------------------------------- */

function spawnChild(impl, mode, endpoint, kase) {
  const proc = spawn(process.execPath,
    [__filename, "--child", impl, mode, String(kase.messages), endpoint, String(kase.size)],
    {stdio: ["ignore", "pipe", "inherit"]})
  const lines = readline.createInterface({input: proc.stdout})[Symbol.asyncIterator]()
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120000)
  const exited = new Promise((resolve, reject) => proc.on("exit", code => {
    clearTimeout(timer)
    if (code === 0) resolve()
    else reject(new Error(`${impl} ${mode} exited with ${code}`))
  }))
  return {lines, exited}
}

async function lastJSON(lines) {
  let last = null
  for await (const line of lines) last = line
  return JSON.parse(last)
}

async function measure(impl, kase) {
  if (kase.mode === "same") {
    const c = spawnChild(impl, "same", kase.endpoint, kase)
    const result = await lastJSON(c.lines)
    await c.exited
    return result.rate
  }
  const recv = spawnChild(impl, "recv", kase.endpoint, kase)
  const {value: endpoint} = await recv.lines.next()
  const send = spawnChild(impl, "send", endpoint, kase)
  const [result] = await Promise.all([lastJSON(recv.lines), send.exited, lastJSON(send.lines)])
  await recv.exited
  return result.rate
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = x => Math.round(x).toLocaleString("en-US")

function machine() {
  const cpu = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) || [])[1] || os.cpus()[0].model
  return {nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length, cpu}
}

function gitCommit() {
  try {
    return execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"], {encoding: "utf8"}).trim()
  } catch {
    return "unknown"
  }
}

function writeSection(body) {
  const begin = "<!-- BEGIN bench-node -->"
  const end = "<!-- END bench-node -->"
  const section = `${begin}\n${body}${end}\n`
  let text = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "# Benchmarks\n"
  const i = text.indexOf(begin)
  const j = text.indexOf(end)
  if (i >= 0 && j > i) {
    text = text.slice(0, i) + section + text.slice(j + end.length).replace(/^\n/, "")
  } else {
    text = text.replace(/\n*$/, "\n\n") + section
  }
  fs.writeFileSync(OUT, text)
}

async function parent() {
  const ipc = `ipc://${os.tmpdir()}/gozmq-bench-${process.pid}.sock`
  const big = Math.max(1000, Math.round(MESSAGES / 10))
  const cases = [
    {name: "256 B, tcp, same process", mode: "same", endpoint: "tcp://127.0.0.1:*", size: SIZE, messages: MESSAGES},
    {name: "256 B, ipc, same process", mode: "same", endpoint: ipc, size: SIZE, messages: MESSAGES},
    {name: "256 B, tcp, two processes", mode: "two", endpoint: "tcp://127.0.0.1:*", size: SIZE, messages: MESSAGES},
    {name: "64 KiB, tcp, same process", mode: "same", endpoint: "tcp://127.0.0.1:*", size: 65536, messages: big},
  ]
  const impls = ["gozmq", "zeromq"]
  const versions = {}
  for (const impl of impls) {
    const pkg = impl === "zeromq" ? require("zeromq/package.json") : require("../package.json")
    versions[impl] = `${impl} ${pkg.version} (libzmq API ${load(impl).version})`
  }
  const rows = []
  for (const kase of cases) {
    const rates = {gozmq: [], zeromq: []}
    for (let r = 0; r < ROUNDS; r++) {
      for (const impl of (r % 2 ? [...impls].reverse() : impls)) {
        const rate = await measure(impl, kase)
        rates[impl].push(rate)
        console.error(`${kase.name} ${impl} round ${r + 1}: ${fmt(rate)} msg/s`)
      }
    }
    rows.push({name: kase.name, rates, g: median(rates.gozmq), z: median(rates.zeromq)})
  }
  const m = machine()
  let body = "## Node.js binding (`make bench-node`)\n\n"
  body += `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${m.nproc} cores (nproc), ${m.cpu}.\n`
  body += `Packages: ${versions.gozmq} at commit ${gitCommit()}, over gozmq's libzmq.so.5; ` +
    `${versions.zeromq}, which links its own libzmq. Node ${process.version}.\n\n`
  body += `${MESSAGES.toLocaleString("en-US")} messages of ${SIZE} bytes per run ` +
    `(${big.toLocaleString("en-US")} for the 64 KiB row), PUSH → PULL, ` +
    "`await send()` in one loop and `await receive()` in another; rate = messages after the first " +
    `over the time from the first to the last received. ${ROUNDS} runs per package, alternating, each in a fresh ` +
    "process; the table shows medians, the raw runs follow. Timing on a shared 2-core machine is noisy.\n\n"
  body += "| case | gozmq msg/s | zeromq msg/s | gozmq / zeromq |\n|---|---:|---:|---:|\n"
  for (const row of rows) body += `| ${row.name} | ${fmt(row.g)} | ${fmt(row.z)} | ${(row.g / row.z).toFixed(2)} |\n`
  body += "\nRaw runs (msg/s):\n\n"
  for (const row of rows) {
    body += `* ${row.name}: gozmq ${row.rates.gozmq.map(fmt).join(", ")}; zeromq ${row.rates.zeromq.map(fmt).join(", ")}\n`
  }
  writeSection(body + "\n")
  process.stdout.write(body)
  console.log(`\nwritten to ${OUT}`)
}

if (process.argv[2] === "--child") {
  const [impl, mode, n, endpoint, size] = process.argv.slice(3)
  child(impl, mode, Number(n), endpoint, Number(size)).then(r => {
    console.log(JSON.stringify(r))
  }, err => {
    console.error(err)
    process.exit(1)
  })
} else {
  parent().catch(err => {
    console.error(err)
    process.exit(1)
  })
}
