package core

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// Send and receive flags, as in zmq.h.
const (
	DontWait = 1
	SndMore  = 2
)

// Event bits reported by Events (ZMQ_EVENTS), as in zmq.h.
const (
	PollIn  = 1
	PollOut = 2
)

// Socket is a ZeroMQ socket (libzmq's socket_base_t). All methods may be
// called from any goroutine; calls are serialised by mu, which is never
// held while a call waits. A blocking call waits in poll(2) on the
// mailbox's eventfd, on the calling thread.
type Socket struct {
	ctx   *Context
	typ   int
	proto socktype.Protocol
	mbox  mailbox

	mu      sync.Mutex
	opts    Options
	pipes   map[*pipe.Pipe]string // attached pipes → endpoint they belong to
	binds   []*binding            // tcp/ipc listeners and inproc names
	conns   []*session            // tcp/ipc connecters
	rcvMore bool
	lastEP  string

	// txf and rxf hold the frame of the call in progress, so that the
	// frame handed to the socket type (an interface call, through which
	// a pointer always escapes) lives here and not on the heap once per
	// message. Guarded by mu.
	txf, rxf msg.Frame
	// held are parts Prefetch took but could not hand over (in order);
	// the next receives return them first. rxBatch is where Prefetch
	// takes a batch into. Guarded by mu.
	held    []msg.Frame
	rxBatch [32]msg.Frame
	// copyOut: the application copies every part out as it takes it
	// (SetCopyOut); engines read for it (engine.Config.CopyOut).
	copyOut atomic.Bool
	// txBatch holds a run of parts SendQueued sends at once. Guarded by mu.
	txBatch [32]msg.Frame
	// txMore: the last part sent had MORE (the next one continues its
	// message). Guarded by mu.
	txMore bool
	// inprocPipes counts attached inproc pipes: over inproc, libzmq
	// delivers a message into the peer's pipe before zmq_send returns,
	// and programs rely on it (send, then receive on the same thread), so
	// sockets with one get no send credit (see roomLocked).
	inprocPipes int
	// peerFlush (capi's send cache) sends what the socket queued outside
	// its pipes; set once, before the socket is used. See attachPipe.
	peerFlush func()
	slab      msg.Slab // bodies of small copied sends; guarded by mu
	// txExt: the shared block copied sends of 41 B..msg.CarveMax are cut
	// from (see ownBody); guarded by mu, given back by Close.
	txExt  msg.ExtCache
	closed bool
	mon    monitor // zmq_socket_monitor; has its own lock

	// threadSafe marks the draft types that several threads may block on
	// at once; waited records that some call has had to block.
	threadSafe, waited bool
	udp                []*udpLink // udp endpoints (udp.go)

	// linger is the close-time deadline that lingering engines honour:
	// 0 while open, lingerForever after a close with LINGER -1, else the
	// deadline in Unix nanoseconds.
	linger  atomic.Int64
	closing chan struct{} // closed by Close: workers stop accepting and dialing
}

const lingerForever = -1

func newSocket(ctx *Context, typ int) (*Socket, error) {
	proto, err := socktype.New(typ)
	if err != nil {
		return nil, err
	}
	sig, err := newSignaler()
	if err != nil {
		return nil, err
	}
	opts := defaultOptions()
	if typ == socktype.SUB || typ == socktype.XSUB {
		// libzmq: subscribers have nothing worth lingering for
		// (xsub_t sets LINGER 0).
		opts.Linger = 0
	}
	return &Socket{
		ctx: ctx, typ: typ, proto: proto, threadSafe: socktype.ThreadSafe(typ),
		mbox:    mailbox{sig: sig},
		opts:    opts,
		pipes:   map[*pipe.Pipe]string{},
		closing: make(chan struct{}),
	}, nil
}

// Type returns the zmq.h socket type.
func (s *Socket) Type() int { return s.typ }

// FD returns the socket's eventfd (ZMQ_FD): readable when Events may have
// changed. Edge-triggered: re-check Events after each wake-up and after
// every send and receive.
func (s *Socket) FD() int { return s.mbox.sig.FD() }

// Send sends one part, taking ownership of f on success (zmq_msg_send),
// blocking as the flags and SNDTIMEO say. On error the caller keeps f.
func (s *Socket) Send(f *msg.Frame, flags int) error {
	return s.block(flags, func(fl int) (int, error) { return s.TrySend(f, fl) })
}

// Recv receives one part into f (zmq_msg_recv), blocking as the flags and
// RCVTIMEO say.
func (s *Socket) Recv(f *msg.Frame, flags int) error {
	return s.block(flags, func(fl int) (int, error) { return s.TryRecv(f, fl) })
}

// TrySend makes one non-blocking attempt. If the call should block, it
// returns zerr.ErrWouldBlock and the timeout (ms, -1 forever) to wait
// for: the caller waits until FD is readable or the timeout passes, then
// tries again, with DONTWAIT once the timeout has passed. capi does that
// wait in C, so that a signal arrives while the thread runs C code (a
// handler installed without SA_ONSTACK must not run on a goroutine stack).
func (s *Socket) TrySend(f *msg.Frame, flags int) (int, error) {
	return s.trySend(f, flags, s.proto.Send)
}

// trySend is TrySend through send (the type's Send or SendGroup).
func (s *Socket) trySend(f *msg.Frame, flags int, send func(*msg.Frame) error) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	setMore(f, flags)
	s.txf = *f
	timeo, err := s.attempt(flags, s.opts.SndTimeo, func() error { return send(&s.txf) })
	*f, s.txf = s.txf, msg.Frame{}
	if err == nil {
		s.txMore = flags&SndMore != 0
	}
	s.passWake(err, false)
	return timeo, err
}

func setMore(f *msg.Frame, flags int) {
	if flags&SndMore != 0 {
		f.Flags |= msg.More
	} else {
		f.Flags &^= msg.More
	}
}

// ownBody replaces f's borrowed body with a copy the frame owns. Bodies
// of 41 B..msg.CarveMax are cut from a shared C block (msg.ExtHooks.Carve,
// when the library provides one), so a stream of copied sends makes no
// garbage: from the slab, 256-byte sends from Python made Go collect every
// 3 MB, 24 times per 300,000 messages, with write barriers and woken
// threads besides. Smaller ones stay in the slab (Carve would not take
// them), larger ones are allocated on their own. Not while the socket has
// an inproc pipe: there the body becomes the receiver's message, which
// may be kept for long and would keep its whole block (an engine's
// writer drops it once written).
func (s *Socket) ownBody(f *msg.Frame) {
	n := len(f.Data)
	if n <= msg.CarveMax && s.inprocPipes == 0 && msg.ExtHooks.Carve != nil {
		if h, d := msg.ExtHooks.Carve(&s.txExt, n); h != nil {
			copy(d, f.Data)
			f.Data, f.Ext = d, h
			return
		}
	}
	d := s.slab.Alloc(n)
	copy(d, f.Data)
	f.Data = d
}

// TrySendCopy is TrySend of a copy of f's body (zmq_send, and inline
// zmq_msg_t bodies): f.Data is only borrowed, and copied (small bodies
// into the socket's slab) under the socket's lock once the call gets to
// sending. f itself is never taken.
func (s *Socket) TrySendCopy(f *msg.Frame, flags int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	timeo, err := s.attempt(flags, s.opts.SndTimeo, func() error {
		s.txf = *f
		s.ownBody(&s.txf)
		setMore(&s.txf, flags)
		err := s.proto.Send(&s.txf)
		if err != nil { // the copy was not taken
			s.txf.Release()
		}
		s.txf = msg.Frame{}
		return err
	})
	if err == nil {
		s.txMore = flags&SndMore != 0
	}
	s.passWake(err, false)
	return timeo, err
}

// TrySendGroup is TrySend for a message of a group (zmq_msg_set_group):
// RADIO sends it to the peers that joined group; other types ignore the
// group, as libzmq does.
func (s *Socket) TrySendGroup(f *msg.Frame, group string, flags int) (int, error) {
	gs, ok := s.proto.(socktype.GroupSender)
	if !ok {
		return s.TrySend(f, flags)
	}
	return s.trySend(f, flags, func(f *msg.Frame) error { return gs.SendGroup(group, f) })
}

// TryRecv is the receiving counterpart of TrySend.
func (s *Socket) TryRecv(f *msg.Frame, flags int) (int, error) {
	return s.tryRecv(f, flags, s.proto.Recv)
}

// tryRecv is TryRecv through recv (the type's Recv or RecvGroup).
func (s *Socket) tryRecv(f *msg.Frame, flags int, recv func(*msg.Frame) error) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	timeo, err := s.attempt(flags, s.opts.RcvTimeo, func() error {
		if len(s.held) > 0 { // a part Prefetch could not hand over
			s.rxf = s.held[0]
			s.held[0] = msg.Frame{}
			s.held = s.held[1:]
			return nil
		}
		err := recv(&s.rxf)
		if err == zerr.ErrAgain && s.inprocPipes > 0 {
			// Parts an inproc sender still holds, or that its goroutine
			// moved in since recv looked, are there after this.
			s.flushPeers()
			s.processCommands()
			err = recv(&s.rxf)
		}
		return err
	})
	*f, s.rxf = s.rxf, msg.Frame{}
	if err == nil {
		s.rcvMore = f.HasMore()
	}
	s.passWake(err, true)
	return timeo, err
}

// SetCopyOut records that the application copies each received part out
// of the library as it takes it (gozmq_recv_batch), so no body is kept
// past the call that hands it over: engines then cut small bodies from
// shared blocks (msg.ExtHooks.Carve) instead of one body each. A body
// kept anyway (zmq_msg_recv on the same socket) only keeps its block.
func (s *Socket) SetCopyOut() {
	if !s.copyOut.Load() {
		s.copyOut.Store(true)
	}
}

// Prefetch hands up to max further parts that are already queued to put,
// without blocking, for a receive cache on the caller's side (capi keeps
// one in C memory, so that zmq_msg_recv returns cached parts without a
// call into Go: that call is the largest single cost of a small message).
// put takes over each part's body; if it refuses one (out of memory),
// the part is kept and returned by the next receive, so nothing is lost.
// It returns the number of parts handed over.
//
// Only types whose receive has no state the application can observe
// between parts take part; the others (REQ/REP state machines, XPUB's
// last pipe, STREAM, thread-safe types, CONFLATE) get 0. The batch is
// bounded by a fraction of RCVHWM so that queued parts do not slip far
// past the high-water mark: a cached part has already left its pipe.
func (s *Socket) Prefetch(max int, put func(*msg.Frame) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.held) > 0 || !s.prefetchable() {
		return 0
	}
	if h := s.opts.RcvHWM; h > 0 {
		max = min(max, h/prefetchHWMShare)
	}
	batcher, _ := s.proto.(socktype.BatchReceiver)
	n := 0
	flushed := false
	for n < max {
		k := 0
		if batcher != nil {
			k = batcher.RecvBatch(s.rxBatch[:min(max-n, len(s.rxBatch))])
		} else if s.proto.Recv(&s.rxBatch[0]) == nil {
			k = 1
		}
		if k == 0 {
			// Parts an inproc sender's zmq_send has returned for are
			// here in libzmq; in gozmq they may still wait in the
			// sender's cache (SetPeerFlush). Once per call, as a
			// receive that finds nothing does, have them moved in.
			if flushed || s.inprocPipes == 0 || !s.hasInAfterFlush() {
				break
			}
			flushed = true
			continue
		}
		for i := 0; i < k; i++ {
			if !put(&s.rxBatch[i]) {
				// Kept, in order, for the next receives.
				s.held = append(s.held, s.rxBatch[i:k]...)
				clear(s.rxBatch[i:k])
				return n
			}
			s.rxBatch[i] = msg.Frame{}
			n++
		}
	}
	return n
}

// prefetchHWMShare: a receive cache holds at most RCVHWM/8 parts.
const prefetchHWMShare = 8

// Prefetchable reports whether the socket's type may use a receive cache
// (see Prefetch); it never changes for a socket.
func Prefetchable(typ int) bool {
	switch typ {
	case socktype.PULL, socktype.PAIR, socktype.DEALER, socktype.ROUTER,
		socktype.SUB, socktype.XSUB:
		return true
	}
	return false
}

func (s *Socket) prefetchable() bool {
	return Prefetchable(s.typ) && !s.opts.Conflate && !s.ctx.Terminating()
}

// SendTimeout is SNDTIMEO in milliseconds (-1: forever).
func (s *Socket) SendTimeout() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.SndTimeo
}

// ContextEnding reports whether the socket's context is shutting down.
func (s *Socket) ContextEnding() bool { return s.ctx.Terminating() }

// Wanted reports whether a message that starts with data passes a SUB
// socket's subscriptions (true for other types). capi uses it to drop
// cached messages that an unsubscription no longer admits, as libzmq
// filters queued messages when they are received.
func (s *Socket) Wanted(data []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.proto.(interface{ Wanted([]byte) bool }); ok {
		return w.Wanted(data)
	}
	return true
}

// SendQueued sends parts that the caller queued earlier (capi's send
// cache: zmq_send returned for them already), in order, without blocking.
// next fills f with queued part i (0: the oldest not taken yet; more parts
// follow in the same message if f has More) and reports whether there is
// one, and whether f.Data is only borrowed (then it is copied before
// sending); taken tells the caller the oldest part now belongs to the
// socket. A part viewed but not taken still belongs to the caller. Types
// that send in runs (socktype.BatchSender) get up to len(txBatch) parts
// at a time. Sending stops at the first part the socket cannot take now.
//
// With commands set, it first applies what pipes reported (only the
// application's own thread may do that: it resets the eventfd the
// application waits on). done runs under the socket's lock at the end,
// with the number of messages started by the parts sent and the room
// left for new messages (see Room), so that a credit derived from them
// cannot be outdated by a send in between.
func (s *Socket) SendQueued(next func(i int, f *msg.Frame) (borrowed, ok bool), taken func(), commands bool, done func(starts, room int)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return zerr.ErrNotSock
	}
	if commands {
		s.processCommands()
	}
	var err error
	starts := 0
	if s.ctx.Terminating() {
		err = zerr.ErrTerm
	}
	// One loop for both kinds of type: a BatchSender takes a run of up to
	// len(txBatch) parts per call, any other type one part through Send.
	batcher, _ := s.proto.(socktype.BatchSender)
	run := s.txBatch[:1]
	if batcher != nil {
		run = s.txBatch[:]
	}
	for err == nil {
		k := 0
		var more uint64   // bit i: part i has More
		var copied uint64 // bit i: part i's body is a copy (ownBody)
		for k < len(run) {
			borrowed, ok := next(k, &run[k])
			if !ok {
				break
			}
			if borrowed {
				s.ownBody(&run[k])
				copied |= 1 << k
			}
			if run[k].HasMore() {
				more |= 1 << k
			}
			k++
		}
		if k == 0 {
			break
		}
		sent := 0
		if batcher != nil {
			if sent = batcher.SendBatch(run[:k]); sent < k {
				err = zerr.ErrAgain
			}
		} else if err = s.proto.Send(&run[0]); err == nil {
			sent = 1
		}
		for i := 0; i < sent; i++ {
			taken()
			if !s.txMore {
				starts++
			}
			s.txMore = more&(1<<i) != 0
		}
		// Parts not sent stay queued with the caller; copies of them go.
		for i := sent; i < k; i++ {
			if copied&(1<<i) != 0 {
				run[i].Release()
			}
		}
		clear(run[:k])
	}
	if done != nil {
		done(starts, s.roomLocked())
	}
	return err
}

// roomLocked reports how many new messages the socket can take now
// without blocking, for the types that may use a send cache
// (SendCacheable); 0 for the others, and while an inproc pipe is
// attached. Called with s.mu held.
func (s *Socket) roomLocked() int {
	if r, ok := s.proto.(interface{ Room() int }); ok && !s.closed && (s.inprocPipes == 0 || sendOnly(s.typ)) {
		return r.Room()
	}
	return 0
}

// SetPeerFlush installs fn, which sends what capi's send cache holds.
// Over inproc, libzmq has a message in the peer's pipe when zmq_send
// returns, and programs rely on that (send, then receive on the same
// thread); so a send-only socket (PUSH, PUB) hands fn to its inproc
// pipes, and a reader that finds its inproc pipes empty calls it before
// it says so (flushPeers). Other types get no send credit while an
// inproc pipe is attached: a socket that both sends and receives could
// then wait for a peer that waits for it. Lock order: the reader's
// Socket.mu, then the sender's cache lock, then the sender's Socket.mu;
// a send-only socket never flushes anyone, so this cannot cycle.
func (s *Socket) SetPeerFlush(fn func()) { s.peerFlush = fn }

func sendOnly(typ int) bool { return typ == socktype.PUSH || typ == socktype.PUB }

// flushPeers asks the writers of the socket's inproc pipes to move what
// they queued outside them in. Called with s.mu held.
func (s *Socket) flushPeers() {
	for p, ep := range s.pipes {
		if strings.HasPrefix(ep, "inproc://") {
			p.In.FlushWriter()
		}
	}
}

// hasInAfterFlush is HasIn for a socket whose inproc pipes looked empty:
// it has their senders flush, then processes commands and looks again
// (even when nothing was flushed here, a sender's goroutine may have
// moved parts in since the caller looked). Called with s.mu held.
func (s *Socket) hasInAfterFlush() bool {
	s.flushPeers()
	s.processCommands()
	return s.proto.HasIn()
}

// SendCacheable reports whether capi may queue a socket's sends in C
// memory (see SendQueued): types whose send never fails for a reason
// other than a full or missing peer, and does not depend on what was
// received.
func SendCacheable(typ int) bool {
	switch typ {
	case socktype.PUSH, socktype.DEALER, socktype.PAIR, socktype.PUB:
		return true
	}
	return false
}

// TryRecvGroup is TryRecv that also returns the message's group (DISH;
// "" for other types).
func (s *Socket) TryRecvGroup(f *msg.Frame, flags int) (group string, timeo int, err error) {
	gr, ok := s.proto.(socktype.GroupReceiver)
	if !ok {
		timeo, err = s.TryRecv(f, flags)
		return "", timeo, err
	}
	timeo, err = s.tryRecv(f, flags, func(f *msg.Frame) (e error) {
		group, e = gr.RecvGroup(f)
		return e
	})
	return group, timeo, err
}

// passWake keeps threads that wait on one thread-safe socket from
// sleeping through work. A burst of messages raises the eventfd once, and
// the first thread to come back resets it; if more could be received (or
// sent) after that thread's call, it raises the fd again for the others.
// Until some call has blocked nobody can be waiting, so a socket used by
// one thread without blocking never pays for this. Called with s.mu held.
func (s *Socket) passWake(err error, in bool) {
	if !s.threadSafe {
		return
	}
	if err == zerr.ErrWouldBlock {
		s.waited = true
		return
	}
	if err == nil && s.waited && (in && s.proto.HasIn() || !in && s.proto.HasOut()) {
		s.mbox.sig.Raise()
	}
}

// Join joins a group (zmq_join, DISH only: ENOTSUP elsewhere).
func (s *Socket) Join(group string) error {
	return s.groupCall(func(j socktype.Joiner) error { return j.Join(group) })
}

// Leave leaves a group joined before (zmq_leave).
func (s *Socket) Leave(group string) error {
	return s.groupCall(func(j socktype.Joiner) error { return j.Leave(group) })
}

func (s *Socket) groupCall(op func(socktype.Joiner) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	j, ok := s.proto.(socktype.Joiner)
	if !ok {
		return zerr.ErrNotSupported
	}
	s.processCommands() // tell pipes attached so far
	return op(j)
}

// attempt runs op once after processing commands. Called with s.mu held.
// The order — reset the eventfd, process commands, try — means an event
// that arrives after the try raises the fd again: no wake-up is lost.
func (s *Socket) attempt(flags, timeo int, op func() error) (int, error) {
	if s.closed {
		return 0, zerr.ErrNotSock
	}
	s.processCommands()
	if s.ctx.Terminating() {
		return 0, zerr.ErrTerm
	}
	err := op()
	if err != zerr.ErrAgain || flags&DontWait != 0 || timeo == 0 {
		return 0, err
	}
	return timeo, zerr.ErrWouldBlock
}

// block drives a Try call to completion for Go callers, waiting in
// poll(2) on the eventfd between attempts; once the timeout has passed it
// makes a last attempt with DONTWAIT.
func (s *Socket) block(flags int, try func(flags int) (int, error)) error {
	var deadline time.Time
	for {
		timeo, err := try(flags)
		if err != zerr.ErrWouldBlock {
			return err
		}
		if timeo > 0 && deadline.IsZero() {
			deadline = time.Now().Add(time.Duration(timeo) * time.Millisecond)
		}
		switch err := s.mbox.sig.Wait(deadline); err {
		case zerr.ErrInterrupted:
			return err
		case zerr.ErrAgain:
			flags |= DontWait
		}
	}
}

// Events reports PollIn/PollOut readiness (ZMQ_EVENTS), and re-arms FD.
func (s *Socket) Events() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, zerr.ErrNotSock
	}
	return s.eventsLocked()
}

func (s *Socket) eventsLocked() (int, error) {
	s.processCommands()
	if s.ctx.Terminating() {
		return 0, zerr.ErrTerm
	}
	ev := 0
	if len(s.held) > 0 || s.proto.HasIn() || s.inprocPipes > 0 && s.hasInAfterFlush() {
		ev |= PollIn
	}
	if s.proto.HasOut() {
		ev |= PollOut
	}
	return ev, nil
}

// processCommands applies what engines and peers reported. Called with
// s.mu held.
func (s *Socket) processCommands() {
	for _, c := range s.mbox.drain() {
		switch c.kind {
		case cmdAttach:
			s.attachPipe(c.p, c.ep)
		case cmdReadActivated:
			if _, ok := s.pipes[c.p]; ok {
				s.proto.ReadActivated(c.p)
				s.checkTerminated(c.p)
			}
		case cmdWriteActivated:
			if _, ok := s.pipes[c.p]; ok {
				s.proto.WriteActivated(c.p)
				s.checkTerminated(c.p)
			}
		}
	}
}

// attachPipe hands a new peer pipe to the socket type. Called with s.mu
// held.
func (s *Socket) attachPipe(p *pipe.Pipe, endpoint string) {
	if s.closed {
		p.Close()
		return
	}
	p.SetWake(
		func() { s.mbox.post(command{kind: cmdReadActivated, p: p}) },
		func() { s.mbox.post(command{kind: cmdWriteActivated, p: p}) })
	if s.opts.Conflate && socktype.Conflatable(s.typ) {
		// Keep only the newest message each way (libzmq's ypipe_conflate).
		p.In.SetConflate(true)
		p.Out.SetConflate(true)
	}
	if !s.proto.Attach(p) {
		p.Close()
		return
	}
	s.pipes[p] = endpoint
	if strings.HasPrefix(endpoint, "inproc://") {
		s.inprocPipes++
		if s.peerFlush != nil && sendOnly(s.typ) {
			p.Out.SetWriterFlush(s.peerFlush)
		}
	}
	s.checkTerminated(p)
}

// checkTerminated detaches p once its peer is gone and its input drained.
func (s *Socket) checkTerminated(p *pipe.Pipe) {
	if p.Terminated() {
		s.detachPipe(p)
	}
}

func (s *Socket) detachPipe(p *pipe.Pipe) {
	ep, ok := s.pipes[p]
	if !ok {
		return
	}
	if strings.HasPrefix(ep, "inproc://") {
		s.inprocPipes--
	}
	delete(s.pipes, p)
	s.proto.Detach(p)
	p.Close()
}

// post hands a pipe created by a worker (accepted connection, inproc
// connect) to the socket. It returns false if the socket is closed; the
// caller still owns p then.
func (s *Socket) post(p *pipe.Pipe, ep string) bool {
	return s.mbox.post(command{kind: cmdAttach, p: p, ep: ep})
}

// Close closes the socket (zmq_close). Pending outbound messages are sent
// for up to LINGER by the engines, which the context's Term waits for.
func (s *Socket) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return zerr.ErrNotSock
	}
	s.closed = true
	for i := range s.held {
		s.held[i].Release()
	}
	s.held = nil
	if msg.ExtHooks.Flush != nil {
		msg.ExtHooks.Flush(&s.txExt)
	}
	switch l := s.opts.Linger; {
	case l < 0:
		s.linger.Store(lingerForever)
	default:
		s.linger.Store(time.Now().Add(time.Duration(l) * time.Millisecond).UnixNano())
	}
	close(s.closing)
	for _, c := range s.mbox.close() {
		if c.kind == cmdAttach {
			c.p.Close()
		}
	}
	for _, b := range s.binds {
		fd := listenerFD(b.l)
		b.close()
		if b.l != nil {
			s.event(EventClosed, fd, b.resolved)
		}
	}
	s.binds = nil
	s.closeUDP()
	for p := range s.pipes {
		s.proto.Detach(p)
		p.Close()
	}
	s.pipes = nil
	for _, c := range s.conns {
		c.stop()
	}
	s.conns = nil
	s.mu.Unlock()
	s.stopMonitor()
	s.ctx.dropPending(s)
	// Nothing raises the eventfd after this: the mailbox refuses posts
	// (and raises only under its lock), and Shutdown raises only sockets
	// still registered with the context.
	s.ctx.removeSocket(s)
	s.destroy()
	return nil
}

func (s *Socket) destroy() { s.mbox.sig.Close() }

// lingerDeadline reports the close deadline for lingering workers: ok is
// false while the socket is open; forever is true for LINGER -1.
func (s *Socket) lingerDeadline() (deadline time.Time, forever, ok bool) {
	switch v := s.linger.Load(); v {
	case 0:
		return time.Time{}, false, false
	case lingerForever:
		return time.Time{}, true, true
	default:
		return time.Unix(0, v), false, true
	}
}
