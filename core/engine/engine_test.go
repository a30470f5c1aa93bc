package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/gozmq/gozmq/core/zmtp"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
)

func cfg(socketType string) Config {
	return Config{
		SocketType:   socketType,
		MaxMsgSize:   -1,
		HandshakeIvl: 5 * time.Second,
		PeerOK:       func(p string) bool { return p == "PUSH" || p == "PULL" || p == "PAIR" },
		Linger:       func() (time.Time, bool, bool) { return time.Time{}, false, false },
	}
}

// peer is a hand-driven ZMTP peer on the far side of a net.Pipe.
type peer struct {
	t    *testing.T
	conn net.Conn
}

func (p *peer) write(b []byte) {
	p.t.Helper()
	if _, err := p.conn.Write(b); err != nil {
		p.t.Fatalf("peer write: %v", err)
	}
}

func (p *peer) read(n int) []byte {
	p.t.Helper()
	b := make([]byte, n)
	if _, err := io.ReadFull(p.conn, b); err != nil {
		p.t.Fatalf("peer read: %v", err)
	}
	return b
}

func (p *peer) greet() {
	p.write(zmtp.AppendGreeting(nil, zmtp.Greeting{Major: 3, Minor: 1, Mechanism: "NULL"}))
	g := p.read(64)
	if g[0] != 0xff || g[9] != 0x7f || g[10] != 3 || string(g[12:16]) != "NULL" {
		p.t.Fatalf("bad greeting from engine: % x", g)
	}
}

func (p *peer) ready(socketType string) {
	p.write(zmtp.AppendReady(nil, zmtp.Metadata{{Name: "Socket-Type", Value: []byte(socketType)}, {Name: "Identity", Value: []byte("peer-1")}}))
	// The engine's READY: a short command frame.
	h := p.read(2)
	body := p.read(int(h[1]))
	cmd, err := zmtp.ParseCommand(body)
	if err != nil || cmd.Name != "READY" {
		p.t.Fatalf("expected READY, got %q %v", cmd.Name, err)
	}
}

type result struct {
	handshook bool
	err       error
}

func start(t *testing.T, c Config) (*peer, *pipe.Pipe, chan result, *Engine) {
	p, sock, done, e, _ := startConn(t, c)
	return p, sock, done, e
}

// startConn is start that also returns the engine's end of the connection.
func startConn(t *testing.T, c Config) (*peer, *pipe.Pipe, chan result, *Engine, net.Conn) {
	a, b := connPair(t)
	e := New(a, c)
	sockEnd, engEnd := pipe.New(0, 0)
	done := make(chan result, 1)
	go func() {
		h, err := e.Run(func(*Peer) *pipe.Pipe { return engEnd })
		done <- result{h, err}
	}()
	t.Cleanup(func() { b.Close(); e.Stop() })
	return &peer{t: t, conn: b}, sockEnd, done, e, a
}

// connPair returns both ends of a loopback TCP connection (buffered, unlike
// net.Pipe, so both sides may send their greeting first, as real peers do).
func connPair(t *testing.T) (net.Conn, net.Conn) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	b, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

func wait(t *testing.T, done chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("engine did not stop")
		return result{}
	}
}

func TestHandshakeAndFramesBothWays(t *testing.T) {
	p, sock, done, _ := start(t, cfg("PAIR"))
	p.greet()
	p.ready("PAIR")
	// Peer → socket: a two-part message, one short and one long frame.
	long := bytes.Repeat([]byte("L"), 300)
	p.write(zmtp.AppendFrameHeader(nil, 5, true, false))
	p.write([]byte("short"))
	p.write(zmtp.AppendFrameHeader(nil, uint64(len(long)), false, false))
	p.write(long)
	f := popWait(t, sock.In)
	if string(f.Data) != "short" || !f.HasMore() {
		t.Fatalf("first part %q more=%v", f.Data, f.HasMore())
	}
	if !sock.In.Pop(&f) || !bytes.Equal(f.Data, long) || f.HasMore() {
		t.Fatal("second part wrong")
	}
	if id, _ := f.Meta.Get("Identity"); id != "peer-1" {
		t.Fatalf("metadata Identity = %q", id)
	}
	// Socket → peer.
	sock.Out.Push(&msg.Frame{Data: []byte("hi")})
	if got := p.read(4); !bytes.Equal(got, []byte{0, 2, 'h', 'i'}) {
		t.Fatalf("frame on the wire: % x", got)
	}
	sock.Close()
	if r := wait(t, done); !r.handshook || r.err != nil {
		t.Fatalf("run = %+v", r)
	}
}

// popWait takes the next frame from q, waiting (bounded) for the engine
// goroutine to deliver it.
func popWait(t *testing.T, q *pipe.Queue) msg.Frame {
	t.Helper()
	var f msg.Frame
	deadline := time.Now().Add(5 * time.Second)
	for !q.Pop(&f) {
		if time.Now().After(deadline) {
			t.Fatal("nothing delivered")
		}
		runtime.Gosched()
	}
	return f
}

func TestPingGetsPong(t *testing.T) {
	p, _, _, _ := start(t, cfg("PAIR"))
	p.greet()
	p.ready("PAIR")
	ping := []byte{0, 10, 'c', 't', 'x'}
	p.write(zmtp.AppendCommand(nil, "PING", ping))
	h := p.read(2)
	cmd, _ := zmtp.ParseCommand(p.read(int(h[1])))
	if cmd.Name != "PONG" || string(cmd.Data) != "ctx" {
		t.Fatalf("got %s %q", cmd.Name, cmd.Data)
	}
}

func TestHostilePeersOnlyLoseTheirConnection(t *testing.T) {
	greeting := zmtp.AppendGreeting(nil, zmtp.Greeting{Major: 3, Minor: 1, Mechanism: "NULL"})
	longHdr := func(size uint64) []byte {
		b := []byte{zmtp.FlagLong}
		return binary.BigEndian.AppendUint64(b, size)
	}
	cases := []struct {
		name string
		send func(p *peer)
	}{
		{"bad signature", func(p *peer) { p.write(make([]byte, 64)) }},
		{"ZMTP 2.0", func(p *peer) { g := append([]byte(nil), greeting...); g[10] = 1; p.write(g[:11]) }},
		{"wrong mechanism", func(p *peer) {
			p.write(zmtp.AppendGreeting(nil, zmtp.Greeting{Major: 3, Minor: 1, Mechanism: "PLAIN"}))
		}},
		{"incompatible type", func(p *peer) {
			p.greet()
			p.write(zmtp.AppendReady(nil, zmtp.Metadata{{Name: "Socket-Type", Value: []byte("SUB")}}))
		}},
		{"data before READY", func(p *peer) { p.greet(); p.write([]byte{0, 1, 'x'}) }},
		{"reserved flag bits", func(p *peer) { p.greet(); p.ready("PAIR"); p.write([]byte{0x80, 0}) }},
		{"command with MORE", func(p *peer) { p.greet(); p.ready("PAIR"); p.write([]byte{0x05, 0}) }},
		{"huge command", func(p *peer) {
			p.greet()
			p.write(append([]byte{zmtp.FlagLong | zmtp.FlagCommand}, binary.BigEndian.AppendUint64(nil, 1<<40)...))
		}},
		{"size top bit", func(p *peer) { p.greet(); p.ready("PAIR"); p.write(longHdr(1 << 63)) }},
		{"malformed metadata", func(p *peer) { p.greet(); p.write(zmtp.AppendCommand(nil, "READY", []byte{11, 'S'})) }},
		{"empty command", func(p *peer) { p.greet(); p.ready("PAIR"); p.write([]byte{zmtp.FlagCommand, 0}) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _, done, _ := start(t, cfg("PAIR"))
			c.send(p)
			go io.Copy(io.Discard, p.conn)
			if r := wait(t, done); r.err == nil {
				t.Fatalf("engine accepted hostile input: %+v", r)
			}
		})
	}
}

func TestMaxMsgSizeDropsPeer(t *testing.T) {
	c := cfg("PAIR")
	c.MaxMsgSize = 10
	p, _, done, _ := start(t, c)
	p.greet()
	p.ready("PAIR")
	p.write(zmtp.AppendFrameHeader(nil, 11, false, false))
	if r := wait(t, done); !errors.Is(r.err, zmtp.ErrFrameTooLarge) {
		t.Fatalf("err = %v, want frame too large", r.err)
	}
}

func TestHugeAnnouncedSizeAllocatesOnlyWhatArrives(t *testing.T) {
	p, _, done, _ := start(t, cfg("PAIR"))
	p.greet()
	p.ready("PAIR")
	// 1 TiB announced, 10 bytes sent, then the peer hangs up: the engine
	// must neither allocate a terabyte nor deliver a partial message.
	p.write(append(append([]byte{zmtp.FlagLong}, binary.BigEndian.AppendUint64(nil, 1<<40)...), make([]byte, 10)...))
	p.conn.Close()
	if r := wait(t, done); r.err == nil {
		t.Fatal("truncated frame accepted")
	}
}

func TestStopEndsRun(t *testing.T) {
	p, _, done, e := start(t, cfg("PAIR"))
	p.greet()
	p.ready("PAIR")
	e.Stop()
	wait(t, done)
}

// greetMinor is greet for a peer that speaks ZMTP 3.minor.
func (p *peer) greetMinor(minor byte) {
	p.write(zmtp.AppendGreeting(nil, zmtp.Greeting{Major: 3, Minor: minor, Mechanism: "NULL"}))
	p.read(64)
}

// Subscriptions go to a ZMTP 3.1 peer as SUBSCRIBE/CANCEL commands and to
// a 3.0 peer as messages (RFC 37 §3.4.5, RFC 23).
func TestSubscriptionsForEachVersion(t *testing.T) {
	for _, minor := range []byte{0, 1} {
		c := cfg("SUB")
		c.PeerOK = func(string) bool { return true }
		c.SubsOut = true
		p, sock, _, _ := start(t, c)
		p.greetMinor(minor)
		p.ready("PUB")
		sock.Out.Push(&msg.Frame{Data: []byte("\x01news")})
		sock.Out.Push(&msg.Frame{Data: []byte("\x00news")})
		var want []byte
		if minor == 1 {
			want = append(zmtp.AppendSubscribe(nil, []byte("news")), zmtp.AppendCancel(nil, []byte("news"))...)
		} else {
			want = []byte{0, 5, 1, 'n', 'e', 'w', 's', 0, 5, 0, 'n', 'e', 'w', 's'}
		}
		if got := p.read(len(want)); !bytes.Equal(got, want) {
			t.Fatalf("3.%d: wire % x, want % x", minor, got, want)
		}
	}
}

// A publisher's engine turns SUBSCRIBE/CANCEL commands into messages.
func TestSubscribeCommandsBecomeMessages(t *testing.T) {
	c := cfg("PUB")
	c.PeerOK = func(string) bool { return true }
	c.SubsIn = true
	p, sock, _, _ := start(t, c)
	p.greet()
	p.ready("SUB")
	p.write(zmtp.AppendSubscribe(nil, []byte("t")))
	p.write(zmtp.AppendCancel(nil, []byte("t")))
	for _, want := range []string{"\x01t", "\x00t"} {
		if f := popWait(t, sock.In); string(f.Data) != want {
			t.Fatalf("got %q, want %q", f.Data, want)
		}
	}
}
