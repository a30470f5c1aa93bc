package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() {
	register(PUB, "PUB", func() Protocol { return newXPub(false) })
	register(XPUB, "XPUB", func() Protocol { return newXPub(true) })
}

// xpub distributes messages to the peers subscribed to a prefix of them
// (RFC 29; libzmq's xpub_t, and pub_t when !userRecv). Filtering happens
// here, on the publisher, for every transport: a peer gets only what it
// subscribed to. Subscriptions arrive on each pipe as messages whose first
// byte is 1 (subscribe) or 0 (cancel); the engines turn ZMTP 3.1
// SUBSCRIBE/CANCEL commands into that form. XPUB hands new subscriptions
// (and, when verbose, repeated ones) to the application.
type xpub struct {
	userRecv bool // XPUB: subscriptions are readable; PUB: recv is ENOTSUP
	dist     route.Distributor
	subs     route.MTrie
	pending  []msg.Frame // subscription messages for the application
	from     []source    // where each pending message came from
	more     bool        // in the middle of sending a message

	moreRecv   bool // reading the later parts of an upstream message
	processSub bool // ...which may still be subscriptions
	onlyFirst  bool // ONLY_FIRST_SUBSCRIBE

	verbose, verboser, nodrop, manual, invert bool
	welcome                                   []byte
	lastPipe                                  *pipe.Pipe  // manual mode: whose subscription was read last
	sendLast                                  bool        // XPUB_MANUAL_LAST_VALUE
	manualSubs                                route.MTrie // manual mode: what each peer asked for
}

// source tells where a pending message came from: a subscription or
// cancellation (sub) from pipe p (nil once p is gone, or for a
// cancellation the socket made up when a peer left), or upstream data.
type source struct {
	p   *pipe.Pipe
	sub bool
}

func newXPub(userRecv bool) *xpub {
	return &xpub{userRecv: userRecv, dist: route.NewDistributor(slotDist)}
}

func (s *xpub) Attach(p *pipe.Pipe) bool {
	s.dist.Attach(p)
	if s.welcome != nil && p.Out.CheckWrite() {
		p.Out.Push(&msg.Frame{Data: append([]byte(nil), s.welcome...)})
	}
	s.readSubscriptions(p)
	return true
}

func (s *xpub) Detach(p *pipe.Pipe) {
	// The peer's subscriptions go with it; XPUB reports topics that no one
	// is subscribed to any more.
	if s.manual {
		// What the peer subscribed to is cancelled upstream, one
		// cancellation per subscription (libzmq's manual_subscriptions).
		s.manualSubs.RemovePipeAll(p, func(prefix []byte) { s.queue(false, prefix) })
		s.subs.RemovePipe(p, nil)
	} else {
		s.subs.RemovePipe(p, func(prefix []byte) {
			if s.userRecv {
				s.queue(false, prefix)
			}
		})
	}
	if s.lastPipe == p {
		s.lastPipe = nil
	}
	for i := range s.from {
		if s.from[i].p == p {
			s.from[i].p = nil
		}
	}
	s.dist.Detach(p)
}

func (s *xpub) ReadActivated(p *pipe.Pipe)  { s.readSubscriptions(p) }
func (s *xpub) WriteActivated(p *pipe.Pipe) { s.dist.Activated(p) }

// readSubscriptions applies every message waiting on p. As in libzmq,
// any part starting with 1 or 0 is a subscription or cancellation (with
// ONLY_FIRST_SUBSCRIBE, only a first part, and the parts after it if it
// was one); other parts are upstream data, handed to the application.
func (s *xpub) readSubscriptions(p *pipe.Pipe) {
	var f msg.Frame
	for p.In.Pop(&f) {
		first := !s.moreRecv
		s.moreRecv = f.HasMore()
		isSub := (first || s.processSub) && len(f.Data) > 0 && f.Data[0] <= 1
		if first {
			s.processSub = !s.onlyFirst || isSub
		}
		if s.apply(p, &f, isSub) {
			s.pending = append(s.pending, f)
			s.from = append(s.from, source{p: p, sub: isSub})
			continue
		}
		f.Release()
	}
}

// apply handles one part; it reports whether the application sees it.
func (s *xpub) apply(p *pipe.Pipe, f *msg.Frame, isSub bool) bool {
	switch {
	case !isSub:
		return s.userRecv // upstream data (from XSUB)
	case s.manual:
		if f.Data[0] == 1 {
			s.manualSubs.Add(f.Data[1:], p)
		} else {
			s.manualSubs.Remove(f.Data[1:], p)
		}
		return true
	case f.Data[0] == 1:
		first := s.subs.Add(f.Data[1:], p)
		return s.userRecv && (first || s.verbose || s.verboser)
	default:
		last := s.subs.Remove(f.Data[1:], p)
		return s.userRecv && (last || s.verboser)
	}
}

func (s *xpub) queue(subscribe bool, topic []byte) {
	b := make([]byte, 1+len(topic))
	if subscribe {
		b[0] = 1
	}
	copy(b[1:], topic)
	s.pending = append(s.pending, msg.Frame{Data: b})
	s.from = append(s.from, source{sub: true})
}

func (s *xpub) Send(f *msg.Frame) error {
	if !s.more {
		if s.invert {
			s.dist.MatchAll()
			s.subs.Match(f.Data, s.dist.Unmatch1)
		} else if s.manual && s.sendLast && s.lastPipe != nil {
			// XPUB_MANUAL_LAST_VALUE: the first message after a manual
			// subscription goes only to the peer that asked for it.
			s.subs.Match(f.Data, s.matchLast)
			s.lastPipe = nil
		} else {
			s.subs.Match(f.Data, s.dist.Match)
		}
		if s.nodrop && !s.dist.AllHaveRoom() {
			s.dist.Unmatch()
			return zerr.ErrAgain
		}
	}
	s.more = f.HasMore()
	return s.dist.Send(f)
}

func (s *xpub) Recv(f *msg.Frame) error {
	if !s.userRecv {
		return zerr.ErrNotSupported
	}
	if len(s.pending) == 0 {
		return zerr.ErrAgain
	}
	*f = s.pending[0]
	s.pending[0] = msg.Frame{}
	s.pending = s.pending[1:]
	src := s.from[0]
	s.from = s.from[1:]
	if s.manual && src.sub {
		// Manual subscriptions apply to the peer whose request the
		// application read last (libzmq sets last_pipe on recv).
		s.lastPipe = src.p
	}
	return nil
}

func (s *xpub) matchLast(p *pipe.Pipe) {
	if p == s.lastPipe {
		s.dist.Match(p)
	}
}

func (s *xpub) HasIn() bool  { return s.userRecv && len(s.pending) > 0 }
func (s *xpub) HasOut() bool { return !s.nodrop || s.dist.AllHaveRoom() }

// Room: a publisher that drops for slow subscribers never has to wait.
// With XPUB_NODROP it may, and reports no room, so every send checks.
func (s *xpub) Room() int {
	if s.nodrop {
		return 0
	}
	return s.dist.Room()
}

func (s *xpub) SetOption(opt int, val []byte) (bool, error) {
	var dst *bool
	switch opt {
	case optInvertMatching:
		dst = &s.invert
	case optXPubVerbose, optXPubVerboser, optXPubNoDrop, optXPubManual, optOnlyFirstSubscribe:
		if !s.userRecv {
			return false, nil
		}
		dst = map[int]*bool{optXPubVerbose: &s.verbose, optXPubVerboser: &s.verboser,
			optXPubNoDrop: &s.nodrop, optXPubManual: &s.manual, optOnlyFirstSubscribe: &s.onlyFirst}[opt]
	case optXPubManualLastVal:
		if !s.userRecv {
			return false, nil
		}
		// libzmq takes any non-negative int; non-zero turns it on, and
		// it sets manual mode too.
		v, err := intOpt(val)
		if err != nil || v < 0 {
			return true, zerr.ErrInvalid
		}
		s.manual, s.sendLast = v != 0, v != 0
		return true, nil
	case optXPubWelcomeMsg:
		if !s.userRecv {
			return false, nil
		}
		s.welcome = nil
		if len(val) > 0 {
			s.welcome = append([]byte(nil), val...)
		}
		return true, nil
	case optSubscribe, optUnsubscribe:
		if !s.userRecv || !s.manual {
			return false, nil
		}
		if s.lastPipe != nil {
			if opt == optSubscribe {
				s.subs.Add(val, s.lastPipe)
			} else {
				s.subs.Remove(val, s.lastPipe)
			}
		}
		return true, nil
	default:
		return false, nil
	}
	v, err := boolOpt(val)
	if opt == optInvertMatching {
		v, err = relaxedBoolOpt(val)
	}
	if err == nil {
		*dst = v
	}
	return true, err
}

func (s *xpub) GetOption(opt int) (any, bool) {
	switch opt {
	case optInvertMatching:
		return b2i(s.invert), true
	case optTopicsCount:
		return s.subs.Prefixes(), true
	}
	return nil, false
}
