"use strict"
/* The zeromq.js v6 API, exercised the same way against gozmq and (with
   GOZMQ_TEST_IMPL=zeromq) against the zeromq npm package. */
const test = require("node:test")
const assert = require("node:assert/strict")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const net = require("node:net")
const zmq = require("./impl")

const T = {timeout: 15000}

async function bound(sock) {
  await sock.bind("tcp://127.0.0.1:*")
  return sock.lastEndpoint
}

/* Sends msg repeatedly until recv yields a message, at most `tries` times;
   for patterns where delivery starts only after a subscription arrives. */
async function sendUntilReceived(send, recv, tries = 200) {
  recv.receiveTimeout = 20
  for (let i = 0; i < tries; i++) {
    await send()
    try {
      return await recv.receive()
    } catch (err) {
      if (err.code !== "EAGAIN") throw err
    }
  }
  throw new Error("nothing arrived")
}

test("module exports: version, capability, curveKeyPair, socket classes", T, () => {
  assert.match(zmq.version, /^\d+\.\d+\.\d+$/)
  assert.equal(typeof zmq.capability, "object")
  assert.equal(zmq.capability.curve, true)
  assert.equal(zmq.capability.ipc, true)
  const {publicKey, secretKey} = zmq.curveKeyPair()
  assert.equal(publicKey.length, 40)
  assert.equal(secretKey.length, 40)
  assert.notEqual(publicKey, secretKey)
  for (const name of ["Push", "Pull", "Pair", "Publisher", "Subscriber", "XPublisher", "XSubscriber",
    "Request", "Reply", "Dealer", "Router", "Stream", "Context", "Observer", "Proxy", "Socket"]) {
    assert.equal(typeof zmq[name], "function", name)
  }
  assert.ok(zmq.context instanceof zmq.Context)
  const push = new zmq.Push()
  assert.equal(typeof push.send, "function")
  assert.ok(push instanceof zmq.Socket)
  push.close()
})

test("push/pull over tcp: multipart and every message-like type", T, async () => {
  const push = new zmq.Push()
  const pull = new zmq.Pull()
  try {
    push.connect(await bound(pull))
    const u8 = new Uint8Array([1, 2, 3])
    await push.send(["text", Buffer.from("buf"), u8, u8.buffer, 42, null])
    const msg = await pull.receive()
    assert.equal(msg.length, 6)
    assert.ok(msg.every(Buffer.isBuffer))
    assert.deepEqual(msg.map(b => [...b]), [
      [...Buffer.from("text")], [...Buffer.from("buf")], [1, 2, 3], [1, 2, 3], [...Buffer.from("42")], [],
    ])
    /* Other values travel as their string form, as zeromq.js sends them. */
    await push.send([true, {toString: () => "obj"}])
    assert.deepEqual((await pull.receive()).map(String), ["true", "obj"])
    await push.send("single")
    assert.deepEqual((await pull.receive()).map(String), ["single"])
    const big = Buffer.alloc(1 << 20, 7)
    await push.send(big)
    const [got] = await pull.receive()
    assert.ok(got.equals(big))
    const text = "é".repeat(50000)
    await push.send([text, big.subarray(0, 20000), "end"])
    const parts = await pull.receive()
    assert.equal(parts[0].toString(), text)
    assert.ok(parts[1].equals(big.subarray(0, 20000)))
    assert.equal(String(parts[2]), "end")
  } finally {
    push.close()
    pull.close()
  }
})

test("the event loop keeps running while a receive waits", T, async () => {
  const push = new zmq.Push()
  const pull = new zmq.Pull()
  try {
    push.connect(await bound(pull))
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const sender = setTimeout(() => push.send("late"), 200)
    const started = Date.now()
    const [msg] = await pull.receive()
    clearInterval(timer)
    clearTimeout(sender)
    assert.equal(String(msg), "late")
    assert.ok(Date.now() - started >= 150)
    /* 200 ms at 5 ms a tick: a loop blocked in a receive would show 0. */
    assert.ok(ticks >= 10, `only ${ticks} timer ticks while waiting`)
  } finally {
    push.close()
    pull.close()
  }
})

test("many messages both ways without losing or reordering any", T, async () => {
  const a = new zmq.Pair({sendHighWaterMark: 50, receiveHighWaterMark: 50})
  const b = new zmq.Pair({sendHighWaterMark: 50, receiveHighWaterMark: 50})
  const n = 5000
  try {
    b.connect(await bound(a))
    const sendAll = async (s, tag) => {
      for (let i = 0; i < n; i++) await s.send(`${tag}${i}`)
    }
    const recvAll = async (s, tag) => {
      for (let i = 0; i < n; i++) assert.equal(String((await s.receive())[0]), `${tag}${i}`)
    }
    await Promise.all([sendAll(a, "a"), sendAll(b, "b"), recvAll(b, "a"), recvAll(a, "b")])
  } finally {
    a.close()
    b.close()
  }
})

test("for await iterates until the socket is closed", T, async () => {
  const push = new zmq.Push()
  const pull = new zmq.Pull()
  try {
    push.connect(await bound(pull))
    for (let i = 0; i < 3; i++) await push.send(String(i))
    const seen = []
    for await (const [msg] of pull) {
      seen.push(String(msg))
      if (seen.length === 3) setImmediate(() => pull.close())
    }
    assert.deepEqual(seen, ["0", "1", "2"])
    assert.equal(pull.closed, true)
  } finally {
    push.close()
    pull.close()
  }
})

test("request/reply and EFSM on a second request", T, async () => {
  const rep = new zmq.Reply()
  const req = new zmq.Request()
  try {
    req.connect(await bound(rep))
    await req.send("ping")
    /* zeromq.js waits for POLLOUT, which a REQ never reports here, then
       reports the socket's own error at the deadline. */
    req.sendTimeout = 50
    await assert.rejects(async () => req.send("again"), {code: "EFSM"})
    req.sendTimeout = 0
    await assert.rejects(async () => req.send("again"), {code: "EFSM"})
    req.sendTimeout = -1
    const [q] = await rep.receive()
    await rep.send(["pong:" + q])
    assert.deepEqual((await req.receive()).map(String), ["pong:ping"])
  } finally {
    req.close()
    rep.close()
  }
})

test("errors name libzmq's own errno values", T, async () => {
  const rep = new zmq.Reply()
  const req = new zmq.Request()
  try {
    await rep.bind("inproc://errno-names")
    req.connect("inproc://errno-names")
    await req.send("a")
    /* A zmq-specific errno (EFSM = 156384763) through the same path as
       ETERM and ENOCOMPATPROTO; with sendTimeout 0 it is reported at once. */
    req.sendTimeout = 0
    await assert.rejects(async () => req.send("b"), {code: "EFSM", errno: 156384763})
  } finally {
    req.close()
    rep.close()
  }
})

test("dealer/router with routing ids; mandatory routing", T, async () => {
  const router = new zmq.Router({mandatory: true})
  const dealer = new zmq.Dealer({routingId: "d1"})
  try {
    assert.equal(dealer.routingId, "d1")
    dealer.connect(await bound(router))
    await dealer.send(["hi"])
    const [id, body] = await router.receive()
    assert.equal(String(id), "d1")
    assert.equal(String(body), "hi")
    await router.send([id, "back"])
    assert.deepEqual((await dealer.receive()).map(String), ["back"])
    await assert.rejects(async () => router.send(["nobody", "x"]), {code: "EHOSTUNREACH"})
  } finally {
    router.close()
    dealer.close()
  }
})

test("router connect with a routingId option names the peer", T, async () => {
  const a = new zmq.Router()
  const b = new zmq.Router()
  try {
    const ep = await bound(a)
    b.connect(ep, {routingId: "server"})
    a.routingId = "unused"
    const msg = await sendUntilReceived(async () => {
      try {
        await b.send(["server", "x"])
      } catch (err) {
        if (err.code !== "EHOSTUNREACH") throw err
      }
    }, a)
    assert.equal(String(msg[1]), "x")
  } finally {
    a.close()
    b.close()
  }
})

test("publisher/subscriber with prefix filtering, unsubscribe", T, async () => {
  const pub = new zmq.Publisher()
  const sub = new zmq.Subscriber()
  try {
    sub.connect(await bound(pub))
    sub.subscribe("keep")
    const msg = await sendUntilReceived(async () => {
      await pub.send(["drop", "x"])
      await pub.send(["keep", "y"])
    }, sub)
    assert.deepEqual(msg.map(String), ["keep", "y"])
    sub.unsubscribe("keep")
    sub.subscribe("other")
    await sendUntilReceived(() => pub.send("other"), sub)
    /* Everything after "other" arrived is filtered by the new set. */
    await pub.send("keep again")
    await pub.send("other 2")
    sub.receiveTimeout = 2000
    for (;;) {
      const [m] = await sub.receive()
      assert.notEqual(String(m), "keep again")
      if (String(m) === "other 2") break
    }
  } finally {
    pub.close()
    sub.close()
  }
})

test("xpublisher sees subscriptions from an xsubscriber", T, async () => {
  const xpub = new zmq.XPublisher()
  const xsub = new zmq.XSubscriber()
  try {
    xpub.verbosity = "allSubs"
    xsub.connect(await bound(xpub))
    await xsub.send(Buffer.from([1, ...Buffer.from("topic")]))
    const [sub] = await xpub.receive()
    assert.equal(sub[0], 1)
    assert.equal(sub.subarray(1).toString(), "topic")
    await xpub.send(["topic", "data"])
    assert.deepEqual((await xsub.receive()).map(String), ["topic", "data"])
  } finally {
    xpub.close()
    xsub.close()
  }
})

test("pair over ipc in a temporary directory; unbind", T, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gozmq-node-"))
  const a = new zmq.Pair()
  const b = new zmq.Pair()
  try {
    const ep = `ipc://${dir}/pair.sock`
    await a.bind(ep)
    b.connect(ep)
    await b.send("over ipc")
    assert.equal(String((await a.receive())[0]), "over ipc")
    await a.unbind(ep)
    await assert.rejects(async () => a.unbind(ep), {code: "ENOENT"})
  } finally {
    a.close()
    b.close()
    fs.rmSync(dir, {recursive: true, force: true})
  }
})

test("stream socket talks to a raw tcp server", T, async () => {
  const server = net.createServer(conn => {
    conn.on("data", d => conn.end("echo:" + d))
  })
  await new Promise(resolve => server.listen(0, "127.0.0.1", resolve))
  const stream = new zmq.Stream()
  try {
    stream.connect(`tcp://127.0.0.1:${server.address().port}`)
    const [id, empty] = await stream.receive()
    assert.equal(empty.length, 0)
    await stream.send([id, "hello"])
    let text = ""
    while (!text.includes("echo:hello")) {
      const [rid, data] = await stream.receive()
      assert.ok(rid.equals(id))
      text += String(data)
    }
  } finally {
    stream.close()
    server.close()
  }
})

test("options: camelCase properties, constructor options, read-only, errors", T, async () => {
  const s = new zmq.Dealer({linger: 0, sendHighWaterMark: 7, routingId: "abc", immediate: true})
  try {
    assert.equal(s.linger, 0)
    assert.equal(s.sendHighWaterMark, 7)
    assert.equal(s.routingId, "abc")
    assert.equal(s.immediate, true)
    s.receiveHighWaterMark = 11
    assert.equal(s.receiveHighWaterMark, 11)
    s.maxMessageSize = 1 << 20
    assert.equal(s.maxMessageSize, 1 << 20)
    s.heartbeatInterval = 250
    assert.equal(s.heartbeatInterval, 250)
    assert.equal(s.type, 5)
    assert.equal(s.lastEndpoint, null)
    assert.equal(s.securityMechanism, null)
    assert.equal(s.threadSafe, false)
    assert.equal(s.receiveTimeout, -1)
    assert.equal(s.sendTimeout, -1)
    assert.throws(() => { s.linger = -2 }, {code: "EINVAL"})
    assert.throws(() => { s.type = 1 }, TypeError)
    assert.throws(() => { s.linger = "x" }, TypeError)
    assert.equal(s.getInt32Option(17), 0)
    s.setInt32Option(17, 5)
    assert.equal(s.linger, 5)
  } finally {
    s.close()
  }
})

test("EBUSY on a concurrent send, EAGAIN on close and on timeouts", T, async () => {
  const push = new zmq.Push()
  try {
    /* No peer: a send has to wait. */
    const first = push.send("one")
    await assert.rejects(async () => push.send("two"), {code: "EBUSY"})
    push.close()
    await assert.rejects(first, {code: "EAGAIN"})
    await assert.rejects(async () => push.send("three"), {code: "EBADF"})
  } finally {
    push.close()
  }
  const p2 = new zmq.Push({sendTimeout: 0})
  try {
    await assert.rejects(async () => p2.send("x"), {code: "EAGAIN", errno: os.constants.errno.EAGAIN})
    p2.sendTimeout = 30
    const t0 = Date.now()
    await assert.rejects(async () => p2.send("x"), {code: "EAGAIN"})
    assert.ok(Date.now() - t0 >= 25)
  } finally {
    p2.close()
  }
  const pull = new zmq.Pull({receiveTimeout: 30})
  try {
    await assert.rejects(async () => pull.receive(), {code: "EAGAIN"})
    pull.receiveTimeout = -1
    const waiting = pull.receive()
    await assert.rejects(async () => pull.receive(), {code: "EBUSY"})
    pull.close()
    await assert.rejects(waiting, {code: "EAGAIN"})
  } finally {
    pull.close()
  }
})

test("bind errors carry code, errno and address", T, async () => {
  const a = new zmq.Pull()
  const b = new zmq.Pull()
  try {
    const ep = await bound(a)
    await assert.rejects(async () => b.bind(ep), {code: "EADDRINUSE", address: ep})
    await assert.rejects(async () => b.bind("nope://x"), {code: "EPROTONOSUPPORT"})
    assert.throws(() => b.connect("tcp://"), {code: "EINVAL"})
    b.connect(ep)
    b.disconnect(ep)
    assert.throws(() => b.disconnect(ep), {code: "ENOENT", address: ep})
  } finally {
    a.close()
    b.close()
  }
})

test("a context of one's own, with options", T, async () => {
  const ctx = new zmq.Context({ioThreads: 2, maxSockets: 64})
  assert.equal(ctx.ioThreads, 2)
  assert.equal(ctx.maxSockets, 64)
  const a = new zmq.Pair({context: ctx})
  const b = new zmq.Pair({context: ctx})
  try {
    assert.equal(a.context, ctx)
    await a.bind("inproc://own-context")
    b.connect("inproc://own-context")
    await b.send("inproc")
    assert.equal(String((await a.receive())[0]), "inproc")
  } finally {
    a.close()
    b.close()
  }
})

test("observer: monitor events as an async iterator and as an emitter", T, async () => {
  const server = new zmq.Pull()
  const client = new zmq.Push()
  try {
    const seenByEmitter = []
    const accepted = new Promise(resolve => server.events.on("accept", e => {
      seenByEmitter.push(e.type)
      resolve(e)
    }))
    const types = []
    const iterated = (async () => {
      for await (const event of client.events) {
        types.push(event.type)
        if (event.type === "handshake") return event
      }
      return null
    })()
    const ep = await bound(server)
    client.connect(ep)
    const acc = await accepted
    assert.equal(typeof acc.address, "string")
    const hs = await iterated
    assert.ok(hs, "iteration ended without a handshake event")
    assert.equal(hs.address, ep)
    assert.ok(types.includes("connect"), types.join(","))
    assert.deepEqual(seenByEmitter, ["accept"])
  } finally {
    server.close()
    client.close()
  }
})

test("observer reports bind and handshake failures", T, async () => {
  const server = new zmq.Reply({curveServer: true, curveSecretKey: zmq.curveKeyPair().secretKey})
  const client = new zmq.Request()
  try {
    const failed = new Promise(resolve => server.events.on("handshake:error:protocol", resolve))
    client.connect(await bound(server))
    const ev = await failed
    assert.equal(ev.error.code, "ERR_ZMTP_MECHANISM_MISMATCH")
  } finally {
    server.close()
    client.close()
  }
})

test("CURVE encryption end to end", T, async () => {
  const srv = zmq.curveKeyPair()
  const cli = zmq.curveKeyPair()
  const rep = new zmq.Reply({curveServer: true, curveSecretKey: srv.secretKey})
  const req = new zmq.Request({curvePublicKey: cli.publicKey, curveSecretKey: cli.secretKey, curveServerKey: srv.publicKey})
  try {
    assert.equal(rep.curveServer, true)
    assert.equal(req.securityMechanism, "curve")
    req.connect(await bound(rep))
    await req.send("secret")
    assert.equal(String((await rep.receive())[0]), "secret")
    await rep.send("ok")
    assert.equal(String((await req.receive())[0]), "ok")
  } finally {
    rep.close()
    req.close()
  }
})

test("proxy: router/dealer queue, then terminate", T, async () => {
  const front = new zmq.Router()
  const back = new zmq.Dealer()
  const worker = new zmq.Reply()
  const client = new zmq.Request()
  try {
    const fe = await bound(front)
    const be = await bound(back)
    worker.connect(be)
    client.connect(fe)
    const proxy = new zmq.Proxy(front, back)
    assert.equal(proxy.frontEnd, front)
    const running = proxy.run()
    await client.send("via proxy")
    const [q] = await worker.receive()
    await worker.send("answer:" + q)
    assert.equal(String((await client.receive())[0]), "answer:via proxy")
    proxy.pause()
    proxy.resume()
    proxy.terminate()
    await running
  } finally {
    front.close()
    back.close()
    worker.close()
    client.close()
  }
})

test("worker threads share the default context: inproc across threads", T, async () => {
  const {Worker} = require("node:worker_threads")
  const pull = new zmq.Pull()
  try {
    await pull.bind("inproc://from-worker")
    const worker = new Worker(`
      const zmq = require(${JSON.stringify(require.resolve("./impl"))})
      ;(async () => {
        const push = new zmq.Push()
        push.connect("inproc://from-worker")
        await push.send(["hi from", "a worker"])
        push.close()
      })()`, {eval: true})
    const exited = new Promise((resolve, reject) => {
      worker.on("error", reject)
      worker.on("exit", resolve)
    })
    assert.deepEqual((await pull.receive()).map(String), ["hi from", "a worker"])
    assert.equal(await exited, 0)
  } finally {
    pull.close()
  }
})

test("observer: disconnect, close and end; iteration stops with the socket", T, async () => {
  const server = new zmq.Router()
  const client = new zmq.Dealer()
  const types = []
  const done = (async () => {
    for await (const event of server.events) {
      types.push(event.type)
      if (event.type === "disconnect") {
        assert.equal(typeof event.address, "string")
        server.close()
      }
    }
  })()
  const ep = await bound(server)
  client.connect(ep)
  await client.send("hello")
  await server.receive()
  client.close()
  await done
  for (const t of ["bind", "accept", "handshake", "disconnect"]) assert.ok(types.includes(t), `${t} missing: ${types}`)
})
