package core

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gozmq/gozmq/core/zerr"
)

// signaler is an eventfd that becomes readable when its owner's state may
// have changed (libzmq's signaler_t behind a mailbox). Blocking API calls
// wait for it in poll(2) on the caller's own thread, so a signal delivered
// to that thread interrupts the wait with EINTR, and it is what ZMQ_FD
// returns.
//
// raised avoids a syscall per event: only the first Raise after a Reset
// writes the fd, and Reset reads it only when raised. The owner always
// Resets before it re-checks its state and then waits, so an event that
// lands after the check finds raised false and writes the fd: no wake-up
// is lost.
//
// That holds only if raised is true exactly while the fd is readable, so
// the flag changes together with the write or read, under mu. Without the
// lock (an atomic swap, then the syscall) a Raise could write between
// Reset's swap and its read; the read consumed that write, raised stayed
// true over an empty fd, and every later Raise skipped its write: the
// owner slept through the events that followed (a REP behind zmq_poll
// with short-lived inproc peers stalled until its poll timed out, 1 run in
// 4; that is how a ZAP handler lost requests). mu is a leaf lock, held
// only around one non-blocking syscall; Reset takes it only when raised.
type signaler struct {
	fd     int
	mu     sync.Mutex
	raised atomic.Bool // written under mu; read without it as a hint
}

func newSignaler() (*signaler, error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &signaler{fd: fd}, nil
}

var one = [8]byte{1}

// Raise makes the fd readable. Safe from any goroutine; never blocks.
func (s *signaler) Raise() {
	if s.raised.Load() {
		// Already readable, and it stays so until a Reset, which comes
		// before the owner's next look at its state.
		return
	}
	s.mu.Lock()
	if !s.raised.Load() {
		// The flag first: a Reset that sees it clear must not be able to
		// miss this write. Set after the write, an owner woken by the
		// write (edge-triggered ZMQ_FD) could Reset in between, find the
		// flag clear, skip the read and go back to sleep; the flag then
		// stayed set over a readable fd and every later Raise skipped its
		// write: a lost wake-up (test_zmq_fd_stress, 1 run in 15). A
		// Reset that sees it set waits on mu until the write is done.
		s.raised.Store(true)
		unix.Write(s.fd, one[:])
	}
	s.mu.Unlock()
}

// Reset drains the fd if it was raised.
func (s *signaler) Reset() {
	// The plain load first: a lock on every API call is measurable.
	if !s.raised.Load() {
		return
	}
	s.mu.Lock()
	if s.raised.Load() {
		var b [8]byte
		unix.Read(s.fd, b[:])
		s.raised.Store(false)
	}
	s.mu.Unlock()
}

// Wait blocks in poll(2) until the fd is readable or the deadline passes
// (zero deadline: forever), for Go callers (capi waits in C instead). It
// returns zerr.ErrAgain on timeout. EINTR is retried: in Go code it comes
// from the runtime's own preemption signal (SIGURG), never from the
// application, and made blocking Go calls fail at random
// (TestThreadSafeManyReceivers, about once in a few dozen runs).
func (s *signaler) Wait(deadline time.Time) error {
	return waitFDs([]unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}}, deadline)
}

// waitFDs polls fds until one is ready or the deadline passes.
func waitFDs(fds []unix.PollFd, deadline time.Time) error {
	timeout := -1
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return zerr.ErrAgain
		}
		// Round up so we never wake a hair early and spin.
		timeout = int((d + time.Millisecond - 1) / time.Millisecond)
	}
	n, err := unix.Poll(fds, timeout)
	if err == unix.EINTR {
		return waitFDs(fds, deadline) // the timeout restarts from the deadline
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return zerr.ErrAgain
	}
	return nil
}

// Close releases the fd.
func (s *signaler) Close() { unix.Close(s.fd) }

// FD returns the eventfd (ZMQ_FD).
func (s *signaler) FD() int { return s.fd }
