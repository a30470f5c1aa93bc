package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(DGRAM, "DGRAM", func() Protocol { return &dgram{} }) }

// dgram sends and receives raw udp datagrams (libzmq's dgram_t): every
// message is two parts, the peer's "ip:port" address then the body. It
// has a single pipe, to the udp endpoint it is bound to; core turns the
// parts into datagrams and back.
type dgram struct {
	p       *pipe.Pipe
	moreOut bool // the address part has been sent; the body comes next
	moreIn  bool
}

func (s *dgram) Attach(p *pipe.Pipe) bool {
	if s.p != nil {
		return false
	}
	s.p = p
	return true
}

func (s *dgram) Detach(p *pipe.Pipe) {
	if s.p == p {
		s.p, s.moreOut, s.moreIn = nil, false, false
	}
}

func (s *dgram) ReadActivated(p *pipe.Pipe)  {}
func (s *dgram) WriteActivated(p *pipe.Pipe) {}

// Send takes the address (with MORE), then the body (without): any other
// shape is EINVAL, as in libzmq. Without an endpoint messages are dropped.
func (s *dgram) Send(f *msg.Frame) error {
	if f.HasMore() == s.moreOut {
		return zerr.ErrInvalid
	}
	if s.p == nil {
		f.Release()
		s.moreOut = !s.moreOut
		return nil
	}
	more := f.HasMore()
	if s.moreOut {
		s.p.Out.Push(f) // the body: never refused once the address went
	} else if !s.p.Out.TryPush(f) {
		return zerr.ErrAgain
	}
	s.moreOut = more
	return nil
}

func (s *dgram) Recv(f *msg.Frame) error {
	if s.p == nil || !s.p.In.Pop(f) {
		return zerr.ErrAgain
	}
	s.moreIn = f.HasMore()
	return nil
}

func (s *dgram) HasIn() bool  { return s.p != nil && s.p.In.CheckRead() }
func (s *dgram) HasOut() bool { return s.moreOut || s.p != nil && s.p.Out.CheckWrite() }
