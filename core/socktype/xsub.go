package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() {
	register(SUB, "SUB", func() Protocol { return newXSub(true) })
	register(XSUB, "XSUB", func() Protocol { return newXSub(false) })
}

// xsub receives from publishers and sends subscriptions upstream (RFC 29;
// libzmq's xsub_t, and sub_t when filter is set). Subscriptions are
// counted, so a topic goes upstream once however often it is subscribed,
// and every new publisher is told all current subscriptions. SUB also
// filters what arrives, in case a publisher sends more than asked for.
type xsub struct {
	filter bool // SUB: drop what matches no subscription; no user sends
	fq     route.FairQueue
	dist   route.Distributor
	subs   route.Trie
	invert bool

	prefetched *msg.Frame // a matching first part found by HasIn
	moreIn     bool
	moreOut    bool
	processSub bool // later parts of the current message may subscribe
	onlyFirst  bool // ONLY_FIRST_SUBSCRIBE
}

func newXSub(filter bool) *xsub {
	return &xsub{filter: filter, fq: route.NewFairQueue(slotFQ), dist: route.NewDistributor(slotDist)}
}

func (s *xsub) Attach(p *pipe.Pipe) bool {
	s.fq.Attach(p)
	s.dist.Attach(p)
	s.subs.Each(func(prefix []byte, _ int) {
		f := msg.Frame{Data: append([]byte{1}, prefix...)}
		p.Out.Push(&f)
	})
	return true
}

func (s *xsub) Detach(p *pipe.Pipe)         { s.fq.Detach(p); s.dist.Detach(p) }
func (s *xsub) ReadActivated(p *pipe.Pipe)  { s.fq.Activated(p) }
func (s *xsub) WriteActivated(p *pipe.Pipe) { s.dist.Activated(p) }

// Send takes subscription messages (XSUB): 1+topic subscribes, 0+topic
// cancels. As in libzmq, every subscription goes upstream (XPUB filters
// duplicates, and XPUB_VERBOSE depends on seeing them) but a cancellation
// only when the topic's count drops to zero. Other messages go upstream to
// every publisher as they are. With ONLY_FIRST_SUBSCRIBE, only a message's
// first part can be a subscription.
func (s *xsub) Send(f *msg.Frame) error {
	if s.filter {
		return zerr.ErrNotSupported
	}
	return s.send(f)
}

func (s *xsub) send(f *msg.Frame) error {
	first := !s.moreOut
	s.moreOut = f.HasMore()
	if first {
		s.processSub = !s.onlyFirst
	} else if !s.processSub {
		return s.sendAll(f)
	}
	if len(f.Data) > 0 && f.Data[0] <= 1 {
		s.processSub = true
		if f.Data[0] == 1 {
			s.subs.Add(f.Data[1:])
		} else if !s.subs.Remove(f.Data[1:]) {
			f.Release()
			return nil
		}
	}
	return s.sendAll(f)
}

func (s *xsub) sendAll(f *msg.Frame) error {
	s.dist.MatchAll()
	return s.dist.Send(f)
}

// subscribe implements ZMQ_SUBSCRIBE/ZMQ_UNSUBSCRIBE on SUB (and XSUB).
func (s *xsub) subscribe(on bool, topic []byte) error {
	b := make([]byte, 1+len(topic))
	if on {
		b[0] = 1
	}
	copy(b[1:], topic)
	return s.send(&msg.Frame{Data: b})
}

func (s *xsub) Recv(f *msg.Frame) error {
	if s.prefetched != nil {
		*f = *s.prefetched
		s.prefetched = nil
		s.moreIn = f.HasMore()
		return nil
	}
	for {
		if err := s.fq.Recv(f); err != nil {
			return err
		}
		if s.moreIn || s.wanted(f.Data) {
			s.moreIn = f.HasMore()
			return nil
		}
		s.dropRest(f)
	}
}

// Wanted is wanted for the socket's receive cache (core.Socket.Wanted).
func (s *xsub) Wanted(data []byte) bool { return s.wanted(data) }

// wanted applies SUB's filter (XSUB passes everything).
func (s *xsub) wanted(data []byte) bool {
	return !s.filter || s.subs.Match(data) != s.invert
}

func (s *xsub) dropRest(f *msg.Frame) {
	for f.HasMore() {
		f.Release()
		if s.fq.Recv(f) != nil {
			return
		}
	}
	f.Release()
}

// HasIn looks for a wanted message, keeping its first part for Recv.
func (s *xsub) HasIn() bool {
	if s.moreIn || s.prefetched != nil {
		return true
	}
	for {
		var f msg.Frame
		if s.fq.Recv(&f) != nil {
			return false
		}
		if s.wanted(f.Data) {
			s.prefetched = &f
			return true
		}
		s.dropRest(&f)
	}
}

func (s *xsub) HasOut() bool { return !s.filter }

func (s *xsub) SetOption(opt int, val []byte) (bool, error) {
	switch opt {
	case optSubscribe, optUnsubscribe:
		if !s.filter { // libzmq: XSUB subscribes by messages only
			return true, zerr.ErrInvalid
		}
		return true, s.subscribe(opt == optSubscribe, val)
	case optInvertMatching, optOnlyFirstSubscribe:
		v, err := boolOpt(val)
		if opt == optInvertMatching {
			v, err = relaxedBoolOpt(val)
		}
		if err == nil {
			if opt == optInvertMatching {
				s.invert = v
			} else {
				s.onlyFirst = v
			}
		}
		return true, err
	}
	return false, nil
}

func (s *xsub) GetOption(opt int) (any, bool) {
	switch opt {
	case optInvertMatching:
		return b2i(s.invert), true
	case optTopicsCount:
		return s.subs.Prefixes(), true
	}
	return nil, false
}
