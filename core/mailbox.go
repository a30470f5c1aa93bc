package core

import (
	"sync"
	"sync/atomic"

	"github.com/gozmq/gozmq/core/pipe"
)

// cmdKind is what happened to a pipe, reported to its socket.
type cmdKind uint8

const (
	cmdReadActivated  cmdKind = iota // In has a message again
	cmdWriteActivated                // Out has room again, or the peer left
	cmdAttach                        // a new peer pipe (accepted connection, inproc bind)
)

type command struct {
	kind cmdKind
	p    *pipe.Pipe
	ep   string // cmdAttach: the endpoint the pipe belongs to
}

// mailbox carries commands from engines and peer sockets to a socket
// (libzmq's mailbox_t). Commands are processed by whichever thread next
// enters the socket; the signaler wakes a thread that is waiting.
type mailbox struct {
	mu     sync.Mutex
	cmds   []command
	spare  []command // the other buffer, swapped in on drain: no allocation
	sig    *signaler
	closed bool
	// pending is true while cmds is not empty, so that drain, which runs
	// on every API call, usually costs no lock.
	pending atomic.Bool
}

// post queues c and wakes the socket. It returns false once the socket is
// closed; the caller then still owns c.p and must close it.
func (m *mailbox) post(c command) bool {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return false
	}
	m.cmds = append(m.cmds, c)
	m.pending.Store(true)
	// Raised under the lock so that close() guarantees no later write to
	// an eventfd that may already be closed and its number reused.
	m.sig.Raise()
	m.mu.Unlock()
	return true
}

// close refuses later posts and returns what was still queued.
func (m *mailbox) close() []command {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	cmds := m.cmds
	m.cmds = nil
	return cmds
}

// drain resets the signal and returns pending commands. The returned slice
// is valid until the next drain.
func (m *mailbox) drain() []command {
	m.sig.Reset()
	// A post that this load misses raises the fd (Reset came first), so
	// the socket's next wait returns at once and drains it.
	if !m.pending.Load() {
		return nil
	}
	m.mu.Lock()
	m.pending.Store(false)
	cmds := m.cmds
	m.cmds = m.spare[:0]
	m.spare = cmds
	m.mu.Unlock()
	return cmds
}
