// Type-checked by the package test (tsc --noEmit) against lib/index.d.ts.
import {Dealer, Router, Observer, Proxy, Context, curveKeyPair, Event, SocketOptions} from "gozmq"

async function typed(): Promise<string> {
  const ctx = new Context({ioThreads: 1})
  const opts: SocketOptions<Router> = {context: ctx, mandatory: true, linger: 0}
  const router = new Router(opts)
  const dealer = new Dealer({routingId: "me", sendHighWaterMark: 10})
  await router.bind("tcp://127.0.0.1:*")
  dealer.connect(router.lastEndpoint ?? "")
  router.events.on("accept", (e) => console.log(e.address))
  const keys: {publicKey: string; secretKey: string} = curveKeyPair()
  await dealer.send(["hi", Buffer.from(keys.publicKey), 1, null])
  const [id, body]: Buffer[] = await router.receive()
  const proxy = new Proxy(router, dealer)
  const ev: Event = await new Observer(dealer).receive()
  router.close()
  dealer.close()
  void proxy
  return `${id}${body}${ev.type}`
}
typed()
