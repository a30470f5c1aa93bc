package core

import (
	"net"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// With the library's hooks, the bodies of copied sends are cut from
// shared C blocks and each holds a reference: every copy must be released
// exactly once, by whoever ends up with it, or a block lives forever.
// These hooks count carves and releases instead.
func countingCarve(t *testing.T) (carved, released *atomic.Int32) {
	carved, released = new(atomic.Int32), new(atomic.Int32)
	var token byte
	msg.ExtHooks.Carve = func(_ *msg.ExtCache, n int) (unsafe.Pointer, []byte) {
		carved.Add(1)
		return unsafe.Pointer(&token), make([]byte, n)
	}
	msg.ExtHooks.Release = func(unsafe.Pointer) { released.Add(1) }
	msg.ExtHooks.Ref = func(unsafe.Pointer) { carved.Add(1) }
	t.Cleanup(func() { msg.ExtHooks.Carve, msg.ExtHooks.Release, msg.ExtHooks.Ref = nil, nil, nil })
	return carved, released
}

// SendQueued copies borrowed parts before offering them to the socket;
// the copies of parts the socket could not take (the pipe is full) are
// released, the parts themselves stay queued with the caller.
func TestSendQueuedReleasesUnsentCopies(t *testing.T) {
	carved, released := countingCarve(t)
	c := newCtx(t)
	push := undrained(t, c, 4)
	const offered = 20 // more than the pipe's room
	body := make([]byte, 100)
	head := 0
	next := func(i int, f *msg.Frame) (borrowed, ok bool) {
		if head+i >= offered {
			return false, false
		}
		*f = msg.Frame{Data: body} // borrowed: SendQueued copies it
		return true, true
	}
	taken := func() { head++ }
	if err := push.SendQueued(next, taken, false, nil); err != nil && err != zerr.ErrAgain {
		t.Fatal(err)
	}
	if head == 0 || head >= offered {
		t.Fatalf("the socket took %d of %d parts: the test needs a pipe that fills", head, offered)
	}
	if got, want := released.Load(), carved.Load()-int32(head); got != want {
		t.Fatalf("%d copies made, %d parts taken, %d copies released: want %d released",
			carved.Load(), head, got, want)
	}
	closeAll(c, push) // drops what is queued
	if carved.Load() != released.Load() {
		t.Fatalf("%d references made, %d released", carved.Load(), released.Load())
	}
}

// A copied send the socket refuses (TrySendCopy with a full pipe) leaves
// no reference behind.
func TestTrySendCopyReleasesRefusedCopy(t *testing.T) {
	carved, released := countingCarve(t)
	c := newCtx(t)
	push := undrained(t, c, 2)
	sent := 0
	for ; sent < 100; sent++ {
		in := msg.Frame{Data: make([]byte, 100)}
		if _, err := push.TrySendCopy(&in, DontWait); err != nil {
			break
		}
	}
	if sent == 100 {
		t.Fatal("the pipe never filled")
	}
	if got, want := released.Load(), carved.Load()-int32(sent); got != want {
		t.Fatalf("%d copies, %d sent, %d released: want %d", carved.Load(), sent, got, want)
	}
	closeAll(c, push)
	if carved.Load() != released.Load() {
		t.Fatalf("%d references made, %d released", carved.Load(), released.Load())
	}
}

// Over inproc, copies stay Go memory: the receiver's message may be kept
// for long, and would keep a whole block.
func TestInprocSendsAreNotCarved(t *testing.T) {
	carved, _ := countingCarve(t)
	c := newCtx(t)
	push, pull := pushPull(t, c, "inproc://not-carved")
	sendRecv(t, push, pull, make([]byte, 100), 50)
	if n := carved.Load(); n != 0 {
		t.Fatalf("%d inproc sends carved", n)
	}
	closeAll(c, push, pull)
}

// undrained is a PUSH socket with SNDHWM hwm whose pipe nothing drains:
// connected over tcp (over inproc nothing is carved) to a port nobody
// listens on, so the pipe is there at once and only fills.
func undrained(t *testing.T, c *Context, hwm int) *Socket {
	t.Helper()
	push, err := c.NewSocket(socktype.PUSH)
	if err != nil {
		t.Fatal(err)
	}
	setInt(t, push, OptSndHWM, hwm)
	setInt(t, push, OptLinger, 0)
	if err := push.Connect(deadEndpoint(t)); err != nil {
		t.Fatal(err)
	}
	return push
}

// deadEndpoint is a tcp endpoint on loopback that nobody listens on.
func deadEndpoint(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ep := "tcp://" + l.Addr().String()
	l.Close()
	return ep
}
