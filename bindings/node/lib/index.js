"use strict"
/*
 * gozmq for Node.js: the zeromq.js v6 API over gozmq's libzmq.so.5.
 *
 * The native addon (build/gozmq.node) only wraps zmq.h calls. Everything
 * here runs on the JavaScript thread, every zmq call is non-blocking
 * (ZMQ_DONTWAIT), and a socket that has to wait asks the addon to watch
 * its ZMQ_FD on the event loop. ZMQ_FD is edge-triggered: after each
 * wake-up, and after each send or receive made while the other direction
 * waits, ZMQ_EVENTS is read again (see IO.ready).
 */
const path = require("path")
const os = require("os")
const {EventEmitter} = require("events")

const native = require(process.env.GOZMQ_ADDON || path.join(__dirname, "..", "build", "gozmq.node"))

/* ---- errors ----------------------------------------------------------- */

const ZMQ_HAUSNUMERO = 156384712
const zmqErrnos = {
  EFSM: ZMQ_HAUSNUMERO + 51,
  ENOCOMPATPROTO: ZMQ_HAUSNUMERO + 52,
  ETERM: ZMQ_HAUSNUMERO + 53,
  EMTHREAD: ZMQ_HAUSNUMERO + 54,
}
const errnoNames = new Map()
for (const [name, value] of Object.entries(os.constants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name)
}
errnoNames.set(os.constants.errno.EAGAIN, "EAGAIN")
errnoNames.set(os.constants.errno.ENOTSUP, "ENOTSUP")
for (const [name, value] of Object.entries(zmqErrnos)) errnoNames.set(value, name)

const E = os.constants.errno
/* Messages where the library's own text would mislead a Node user. */
const clearerMessages = new Map([
  [E.EAGAIN, "Operation was not possible or timed out"],
  [E.EBADF, "Socket is closed"],
  [E.EBUSY, "Socket is busy"],
  [E.EFAULT, "Context is closed"],
  [E.ENOENT, "No such endpoint"],
  [E.EMFILE, "Too many open file descriptors"],
  [E.EADDRINUSE, "Address already in use"],
])

function errnoError(errno, message, address) {
  const err = new Error(message || clearerMessages.get(errno) || native.strerror(errno))
  err.errno = errno
  err.code = errnoNames.get(errno) || `E${errno}`
  if (address !== undefined) err.address = address
  return err
}
native.init(errno => errnoError(errno))

function withAddress(err, address) {
  if (err && typeof err.errno === "number") err.address = address
  return err
}

/* ---- constants -------------------------------------------------------- */

const POLLIN = 1
const POLLOUT = 2
/* After this many operations completed without yielding, the next one
   waits for the event loop's check phase, so a socket that is always
   ready cannot starve timers and I/O. */
const MAX_SYNC_OPERATIONS = 512

const SocketType = {
  Pair: 0, Publisher: 1, Subscriber: 2, Request: 3, Reply: 4, Dealer: 5,
  Router: 6, Pull: 7, Push: 8, XPublisher: 9, XSubscriber: 10, Stream: 11,
}

/* ---- option tables ---------------------------------------------------- */

/* Each entry: property name → [option number, kind]. Kinds: bool, int
   (int32), int64, uint64, str (bytes shown as a string, empty → null),
   key (CURVE key read in Z85), enum tables. */
const socketOptions = {
  affinity: [4, "uint64"],
  rate: [8, "int"],
  recoveryInterval: [9, "int"],
  sendBufferSize: [11, "int"],
  receiveBufferSize: [12, "int"],
  linger: [17, "int"],
  reconnectInterval: [18, "int"],
  backlog: [19, "int"],
  reconnectMaxInterval: [21, "int"],
  maxMessageSize: [22, "int64"],
  sendHighWaterMark: [23, "int"],
  receiveHighWaterMark: [24, "int"],
  multicastHops: [25, "int"],
  tcpKeepalive: [34, "int"],
  tcpKeepaliveCount: [35, "int"],
  tcpKeepaliveIdle: [36, "int"],
  tcpKeepaliveInterval: [37, "int"],
  tcpAcceptFilter: [38, "str"],
  immediate: [39, "bool"],
  ipv6: [42, "bool"],
  plainServer: [44, "bool"],
  plainUsername: [45, "str"],
  plainPassword: [46, "str"],
  curveServer: [47, "bool"],
  curvePublicKey: [48, "key"],
  curveSecretKey: [49, "key"],
  curveServerKey: [50, "key"],
  zapDomain: [55, "str"],
  typeOfService: [57, "int"],
  gssapiServer: [62, "bool"],
  gssapiPrincipal: [63, "str"],
  gssapiServicePrincipal: [64, "str"],
  gssapiPlainText: [65, "bool"],
  handshakeInterval: [66, "int"],
  socksProxy: [68, "str"],
  heartbeatInterval: [75, "int"],
  heartbeatTimeToLive: [76, "int"],
  heartbeatTimeout: [77, "int"],
  connectTimeout: [79, "int"],
  tcpMaxRetransmitTimeout: [80, "int"],
  multicastMaxTransportDataUnit: [84, "int"],
  vmciBufferSize: [85, "uint64"],
  vmciBufferMinSize: [86, "uint64"],
  vmciBufferMaxSize: [87, "uint64"],
  vmciConnectTimeout: [88, "int"],
  gssapiPrincipalNameType: [90, "nametype"],
  gssapiServicePrincipalNameType: [91, "nametype"],
  interface: [92, "str"],
  zapEnforceDomain: [93, "bool"],
  loopbackFastPath: [94, "bool"],
}
const readOnlySocketOptions = {
  type: [16, "int"],
  lastEndpoint: [32, "str"],
  securityMechanism: [43, "mechanism"],
  threadSafe: [81, "bool"],
}
const nameTypes = ["hostBased", "userName", "krb5Principal"]
const mechanisms = [null, "plain", "curve", "gssapi"]

function getOption(h, id, kind) {
  switch (kind) {
    case "bool": return native.getInt(h, id, 4) !== 0
    case "int": return native.getInt(h, id, 4)
    case "int64":
    case "uint64": return native.getInt(h, id, 8)
    case "nametype": return nameTypes[native.getInt(h, id, 4)]
    case "mechanism": return mechanisms[native.getInt(h, id, 4)] ?? null
    case "key": {
      const b = native.getBytes(h, id, 41)
      const s = b.toString("latin1").replace(/\0+$/, "")
      return s.length ? s : null
    }
    default: {
      const b = native.getBytes(h, id, 256)
      let n = b.length
      while (n > 0 && b[n - 1] === 0) n--
      return n ? b.toString("utf8", 0, n) : null
    }
  }
}

function setOption(h, id, kind, value) {
  switch (kind) {
    case "bool":
      if (typeof value !== "boolean") throw new TypeError("Option value must be a boolean")
      return native.setInt(h, id, value ? 1 : 0, 4)
    case "int":
    case "int64":
    case "uint64":
      if (typeof value !== "number") throw new TypeError("Option value must be a number")
      return native.setInt(h, id, kind === "uint64" ? Math.max(0, value) : value, kind === "int" ? 4 : 8)
    case "nametype": {
      const i = nameTypes.indexOf(value)
      if (i < 0) throw new TypeError("Option value must be one of " + nameTypes.join(", "))
      return native.setInt(h, id, i, 4)
    }
    default:
      if (value !== null && typeof value !== "string" && !Buffer.isBuffer(value)) {
        throw new TypeError("Option value must be a string or buffer")
      }
      return native.setBytes(h, id, value)
  }
}

function defineOptions(proto, table, readOnly) {
  for (const [name, [id, kind]] of Object.entries(table)) {
    Object.defineProperty(proto, name, {
      configurable: true,
      enumerable: true,
      get() { return getOption(this._handle(), id, kind) },
      set: readOnly ? undefined : function (value) { setOption(this._handle(), id, kind, value) },
    })
  }
}

/* ---- contexts --------------------------------------------------------- */

class Context {
  constructor(options) {
    this._ctx = options === sharedContextToken ? native.ctxShared() : native.ctxNew()
    if (options && options !== sharedContextToken) assignOptions(this, options)
  }
}
const sharedContextToken = Symbol("shared context")
const contextOptions = {
  ioThreads: [1, false], maxSockets: [2, false], maxSocketsLimit: [3, true],
  threadPriority: [3, false], threadSchedulingPolicy: [4, false],
  maxMessageSize: [5, false], ipv6: [42, false, "bool"], blocky: [70, false, "bool"],
}
for (const [name, [id, readOnly, kind]] of Object.entries(contextOptions)) {
  Object.defineProperty(Context.prototype, name, {
    configurable: true,
    enumerable: true,
    get() {
      const v = native.ctxGet(this._ctx, id)
      return kind === "bool" ? v !== 0 : v
    },
    set: readOnly ? undefined : function (value) {
      if (kind === "bool" && typeof value !== "boolean") throw new TypeError("Option value must be a boolean")
      if (kind !== "bool" && typeof value !== "number") throw new TypeError("Option value must be a number")
      native.ctxSet(this._ctx, id, Number(value))
    },
  })
}

/* One native context for the whole process, worker threads included. */
const context = new Context(sharedContextToken)

function assignOptions(target, options) {
  for (const [key, value] of Object.entries(options)) {
    if (key === "context") continue
    if (!(key in target)) throw new TypeError(`Unknown option "${key}"`)
    target[key] = value
  }
}

/* ---- waiting for a socket --------------------------------------------- */

/* IO owns one native socket handle and at most one pending receive and one
   pending send. It is the only place that watches ZMQ_FD. */
/* IOs with an operation in progress: held here so that a socket someone
   awaits is not collected. Any other socket the program drops is
   collected, and the addon's finalizer closes it (as zeromq.js does). */
const active = new Set()

class IO {
  constructor(ctx, type) {
    /* The addon keeps the callback alive, so it holds the IO weakly. */
    const self = new WeakRef(this)
    this.h = native.socket(ctx, type, () => {
      const io = self.deref()
      if (io) io.ready()
    })
    this.reader = null /* {resolve, reject, timer} */
    this.writer = null /* {resolve, reject, timer, msg} */
    this.syncOps = 0
    this.watching = false
    this.closed = false
    this.deferred = false
  }

  /* Whether a completed operation must yield to the event loop first. */
  mustYield() {
    if (++this.syncOps <= MAX_SYNC_OPERATIONS) return false
    this.syncOps = 0
    return true
  }

  receive(timeout) {
    if (this.closed) throw errnoError(E.EBADF)
    if (this.reader) {
      throw errnoError(E.EBUSY, "Socket is busy reading; only one receive operation may be in progress at any time")
    }
    if (!this.mustYield()) {
      let msg
      try {
        msg = native.recv(this.h)
      } catch (err) {
        /* A receive the socket's state forbids (EFSM) waits, as in
           zeromq.js, until the socket reports POLLIN or the timeout. */
        if (err.code !== "EFSM" || timeout === 0) return Promise.reject(err)
        msg = null
      }
      if (msg !== null) {
        if (this.writer) this.ready()
        return Promise.resolve(msg)
      }
      if (timeout === 0) return Promise.reject(errnoError(E.EAGAIN))
    } else {
      this.deferReady()
    }
    return new Promise((resolve, reject) => {
      this.reader = {resolve, reject, timer: this.timer(timeout, "reader")}
      /* Our recv may have consumed the wake-up a waiting send needed. */
      if (this.writer) this.ready()
      else this.watch()
    })
  }

  send(msg, timeout) {
    if (this.closed) throw errnoError(E.EBADF)
    if (this.writer) {
      throw errnoError(E.EBUSY, "Socket is busy writing; only one send operation may be in progress at any time")
    }
    if (!this.mustYield()) {
      let sent
      try {
        sent = native.send(this.h, msg)
      } catch (err) {
        if (err.code !== "EFSM" || timeout === 0) return Promise.reject(err)
        sent = false
      }
      if (sent) {
        if (this.reader) this.ready()
        return Promise.resolve()
      }
      if (timeout === 0) return Promise.reject(errnoError(E.EAGAIN))
    } else {
      this.deferReady()
    }
    return new Promise((resolve, reject) => {
      this.writer = {resolve, reject, timer: this.timer(timeout, "writer"), msg}
      if (this.reader) this.ready()
      else this.watch()
    })
  }

  deferReady() {
    if (this.deferred) return
    this.deferred = true
    setImmediate(() => {
      this.deferred = false
      this.ready()
    })
  }

  timer(timeout, which) {
    if (!(timeout > 0)) return null
    /* At the deadline the operation is tried one last time, so it fails
       with the socket's own error (EAGAIN, or EFSM for a REQ out of turn),
       as zeromq.js reports it. */
    return setTimeout(() => {
      const op = this[which]
      if (!op) return
      op.timer = null
      const done = which === "reader" ? this.finishReceive(true) : this.finishSend(true)
      if (!done) {
        this[which] = null
        op.reject(errnoError(E.EAGAIN))
      }
      this.watch()
    }, timeout)
  }

  /* Watches ZMQ_FD exactly while an operation waits. */
  watch() {
    const want = !this.closed && (this.reader !== null || this.writer !== null)
    if (want !== this.watching) {
      this.watching = want
      if (want) active.add(this)
      else active.delete(this)
      native.watch(this.h, want)
    }
  }

  /* Called when ZMQ_FD is readable, or when our own call may have consumed
   the edge another waiter needed: completes whatever can complete now. */
  ready() {
    for (let progress = true; progress && !this.closed && (this.reader || this.writer);) {
      progress = false
      /* One direction waiting: just try it (a failed try costs what reading
         ZMQ_EVENTS would, and leaves the fd re-armed the same way). */
      if (!this.writer) {
        progress = this.finishReceive()
        continue
      }
      if (!this.reader) {
        progress = this.finishSend()
        continue
      }
      let events
      try {
        events = native.events(this.h)
      } catch (err) {
        this.failAll(err)
        break
      }
      if (this.reader && (events & POLLIN)) progress = this.finishReceive()
      if (this.writer && (events & POLLOUT)) progress = this.finishSend() || progress
    }
    this.watch()
  }

  /* Tries the waiting receive; false if it still has to wait. EFSM counts
     as "wait" unless this is the last try. */
  finishReceive(last = false) {
    const op = this.reader
    let msg
    try {
      msg = native.recv(this.h)
    } catch (err) {
      if (err.code === "EFSM" && !last) return false
      this.reader = null
      clearTimeout(op.timer)
      op.reject(err)
      return true
    }
    if (msg === null) return false
    this.reader = null
    clearTimeout(op.timer)
    op.resolve(msg)
    return true
  }

  finishSend(last = false) {
    const op = this.writer
    let sent
    try {
      sent = native.send(this.h, op.msg)
    } catch (err) {
      if (err.code === "EFSM" && !last) return false
      this.writer = null
      clearTimeout(op.timer)
      op.reject(err)
      return true
    }
    if (!sent) return false
    this.writer = null
    clearTimeout(op.timer)
    op.resolve()
    return true
  }

  failAll(err) {
    for (const which of ["reader", "writer"]) {
      const op = this[which]
      if (op) {
        this[which] = null
        clearTimeout(op.timer)
        op.reject(err)
      }
    }
  }

  close() {
    if (this.closed) return
    this.closed = true
    this.failAll(errnoError(E.EAGAIN))
    this.watching = false
    active.delete(this)
    native.close(this.h)
  }
}

/* ---- sockets ---------------------------------------------------------- */

let monitorSeq = 0

class Socket {
  constructor(type, options = {}) {
    if (new.target === Socket) throw new TypeError("Socket is abstract; use a socket type such as Push")
    if (options === null || typeof options !== "object") throw new TypeError("Options must be an object")
    const ctx = options.context || context
    if (!(ctx instanceof Context)) throw new TypeError("Context must be a Context")
    Object.defineProperty(this, "_io", {value: new IO(ctx._ctx, type)})
    Object.defineProperty(this, "context", {value: ctx, enumerable: true})
    this._state = {
      receiveTimeout: -1, sendTimeout: -1, endpoints: 0, observer: null, busy: false,
      proxy: null, closeAfterProxy: false,
    }
    Object.defineProperty(this, "_state", {enumerable: false})
    assignOptions(this, options)
  }

  /* The native handle for a call other than send/receive. Such a call may
     process the socket's commands and so consume the ZMQ_FD edge that a
     waiting send or receive needs: those then re-check after it. */
  _handle() {
    const io = this._io
    if (io.closed) throw errnoError(E.EBADF)
    if (io.reader || io.writer) io.deferReady()
    return io.h
  }

  _checkOpen() {
    if (this._io.closed) throw errnoError(E.EBADF)
    if (this._state.busy) throw errnoError(E.EBUSY, "Socket is blocked by a bind or unbind operation")
  }

  get closed() { return this._io.closed }

  get readable() {
    return !this._io.closed && (native.events(this._handle()) & POLLIN) !== 0
  }

  get writable() {
    return !this._io.closed && (native.events(this._handle()) & POLLOUT) !== 0
  }

  get events() {
    if (!this._state.observer || this._state.observer.closed) this._state.observer = new Observer(this)
    return this._state.observer
  }

  get receiveTimeout() { return this._state.receiveTimeout }
  set receiveTimeout(v) {
    setOption(this._handle(), 27, "int", v)
    this._state.receiveTimeout = v
  }

  get sendTimeout() { return this._state.sendTimeout }
  set sendTimeout(v) {
    setOption(this._handle(), 28, "int", v)
    this._state.sendTimeout = v
  }

  /* Wrong arguments and a closed socket throw at once, as in zeromq.js; a
     failed bind rejects. */
  bind(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      native.bind(this._handle(), address)
    } catch (err) {
      return Promise.reject(withAddress(err, address))
    }
    this._state.endpoints++
    return Promise.resolve()
  }

  bindSync(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      native.bind(this._handle(), address)
    } catch (err) {
      throw withAddress(err, address)
    }
    this._state.endpoints++
  }

  unbind(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      this.unbindSync(address)
    } catch (err) {
      return Promise.reject(err)
    }
    return Promise.resolve()
  }

  unbindSync(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      native.unbind(this._handle(), address)
    } catch (err) {
      throw withAddress(err, address)
    }
    this._state.endpoints--
  }

  connect(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      native.connect(this._handle(), address)
    } catch (err) {
      throw withAddress(err, address)
    }
    this._state.endpoints++
  }

  disconnect(address) {
    if (typeof address !== "string") throw new TypeError("Address must be a string")
    this._checkOpen()
    try {
      native.disconnect(this._handle(), address)
    } catch (err) {
      throw withAddress(err, address)
    }
    this._state.endpoints--
  }

  close() {
    /* The proxy's thread is using this socket: stop it, close after. */
    const proxy = this._state.proxy
    if (proxy) {
      this._state.closeAfterProxy = true
      proxy.terminate()
      return
    }
    this._io.close()
  }

  send(message) {
    if (message === undefined) throw new TypeError("Message must be present")
    this._checkOpen()
    return this._io.send(message, this._state.sendTimeout)
  }

  receive() {
    this._checkOpen()
    return this._io.receive(this._state.receiveTimeout)
  }

  [Symbol.asyncIterator]() {
    return iterate(this)
  }

  /* zeromq.js's low-level option accessors, for options without a property. */
  getBoolOption(option) { return getOption(this._handle(), option, "bool") }
  setBoolOption(option, value) { setOption(this._handle(), option, "bool", value) }
  getInt32Option(option) { return getOption(this._handle(), option, "int") }
  setInt32Option(option, value) { setOption(this._handle(), option, "int", value) }
  getUint32Option(option) { return getOption(this._handle(), option, "int") >>> 0 }
  setUint32Option(option, value) { setOption(this._handle(), option, "int", value | 0) }
  getInt64Option(option) { return getOption(this._handle(), option, "int64") }
  setInt64Option(option, value) { setOption(this._handle(), option, "int64", value) }
  getUint64Option(option) { return getOption(this._handle(), option, "uint64") }
  setUint64Option(option, value) { setOption(this._handle(), option, "uint64", value) }
  getStringOption(option) { return getOption(this._handle(), option, "str") }
  setStringOption(option, value) { setOption(this._handle(), option, "str", value) }
}
defineOptions(Socket.prototype, socketOptions, false)
defineOptions(Socket.prototype, readOnlySocketOptions, true)

function iterate(source) {
  return {
    async next() {
      if (source.closed) return {value: undefined, done: true}
      try {
        return {value: await source.receive(), done: false}
      } catch (err) {
        if (source.closed && err.code === "EAGAIN") return {value: undefined, done: true}
        throw err
      }
    },
    [Symbol.asyncIterator]() { return this },
  }
}

/* Options that only make sense for some socket types: each type's class
   defines those it names. */
const typeOptions = {
  routingId: [5, "str"],
  mandatory: [33, "bool"],
  probeRouter: [51, "bool"],
  correlate: [52, "bool"],
  relaxed: [53, "bool"],
  conflate: [54, "bool"],
  handover: [56, "bool"],
  noDrop: [69, "bool"],
  manual: [71, "bool"],
  welcomeMessage: [72, "str"],
  notify: [73, "bool"],
  invertMatching: [74, "bool"],
}

function socketClass(name, type, ...optionNames) {
  const cls = {
    [name]: class extends Socket {
      constructor(opts = {}) {
        super(type, opts)
      }
    },
  }[name]
  defineOptions(cls.prototype, Object.fromEntries(optionNames.map(n => [n, typeOptions[n]])), false)
  return cls
}

const Pair = socketClass("Pair", 0)
const Publisher = socketClass("Publisher", 1, "noDrop", "conflate", "invertMatching")
const Subscriber = socketClass("Subscriber", 2, "conflate", "invertMatching")
const Request = socketClass("Request", 3, "routingId", "probeRouter", "correlate", "relaxed")
const Reply = socketClass("Reply", 4, "routingId")
const Dealer = socketClass("Dealer", 5, "routingId", "probeRouter", "conflate")
const Router = socketClass("Router", 6, "routingId", "mandatory", "probeRouter", "handover")
const Pull = socketClass("Pull", 7, "conflate")
const Push = socketClass("Push", 8, "conflate")
const XPublisher = socketClass("XPublisher", 9, "noDrop", "manual", "welcomeMessage", "invertMatching")
const XSubscriber = socketClass("XSubscriber", 10)
const Stream = socketClass("Stream", 11, "notify")

function subscription(self, option, prefixes) {
  const h = self._handle()
  if (prefixes.length === 0) prefixes = [""]
  for (const p of prefixes) {
    if (typeof p !== "string" && !Buffer.isBuffer(p)) throw new TypeError("Prefix must be a string or buffer")
    native.setBytes(h, option, p)
  }
}
Subscriber.prototype.subscribe = function subscribe(...prefixes) { subscription(this, 6, prefixes) }
Subscriber.prototype.unsubscribe = function unsubscribe(...prefixes) { subscription(this, 7, prefixes) }

Object.defineProperty(XPublisher.prototype, "verbosity", {
  configurable: true,
  enumerable: true,
  set(value) {
    const h = this._handle()
    if (value === null) {
      native.setInt(h, 40, 0, 4)
      native.setInt(h, 78, 0, 4)
    } else if (value === "allSubs") {
      native.setInt(h, 40, 1, 4)
    } else if (value === "allSubsUnsubs") {
      native.setInt(h, 78, 1, 4)
    } else {
      throw new TypeError('Verbosity must be null, "allSubs" or "allSubsUnsubs"')
    }
  },
})

function connectWithRoutingId(address, options) {
  if (options && options.routingId !== undefined) {
    native.setBytes(this._handle(), 61, options.routingId)
  }
  Socket.prototype.connect.call(this, address)
}
Router.prototype.connect = connectWithRoutingId
Stream.prototype.connect = connectWithRoutingId

/* ---- observer (socket monitor) ---------------------------------------- */

const eventTypes = new Map([
  [0x0001, "connect"], [0x0002, "connect:delay"], [0x0004, "connect:retry"],
  [0x0008, "bind"], [0x0010, "bind:error"], [0x0020, "accept"],
  [0x0040, "accept:error"], [0x0080, "close"], [0x0100, "close:error"],
  [0x0200, "disconnect"], [0x0400, "end"], [0x0800, "handshake:error:other"],
  [0x1000, "handshake"], [0x2000, "handshake:error:protocol"],
  [0x4000, "handshake:error:auth"],
])
const protocolErrors = new Map([
  [0x10000000, "ZMTP_UNSPECIFIED"], [0x10000001, "ZMTP_UNEXPECTED_COMMAND"],
  [0x10000002, "ZMTP_INVALID_SEQUENCE"], [0x10000003, "ZMTP_KEY_EXCHANGE"],
  [0x10000011, "ZMTP_MALFORMED_COMMAND_UNSPECIFIED"], [0x10000012, "ZMTP_MALFORMED_COMMAND_MESSAGE"],
  [0x10000013, "ZMTP_MALFORMED_COMMAND_HELLO"], [0x10000014, "ZMTP_MALFORMED_COMMAND_INITIATE"],
  [0x10000015, "ZMTP_MALFORMED_COMMAND_ERROR"], [0x10000016, "ZMTP_MALFORMED_COMMAND_READY"],
  [0x10000017, "ZMTP_MALFORMED_COMMAND_WELCOME"], [0x10000018, "ZMTP_INVALID_METADATA"],
  [0x11000001, "ZMTP_CRYPTOGRAPHIC"], [0x11000002, "ZMTP_MECHANISM_MISMATCH"],
  [0x20000000, "ZAP_UNSPECIFIED"], [0x20000001, "ZAP_MALFORMED_REPLY"],
  [0x20000002, "ZAP_BAD_REQUEST_ID"], [0x20000003, "ZAP_BAD_VERSION"],
  [0x20000004, "ZAP_INVALID_STATUS_CODE"], [0x20000005, "ZAP_INVALID_METADATA"],
])
const authMessages = {300: "Temporary error", 400: "Authentication failure", 500: "Internal error"}

function decodeEvent(frames) {
  const head = frames[0]
  const id = head.readUInt16LE(0)
  const value = head.readUInt32LE(2)
  const type = eventTypes.get(id) || "unknown"
  const event = {type}
  if (type === "unknown" || type === "end") return event
  event.address = frames[1] ? frames[1].toString("utf8") : ""
  if (type === "connect:retry") {
    event.interval = value
  } else if (type === "bind:error" || type === "accept:error" || type === "close:error" ||
             type === "handshake:error:other") {
    event.error = errnoError(value)
  } else if (type === "handshake:error:protocol") {
    const name = protocolErrors.get(value) || "UNKNOWN"
    const err = new Error(`${name.startsWith("ZAP") ? "ZAP" : "ZMTP"} protocol error`)
    err.code = "ERR_" + name
    event.error = err
  } else if (type === "handshake:error:auth") {
    const err = new Error(authMessages[value] || "Unknown error")
    err.status = value
    event.error = err
  }
  return event
}

class Observer {
  constructor(socket) {
    if (!(socket instanceof Socket)) throw new TypeError("Socket must be a socket object")
    const endpoint = `inproc://gozmq.monitor.${process.pid}.${++monitorSeq}`
    native.monitor(socket._handle(), endpoint, 0xffff)
    Object.defineProperty(this, "_io", {value: new IO(socket.context._ctx, 0)})
    Object.defineProperty(this, "_target", {value: socket._io})
    native.connect(this._io.h, endpoint)
    this._emitter = null
    Object.defineProperty(this, "_emitter", {enumerable: false, writable: true})
  }

  get closed() { return this._io.closed }

  close() {
    if (this._io.closed) return
    if (!this._target.closed) native.monitor(this._target.h, null, 0)
    this._io.close()
  }

  async receive() {
    if (this._emitter) {
      throw new Error("Observer is in event emitter mode. After a call to events.on() " +
        "it is not possible to read events with events.receive().")
    }
    return this._receive()
  }

  async _receive() {
    if (this._io.closed) throw errnoError(E.EBADF)
    const event = decodeEvent(await this._io.receive(-1))
    if (event.type === "end") this.close()
    return event
  }

  _events() {
    if (!this._emitter) {
      this._emitter = new EventEmitter()
      const run = async () => {
        while (!this.closed) {
          let event
          try {
            event = await this._receive()
          } catch (err) {
            if (this.closed) return
            throw err
          }
          this._emitter.emit(event.type, event)
        }
      }
      run()
    }
    return this._emitter
  }

  on(type, listener) {
    this._events().on(type, listener)
    return this
  }

  off(type, listener) {
    this._events().off(type, listener)
    return this
  }

  [Symbol.asyncIterator]() {
    return iterate(this)
  }
}

/* ---- proxy ------------------------------------------------------------ */

let proxySeq = 0

class Proxy {
  constructor(frontEnd, backEnd) {
    if (!(frontEnd instanceof Socket)) throw new TypeError("Front-end must be a socket object")
    if (!(backEnd instanceof Socket)) throw new TypeError("Back-end must be a socket object")
    Object.defineProperty(this, "frontEnd", {value: frontEnd, enumerable: true})
    Object.defineProperty(this, "backEnd", {value: backEnd, enumerable: true})
    this._control = null
    Object.defineProperty(this, "_control", {enumerable: false, writable: true})
  }

  /* Runs zmq_proxy_steerable on libuv's thread pool until terminate().
     While it runs, the two sockets belong to the proxy. */
  async run() {
    if (this.frontEnd._state.endpoints <= 0) {
      throw errnoError(E.EINVAL, "Front-end socket must be bound or connected")
    }
    if (this.backEnd._state.endpoints <= 0) {
      throw errnoError(E.EINVAL, "Back-end socket must be bound or connected")
    }
    if (this._control) throw errnoError(E.EBUSY, "Proxy is already running")
    const ctx = this.frontEnd.context._ctx
    const endpoint = `inproc://gozmq.proxy.${process.pid}.${++proxySeq}`
    const ours = new IO(ctx, 0)
    const theirs = new IO(ctx, 0)
    native.bind(ours.h, endpoint)
    native.connect(theirs.h, endpoint)
    this._control = ours
    const sockets = [this.frontEnd, this.backEnd]
    for (const s of sockets) s._state.proxy = this
    try {
      await native.proxy(this.frontEnd._io.h, this.backEnd._io.h, theirs.h)
    } finally {
      this._control = null
      ours.close()
      theirs.close()
      for (const s of sockets) {
        s._state.proxy = null
        if (s._state.closeAfterProxy) s.close()
      }
    }
  }

  _command(cmd) {
    if (!this._control) throw errnoError(E.EBADF, "Proxy is not running")
    this._control.send(cmd, -1).catch(() => {})
  }

  pause() { this._command("PAUSE") }
  resume() { this._command("RESUME") }
  terminate() { this._command("TERMINATE") }
}

/* ---- module-level functions ------------------------------------------- */

function curveKeyPair() {
  const [publicKey, secretKey] = native.curveKeypair()
  return {publicKey, secretKey}
}

const capability = {}
for (const name of ["ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft"]) {
  capability[name] = native.has(name)
}

module.exports = {
  version: native.version(),
  capability,
  context,
  curveKeyPair,
  Context,
  Socket,
  SocketType,
  Observer,
  Proxy,
  Pair,
  Publisher,
  Subscriber,
  Request,
  Reply,
  Dealer,
  Router,
  Pull,
  Push,
  XPublisher,
  XSubscriber,
  Stream,
}
