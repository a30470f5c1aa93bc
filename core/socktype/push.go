package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() {
	register(PUSH, "PUSH", func() Protocol { return &push{lb: route.NewLoadBalancer(slotLB)} })
	register(PULL, "PULL", func() Protocol { return &pull{fq: route.NewFairQueue(slotFQ)} })
}

// push load-balances messages over its peers and never receives.
type push struct{ lb route.LoadBalancer }

func (s *push) Attach(p *pipe.Pipe) bool     { s.lb.Attach(p); return true }
func (s *push) Detach(p *pipe.Pipe)          { s.lb.Detach(p) }
func (s *push) ReadActivated(p *pipe.Pipe)   {}
func (s *push) WriteActivated(p *pipe.Pipe)  { s.lb.Activated(p) }
func (s *push) Send(f *msg.Frame) error      { return s.lb.Send(f) }
func (s *push) SendBatch(fs []msg.Frame) int { return s.lb.SendBatch(fs) }
func (s *push) Recv(f *msg.Frame) error      { return zerr.ErrNotSupported }
func (s *push) HasIn() bool                  { return false }
func (s *push) HasOut() bool                 { return s.lb.HasOut() }
func (s *push) Room() int                    { return s.lb.Room() }

// pull fair-queues messages from its peers and never sends.
type pull struct{ fq route.FairQueue }

func (s *pull) Attach(p *pipe.Pipe) bool      { s.fq.Attach(p); return true }
func (s *pull) Detach(p *pipe.Pipe)           { s.fq.Detach(p) }
func (s *pull) ReadActivated(p *pipe.Pipe)    { s.fq.Activated(p) }
func (s *pull) WriteActivated(p *pipe.Pipe)   {}
func (s *pull) Send(f *msg.Frame) error       { return zerr.ErrNotSupported }
func (s *pull) Recv(f *msg.Frame) error       { return s.fq.Recv(f) }
func (s *pull) RecvBatch(dst []msg.Frame) int { return s.fq.RecvBatch(dst) }
func (s *pull) HasIn() bool                   { return s.fq.HasIn() }
func (s *pull) HasOut() bool                  { return false }
