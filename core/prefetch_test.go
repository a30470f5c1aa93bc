package core

import (
	"fmt"
	"testing"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
)

// Prefetch hands over queued parts in order, bounded by its budget and by
// RCVHWM/8, and a part its taker refuses comes back from the next receive.
func TestPrefetchOrderBoundAndRefusal(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	pull, push := queuedPull(t, c, 40)
	defer pull.Close()
	defer push.Close()
	var taken []string
	take := func(f *msg.Frame) bool { taken = append(taken, string(f.Data)); f.Release(); return true }
	if n := pull.Prefetch(5, take); n != 5 {
		t.Fatalf("budget 5: took %d", n)
	}
	// RCVHWM 16: at most 2 parts per batch.
	setInt(t, pull, OptRcvHWM, 16)
	if n := pull.Prefetch(32, take); n != 2 {
		t.Fatalf("RCVHWM 16: took %d, want 2", n)
	}
	// A refused part is kept for the next receive, and is readable.
	if n := pull.Prefetch(32, func(*msg.Frame) bool { return false }); n != 0 {
		t.Fatalf("refusing taker: %d", n)
	}
	if n := pull.Prefetch(32, take); n != 0 {
		t.Fatalf("prefetch past a kept part: %d", n)
	}
	if ev, _ := pull.Events(); ev&PollIn == 0 {
		t.Fatal("kept part not reported by Events")
	}
	for i, want := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		if taken[i] != want {
			t.Fatalf("taken %v", taken)
		}
	}
	for i := 8; i < 40; i++ {
		if got, _ := recv(t, pull); got != fmt.Sprint(i) {
			t.Fatalf("part %d: got %q", i, got)
		}
	}
}

// Types with receive state the application can see get no prefetching.
func TestPrefetchOnlySimpleTypes(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	rep, req := pairUp(t, c, socktype.REP, socktype.REQ, "inproc://"+t.Name())
	defer rep.Close()
	defer req.Close()
	send(t, req, "q", 0)
	if n := rep.Prefetch(32, func(f *msg.Frame) bool { f.Release(); return true }); n != 0 {
		t.Fatalf("REP prefetched %d", n)
	}
	if got, _ := recv(t, rep); got != "q" {
		t.Fatalf("REP got %q", got)
	}
}

// A taker that refuses a part in the middle of a batch: the refused part
// and the rest of the batch come back, in order, from the next receives.
func TestPrefetchRefusalMidBatch(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	pull, push := queuedPull(t, c, 12)
	defer pull.Close()
	defer push.Close()
	var taken []string
	n := pull.Prefetch(32, func(f *msg.Frame) bool {
		if len(taken) == 3 {
			return false
		}
		taken = append(taken, string(f.Data))
		f.Release()
		return true
	})
	if n != 3 || fmt.Sprint(taken) != "[1 2 3]" {
		t.Fatalf("took %d: %v", n, taken)
	}
	if ev, _ := pull.Events(); ev&PollIn == 0 {
		t.Fatal("kept parts not reported by Events")
	}
	for i := 4; i < 12; i++ {
		if got, _ := recv(t, pull); got != fmt.Sprint(i) {
			t.Fatalf("part %d: got %q", i, got)
		}
	}
}

// queuedPull connects a PUSH to a PULL over inproc, sends parts "0" to
// "n-1" and receives "0", so the others wait in the pipe for Prefetch.
func queuedPull(t *testing.T, c *Context, n int) (pull, push *Socket) {
	t.Helper()
	pull, push = pairUp(t, c, socktype.PULL, socktype.PUSH, "inproc://"+t.Name())
	for i := 0; i < n; i++ {
		send(t, push, fmt.Sprint(i), 0)
	}
	if got, _ := recv(t, pull); got != "0" {
		t.Fatalf("first part %q", got)
	}
	return pull, push
}

// Parts an inproc sender still holds outside the pipe (capi's send cache,
// here a stand-in installed with SetPeerFlush) are moved in by a Prefetch
// that finds the pipe empty, as by a receive: over inproc, what zmq_send
// returned for is there to be taken.
func TestPrefetchFlushesInprocSenders(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	pull := mustSocket(t, c, socktype.PULL)
	defer pull.Close()
	push := mustSocket(t, c, socktype.PUSH)
	defer push.Close()
	var held []string
	push.SetPeerFlush(func() {
		for _, b := range held {
			send(t, push, b, 0)
		}
		held = nil
	})
	if err := pull.Bind("inproc://" + t.Name()); err != nil {
		t.Fatal(err)
	}
	if err := push.Connect("inproc://" + t.Name()); err != nil {
		t.Fatal(err)
	}
	send(t, push, "0", 0)
	held = []string{"1", "2", "3"}
	if got, _ := recv(t, pull); got != "0" {
		t.Fatalf("first part %q", got)
	}
	var taken []string
	n := pull.Prefetch(32, func(f *msg.Frame) bool { taken = append(taken, string(f.Data)); f.Release(); return true })
	if n != 3 || fmt.Sprint(taken) != "[1 2 3]" {
		t.Fatalf("prefetch took %d: %v", n, taken)
	}
	if held != nil {
		t.Fatal("the sender was not flushed")
	}
}
