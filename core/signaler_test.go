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
func TestSignalerNoLostWakeup(t *testing.T) {
	sig, err := newSignaler()
	if err != nil {
		t.Fatal(err)
	}
	defer sig.Close()
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
		fds := []unix.PollFd{{Fd: int32(sig.FD()), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 1000)
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
