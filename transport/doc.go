// Package transport defines how a socket obtains byte-stream connections:
// a Transport dials and listens for one URL scheme ("tcp", "ipc") and
// yields net.Conn values that core hands to engines. Reconnection,
// backoff and handshakes live in core and core/engine, not here.
//
// inproc is not a Transport: it joins two sockets' pipes directly and
// never carries bytes, so it lives in core beside the context that owns
// the inproc namespace.
//
// Imports: standard library and golang.org/x/sys/unix.
package transport
