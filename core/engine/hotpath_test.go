package engine

import (
	"net"
	"testing"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zmtp"
)

// memConn is a net.Conn over fixed bytes: reads replay src forever,
// writes are counted and dropped.
type memConn struct {
	src     []byte
	off     int
	written int
}

func (c *memConn) Read(p []byte) (int, error) {
	n := copy(p, c.src[c.off:])
	c.off = (c.off + n) % len(c.src)
	return n, nil
}
func (c *memConn) Write(p []byte) (int, error)      { c.written += len(p); return len(p), nil }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return nil }
func (c *memConn) RemoteAddr() net.Addr             { return nil }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// frames16 is n 16-byte data frames on the wire.
func frames16(n int) []byte {
	var s []byte
	for i := 0; i < n; i++ {
		s = zmtp.AppendFrameHeader(s, 16, false, false)
		s = append(s, make([]byte, 16)...)
	}
	return s
}

// The reader's decode path: small bodies come from its slab, so a frame
// costs no allocation of its own.
func TestReaderDecodeDoesNotAllocate(t *testing.T) {
	rd := newReader(&memConn{src: frames16(1000)}, -1)
	const batch = 1000
	var fr rframe
	allocs := testing.AllocsPerRun(10, func() {
		for i := 0; i < batch; i++ {
			if err := rd.next(&fr); err != nil || len(fr.body) != 16 {
				t.Fatalf("next: %v (%d bytes)", err, len(fr.body))
			}
		}
	})
	// One slab block per 512 bodies of 16 bytes, nothing per frame.
	if allocs > batch/512+1 {
		t.Fatalf("%.0f allocations for %d frames", allocs, batch)
	}
}

// The writer's encode path: frames are framed into the batch buffer and
// written with one call, without allocating.
func TestWriterEncodeDoesNotAllocate(t *testing.T) {
	w, q, conn := benchWriter()
	body := make([]byte, 16)
	allocs := testing.AllocsPerRun(100, func() {
		for i := 0; i < 100; i++ {
			q.Push(&msg.Frame{Data: body})
		}
		w.fill()
		if err := w.flush(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || conn.written == 0 {
		t.Fatalf("%.1f allocations per batch, %d bytes written", allocs, conn.written)
	}
}

func benchWriter() (*writer, *pipe.Queue, *memConn) {
	conn := &memConn{}
	e := New(conn, cfg("PUSH"))
	q := pipe.NewQueue(0)
	return newWriter(e, q, make(chan struct{}, 1)), q, conn
}

func BenchmarkReaderNext16(b *testing.B) {
	rd := newReader(&memConn{src: frames16(1000)}, -1)
	b.SetBytes(18)
	b.ReportAllocs()
	var fr rframe
	for i := 0; i < b.N; i++ {
		if err := rd.next(&fr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriterFill16(b *testing.B) {
	w, q, _ := benchWriter()
	body := make([]byte, 16)
	b.SetBytes(18)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		q.Push(&msg.Frame{Data: body})
		if i%100 == 99 {
			w.fill()
			w.flush()
		}
	}
}

// A batch stops taking large bodies once it holds heldMax bytes of them, so
// a long queue of large messages goes out (and is released) a part at a
// time, not in one write of everything queued.
func TestWriterBatchHoldsBoundedBodies(t *testing.T) {
	w, q, conn := benchWriter()
	const n, size = 20, 256 << 10
	body := make([]byte, size)
	for i := 0; i < n; i++ {
		q.Push(&msg.Frame{Data: body})
	}
	batches, want := 0, 0
	for q.Len() > 0 {
		taken := w.fill()
		if taken == 0 {
			t.Fatal("fill took nothing from a non-empty queue")
		}
		if w.heldBytes > heldMax+size-1 || w.heldBytes != taken*size {
			t.Fatalf("batch %d holds %d bytes in %d bodies (heldMax %d)", batches, w.heldBytes, taken, heldMax)
		}
		if err := w.flush(); err != nil {
			t.Fatal(err)
		}
		batches++
		want += taken * (size + 9) // a long frame's header is 9 bytes
	}
	if least := n * size / (heldMax + size); batches < least || conn.written != want {
		t.Fatalf("%d batches (want at least %d), %d bytes written (want %d)", batches, least, conn.written, want)
	}
}
