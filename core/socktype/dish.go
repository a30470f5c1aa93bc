package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(DISH, "DISH", func() Protocol { return newDish() }) }

// dish receives the messages of the groups it joined (RFC 48; libzmq's
// dish_t). Each join or leave goes to every peer as a JOIN or LEAVE
// command frame, and a new peer is told every group joined so far.
// Messages arrive as a group frame (MORE) and a body; anything else from a
// peer is malformed and dropped, and so are messages of groups not joined
// (a peer may have sent them before it saw our LEAVE).
type dish struct {
	fq     route.FairQueue
	pipes  map[*pipe.Pipe]struct{}
	groups map[string]struct{}

	prefetched *msg.Frame // a message found by HasIn
	prefGroup  string
}

func newDish() *dish {
	return &dish{fq: route.NewFairQueue(slotFQ), pipes: map[*pipe.Pipe]struct{}{}, groups: map[string]struct{}{}}
}

func (s *dish) Attach(p *pipe.Pipe) bool {
	s.pipes[p] = struct{}{}
	s.fq.Attach(p)
	for g := range s.groups {
		sendCommand(p, cmdJoin, g)
	}
	return true
}

// sendCommand queues a JOIN or LEAVE. Commands bypass the HWM: they are
// few, and losing one would leave the peer's view of our groups wrong.
func sendCommand(p *pipe.Pipe, name, group string) {
	if p.Datagram {
		return // a udp sender sends every group; the dish filters
	}
	f := msg.Frame{Data: []byte(name + group), Flags: msg.Command}
	p.Out.Push(&f)
}

func (s *dish) Detach(p *pipe.Pipe) {
	delete(s.pipes, p)
	s.fq.Detach(p)
}

func (s *dish) ReadActivated(p *pipe.Pipe)  { s.fq.Activated(p) }
func (s *dish) WriteActivated(p *pipe.Pipe) {}

func (s *dish) Join(group string) error {
	if len(group) > MaxGroup {
		return zerr.ErrInvalid
	}
	if _, dup := s.groups[group]; dup {
		return zerr.ErrInvalid
	}
	s.groups[group] = struct{}{}
	for p := range s.pipes {
		sendCommand(p, cmdJoin, group)
	}
	return nil
}

func (s *dish) Leave(group string) error {
	if _, ok := s.groups[group]; !ok || len(group) > MaxGroup {
		return zerr.ErrInvalid
	}
	delete(s.groups, group)
	for p := range s.pipes {
		sendCommand(p, cmdLeave, group)
	}
	if s.prefetched != nil && s.prefGroup == group {
		s.prefetched.Release()
		s.prefetched = nil
	}
	return nil
}

func (s *dish) Send(f *msg.Frame) error { return zerr.ErrNotSupported }

func (s *dish) Recv(f *msg.Frame) error {
	_, err := s.RecvGroup(f)
	return err
}

func (s *dish) RecvGroup(f *msg.Frame) (string, error) {
	if s.prefetched != nil {
		*f, s.prefetched = *s.prefetched, nil
		return s.prefGroup, nil
	}
	for {
		var g msg.Frame
		if err := s.fq.Recv(&g); err != nil {
			return "", err
		}
		if !g.HasMore() {
			g.Release() // a lone frame: no group, malformed
			continue
		}
		group := string(g.Data)
		g.Release()
		if err := s.fq.Recv(f); err != nil {
			return "", err // whole messages are visible at once: cannot happen
		}
		if f.HasMore() {
			dropRest(&s.fq, f) // more than group and body: malformed
			continue
		}
		if _, ok := s.groups[group]; !ok || len(group) > MaxGroup {
			f.Release()
			continue
		}
		return group, nil
	}
}

func (s *dish) HasIn() bool {
	if s.prefetched != nil {
		return true
	}
	var f msg.Frame
	g, err := s.RecvGroup(&f)
	if err != nil {
		return false
	}
	s.prefetched, s.prefGroup = &f, g
	return true
}

func (s *dish) HasOut() bool { return true }
