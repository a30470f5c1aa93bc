package socktype

import (
	"math/rand/v2"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() {
	register(SERVER, "SERVER", func() Protocol { return newServer() })
	register(PEER, "PEER", func() Protocol { return newServer() })
}

// server names each peer with a 32-bit routing id of its own choosing and
// addresses messages by it (RFC 41 SERVER, RFC 51 PEER; libzmq's server_t
// and peer_t). A received message carries its peer's id in
// Frame.RoutingID; a message to send must carry one. Peers' own identity
// properties are ignored.
type server struct {
	fq   route.FairQueue
	ids  map[uint32]*pipe.Pipe
	next uint32
	last uint32 // id of the pipe attached last (zmq_connect_peer)
}

func newServer() *server {
	// A random start, as libzmq does, makes an id from an earlier socket
	// unlikely to reach the wrong peer of a new one.
	return &server{fq: route.NewFairQueue(slotFQ), ids: map[uint32]*pipe.Pipe{}, next: rand.Uint32()}
}

func (s *server) Attach(p *pipe.Pipe) bool {
	for s.next == 0 || s.ids[s.next] != nil {
		s.next++
	}
	id := s.next
	s.next++
	p.Slot = id
	s.ids[id] = p
	s.last = id
	s.fq.Attach(p)
	return true
}

func (s *server) Detach(p *pipe.Pipe) {
	if id, ok := p.Slot.(uint32); ok && s.ids[id] == p {
		delete(s.ids, id)
	}
	s.fq.Detach(p)
}

func (s *server) ReadActivated(p *pipe.Pipe)  { s.fq.Activated(p) }
func (s *server) WriteActivated(p *pipe.Pipe) {}

// Send routes f by its routing id: EHOSTUNREACH when no peer has it,
// EAGAIN when that peer's pipe is full.
func (s *server) Send(f *msg.Frame) error {
	if f.HasMore() {
		return zerr.ErrInvalid
	}
	p := s.ids[f.RoutingID]
	if p == nil || p.PeerGone() {
		return zerr.ErrHostUnreach
	}
	id := f.RoutingID
	f.RoutingID = 0
	if !p.Out.TryPush(f) {
		f.RoutingID = id // the caller keeps f, to try again
		return zerr.ErrAgain
	}
	return nil
}

func (s *server) Recv(f *msg.Frame) error {
	p, err := recvSingle(&s.fq, f)
	if err != nil {
		return err
	}
	f.RoutingID, _ = p.Slot.(uint32)
	return nil
}

func (s *server) HasIn() bool  { return s.fq.HasIn() }
func (s *server) HasOut() bool { return true }

func (s *server) LastRoutingID() uint32 { return s.last }
