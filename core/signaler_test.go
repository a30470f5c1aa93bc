package core

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The owner's protocol (Reset, look at the state, wait on the fd) must
// never sleep through an event. Producers behave like a REP's short-lived
// peers: each posts an event (a counter, then Raise), waits until the
// owner has taken it, then raises once more with nothing for the owner
// (as a pipe's notice that its peer left), so the owner often goes back
// to sleep right after such a raise. A wait that times out while an event
// is unconsumed is a lost wake-up: the old lock-free signaler, whose
// Reset could read a Raise's write that came after its flag swap and so
// stay "raised" over an empty fd, lost one within seconds here.
func TestSignalerNoLostWakeup(t *testing.T) { testSignalerWakeups(t, false) }

// The same with the owner waiting as a ZMQ_FD user does: epoll,
// edge-triggered, so a write that the owner's wait consumed before the
// owner reset the signaler must not leave it deaf. With the flag set
// after the write, a Reset between the two skipped its read, the flag
// stayed set over a readable fd, and no later Raise wrote again.
func TestSignalerNoLostWakeupEdgeTriggered(t *testing.T) { testSignalerWakeups(t, true) }

func testSignalerWakeups(t *testing.T, edge bool) {
	sig, err := newSignaler()
	if err != nil {
		t.Fatal(err)
	}
	defer sig.Close()
	ep := -1
	if edge {
		if ep, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		defer unix.Close(ep)
		ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLET, Fd: int32(sig.FD())}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, sig.FD(), &ev); err != nil {
			t.Fatal(err)
		}
	}
	const producers, each = 4, 20000
	var posted, seen atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for k := 0; k < producers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				n := posted.Add(1)
				sig.Raise()
				for seen.Load() < n {
					select {
					case <-stop:
						return
					default:
						runtime.Gosched()
					}
				}
				sig.Raise() // nothing new for the owner
			}
		}()
	}
	defer wg.Wait()
	defer close(stop)
	deadline := time.Now().Add(60 * time.Second)
	for seen.Load() < producers*each {
		sig.Reset()
		if n := posted.Load(); n > seen.Load() {
			seen.Store(n)
			continue
		}
		var n int
		if edge {
			var evs [1]unix.EpollEvent
			n, err = unix.EpollWait(ep, evs[:], 1000)
		} else {
			fds := []unix.PollFd{{Fd: int32(sig.FD()), Events: unix.POLLIN}}
			n, err = unix.Poll(fds, 1000)
		}
		if err == unix.EINTR {
			continue
		}
		if n == 0 && posted.Load() > seen.Load() {
			t.Fatalf("slept 1 s through an event (%d posted, %d seen)", posted.Load(), seen.Load())
		}
		if time.Now().After(deadline) {
			t.Fatal("did not finish in 60 s")
		}
	}
}
