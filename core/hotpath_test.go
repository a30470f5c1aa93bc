package core

import (
	"testing"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
)

// The steady-state send and receive paths must not allocate per message
// (STYLE.md §14, issue 9). These tests measure whole-process allocations,
// so engines' goroutines are counted too.

// pushPull returns a connected PUSH→PULL pair on ep after one message has
// gone through (so the pipes are attached and the rings grown).
func pushPull(tb testing.TB, c *Context, ep string) (push, pull *Socket) {
	tb.Helper()
	return connected(tb, c, socktype.PUSH, socktype.PULL, ep)
}

// connected is pushPull for any sending and receiving types: the
// receiver binds ep, the sender connects to it.
func connected(tb testing.TB, c *Context, sendType, recvType int, ep string) (snd, rcv *Socket) {
	tb.Helper()
	var err error
	if rcv, err = c.NewSocket(recvType); err != nil {
		tb.Fatal(err)
	}
	if snd, err = c.NewSocket(sendType); err != nil {
		tb.Fatal(err)
	}
	for _, s := range []*Socket{snd, rcv} {
		for _, o := range [][2]int{{OptLinger, 0}, {OptSndTimeo, 5000}, {OptRcvTimeo, 5000}} {
			b := make([]byte, 4)
			encodeValue(kindInt, o[1], b)
			if err := s.SetOption(o[0], b); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := rcv.Bind(ep); err != nil {
		tb.Fatal(err)
	}
	b := make([]byte, 256)
	n, err := rcv.GetOption(OptLastEndpoint, b)
	if err != nil {
		tb.Fatal(err)
	}
	if err := snd.Connect(string(b[:n-1])); err != nil {
		tb.Fatal(err)
	}
	sendRecv(tb, snd, rcv, make([]byte, 16), 1)
	return snd, rcv
}

// sendRecv sends n messages of body's size (copied, as zmq_send does) and
// receives them.
func sendRecv(tb testing.TB, push, pull *Socket, body []byte, n int) {
	var f msg.Frame
	for sent, got := 0, 0; got < n; {
		for ; sent < n && sent-got < 500; sent++ {
			in := msg.Frame{Data: body}
			if _, err := push.TrySendCopy(&in, 0); err != nil {
				if err := push.Send(&msg.Frame{Data: append([]byte(nil), body...)}, 0); err != nil {
					tb.Fatalf("send: %v", err)
				}
			}
		}
		for ; got < sent; got++ {
			if err := pull.Recv(&f, 0); err != nil {
				tb.Fatalf("recv: %v", err)
			}
			if len(f.Data) != len(body) {
				tb.Fatalf("got %d bytes, want %d", len(f.Data), len(body))
			}
			f.Release()
		}
	}
}

func closeAll(c *Context, socks ...*Socket) {
	for _, s := range socks {
		s.Close()
	}
	c.Term()
}

func TestInprocSendRecvDoesNotAllocate(t *testing.T) {
	c := newCtx(t)
	push, pull := pushPull(t, c, "inproc://allocs")
	defer closeAll(c, push, pull)
	body := make([]byte, 16)
	var f msg.Frame
	allocs := testing.AllocsPerRun(1000, func() {
		if err := push.Send(&msg.Frame{Data: body}, 0); err != nil {
			t.Fatal(err)
		}
		if err := pull.Recv(&f, 0); err != nil {
			t.Fatal(err)
		}
	})
	// zmq_send's path: a copy carved from the socket's slab.
	copyAllocs := testing.AllocsPerRun(1000, func() {
		sendRecv(t, push, pull, body, 1)
	})
	if allocs != 0 || copyAllocs != 0 {
		t.Fatalf("allocations per message: send %.2f, send-copy %.2f", allocs, copyAllocs)
	}
}

// Over tcp the engines' reader and writer run too: a batch of 1000
// 16-byte messages may cost only the reader's slab blocks (one per 512
// bodies) and nothing per message.
func TestTCPSteadyStateAllocations(t *testing.T) {
	c := newCtx(t)
	push, pull := pushPull(t, c, "tcp://127.0.0.1:*")
	defer closeAll(c, push, pull)
	body := make([]byte, 16)
	sendRecv(t, push, pull, body, 5000) // warm up: rings, buffers
	const batch = 1000
	allocs := testing.AllocsPerRun(20, func() { sendRecv(t, push, pull, body, batch) })
	if perMsg := allocs / batch; perMsg > 0.02 {
		t.Fatalf("%.3f allocations per message (%.0f per %d)", perMsg, allocs, batch)
	}
}

func benchmarkSendRecv(b *testing.B, ep string, size int) {
	c, err := NewContext()
	if err != nil {
		b.Fatal(err)
	}
	push, pull := pushPull(b, c, ep)
	defer closeAll(c, push, pull)
	body := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	sendRecv(b, push, pull, body, b.N)
}

func BenchmarkInprocSendRecv16(b *testing.B)    { benchmarkSendRecv(b, "inproc://bench", 16) }
func BenchmarkInprocSendRecv65536(b *testing.B) { benchmarkSendRecv(b, "inproc://bench", 65536) }
func BenchmarkTCPSendRecv16(b *testing.B)       { benchmarkSendRecv(b, "tcp://127.0.0.1:*", 16) }
func BenchmarkTCPSendRecv1024(b *testing.B)     { benchmarkSendRecv(b, "tcp://127.0.0.1:*", 1024) }
