// Package engine binds one byte-stream connection (net.Conn) to one pipe:
// it performs the ZMTP handshake (greeting, mechanism, READY), then runs
// two pumps until the connection ends (libzmq's stream_engine_t):
//
//   - the reader decodes frames and pushes them into the pipe's Out queue
//     (towards the socket); when that queue is at its HWM it stops
//     reading, so TCP flow control pushes back on the peer;
//   - the writer pops frames from the pipe's In queue (from the socket),
//     encodes a batch of them into one buffer (large bodies go out by
//     writev, never copied) and writes it with one system call.
//
// Concurrency: Run executes the handshake and the writer on the calling
// goroutine and starts exactly one reader goroutine; both have exited when
// Run returns, and the connection is closed. Each piece of state has one
// owner; the pumps talk through the pipe and through 1-slot channels.
// Engines never call into a socket: they only touch pipes.
//
// Imports: core/msg, core/pipe, core/zmtp.
package engine
