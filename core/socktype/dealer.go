package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
)

func init() { register(DEALER, "DEALER", func() Protocol { return newDealer() }) }

// dealer load-balances what it sends and fair-queues what it receives
// (libzmq's dealer_t). REQ builds on it.
type dealer struct {
	lb    route.LoadBalancer
	fq    route.FairQueue
	probe bool // PROBE_ROUTER: greet each new peer with an empty message
}

func newDealer() *dealer {
	return &dealer{lb: route.NewLoadBalancer(slotLB), fq: route.NewFairQueue(slotFQ)}
}

func (s *dealer) Attach(p *pipe.Pipe) bool {
	if s.probe {
		sendProbe(p)
	}
	s.lb.Attach(p)
	s.fq.Attach(p)
	return true
}

// sendProbe queues an empty message for a new peer (PROBE_ROUTER), so a
// ROUTER on the other side learns our routing id at once.
func sendProbe(p *pipe.Pipe) {
	if p.Out.CheckWrite() {
		p.Out.Push(&msg.Frame{})
	}
}

func (s *dealer) Detach(p *pipe.Pipe)           { s.lb.Detach(p); s.fq.Detach(p) }
func (s *dealer) ReadActivated(p *pipe.Pipe)    { s.fq.Activated(p) }
func (s *dealer) WriteActivated(p *pipe.Pipe)   { s.lb.Activated(p) }
func (s *dealer) Send(f *msg.Frame) error       { return s.lb.Send(f) }
func (s *dealer) SendBatch(fs []msg.Frame) int  { return s.lb.SendBatch(fs) }
func (s *dealer) Recv(f *msg.Frame) error       { return s.fq.Recv(f) }
func (s *dealer) RecvBatch(dst []msg.Frame) int { return s.fq.RecvBatch(dst) }
func (s *dealer) HasIn() bool                   { return s.fq.HasIn() }
func (s *dealer) HasOut() bool                  { return s.lb.HasOut() }
func (s *dealer) Room() int                     { return s.lb.Room() }

func (s *dealer) SetOption(opt int, val []byte) (bool, error) {
	if opt != optProbeRouter {
		return false, nil
	}
	v, err := boolOpt(val)
	if err == nil {
		s.probe = v
	}
	return true, err
}

func (s *dealer) GetOption(opt int) (any, bool) { return nil, false }
