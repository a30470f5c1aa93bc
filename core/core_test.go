package core

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
	_ "github.com/gozmq/gozmq/transport/ipc"
	_ "github.com/gozmq/gozmq/transport/tcp"
)

func newCtx(t *testing.T) *Context {
	t.Helper()
	c, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustSocket(t *testing.T, c *Context, typ int) *Socket {
	t.Helper()
	s, err := c.NewSocket(typ)
	if err != nil {
		t.Fatal(err)
	}
	setInt(t, s, OptLinger, 0)
	setInt(t, s, OptRcvTimeo, 5000)
	setInt(t, s, OptSndTimeo, 5000)
	return s
}

func setInt(t *testing.T, s *Socket, opt, v int) {
	t.Helper()
	b := make([]byte, 4)
	encodeValue(kindInt, v, b)
	if err := s.SetOption(opt, b); err != nil {
		t.Fatalf("set %d: %v", opt, err)
	}
}

func send(t *testing.T, s *Socket, body string, flags int) {
	t.Helper()
	f := msg.Frame{Data: []byte(body)}
	if err := s.Send(&f, flags); err != nil {
		t.Fatalf("send %q: %v", body, err)
	}
}

func recv(t *testing.T, s *Socket) (string, bool) {
	t.Helper()
	var f msg.Frame
	if err := s.Recv(&f, 0); err != nil {
		t.Fatalf("recv: %v", err)
	}
	return string(f.Data), f.HasMore()
}

func lastEndpoint(t *testing.T, s *Socket) string {
	t.Helper()
	b := make([]byte, 256)
	n, err := s.GetOption(OptLastEndpoint, b)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[:n-1])
}

// transports returns endpoint pairs (bind, then connect via LAST_ENDPOINT).
func endpoints(t *testing.T) []string {
	return []string{
		"inproc://" + t.Name(),
		"tcp://127.0.0.1:*",
		"ipc://" + t.TempDir() + "/sock",
	}
}

func pairUp(t *testing.T, c *Context, bindType, connType int, ep string) (b, k *Socket) {
	t.Helper()
	b = mustSocket(t, c, bindType)
	k = mustSocket(t, c, connType)
	if err := b.Bind(ep); err != nil {
		t.Fatalf("bind %s: %v", ep, err)
	}
	if err := k.Connect(lastEndpoint(t, b)); err != nil {
		t.Fatalf("connect: %v", err)
	}
	return b, k
}

func TestPairAllTransports(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			b, k := pairUp(t, c, socktype.PAIR, socktype.PAIR, ep)
			send(t, k, "hello", SndMore)
			send(t, k, "world", 0)
			if s, more := recv(t, b); s != "hello" || !more {
				t.Fatalf("got %q more=%v", s, more)
			}
			if s, more := recv(t, b); s != "world" || more {
				t.Fatalf("got %q more=%v", s, more)
			}
			send(t, b, "back", 0)
			if s, _ := recv(t, k); s != "back" {
				t.Fatalf("got %q", s)
			}
			b.Close()
			k.Close()
			if err := c.Term(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPushLoadBalancesAndPullFairQueues(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			push := mustSocket(t, c, socktype.PUSH)
			if err := push.Bind(ep); err != nil {
				t.Fatal(err)
			}
			ep := lastEndpoint(t, push)
			var pulls []*Socket
			for i := 0; i < 3; i++ {
				p := mustSocket(t, c, socktype.PULL)
				if err := p.Connect(ep); err != nil {
					t.Fatal(err)
				}
				pulls = append(pulls, p)
			}
			// Wait until all three peers are attached, by round-tripping
			// nothing: poll EVENTS until PollOut; then each new peer needs
			// its handshake done: send a probe per peer and collect.
			waitPeers(t, push, 3)
			for i := 0; i < 30; i++ {
				send(t, push, fmt.Sprint(i), 0)
			}
			for _, p := range pulls {
				for j := 0; j < 10; j++ {
					recv(t, p)
				}
			}
			for _, p := range pulls {
				p.Close()
			}
			push.Close()
			c.Term()
		})
	}
}

// waitPeers waits (bounded) until s has n attached pipes.
func waitPeers(t *testing.T, s *Socket, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		s.processCommands()
		got := len(s.pipes)
		s.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d peers attached", got, n)
		}
		s.mbox.sig.Wait(time.Now().Add(50 * time.Millisecond))
	}
}

func TestConnectBeforeBindDelivers(t *testing.T) {
	for _, ep := range []string{"inproc://cbb", "ipc://" + t.TempDir() + "/s"} {
		c := newCtx(t)
		push := mustSocket(t, c, socktype.PUSH)
		pull := mustSocket(t, c, socktype.PULL)
		if err := push.Connect(ep); err != nil {
			t.Fatal(err)
		}
		send(t, push, "early", 0)
		if err := pull.Bind(ep); err != nil {
			t.Fatal(err)
		}
		if s, _ := recv(t, pull); s != "early" {
			t.Fatalf("got %q", s)
		}
		push.Close()
		pull.Close()
		c.Term()
	}
}

func TestHWMBlocksAndDontWait(t *testing.T) {
	c := newCtx(t)
	push := mustSocket(t, c, socktype.PUSH)
	setInt(t, push, OptSndHWM, 5)
	if err := push.Connect("inproc://hwm"); err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		f := msg.Frame{Data: []byte("x")}
		if err := push.Send(&f, DontWait); err != nil {
			if !errors.Is(err, zerr.ErrAgain) {
				t.Fatal(err)
			}
			break
		}
		n++
	}
	if n != 5 {
		t.Fatalf("queued %d before EAGAIN, want SNDHWM 5", n)
	}
	setInt(t, push, OptSndTimeo, 10)
	f := msg.Frame{Data: []byte("x")}
	if err := push.Send(&f, 0); !errors.Is(err, zerr.ErrAgain) {
		t.Fatalf("timed send = %v, want EAGAIN", err)
	}
	push.Close()
	c.Term()
}

func TestTermUnblocksRecvWithETERM(t *testing.T) {
	c := newCtx(t)
	pull := mustSocket(t, c, socktype.PULL)
	setInt(t, pull, OptRcvTimeo, -1)
	pull.Bind("inproc://term")
	errc := make(chan error, 1)
	go func() {
		var f msg.Frame
		errc <- pull.Recv(&f, 0)
	}()
	termDone := make(chan error, 1)
	go func() { termDone <- c.Term() }()
	if err := <-errc; !errors.Is(err, zerr.ErrTerm) {
		t.Fatalf("recv = %v, want ETERM", err)
	}
	pull.Close()
	select {
	case err := <-termDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("term did not return after the last close")
	}
}

func TestLingerFlushesOnClose(t *testing.T) {
	c := newCtx(t)
	pull := mustSocket(t, c, socktype.PULL)
	pull.Bind("tcp://127.0.0.1:*")
	ep := lastEndpoint(t, pull)
	push := mustSocket(t, c, socktype.PUSH)
	setInt(t, push, OptLinger, 5000)
	push.Connect(ep)
	big := bytes.Repeat([]byte("z"), 1<<20)
	for i := 0; i < 8; i++ {
		f := msg.Frame{Data: big}
		if err := push.Send(&f, 0); err != nil {
			t.Fatal(err)
		}
	}
	push.Close()
	for i := 0; i < 8; i++ {
		var f msg.Frame
		if err := pull.Recv(&f, 0); err != nil || len(f.Data) != len(big) {
			t.Fatalf("message %d: %v (%d bytes)", i, err, len(f.Data))
		}
	}
	pull.Close()
	c.Term()
}

func TestReconnectAfterPeerRestart(t *testing.T) {
	c := newCtx(t)
	pull := mustSocket(t, c, socktype.PULL)
	pull.Bind("tcp://127.0.0.1:*")
	ep := lastEndpoint(t, pull)
	push := mustSocket(t, c, socktype.PUSH)
	setInt(t, push, OptReconnectIvl, 10)
	push.Connect(ep)
	send(t, push, "one", 0)
	if s, _ := recv(t, pull); s != "one" {
		t.Fatal(s)
	}
	pull.Close()
	pull = mustSocket(t, c, socktype.PULL)
	// The port may be briefly unavailable; retry the bind, bounded.
	deadline := time.Now().Add(5 * time.Second)
	for pull.Bind(ep) != nil {
		if time.Now().After(deadline) {
			t.Fatal("rebind failed")
		}
		runtime.Gosched()
	}
	// A message sent while the old connection is dying can be lost with
	// it (as with libzmq: it was written to a socket the peer had reset),
	// so keep sending until one arrives through the new connection.
	setInt(t, pull, OptRcvTimeo, 100)
	for i := 0; ; i++ {
		if i == 50 {
			t.Fatal("no message through the reconnected session")
		}
		send(t, push, "two", 0)
		var f msg.Frame
		if pull.Recv(&f, 0) == nil {
			if string(f.Data) != "two" {
				t.Fatalf("got %q", f.Data)
			}
			break
		}
	}
	push.Close()
	pull.Close()
	c.Term()
}

func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

func TestNoGoroutineOrFDLeakAfterTerm(t *testing.T) {
	before := runtime.NumGoroutine()
	fdsBefore := openFDs(t)
	var wg sync.WaitGroup
	c := newCtx(t)
	for _, ep := range endpoints(t) {
		b, k := pairUp(t, c, socktype.PULL, socktype.PUSH, ep)
		send(t, k, "x", 0)
		recv(t, b)
		b.Close()
		k.Close()
	}
	wg.Wait()
	if err := c.Term(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
	}
	if after := openFDs(t); after > fdsBefore {
		t.Fatalf("file descriptors: %d before, %d after term", fdsBefore, after)
	}
}

// An application-sized receive buffer (ZMQ_RCVBUF) turns off the engine's
// receive low-water mark for large bodies (engine.Config.FixedRcvBuf): the
// kernel no longer grows a fixed buffer to fit the mark.
func TestFixedRcvBufReachesEngine(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	s := mustSocket(t, c, socktype.PULL)
	defer s.Close()
	if s.engineConfig("127.0.0.1").FixedRcvBuf {
		t.Fatal("FixedRcvBuf set with the OS default buffer")
	}
	setInt(t, s, OptRcvBuf, 1<<16)
	if !s.engineConfig("127.0.0.1").FixedRcvBuf {
		t.Fatal("FixedRcvBuf not set with ZMQ_RCVBUF")
	}
}
