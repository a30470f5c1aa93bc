package socktype

import (
	"math"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(PAIR, "PAIR", func() Protocol { return &pair{} }) }

// pair talks to exactly one peer; a second one is refused (libzmq's
// pair_t terminates the extra pipe).
type pair struct {
	p        *pipe.Pipe
	canRead  bool
	canWrite bool
}

func (s *pair) Attach(p *pipe.Pipe) bool {
	if s.p != nil {
		return false
	}
	s.p, s.canRead, s.canWrite = p, true, true
	return true
}

func (s *pair) Detach(p *pipe.Pipe) {
	if s.p == p {
		s.p = nil
	}
}

func (s *pair) ReadActivated(p *pipe.Pipe)  {}
func (s *pair) WriteActivated(p *pipe.Pipe) {}

func (s *pair) Send(f *msg.Frame) error {
	if s.p == nil || !s.p.Out.CheckWrite() {
		return zerr.ErrAgain
	}
	s.p.Out.Push(f)
	return nil
}

func (s *pair) SendBatch(fs []msg.Frame) int {
	if s.p != nil {
		if k := s.p.Out.PushBatch(fs); k > 0 {
			return k
		}
	}
	if len(fs) == 0 || s.Send(&fs[0]) != nil {
		return 0
	}
	return 1
}

func (s *pair) Recv(f *msg.Frame) error {
	if s.p == nil || !s.p.In.Pop(f) {
		return zerr.ErrAgain
	}
	return nil
}

func (s *pair) RecvBatch(dst []msg.Frame) int {
	if s.p == nil || len(dst) == 0 {
		return 0
	}
	return s.p.In.PopBatch(dst, math.MaxInt)
}

func (s *pair) HasIn() bool  { return s.p != nil && s.p.In.CheckRead() }
func (s *pair) HasOut() bool { return s.p != nil && s.p.Out.CheckWrite() }

func (s *pair) Room() int {
	if s.p == nil {
		return 0
	}
	return s.p.Out.Room()
}
