// Package socktype implements one ZeroMQ socket type per file (libzmq's
// socket_base_t subclasses): each composes the strategies of core/route
// and moves whole messages between the caller and its pipes.
//
// Contract: the owning core.Socket serialises every call under its lock,
// and no call blocks. Send and Recv return zerr.ErrAgain when they cannot
// proceed now; the core then waits (honouring DONTWAIT, SNDTIMEO, RCVTIMEO)
// for a ReadActivated/WriteActivated call and retries. Socket types never
// learn about transports, codecs or connections.
//
// Imports: core/msg, core/pipe, core/route, core/zerr.
package socktype
