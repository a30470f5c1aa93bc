// ESM entry point: the same objects as the CommonJS entry (one native
// addon and one library per process, whichever way it is loaded).
import {createRequire} from "node:module"

const zmq = createRequire(import.meta.url)("./index.js")

export const {
  version, capability, context, curveKeyPair, Context, Socket, SocketType, Observer, Proxy,
  Pair, Publisher, Subscriber, Request, Reply, Dealer, Router, Pull, Push, XPublisher, XSubscriber, Stream,
} = zmq
export default zmq
