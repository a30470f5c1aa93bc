package route

import (
	"math"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

// FairQueue receives whole messages from its pipes in turn (libzmq's
// fq_t). PULL, DEALER, ROUTER and SUB use it.
type FairQueue struct {
	pipes   Array
	current int
	more    bool // the last part returned had More: stay on this pipe
}

// NewFairQueue returns a fair queue that uses Index[slot] of its pipes.
func NewFairQueue(slot int) FairQueue { return FairQueue{pipes: NewArray(slot)} }

// Attach adds p as active.
func (fq *FairQueue) Attach(p *pipe.Pipe) {
	fq.pipes.Add(p)
	fq.pipes.Activate(p)
}

// Activated puts p back in rotation after its In queue gained a message.
func (fq *FairQueue) Activated(p *pipe.Pipe) { fq.pipes.Activate(p) }

// Detach removes p. The cursor stays on the pipe it was on: in the
// middle of a message it must, or the next part would come from another
// peer (a REP answered one request with another's parts when a third
// peer left at that moment).
func (fq *FairQueue) Detach(p *pipe.Pipe) {
	cur := fq.pipes.ActiveAt(fq.current)
	if cur == p {
		fq.more = false
		cur = nil
	}
	fq.pipes.Remove(p)
	fq.current = fq.pipes.Follow(cur, fq.current)
}

// Recv moves the next part into f, or returns zerr.ErrAgain.
func (fq *FairQueue) Recv(f *msg.Frame) error {
	_, err := fq.RecvPipe(f)
	return err
}

// RecvPipe is Recv that also reports the pipe the part came from.
func (fq *FairQueue) RecvPipe(f *msg.Frame) (*pipe.Pipe, error) {
	for fq.pipes.Active > 0 {
		p := fq.pipes.Items[fq.current]
		if p.In.Pop(f) {
			fq.more = f.HasMore()
			if !fq.more {
				fq.current = (fq.current + 1) % fq.pipes.Active
			}
			return p, nil
		}
		// Whole messages become visible at once, so a pipe only runs dry
		// between messages; it is woken when the next one arrives.
		fq.more = false
		fq.pipes.Deactivate(fq.current)
		if fq.current >= fq.pipes.Active {
			fq.current = 0
		}
	}
	return nil, zerr.ErrAgain
}

// RecvBatch moves up to len(dst) parts into dst and returns how many. With
// a single active pipe it takes them under one lock of that pipe (taking
// a run of messages from the only pipe changes nobody's turn); with
// several it takes one part, as Recv, so turns stay one message each.
func (fq *FairQueue) RecvBatch(dst []msg.Frame) int {
	if len(dst) == 0 {
		return 0
	}
	if fq.pipes.Active != 1 {
		if _, err := fq.RecvPipe(&dst[0]); err != nil {
			return 0
		}
		return 1
	}
	k := fq.pipes.Items[0].In.PopBatch(dst, math.MaxInt)
	if k == 0 {
		// As RecvPipe: an empty pipe sleeps until its next message.
		fq.more = false
		fq.pipes.Deactivate(0)
		fq.current = 0
		return 0
	}
	fq.more = dst[k-1].HasMore()
	return k
}

// HasIn reports whether a part can be received now.
func (fq *FairQueue) HasIn() bool {
	if fq.more {
		return true
	}
	for fq.pipes.Active > 0 {
		if fq.pipes.Items[fq.current].In.CheckRead() {
			return true
		}
		fq.pipes.Deactivate(fq.current)
		if fq.current >= fq.pipes.Active {
			fq.current = 0
		}
	}
	return false
}
