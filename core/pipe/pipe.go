package pipe

import "github.com/gozmq/gozmq/core/msg"

// Pipe is one end of a bidirectional pipe: In carries frames towards this
// end, Out carries frames away from it. The other end sees the same two
// queues swapped. A socket holds one end; an engine, or for inproc another
// socket, holds the other.
type Pipe struct {
	In, Out *Queue
	peer    *Pipe

	// Owner fields, used only by whoever holds this end under its own lock.
	RoutingID []byte // peer's routing id (ROUTER), or what the peer sent
	Slot      any    // per-socket-type bookkeeping
	Farewell  []byte // pushed to the peer when this end closes (inproc DISCONNECT_MSG)
	// Datagram marks a pipe whose far end is a udp endpoint rather than a
	// ZMTP peer: a RADIO sends it every group, a DISH sends it no JOIN.
	Datagram bool
	// Index holds this end's position in up to four strategy arrays
	// (route.Array), so activation and removal are O(1).
	Index [4]int
}

// New returns the two ends of a fresh pipe. hwmOut limits a's Out (= b's
// In); hwmIn limits a's In.
func New(hwmOut, hwmIn int) (a, b *Pipe) {
	out, in := NewQueue(hwmOut), NewQueue(hwmIn)
	a = &Pipe{In: in, Out: out}
	b = &Pipe{In: out, Out: in}
	a.peer, b.peer = b, a
	return a, b
}

// Peer returns the other end.
func (p *Pipe) Peer() *Pipe { return p.peer }

// SetWake installs this end's callbacks: onRead fires when In gained a
// message after this end found it empty (or the peer finished writing);
// onWrite fires when Out has room again after this end found it full (or
// the peer stopped reading).
func (p *Pipe) SetWake(onRead, onWrite func()) {
	p.In.SetReaderWake(onRead)
	p.Out.SetWriterWake(onWrite)
}

// Close ends this side: the peer may still read what was already written
// (Out is closed for writing, not discarded), but nothing more is read
// from In. Idempotent.
func (p *Pipe) Close() {
	if p.Farewell != nil {
		p.PushFarewell(p.Farewell)
		p.Farewell = nil
	}
	p.Out.CloseWrite()
	p.In.CloseRead()
}

// PeerGone reports whether the peer end closed (it reads no more).
func (p *Pipe) PeerGone() bool { return p.Out.ReaderGone() }

// Terminated reports that both directions are over for this end: the peer
// stopped reading and everything it wrote has been consumed.
func (p *Pipe) Terminated() bool { return p.Out.ReaderGone() && p.In.Finished() }

// PushFarewell queues body as a one-part message to the other end after
// the complete messages already queued, never inside one: a partly
// written message is rolled back first (libzmq's
// pipe_t::send_disconnect_msg).
func (p *Pipe) PushFarewell(body []byte) {
	p.Out.Rollback()
	p.Out.Push(&msg.Frame{Data: body})
}
