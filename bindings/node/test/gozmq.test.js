"use strict"
/* Behaviour where gozmq deliberately does more than zeromq.js, so this
   file is not part of the zeromq switch. */
const test = require("node:test")
const assert = require("node:assert/strict")
const {spawn} = require("node:child_process")
const runNode = require("./run-node")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const readline = require("node:readline")

const T = {timeout: 30000}

test("a socket with a receive in progress is not collected (zeromq.js closes it)", T, async () => {
  const r = await runNode(`
    const zmq = require("..")
    ;(async () => {
      /* Nothing but the pending receive refers to this socket. */
      const [ep, pending] = await (async () => {
        const waiter = new zmq.Pull()
        await waiter.bind("tcp://127.0.0.1:*")
        return [waiter.lastEndpoint, waiter.receive()]
      })()
      for (let i = 0; i < 20; i++) {
        globalThis.gc()
        await new Promise(resolve => setImmediate(resolve))
      }
      const push = new zmq.Push()
      push.connect(ep)
      await push.send("still here")
      console.log("awaited:", String((await pending)[0]))
      push.close()
    })()`, {ms: 15000, flags: ["--expose-gc"]})
  assert.equal(r.code, 0, r.out)
  assert.match(r.out, /awaited: still here/)
})

test("closing a socket while its proxy runs stops the proxy first", T, async () => {
  const zmq = require("..")
  const front = new zmq.Pull()
  const back = new zmq.Push()
  try {
    await front.bind("tcp://127.0.0.1:*")
    await back.bind("tcp://127.0.0.1:*")
    const proxy = new zmq.Proxy(front, back)
    const running = proxy.run()
    front.close()
    await running
    assert.equal(front.closed, true)
    assert.equal(back.closed, false)
  } finally {
    front.close()
    back.close()
  }
})

test("messages queued before the process exits are delivered (linger; zeromq.js means to, but loses them)", T, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gozmq-exit-"))
  try {
    for (const [name, ending] of [["close", "push.close()"], ["process.exit", "process.exit(0)"]]) {
      const ep = `ipc://${dir}/${name}.sock`
      /* Nobody is bound yet: the messages can only be queued, and the
         child can only deliver them while it exits. */
      const proc = spawn(process.execPath, ["-e", `
        const zmq = require("..")
        ;(async () => {
          const push = new zmq.Push()
          push.connect(${JSON.stringify(ep)})
          for (let i = 0; i < 3; i++) await push.send(["${name}", String(i)])
          console.log("queued")
          ${ending}
        })()`], {cwd: __dirname, stdio: ["ignore", "pipe", "inherit"]})
      const exited = new Promise(resolve => proc.on("exit", resolve))
      const lines = readline.createInterface({input: proc.stdout})[Symbol.asyncIterator]()
      assert.equal((await lines.next()).value, "queued")
      const zmq = require("..")
      const pull = new zmq.Pull({receiveTimeout: 10000})
      try {
        await pull.bind(ep)
        for (let i = 0; i < 3; i++) {
          assert.deepEqual((await pull.receive()).map(String), [name, String(i)])
        }
        assert.equal(await exited, 0)
      } finally {
        pull.close()
        proc.kill()
      }
    }
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

test("reading `readable` while a receive waits does not strand that receive", T, async () => {
  const zmq = require("..")
  const router = new zmq.Router()
  const dealer = new zmq.Dealer({routingId: "d"})
  try {
    dealer.connect(await (async () => {
      await router.bind("tcp://127.0.0.1:*")
      return router.lastEndpoint
    })())
    await dealer.send("hi")
    const [id] = await router.receive()
    const pending = dealer.receive()
    await router.send([id, "back"])
    /* Spin (event loop held) until the message is there: each look reads
       ZMQ_EVENTS and so takes the edge the waiting receive relies on. */
    const until = Date.now() + 5000
    while (!dealer.readable && Date.now() < until) { /* spin */ }
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("receive stranded")), 3000).unref())
    assert.deepEqual((await Promise.race([pending, timeout])).map(String), ["back"])
  } finally {
    router.close()
    dealer.close()
  }
})

test("option values without an integer value are refused with EINVAL, never cast", T, () => {
  const zmq = require("..")
  const s = new zmq.Dealer()
  try {
    for (const bad of [NaN, Infinity, -Infinity, 1.5, 2 ** 31, -(2 ** 31) - 1]) {
      assert.throws(() => { s.linger = bad }, {code: "EINVAL"}, String(bad))
    }
    for (const bad of [NaN, Infinity, 2 ** 63, 0.25]) {
      assert.throws(() => { s.maxMessageSize = bad }, {code: "EINVAL"}, String(bad))
    }
    s.maxMessageSize = 2 ** 40
    assert.equal(s.maxMessageSize, 2 ** 40)
    assert.throws(() => { s.routingId = "x".repeat(256) }, {code: "EINVAL"})
    assert.throws(() => { s.linger = "10" }, TypeError)
    assert.throws(() => s.bind(42), TypeError)
    assert.equal(s.linger, -1)
  } finally {
    s.close()
  }
})
