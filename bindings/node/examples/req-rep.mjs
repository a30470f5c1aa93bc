// ESM: a reply server and a request client, with `for await`.
import {Reply, Request} from "gozmq"

const server = new Reply()
await server.bind("tcp://127.0.0.1:*")
const client = new Request()
client.connect(server.lastEndpoint)
;(async () => {
  for await (const [msg] of server) await server.send(`echo: ${msg}`)
})()
for (const word of ["one", "two"]) {
  await client.send(word)
  const [reply] = await client.receive()
  console.log(String(reply))
}
client.close()
server.close()
