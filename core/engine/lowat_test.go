package engine

import (
	"bytes"
	"runtime"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gozmq/gozmq/core/zmtp"
)

// The receive low-water mark never asks for more than is still missing of
// the body, and is 1 (plain reads) below lowatMin.
func TestLowatNeverAboveWhatIsMissing(t *testing.T) {
	for _, rest := range []uint64{0, 1, 4096, lowatMin - 1, lowatMin, lowatMin + 1,
		lowatCap - 1, lowatCap, lowatCap + 1, 64 << 20, 1 << 40} {
		got := lowatFor(rest)
		switch {
		case got < 1:
			t.Errorf("lowatFor(%d) = %d, below 1", rest, got)
		case rest < lowatMin && got != 1:
			t.Errorf("lowatFor(%d) = %d, want 1 below lowatMin", rest, got)
		case rest >= lowatMin && uint64(got) > rest:
			t.Errorf("lowatFor(%d) = %d, above what is missing", rest, got)
		case got > lowatCap:
			t.Errorf("lowatFor(%d) = %d, above lowatCap", rest, got)
		}
	}
}

// queued reports a socket ioctl count (SIOCINQ: unread bytes; SIOCOUTQ:
// bytes not yet acknowledged by the peer).
func queued(t *testing.T, c syscall.Conn, req uint) int {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	n := -1
	raw.Control(func(fd uintptr) { n, _ = unix.IoctlGetInt(int(fd), req) })
	return n
}

// A large body whose last bytes come only after all the others have
// reached the receiving socket still arrives: whenever the reader waits,
// its low-water mark is at most what is still to come. (It may wait with
// bytes unread below the mark; that is the point of the mark.) A mark
// left above what is missing would never see the socket readable again.
func TestLargeBodyWhoseTailComesLate(t *testing.T) {
	p, sockEnd, _, _, a := startConn(t, cfg("PAIR"))
	b := p.conn
	p.greet()
	p.ready("PAIR")

	const size = 3 << 20
	const tail = 100 << 10 // under lowatMin: the reader then waits with a mark of 1
	body := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < 3; i++ { // the reader's timing varies: a few rounds
		p.write(zmtp.AppendFrameHeader(nil, size, false, false))
		p.write(body[:size-tail])
		// Wait (bounded) until everything sent so far has reached our
		// side: nothing unacknowledged on the peer's.
		for queued(t, b.(syscall.Conn), unix.SIOCOUTQ) != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the first part of the body did not reach the engine's socket")
			}
			runtime.Gosched()
		}
		p.write(body[size-tail:])
		if f := popWait(t, sockEnd.In); !bytes.Equal(f.Data, body) {
			t.Fatalf("round %d: body of %d bytes arrived wrong (%d bytes)", i, size, len(f.Data))
		}
	}

	// Once a body is complete the mark is back to 1: a short message
	// after a large one (sent whole, so read with the mark raised) arrives.
	for i := 0; i < 4; i++ {
		p.write(append(zmtp.AppendFrameHeader(nil, size, false, false), body...))
		if f := popWait(t, sockEnd.In); len(f.Data) != size {
			t.Fatalf("large message %d: %d bytes", i, len(f.Data))
		}
		for queued(t, b.(syscall.Conn), unix.SIOCOUTQ) != 0 || queued(t, a.(syscall.Conn), unix.SIOCINQ) != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the reader did not take the large message")
			}
			runtime.Gosched()
		}
		p.write(append(zmtp.AppendFrameHeader(nil, 5, false, false), "short"...))
		if f := popWait(t, sockEnd.In); string(f.Data) != "short" {
			t.Fatalf("short message after large message %d: %q", i, f.Data)
		}
	}
}

// If a mark is never reached (a kernel quirk; here a mark made larger
// than the body's rest on purpose), the read gives up on marks after
// lowatWait and the body still arrives. The body's tail is sent only once
// the reader has taken everything before it, so the reader must wait for
// the tail with the unreachable mark up.
func TestUnreachedMarkFallsBack(t *testing.T) {
	oldFor, oldWait := lowatFor, lowatWait
	lowatFor = func(rest uint64) int { return int(rest) + 1 }
	lowatWait = 20 * time.Millisecond
	t.Cleanup(func() { lowatFor, lowatWait = oldFor, oldWait })
	p, sockEnd, _, _, a := startConn(t, cfg("PAIR"))
	b := p.conn
	p.greet()
	p.ready("PAIR")
	const size = 1 << 20
	const tail = 1000
	body := bytes.Repeat([]byte("x"), size)
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < 2; i++ { // the second body: on a connection without marks
		p.write(zmtp.AppendFrameHeader(nil, size, false, false))
		p.write(body[:size-tail])
		for queued(t, b.(syscall.Conn), unix.SIOCOUTQ) != 0 || queued(t, a.(syscall.Conn), unix.SIOCINQ) != 0 {
			if time.Now().After(deadline) {
				t.Fatal("the reader did not take the body's first part")
			}
			runtime.Gosched()
		}
		p.write(body[size-tail:])
		if f := popWait(t, sockEnd.In); len(f.Data) != size {
			t.Fatalf("body %d: %d bytes", i, len(f.Data))
		}
	}
	p.write(append(zmtp.AppendFrameHeader(nil, 5, false, false), "short"...))
	if f := popWait(t, sockEnd.In); string(f.Data) != "short" {
		t.Fatalf("short message: %q", f.Data)
	}
}
