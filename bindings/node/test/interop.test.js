"use strict"
/* Interop with a real libzmq: Debian's pyzmq in another process, over tcp.
   Also: a process using the library exits on its own. */
const test = require("node:test")
const assert = require("node:assert/strict")
const {spawn} = require("node:child_process")
const path = require("node:path")
const readline = require("node:readline")
const zmq = require("./impl")
const runNode = require("./run-node")

const T = {timeout: 30000}
const PEER = path.join(__dirname, "py_peer.py")

/* Starts py_peer.py MODE and resolves with {proc, lines} once it printed
   `want` lines; `lines` is an async iterator over the rest. */
function startPeer(mode, want = 1) {
  const env = {...process.env}
  delete env.LD_LIBRARY_PATH
  delete env.LD_PRELOAD
  const proc = spawn("/usr/bin/python3", [PEER, mode], {env, stdio: ["ignore", "pipe", "pipe"]})
  let stderr = ""
  proc.stderr.on("data", d => { stderr += d })
  const it = readline.createInterface({input: proc.stdout})[Symbol.asyncIterator]()
  const exited = new Promise(resolve => proc.on("exit", code => resolve({code, stderr})))
  return (async () => {
    const first = []
    for (let i = 0; i < want; i++) {
      const {value, done} = await it.next()
      if (done) throw new Error(`python peer exited early: ${(await exited).stderr}`)
      first.push(value)
    }
    return {proc, first, lines: it, exited}
  })()
}

test("request to a pyzmq REP (libzmq) over tcp", T, async () => {
  const peer = await startPeer("rep")
  const req = new zmq.Request({linger: 0})
  try {
    req.connect(peer.first[0])
    for (let i = 0; i < 3; i++) {
      await req.send(`q${i}`)
      assert.equal(String((await req.receive())[0]), `re:q${i}`)
    }
    const {code, stderr} = await peer.exited
    assert.equal(code, 0, stderr)
  } finally {
    req.close()
    peer.proc.kill()
  }
})

test("pull multipart messages from a pyzmq PUSH", T, async () => {
  const peer = await startPeer("push")
  const pull = new zmq.Pull()
  try {
    pull.connect(peer.first[0])
    for (let i = 0; i < 5; i++) {
      assert.deepEqual((await pull.receive()).map(String), ["py", String(i)])
    }
    assert.equal((await peer.exited).code, 0)
  } finally {
    pull.close()
    peer.proc.kill()
  }
})

test("push to a pyzmq PULL", T, async () => {
  const peer = await startPeer("pull")
  const push = new zmq.Push({linger: 2000})
  try {
    push.connect(peer.first[0])
    for (let i = 0; i < 5; i++) await push.send(["node", Buffer.from(String(i))])
    for (let i = 0; i < 5; i++) {
      const {value} = await peer.lines.next()
      assert.equal(value, `node|${i}`)
    }
    assert.equal((await peer.exited).code, 0)
  } finally {
    push.close()
    peer.proc.kill()
  }
})

test("CURVE client against a pyzmq CURVE server", T, async () => {
  const peer = await startPeer("curve", 2)
  const keys = zmq.curveKeyPair()
  const req = new zmq.Request({
    linger: 0, curveServerKey: peer.first[1], curvePublicKey: keys.publicKey, curveSecretKey: keys.secretKey,
  })
  try {
    req.connect(peer.first[0])
    for (let i = 0; i < 3; i++) {
      await req.send(`c${i}`)
      assert.equal(String((await req.receive())[0]), `re:c${i}`)
    }
    assert.equal((await peer.exited).code, 0)
  } finally {
    req.close()
    peer.proc.kill()
  }
})

test("a process exits by itself after close(), and with idle open sockets", T, async () => {
  const closing = await runNode(`
    const zmq = require("./impl")
    ;(async () => {
      const pull = new zmq.Pull(), push = new zmq.Push({linger: 0})
      await pull.bind("tcp://127.0.0.1:*")
      push.connect(pull.lastEndpoint)
      await push.send("x")
      await pull.receive()
      for (let i = 0; i < 100; i++) await push.send("queued")
      const pending = pull.receive()
      pull.close()
      push.close()
      await pending.catch(() => {})
      console.log("done")
    })()`)
  assert.equal(closing.code, 0, closing.out)
  assert.match(closing.out, /done/)
  const idle = await runNode(`
    const zmq = require("./impl")
    ;(async () => {
      const pull = new zmq.Pull(), push = new zmq.Push({linger: 0})
      await pull.bind("tcp://127.0.0.1:*")
      push.connect(pull.lastEndpoint)
      await push.send("x")
      await pull.receive()
      console.log("left open")
    })()`)
  assert.equal(idle.code, 0, idle.out)
  assert.match(idle.out, /left open/)
})

test("a socket the program drops is collected and closed", T, async () => {
  const r = await runNode(`
    const zmq = require("./impl")
    const {setTimeout: delay} = require("timers/promises")
    async function bindDropped() {
      const s = new zmq.Pull()
      await s.bind("tcp://127.0.0.1:*")
      return s.lastEndpoint
    }
    ;(async () => {
      const ep = await bindDropped()
      const again = new zmq.Pull()
      for (let i = 0; i < 300; i++) {
        globalThis.gc()
        await delay(10)
        try {
          await again.bind(ep)
          console.log("rebound after", i)
          break
        } catch (err) {
          if (err.code !== "EADDRINUSE") throw err
        }
      }
      again.close()
    })()`, {ms: 15000, flags: ["--expose-gc"]})
  assert.equal(r.code, 0, r.out)
  assert.match(r.out, /rebound after \d+/)
})
