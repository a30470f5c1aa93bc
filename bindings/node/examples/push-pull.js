// Ten lines of the zeromq.js v6 API: a PUSH sends to a PULL over tcp.
const zmq = require("gozmq")

async function main() {
  const pull = new zmq.Pull()
  await pull.bind("tcp://127.0.0.1:*")
  const push = new zmq.Push()
  push.connect(pull.lastEndpoint)
  await push.send(["hello", "world"])
  const [a, b] = await pull.receive()
  console.log(`${a} ${b} (libzmq API ${zmq.version})`)
  push.close()
  pull.close()
}
main()
