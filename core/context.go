package core

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gozmq/gozmq/core/zerr"
)

// Context option numbers, as in zmq.h.
const (
	CtxIOThreads               = 1
	CtxMaxSockets              = 2
	CtxSocketLimit             = 3
	CtxThreadPriority          = 3 // same number as SOCKET_LIMIT in zmq.h: set-only
	CtxThreadSchedPolicy       = 4
	CtxMaxMsgSz                = 5
	CtxMsgTSize                = 6
	CtxThreadAffinityCPUAdd    = 7
	CtxThreadAffinityCPURemove = 8
	CtxThreadNamePrefix        = 9
	CtxIPv6                    = 42
	CtxBlocky                  = 70
	CtxZeroCopyRecv            = 10
)

// Context owns sockets, the inproc namespace and every goroutine that
// works for its sockets (libzmq's ctx_t; the Go scheduler plays the part
// of its I/O threads and reaper).
type Context struct {
	mu          sync.Mutex
	sockets     map[*Socket]struct{}
	inproc      map[string]*inprocBinding
	pending     map[string][]*inprocPending
	opts        ctxOptions
	sig         *signaler // wakes Term when the last socket closes
	workers     sync.WaitGroup
	workersDone atomic.Bool
	waiting     bool // a goroutine already watches workers for Term

	terminating atomic.Bool
	terminated  atomic.Bool
}

type ctxOptions struct {
	ioThreads, maxSockets, maxMsgSz   int
	ipv6, blocky                      bool
	threadPriority, threadSchedPolicy int
	threadNamePrefix                  int
	zeroCopyRecv                      bool
}

// NewContext returns a context with libzmq's defaults.
func NewContext() (*Context, error) {
	sig, err := newSignaler()
	if err != nil {
		return nil, err
	}
	return &Context{
		sockets: map[*Socket]struct{}{},
		inproc:  map[string]*inprocBinding{},
		pending: map[string][]*inprocPending{},
		opts: ctxOptions{ioThreads: DefaultIOThreads, maxSockets: DefaultMaxSockets,
			maxMsgSz: 1<<31 - 1, blocky: true, threadPriority: -1, threadSchedPolicy: -1,
			zeroCopyRecv: true},
		sig: sig,
	}, nil
}

// Set sets a context option (zmq_ctx_set).
func (c *Context) Set(opt, val int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := &c.opts
	switch opt {
	case CtxIOThreads:
		if val < 0 {
			return zerr.ErrInvalid
		}
		o.ioThreads = val
	case CtxMaxSockets:
		// No upper bound: libzmq clips only for pollers with a fixed
		// capacity (select), not with epoll, so the descriptor limit
		// is what stops zmq_socket (EMFILE).
		if val < 1 {
			return zerr.ErrInvalid
		}
		o.maxSockets = val
	case CtxThreadPriority:
		o.threadPriority = val
	case CtxThreadSchedPolicy:
		o.threadSchedPolicy = val
	case CtxThreadAffinityCPUAdd, CtxThreadAffinityCPURemove:
		if val < 0 {
			return zerr.ErrInvalid
		}
	case CtxThreadNamePrefix:
		o.threadNamePrefix = val
	case CtxMaxMsgSz:
		if val < 0 {
			return zerr.ErrInvalid
		}
		o.maxMsgSz = val
	case CtxIPv6:
		o.ipv6 = val != 0
	case CtxBlocky:
		o.blocky = val != 0
	case CtxZeroCopyRecv:
		o.zeroCopyRecv = val != 0
	default:
		return zerr.ErrInvalid
	}
	return nil
}

// Get reads a context option (zmq_ctx_get).
func (c *Context) Get(opt int) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := &c.opts
	switch opt {
	case CtxIOThreads:
		return o.ioThreads, nil
	case CtxMaxSockets:
		return o.maxSockets, nil
	case CtxSocketLimit:
		return SocketLimit, nil
	case CtxMaxMsgSz:
		return o.maxMsgSz, nil
	case CtxMsgTSize:
		return 64, nil
	case CtxIPv6:
		return b2i(o.ipv6), nil
	case CtxBlocky:
		return b2i(o.blocky), nil
	case CtxThreadSchedPolicy:
		return o.threadSchedPolicy, nil
	case CtxThreadNamePrefix:
		return o.threadNamePrefix, nil
	case CtxZeroCopyRecv:
		return b2i(o.zeroCopyRecv), nil
	}
	return 0, zerr.ErrInvalid
}

// Terminating reports whether Shutdown or Term was called.
func (c *Context) Terminating() bool { return c.terminating.Load() }

// Shutdown makes every blocking call on the context's sockets, present and
// future, return ErrTerm, without waiting (zmq_ctx_shutdown).
func (c *Context) Shutdown() {
	if c.terminating.Swap(true) {
		return
	}
	c.mu.Lock()
	for s := range c.sockets {
		s.mbox.sig.Raise()
	}
	c.mu.Unlock()
}

// Term shuts the context down, waits until every socket was closed and
// every lingering connection finished, and frees the context
// (zmq_ctx_term). It returns zerr.ErrInterrupted if a signal interrupted
// the wait; calling it again resumes the wait.
func (c *Context) Term() error {
	for {
		err := c.TryTerm()
		if err != zerr.ErrWouldBlock {
			return err
		}
		if err := c.sig.Wait(time.Time{}); err == zerr.ErrInterrupted {
			return err
		}
	}
}

// TryTerm is Term without the wait: it returns zerr.ErrWouldBlock while
// sockets or workers remain; the caller waits for FD to become readable
// and calls it again (capi does that wait in C).
func (c *Context) TryTerm() error {
	if c.terminated.Load() {
		return zerr.ErrFault
	}
	c.Shutdown()
	c.sig.Reset()
	if !c.idle() {
		return zerr.ErrWouldBlock
	}
	if c.terminated.Swap(true) {
		return zerr.ErrFault
	}
	c.sig.Close()
	return nil
}

// FD is the eventfd that becomes readable when TryTerm may succeed.
func (c *Context) FD() int { return c.sig.FD() }

// idle reports whether every socket is closed and every worker goroutine
// has exited. The first time the sockets are all gone it starts one
// goroutine that waits for the workers and then raises the signal, so
// Term can keep waiting in poll(2) (and stay interruptible).
func (c *Context) idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sockets) > 0 {
		return false
	}
	if !c.waiting {
		c.waiting = true
		go func() {
			c.workers.Wait()
			c.workersDone.Store(true)
			c.sig.Raise()
		}()
	}
	return c.workersDone.Load()
}

// goWorker runs fn on a goroutine that Term waits for.
func (c *Context) goWorker(fn func()) {
	c.workers.Add(1)
	go func() {
		defer c.workers.Done()
		fn()
	}()
}

// NewSocket creates a socket of a zmq.h type (zmq_socket).
func (c *Context) NewSocket(typ int) (*Socket, error) {
	if c.terminating.Load() {
		return nil, zerr.ErrTerm
	}
	c.mu.Lock()
	full := len(c.sockets) >= c.opts.maxSockets
	ipv6, blocky := c.opts.ipv6, c.opts.blocky
	c.mu.Unlock()
	if full {
		return nil, zerr.ErrTooManySockets
	}
	s, err := newSocket(c, typ)
	if err != nil {
		return nil, err
	}
	s.opts.IPv6 = ipv6
	if !blocky {
		s.opts.Linger = 0
	}
	c.mu.Lock()
	if c.terminating.Load() {
		c.mu.Unlock()
		s.destroy()
		return nil, zerr.ErrTerm
	}
	c.sockets[s] = struct{}{}
	c.mu.Unlock()
	return s, nil
}

// removeSocket forgets a closed socket and wakes Term if it was the last.
func (c *Context) removeSocket(s *Socket) {
	c.mu.Lock()
	delete(c.sockets, s)
	last := len(c.sockets) == 0
	c.mu.Unlock()
	if last {
		c.sig.Raise()
	}
}
