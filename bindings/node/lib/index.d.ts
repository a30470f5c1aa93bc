/// <reference types="node" />
/**
 * gozmq: the zeromq.js v6 API over gozmq's libzmq.so.5.
 * Type names follow zeromq.js so code written for `zeromq` type-checks
 * unchanged against `gozmq`.
 */

export type Message = Buffer
export type MessageLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string | number | null

export declare const version: string
export declare const capability: Partial<{
  ipc: boolean
  pgm: boolean
  tipc: boolean
  norm: boolean
  curve: boolean
  gssapi: boolean
  draft: boolean
}>

/** A new CURVE key pair, both keys Z85-encoded (40 characters). */
export declare function curveKeyPair(): {publicKey: string; secretKey: string}

/** Errors thrown or rejected by sockets carry libzmq's errno and its name. */
export interface ErrnoError extends Error {
  code: string
  errno: number
  address?: string
}
export interface AuthError extends Error {
  status: 300 | 400 | 500
}
export interface ProtoError extends Error {
  code: string
}

export declare const enum SocketType {
  Pair = 0, Publisher = 1, Subscriber = 2, Request = 3, Reply = 4, Dealer = 5,
  Router = 6, Pull = 7, Push = 8, XPublisher = 9, XSubscriber = 10, Stream = 11,
}

type Writeable<T> = {-readonly [K in keyof T]: T[K]}
type NonFunctionKeys<T> = {[K in keyof T]-?: T[K] extends Function ? never : K}[keyof T]
type MutableKeys<T> = {
  [K in keyof T]-?: (<U>() => U extends {[Q in K]: T[K]} ? 1 : 2) extends
    (<U>() => U extends {-readonly [Q in K]: T[K]} ? 1 : 2) ? K : never
}[keyof T]
/** Every settable option of T, all optional: what a constructor accepts. */
export type Options<T, E = {}> = Partial<E & Pick<T, Extract<NonFunctionKeys<T>, MutableKeys<T>>>>
export type SocketOptions<S extends Socket> = Options<S, {context: Context}>

export declare class Context {
  constructor(options?: Options<Context>)
  blocky: boolean
  ioThreads: number
  maxMessageSize: number
  maxSockets: number
  ipv6: boolean
  threadPriority: number
  threadSchedulingPolicy: number
  readonly maxSocketsLimit: number
}
/** The context sockets use when none is given. */
export declare const context: Context

export interface EventAddress { address: string }
export interface EventInterval { interval: number }
export interface EventError<E = ErrnoError> { error: E }
export type Event =
  | ({type: "accept"} & EventAddress)
  | ({type: "accept:error"} & EventAddress & EventError)
  | ({type: "bind"} & EventAddress)
  | ({type: "bind:error"} & EventAddress & EventError)
  | ({type: "connect"} & EventAddress)
  | ({type: "connect:delay"} & EventAddress)
  | ({type: "connect:retry"} & EventAddress & EventInterval)
  | ({type: "close"} & EventAddress)
  | ({type: "close:error"} & EventAddress & EventError)
  | ({type: "disconnect"} & EventAddress)
  | {type: "end"}
  | ({type: "handshake"} & EventAddress)
  | ({type: "handshake:error:protocol"} & EventAddress & EventError<ProtoError>)
  | ({type: "handshake:error:auth"} & EventAddress & EventError<AuthError>)
  | ({type: "handshake:error:other"} & EventAddress & EventError)
  | {type: "unknown"}
export type EventType = Event["type"]
export type EventOfType<E extends EventType = EventType> = Extract<Event, {type: E}>

export interface EventSubscriber {
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber
  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber
}

/** Monitor events of one socket, read with receive(), `for await`, or on(). */
export declare class Observer implements EventSubscriber {
  constructor(socket: Socket)
  readonly closed: boolean
  close(): void
  receive(): Promise<Event>
  on<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber
  off<E extends EventType>(type: E, listener: (data: EventOfType<E>) => void): EventSubscriber
  [Symbol.asyncIterator](): AsyncIterator<Event, undefined>
}

/** zmq_proxy_steerable between two sockets, run off the JavaScript thread. */
export declare class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  constructor(frontEnd: F, backEnd: B)
  readonly frontEnd: F
  readonly backEnd: B
  run(): Promise<void>
  pause(): void
  resume(): void
  terminate(): void
}

export declare abstract class Socket {
  protected constructor(type: SocketType, options?: {})
  readonly events: Observer
  readonly context: Context
  readonly closed: boolean
  readonly readable: boolean
  readonly writable: boolean

  affinity: number
  rate: number
  recoveryInterval: number
  linger: number
  reconnectInterval: number
  backlog: number
  reconnectMaxInterval: number
  maxMessageSize: number
  tcpKeepalive: number
  tcpKeepaliveCount: number
  tcpKeepaliveIdle: number
  tcpKeepaliveInterval: number
  tcpAcceptFilter: string | null
  immediate: boolean
  ipv6: boolean
  plainServer: boolean
  plainUsername: string | null
  plainPassword: string | null
  curveServer: boolean
  curvePublicKey: string | null
  curveSecretKey: string | null
  curveServerKey: string | null
  gssapiServer: boolean
  gssapiPrincipal: string | null
  gssapiServicePrincipal: string | null
  gssapiPlainText: boolean
  gssapiPrincipalNameType: "hostBased" | "userName" | "krb5Principal"
  gssapiServicePrincipalNameType: "hostBased" | "userName" | "krb5Principal"
  zapDomain: string | null
  typeOfService: number
  handshakeInterval: number
  socksProxy: string | null
  heartbeatInterval: number
  heartbeatTimeToLive: number
  heartbeatTimeout: number
  connectTimeout: number
  tcpMaxRetransmitTimeout: number
  multicastMaxTransportDataUnit: number
  vmciBufferSize: number
  vmciBufferMinSize: number
  vmciBufferMaxSize: number
  vmciConnectTimeout: number
  interface: string | null
  zapEnforceDomain: boolean
  loopbackFastPath: boolean
  readonly type: SocketType
  readonly lastEndpoint: string | null
  readonly securityMechanism: null | "plain" | "curve" | "gssapi"
  readonly threadSafe: boolean

  close(): void
  bind(address: string): Promise<void>
  bindSync(address: string): void
  unbind(address: string): Promise<void>
  unbindSync(address: string): void
  connect(address: string): void
  disconnect(address: string): void

  protected getBoolOption(option: number): boolean
  protected setBoolOption(option: number, value: boolean): void
  protected getInt32Option(option: number): number
  protected setInt32Option(option: number, value: number): void
  protected getUint32Option(option: number): number
  protected setUint32Option(option: number, value: number): void
  protected getInt64Option(option: number): number
  protected setInt64Option(option: number, value: number): void
  protected getUint64Option(option: number): number
  protected setUint64Option(option: number, value: number): void
  protected getStringOption(option: number): string | null
  protected setStringOption(option: number, value: string | Buffer | null): void
}

export interface Writable<M extends MessageLike | MessageLike[] = MessageLike | MessageLike[]> {
  multicastHops: number
  sendBufferSize: number
  sendHighWaterMark: number
  sendTimeout: number
  /** Queues one message (an array is one multipart message). Rejects with
   *  EAGAIN after sendTimeout; throws EBUSY while another send waits. */
  send(message: M): Promise<void>
}

export interface Readable<M extends object[] = Message[]> {
  receiveBufferSize: number
  receiveHighWaterMark: number
  receiveTimeout: number
  /** The next message, all its parts. Rejects with EAGAIN after
   *  receiveTimeout or on close; throws EBUSY while another receive waits. */
  receive(): Promise<M>
  [Symbol.asyncIterator](): AsyncIterator<M, undefined>
}

export declare class Pair extends Socket {
  constructor(options?: SocketOptions<Pair>)
}
export interface Pair extends Writable, Readable {}

export declare class Publisher extends Socket {
  noDrop: boolean
  conflate: boolean
  invertMatching: boolean
  constructor(options?: SocketOptions<Publisher>)
}
export interface Publisher extends Writable {}

export declare class Subscriber extends Socket {
  conflate: boolean
  invertMatching: boolean
  constructor(options?: SocketOptions<Subscriber>)
  /** Subscribes to each prefix; no argument subscribes to everything. */
  subscribe(...prefixes: Array<Buffer | string>): void
  unsubscribe(...prefixes: Array<Buffer | string>): void
}
export interface Subscriber extends Readable {}

export declare class Request extends Socket {
  routingId: string | null
  probeRouter: boolean
  correlate: boolean
  relaxed: boolean
  constructor(options?: SocketOptions<Request>)
}
export interface Request extends Readable, Writable {}

export declare class Reply extends Socket {
  routingId: string | null
  constructor(options?: SocketOptions<Reply>)
}
export interface Reply extends Readable, Writable {}

export declare class Dealer extends Socket {
  routingId: string | null
  probeRouter: boolean
  conflate: boolean
  constructor(options?: SocketOptions<Dealer>)
}
export interface Dealer extends Readable, Writable {}

export interface RouterConnectOptions {
  routingId?: string
}
export declare class Router extends Socket {
  routingId: string | null
  mandatory: boolean
  probeRouter: boolean
  handover: boolean
  constructor(options?: SocketOptions<Router>)
  connect(address: string, options?: RouterConnectOptions): void
}
export interface Router extends Readable, Writable {}

export declare class Pull extends Socket {
  constructor(options?: SocketOptions<Pull>)
}
export interface Pull extends Readable {
  conflate: boolean
}

export declare class Push extends Socket {
  constructor(options?: SocketOptions<Push>)
}
export interface Push extends Writable {
  conflate: boolean
}

export declare class XPublisher extends Socket {
  noDrop: boolean
  manual: boolean
  welcomeMessage: string | null
  invertMatching: boolean
  set verbosity(value: null | "allSubs" | "allSubsUnsubs")
  constructor(options?: SocketOptions<XPublisher>)
}
export interface XPublisher extends Readable, Writable {}

export declare class XSubscriber extends Socket {
  constructor(options?: SocketOptions<XSubscriber>)
}
export interface XSubscriber extends Readable, Writable {}

export interface StreamConnectOptions {
  routingId?: string
}
export declare class Stream extends Socket {
  notify: boolean
  constructor(options?: SocketOptions<Stream>)
  connect(address: string, options?: StreamConnectOptions): void
}
export interface Stream extends Readable<[Message, Message]>, Writable<[MessageLike, MessageLike]> {}
