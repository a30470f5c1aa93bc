package route

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

// LoadBalancer sends each message to the next pipe with room, round-robin
// (libzmq's lb_t). PUSH, DEALER and REQ use it.
type LoadBalancer struct {
	pipes    Array
	current  int
	more     bool // in the middle of a multipart message
	dropping bool // dropping the rest of a message whose pipe died
}

// NewLoadBalancer returns a balancer that uses Index[slot] of its pipes.
func NewLoadBalancer(slot int) LoadBalancer { return LoadBalancer{pipes: NewArray(slot)} }

// Attach adds p as an active pipe.
func (lb *LoadBalancer) Attach(p *pipe.Pipe) {
	lb.pipes.Add(p)
	lb.pipes.Activate(p)
}

// Activated puts p back in rotation after its Out queue regained room.
func (lb *LoadBalancer) Activated(p *pipe.Pipe) { lb.pipes.Activate(p) }

// Detach removes p. If p was receiving a multipart message, the rest of
// that message is dropped.
// The cursor stays on the pipe it was on, so the other parts of a message
// go where its first part went even when another peer leaves meanwhile.
func (lb *LoadBalancer) Detach(p *pipe.Pipe) {
	cur := lb.pipes.ActiveAt(lb.current)
	if cur == p {
		if lb.more {
			lb.dropping = true
		}
		cur = nil
	}
	lb.pipes.Remove(p)
	lb.current = lb.pipes.Follow(cur, lb.current)
}

// Send queues f on the current pipe, taking ownership on success. It
// returns zerr.ErrAgain, leaving f with the caller, when no pipe has room
// for a new message.
func (lb *LoadBalancer) Send(f *msg.Frame) error {
	_, err := lb.SendPipe(f)
	return err
}

// SendPipe is Send that also reports which pipe took the frame (nil when
// it was dropped).
func (lb *LoadBalancer) SendPipe(f *msg.Frame) (*pipe.Pipe, error) {
	if lb.dropping {
		lb.more = f.HasMore()
		lb.dropping = lb.more
		f.Release()
		return nil, nil
	}
	for lb.pipes.Active > 0 {
		p := lb.pipes.Items[lb.current]
		more := f.HasMore()
		if p.Out.TryPush(f) {
			lb.more = more
			if !more {
				lb.current = (lb.current + 1) % lb.pipes.Active
			}
			return p, nil
		}
		if lb.more {
			// The pipe died under a multipart message: drop the rest.
			p.Out.Rollback()
			lb.more = f.HasMore()
			lb.dropping = lb.more
			lb.deactivate()
			f.Release()
			return nil, nil
		}
		lb.deactivate()
	}
	return nil, zerr.ErrAgain
}

// SendBatch sends a run of parts from fs, taking ownership of those it
// returns as sent (the rest stay with the caller). With a single active
// pipe it pushes them under one lock of that pipe (a run of messages to
// the only pipe changes nobody's turn); otherwise, or when that pipe
// takes none, it sends one part as SendPipe, which also handles a full or
// dead pipe.
func (lb *LoadBalancer) SendBatch(fs []msg.Frame) int {
	if len(fs) == 0 {
		return 0
	}
	if !lb.dropping && lb.pipes.Active == 1 {
		last := fs[len(fs)-1].HasMore()
		k := lb.pipes.Items[0].Out.PushBatch(fs)
		if k > 0 {
			if k == len(fs) {
				lb.more = last
			} else {
				// PushBatch stops only before a new message.
				lb.more = false
			}
			return k
		}
	}
	if _, err := lb.SendPipe(&fs[0]); err != nil {
		return 0
	}
	return 1
}

func (lb *LoadBalancer) deactivate() {
	lb.pipes.Deactivate(lb.current)
	if lb.current >= lb.pipes.Active {
		lb.current = 0
	}
}

// Room reports how many new messages the active pipes can take now.
func (lb *LoadBalancer) Room() int {
	n := 0
	for _, p := range lb.pipes.Items[:lb.pipes.Active] {
		n = min(n+p.Out.Room(), pipe.Unlimited)
	}
	return n
}

// HasOut reports whether a message could be sent now. Mid-message the
// answer is always yes, as in libzmq.
func (lb *LoadBalancer) HasOut() bool {
	if lb.more {
		return true
	}
	for lb.pipes.Active > 0 {
		if lb.pipes.Items[lb.current].Out.CheckWrite() {
			return true
		}
		lb.deactivate()
	}
	return false
}
