package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() {
	register(CLIENT, "CLIENT", func() Protocol { return newSingle(true, true) })
	register(SCATTER, "SCATTER", func() Protocol { return newSingle(true, false) })
	register(GATHER, "GATHER", func() Protocol { return newSingle(false, true) })
}

// single is CLIENT (RFC 41: load-balances out, fair-queues in), SCATTER
// (RFC 49: out only) and GATHER (in only) — DEALER, PUSH and PULL
// restricted to single-part messages (libzmq's client_t, scatter_t,
// gather_t).
type single struct {
	lb         route.LoadBalancer
	fq         route.FairQueue
	canSend    bool
	canReceive bool
}

func newSingle(canSend, canReceive bool) *single {
	return &single{lb: route.NewLoadBalancer(slotLB), fq: route.NewFairQueue(slotFQ),
		canSend: canSend, canReceive: canReceive}
}

func (s *single) Attach(p *pipe.Pipe) bool {
	if s.canSend {
		s.lb.Attach(p)
	}
	if s.canReceive {
		s.fq.Attach(p)
	}
	return true
}

func (s *single) Detach(p *pipe.Pipe) {
	if s.canSend {
		s.lb.Detach(p)
	}
	if s.canReceive {
		s.fq.Detach(p)
	}
}

func (s *single) ReadActivated(p *pipe.Pipe) {
	if s.canReceive {
		s.fq.Activated(p)
	}
}

func (s *single) WriteActivated(p *pipe.Pipe) {
	if s.canSend {
		s.lb.Activated(p)
	}
}

func (s *single) Send(f *msg.Frame) error {
	switch {
	case !s.canSend:
		return zerr.ErrNotSupported
	case f.HasMore():
		return zerr.ErrInvalid
	}
	f.RoutingID = 0
	return s.lb.Send(f)
}

func (s *single) Recv(f *msg.Frame) error {
	if !s.canReceive {
		return zerr.ErrNotSupported
	}
	_, err := recvSingle(&s.fq, f)
	return err
}

func (s *single) HasIn() bool  { return s.canReceive && s.fq.HasIn() }
func (s *single) HasOut() bool { return s.canSend && s.lb.HasOut() }
