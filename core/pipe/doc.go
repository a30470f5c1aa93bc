// Package pipe implements the bounded message queues that connect a socket
// to its peers (libzmq's pipe_t over ypipe_t).
//
// A Pipe is two one-way Queues. Each Queue has exactly one writer and one
// reader at a time (a socket under its own lock, or one engine goroutine),
// guarded by a small mutex: the critical sections are a few word moves, and
// a mutex keeps the race detector able to check every access.
//
// Flow control counts whole messages, as libzmq does: a Queue is full when
// HWM messages were written and not yet read; a writer that found it full
// is woken when the reader brings the backlog down to LWM. Readers see only
// whole messages: the parts of a multipart message become visible together
// when its last part is written (libzmq's ypipe flush), so a writer that
// dies mid-message can roll the partial message back.
//
// Wake-ups fire only on transitions that the other side asked for: a reader
// that found the queue empty is woken by the next completed message, a
// writer that found it full is woken at LWM. Wake callbacks run on the
// caller's goroutine with no lock held and must not block.
//
// Imports: core/msg and the standard library only.
package pipe
