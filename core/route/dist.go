package route

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
)

// Distributor sends each message to a chosen set of pipes (libzmq's
// dist_t). PUB and XPUB use it: before the first part of a message the
// caller marks the matching pipes, and every part of that message then
// goes to exactly that set. A pipe without room misses the message (PUB
// drops for slow subscribers) unless the caller asked to wait.
type Distributor struct {
	pipes    Array // [0, matching) get the current message; [.., Active) may
	matching int
	more     bool
}

// Room reports Unlimited (a distributor drops for pipes without room),
// or 0 if a pipe conflates (see pipe.Queue.Room).
func (d *Distributor) Room() int {
	for _, p := range d.pipes.Items {
		if p.Out.Conflating() {
			return 0
		}
	}
	return pipe.Unlimited
}

// NewDistributor returns a distributor using Index[slot] of its pipes.
func NewDistributor(slot int) Distributor { return Distributor{pipes: NewArray(slot)} }

// Attach adds p. A pipe attached in the middle of a multipart message does
// not get the rest of it.
func (d *Distributor) Attach(p *pipe.Pipe) {
	d.pipes.Add(p)
	d.pipes.Activate(p)
}

// Activated puts p back in the active set after it regained room.
func (d *Distributor) Activated(p *pipe.Pipe) {
	if !d.more { // joins at the next message boundary
		d.pipes.Activate(p)
	}
}

// Detach removes p.
func (d *Distributor) Detach(p *pipe.Pipe) {
	if d.pipes.Has(p) && p.Index[d.pipes.slot] < d.matching {
		d.matching--
		d.pipes.swap(p.Index[d.pipes.slot], d.matching)
	}
	d.pipes.Remove(p)
}

// Match marks p to receive the next message (call before its first part).
func (d *Distributor) Match(p *pipe.Pipe) {
	i := p.Index[d.pipes.slot]
	if !d.pipes.Has(p) || i < d.matching || i >= d.pipes.Active {
		return
	}
	d.pipes.swap(i, d.matching)
	d.matching++
}

// MatchAll marks every active pipe.
func (d *Distributor) MatchAll() { d.matching = d.pipes.Active }

// Unmatch clears the marks.
func (d *Distributor) Unmatch() { d.matching = 0 }

// HasOut is always true: a distributor never blocks (PUB drops).
func (d *Distributor) HasOut() bool { return true }

// AllHaveRoom reports whether every matching pipe can take a new message
// (XPUB_NODROP checks this before sending).
func (d *Distributor) AllHaveRoom() bool {
	for i := 0; i < d.matching; i++ {
		if !d.pipes.Items[i].Out.CheckWrite() {
			return false
		}
	}
	return true
}

// Send delivers f to every matching pipe, taking ownership of f. Pipes
// that are full miss the message and leave the active set until they have
// room again. After the last part, the marks are cleared.
func (d *Distributor) Send(f *msg.Frame) error {
	more := f.HasMore()
	if d.matching == 0 {
		f.Release()
		d.more = more
		return nil
	}
	// Each matching pipe gets its own reference; the last uses f itself.
	for i := 0; i < d.matching; {
		p := d.pipes.Items[i]
		var c msg.Frame
		if i == d.matching-1 {
			c = *f
			*f = msg.Frame{}
		} else {
			c = f.Clone()
		}
		if d.more {
			p.Out.Push(&c) // the rest of a message is never refused
		} else if !p.Out.TryPush(&c) {
			c.Release()
			d.dropPipe(i)
			continue
		}
		i++
	}
	f.Release()
	d.more = more
	if !more {
		d.matching = 0
	}
	return nil
}

// dropPipe takes the pipe at i out of the matching and active sets.
func (d *Distributor) dropPipe(i int) {
	d.matching--
	d.pipes.swap(i, d.matching)
	d.pipes.Deactivate(d.matching)
}

// Unmatch1 removes p from the matching set (INVERT_MATCHING marks all
// pipes, then unmarks the subscribed ones).
func (d *Distributor) Unmatch1(p *pipe.Pipe) {
	i := p.Index[d.pipes.slot]
	if !d.pipes.Has(p) || i >= d.matching {
		return
	}
	d.matching--
	d.pipes.swap(i, d.matching)
}
