package socktype

import (
	"encoding/binary"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(ROUTER, "ROUTER", func() Protocol { return newRouter() }) }

// router addresses peers by routing id (libzmq's router_t). Each received
// message is prefixed with a frame holding its peer's id; each sent
// message starts with the id of the peer it goes to.
type router struct {
	fq     route.FairQueue
	ids    map[string]*pipe.Pipe
	nextID uint32 // for peers that did not name themselves

	prefetched *msg.Frame // first part of a message whose id was returned
	moreIn     bool       // in the middle of receiving a message
	moreOut    bool       // in the middle of sending a message
	out        *pipe.Pipe // where the current outgoing message goes (nil: drop)

	notify  int         // ROUTER_NOTIFY bits: notifyConnect, notifyDisconnect
	pending []msg.Frame // [id][empty] notifications, delivered between messages

	mandatory bool // ROUTER_MANDATORY: unroutable -> EHOSTUNREACH
	handover  bool // ROUTER_HANDOVER: a new peer takes over a used id
	probe     bool // PROBE_ROUTER
}

func newRouter() *router {
	return &router{fq: route.NewFairQueue(slotFQ), ids: map[string]*pipe.Pipe{}, nextID: 0x006B8B45}
}

// Attach names the peer: its own routing id if it sent one, else a fresh
// 5-byte id starting with a zero byte (libzmq's scheme). A peer claiming
// an id already in use is refused, or takes it over with
// ROUTER_HANDOVER.
func (s *router) Attach(p *pipe.Pipe) bool {
	id := p.RoutingID
	if len(id) == 0 {
		id = s.generate()
	} else if old := s.ids[string(id)]; old != nil {
		if !s.handover {
			return false
		}
		s.forget(old)
		old.Close()
	}
	p.RoutingID = append([]byte(nil), id...)
	s.ids[string(id)] = p
	if s.probe {
		sendProbe(p)
	}
	if s.notify&notifyConnect != 0 {
		s.announce(p)
	}
	s.fq.Attach(p)
	return true
}

// ROUTER_NOTIFY bits (zmq.h ZMQ_NOTIFY_*).
const (
	notifyConnect    = 1
	notifyDisconnect = 2
)

// announce queues [id][empty] for the application: a peer came or went.
func (s *router) announce(p *pipe.Pipe) {
	s.pending = append(s.pending,
		msg.Frame{Data: append([]byte(nil), p.RoutingID...), Flags: msg.More}, msg.Frame{})
}

func (s *router) generate() []byte {
	for {
		id := make([]byte, 5)
		binary.BigEndian.PutUint32(id[1:], s.nextID)
		s.nextID++
		if s.ids[string(id)] == nil {
			return id
		}
	}
}

func (s *router) forget(p *pipe.Pipe) {
	if s.ids[string(p.RoutingID)] == p {
		delete(s.ids, string(p.RoutingID))
	}
	if s.out == p {
		s.out = nil
	}
	s.fq.Detach(p)
}

func (s *router) Detach(p *pipe.Pipe) {
	if s.notify&notifyDisconnect != 0 && s.ids[string(p.RoutingID)] == p {
		s.announce(p)
	}
	s.forget(p)
}
func (s *router) ReadActivated(p *pipe.Pipe)  { s.fq.Activated(p) }
func (s *router) WriteActivated(p *pipe.Pipe) {}

// Send routes by the first part; later parts follow it.
func (s *router) Send(f *msg.Frame) error {
	if !s.moreOut {
		if !f.HasMore() {
			f.Release() // a lone id frame: nothing to route
			return nil
		}
		p := s.ids[string(f.Data)]
		if p == nil || p.PeerGone() {
			if s.mandatory {
				return zerr.ErrHostUnreach
			}
		} else if !p.Out.CheckWrite() {
			if s.mandatory {
				return zerr.ErrAgain
			}
			p = nil // full: this message is dropped
		}
		s.out, s.moreOut = p, true
		f.Release()
		return nil
	}
	s.moreOut = f.HasMore()
	if s.out == nil {
		f.Release()
		return nil
	}
	if !s.out.Out.Push(f) {
		s.out = nil
	}
	if !s.moreOut {
		s.out = nil
	}
	return nil
}

// Recv returns the peer's id, then the parts of its message.
// Notifications come between messages.
func (s *router) Recv(f *msg.Frame) error {
	if !s.moreIn && len(s.pending) > 0 {
		*f = s.pending[0]
		s.pending[0] = msg.Frame{}
		s.pending = s.pending[1:]
		return nil
	}
	if s.prefetched != nil {
		*f = *s.prefetched
		s.prefetched = nil
		s.moreIn = f.HasMore()
		return nil
	}
	var part msg.Frame
	p, err := s.fq.RecvPipe(&part)
	if err != nil {
		return err
	}
	if s.moreIn {
		*f = part
		s.moreIn = part.HasMore()
		return nil
	}
	s.prefetched = &part
	// The id part carries the connection's metadata, as libzmq's does
	// (zmq_msg_gets on it answers for the peer).
	*f = msg.Frame{Data: append([]byte(nil), p.RoutingID...), Flags: msg.More, Meta: part.Meta}
	s.moreIn = true
	return nil
}

func (s *router) HasIn() bool {
	return len(s.pending) > 0 || s.prefetched != nil || s.fq.HasIn()
}
func (s *router) HasOut() bool { return true }

func (s *router) SetOption(opt int, val []byte) (bool, error) {
	var dst *bool
	switch opt {
	case optRouterMandatory:
		dst = &s.mandatory
	case optRouterHandover:
		dst = &s.handover
	case optProbeRouter:
		dst = &s.probe
	case optRouterNotify:
		v, err := intOpt(val)
		if err != nil || v < 0 || v > notifyConnect|notifyDisconnect {
			return true, zerr.ErrInvalid
		}
		s.notify = v
		return true, nil
	default:
		return false, nil
	}
	v, err := boolOpt(val)
	if err == nil {
		*dst = v
	}
	return true, err
}

func (s *router) GetOption(opt int) (any, bool) {
	switch opt {
	case optRouterMandatory:
		return b2i(s.mandatory), true
	case optRouterHandover:
		return b2i(s.handover), true
	case optRouterNotify:
		return s.notify, true
	}
	return nil, false
}
