package core

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// Tests of the draft socket types (RFC 41, 48, 49, 51, 52) through the
// core API, on every transport.

func endAll(t *testing.T, c *Context, socks ...*Socket) {
	t.Helper()
	for _, s := range socks {
		s.Close()
	}
	if err := c.Term(); err != nil {
		t.Fatal(err)
	}
}

// sendGroup and recvGroup drive the group calls to completion, as capi does.
func sendGroup(t *testing.T, s *Socket, group, body string) {
	t.Helper()
	f := msg.Frame{Data: []byte(body)}
	if err := s.block(0, func(fl int) (int, error) { return s.TrySendGroup(&f, group, fl) }); err != nil {
		t.Fatalf("send %s/%s: %v", group, body, err)
	}
}

func recvGroup(t *testing.T, s *Socket) (group, body string) {
	t.Helper()
	var f msg.Frame
	err := s.block(0, func(fl int) (int, error) {
		g, timeo, err := s.TryRecvGroup(&f, fl)
		group = g
		return timeo, err
	})
	if err != nil {
		t.Fatalf("recv: %v", err)
	}
	return group, string(f.Data)
}

func TestClientServerRoutingIDs(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			srv, c1 := pairUp(t, c, socktype.SERVER, socktype.CLIENT, ep)
			c2 := mustSocket(t, c, socktype.CLIENT)
			if err := c2.Connect(lastEndpoint(t, srv)); err != nil {
				t.Fatal(err)
			}
			ids := map[string]uint32{}
			for _, k := range []*Socket{c1, c2} {
				name := "from1"
				if k == c2 {
					name = "from2"
				}
				send(t, k, name, 0)
				var f msg.Frame
				if err := srv.Recv(&f, 0); err != nil {
					t.Fatal(err)
				}
				if f.RoutingID == 0 {
					t.Fatal("server message without routing id")
				}
				ids[string(f.Data)] = f.RoutingID
			}
			if ids["from1"] == ids["from2"] {
				t.Fatalf("two clients share routing id %d", ids["from1"])
			}
			for _, name := range []string{"from2", "from1"} {
				f := msg.Frame{Data: []byte("to" + name[4:]), RoutingID: ids[name]}
				if err := srv.Send(&f, 0); err != nil {
					t.Fatal(err)
				}
			}
			if s, _ := recv(t, c1); s != "to1" {
				t.Fatalf("client 1 got %q", s)
			}
			if s, _ := recv(t, c2); s != "to2" {
				t.Fatalf("client 2 got %q", s)
			}
			unknown := msg.Frame{Data: []byte("x"), RoutingID: ids["from1"] ^ ids["from2"] ^ 1}
			if unknown.RoutingID == ids["from1"] || unknown.RoutingID == ids["from2"] {
				unknown.RoutingID++
			}
			if err := srv.Send(&unknown, 0); !errors.Is(err, zerr.ErrHostUnreach) {
				t.Fatalf("send to unknown id: %v, want EHOSTUNREACH", err)
			}
			if err := srv.Send(&msg.Frame{Data: []byte("x")}, SndMore); !errors.Is(err, zerr.ErrInvalid) {
				t.Fatalf("server SNDMORE: %v, want EINVAL", err)
			}
			if err := c1.Send(&msg.Frame{Data: []byte("x")}, SndMore); !errors.Is(err, zerr.ErrInvalid) {
				t.Fatalf("client SNDMORE: %v, want EINVAL", err)
			}
			endAll(t, c, srv, c1, c2)
		})
	}
}

func TestScatterGatherDropsMultipart(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			g, sc := pairUp(t, c, socktype.GATHER, socktype.SCATTER, ep)
			send(t, sc, "one", 0)
			if s, more := recv(t, g); s != "one" || more {
				t.Fatalf("got %q more=%v", s, more)
			}
			if err := g.Send(&msg.Frame{}, 0); !errors.Is(err, zerr.ErrNotSupported) {
				t.Fatalf("gather send: %v", err)
			}
			if err := sc.Recv(&msg.Frame{}, DontWait); !errors.Is(err, zerr.ErrNotSupported) {
				t.Fatalf("scatter recv: %v", err)
			}
			if err := sc.Send(&msg.Frame{}, SndMore); !errors.Is(err, zerr.ErrInvalid) {
				t.Fatalf("scatter SNDMORE: %v", err)
			}
			endAll(t, c, g, sc)
		})
	}
	// A multipart message reaching a GATHER (only a misbehaving peer
	// sends one) is dropped whole; the next message still arrives.
	c := newCtx(t)
	g := mustSocket(t, c, socktype.GATHER)
	push := mustSocket(t, c, socktype.PUSH) // inproc skips the handshake's type check
	if err := g.Bind("inproc://gather-mp"); err != nil {
		t.Fatal(err)
	}
	if err := push.Connect("inproc://gather-mp"); err != nil {
		t.Fatal(err)
	}
	send(t, push, "a", SndMore)
	send(t, push, "b", 0)
	send(t, push, "single", 0)
	if s, _ := recv(t, g); s != "single" {
		t.Fatalf("got %q, want the single-part message", s)
	}
	endAll(t, c, g, push)
}

func TestChannelOnePeer(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			a, b := pairUp(t, c, socktype.CHANNEL, socktype.CHANNEL, ep)
			send(t, b, "ping", 0)
			if s, _ := recv(t, a); s != "ping" {
				t.Fatalf("got %q", s)
			}
			send(t, a, "pong", 0)
			if s, _ := recv(t, b); s != "pong" {
				t.Fatalf("got %q", s)
			}
			if err := a.Send(&msg.Frame{}, SndMore); !errors.Is(err, zerr.ErrInvalid) {
				t.Fatalf("SNDMORE: %v", err)
			}
			endAll(t, c, a, b)
		})
	}
}

func TestRadioDishGroups(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			radio := mustSocket(t, c, socktype.RADIO)
			dish := mustSocket(t, c, socktype.DISH)
			if err := dish.Join("Movies"); err != nil {
				t.Fatal(err)
			}
			if err := radio.Bind(ep); err != nil {
				t.Fatal(err)
			}
			if err := dish.Connect(lastEndpoint(t, radio)); err != nil {
				t.Fatal(err)
			}
			// The JOIN travels asynchronously: resend until it arrives.
			waitGroup(t, radio, dish, "Movies")
			if err := dish.Join("TV"); err != nil {
				t.Fatal(err)
			}
			waitGroup(t, radio, dish, "TV")
			if err := dish.Leave("TV"); err != nil {
				t.Fatal(err)
			}
			sendGroup(t, radio, "TV", "Friends")
			sendGroup(t, radio, "Movies", "Godfather")
			g, b := recvGroup(t, dish)
			for b == "probe" { // late probes of waitGroup
				g, b = recvGroup(t, dish)
			}
			if g != "Movies" || b != "Godfather" {
				t.Fatalf("got %s/%s after leaving TV", g, b)
			}
			for _, bad := range []func() error{
				func() error { return dish.Join("Movies") },
				func() error { return dish.Leave("TV") },
				func() error { return dish.Join(string(make([]byte, socktype.MaxGroup+1))) },
			} {
				if err := bad(); !errors.Is(err, zerr.ErrInvalid) {
					t.Fatalf("got %v, want EINVAL", err)
				}
			}
			if err := radio.Join("x"); !errors.Is(err, zerr.ErrNotSupported) {
				t.Fatalf("radio join: %v", err)
			}
			if err := dish.Send(&msg.Frame{}, 0); !errors.Is(err, zerr.ErrNotSupported) {
				t.Fatalf("dish send: %v", err)
			}
			endAll(t, c, radio, dish)
		})
	}
}

// waitGroup sends to group until dish receives it (bounded).
func waitGroup(t *testing.T, radio, dish *Socket, group string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		sendGroup(t, radio, group, "probe")
		for {
			var f msg.Frame
			g, _, err := dish.TryRecvGroup(&f, DontWait)
			if err != nil {
				break
			}
			if g == group {
				drain(dish)
				return
			}
			// an extra probe of an earlier waitGroup
		}
		if err := dish.mbox.sig.Wait(time.Now().Add(10 * time.Millisecond)); err == zerr.ErrInterrupted {
			t.Fatal(err)
		}
	}
	t.Fatalf("group %q never reached the dish", group)
}

// drain drops whatever s has queued now.
func drain(s *Socket) {
	for {
		var f msg.Frame
		if _, err := s.TryRecv(&f, DontWait); err != nil {
			return
		}
	}
}

func TestPeerConnectPeer(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep[:3], func(t *testing.T) {
			c := newCtx(t)
			a := mustSocket(t, c, socktype.PEER)
			b := mustSocket(t, c, socktype.PEER)
			if err := a.Bind(ep); err != nil {
				t.Fatal(err)
			}
			id, err := b.ConnectPeer(lastEndpoint(t, a))
			if err != nil || id == 0 {
				t.Fatalf("ConnectPeer: %d, %v", id, err)
			}
			if err := b.Send(&msg.Frame{Data: []byte("hi"), RoutingID: id}, 0); err != nil {
				t.Fatal(err)
			}
			var f msg.Frame
			if err := a.Recv(&f, 0); err != nil || string(f.Data) != "hi" || f.RoutingID == 0 {
				t.Fatalf("got %q id %d: %v", f.Data, f.RoutingID, err)
			}
			if err := a.Send(&msg.Frame{Data: []byte("back"), RoutingID: f.RoutingID}, 0); err != nil {
				t.Fatal(err)
			}
			var r msg.Frame
			if err := b.Recv(&r, 0); err != nil || string(r.Data) != "back" || r.RoutingID != id {
				t.Fatalf("got %q id %d (want %d): %v", r.Data, r.RoutingID, id, err)
			}
			endAll(t, c, a, b)
		})
	}
	c := newCtx(t)
	srv := mustSocket(t, c, socktype.SERVER)
	if _, err := srv.ConnectPeer("inproc://x"); !errors.Is(err, zerr.ErrNotSupported) {
		t.Fatalf("ConnectPeer on SERVER: %v", err)
	}
	p := mustSocket(t, c, socktype.PEER)
	setInt(t, p, OptImmediate, 1)
	if _, err := p.ConnectPeer("inproc://x"); !errors.Is(err, zerr.ErrFault) {
		t.Fatalf("ConnectPeer with IMMEDIATE: %v", err)
	}
	endAll(t, c, srv, p)
}

// Several goroutines blocked on one thread-safe socket all get served:
// a burst raises the eventfd once, and the wake-up is passed on.
func TestThreadSafeManyReceivers(t *testing.T) {
	c := newCtx(t)
	g, sc := pairUp(t, c, socktype.GATHER, socktype.SCATTER, "tcp://127.0.0.1:*")
	if v := getInt(t, g, OptThreadSafe); v != 1 {
		t.Fatalf("THREAD_SAFE = %d", v)
	}
	if _, err := g.GetOption(OptFD, make([]byte, 4)); !errors.Is(err, zerr.ErrInvalid) {
		t.Fatalf("FD on a thread-safe socket: %v, want EINVAL", err)
	}
	const workers, each = 4, 500
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				var f msg.Frame
				if err := g.Recv(&f, 0); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < workers*each; i++ {
		send(t, sc, "m", 0)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	endAll(t, c, g, sc)
}

func getInt(t *testing.T, s *Socket, opt int) int {
	t.Helper()
	b := make([]byte, 4)
	if _, err := s.GetOption(opt, b); err != nil {
		t.Fatal(err)
	}
	return int(int32(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24))
}

func TestRadioDishUDP(t *testing.T) {
	c := newCtx(t)
	dish := mustSocket(t, c, socktype.DISH)
	radio := mustSocket(t, c, socktype.RADIO)
	if err := dish.Bind("udp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	if err := dish.Join("TV"); err != nil {
		t.Fatal(err)
	}
	if err := radio.Connect(lastEndpoint(t, dish)); err != nil {
		t.Fatal(err)
	}
	// udp needs no handshake, so the first datagram already arrives (on
	// loopback nothing is lost at this rate).
	sendGroup(t, radio, "Movies", "not joined")
	sendGroup(t, radio, "TV", "Friends")
	if g, b := recvGroup(t, dish); g != "TV" || b != "Friends" {
		t.Fatalf("got %s/%s", g, b)
	}
	for _, bad := range []func() error{
		func() error { return radio.Bind("udp://127.0.0.1:*") },
		func() error { return dish.Connect("udp://127.0.0.1:5555") },
	} {
		if err := bad(); !errors.Is(err, zerr.ErrNoCompatProto) {
			t.Fatalf("got %v, want ENOCOMPATPROTO", err)
		}
	}
	pub := mustSocket(t, c, socktype.PUB)
	if err := pub.Bind("udp://127.0.0.1:*"); !errors.Is(err, zerr.ErrNoCompatProto) {
		t.Fatalf("PUB on udp: %v", err)
	}
	if err := radio.Disconnect(lastEndpoint(t, radio)); err != nil {
		t.Fatal(err)
	}
	endAll(t, c, dish, radio, pub)
}

func TestDgramRoundTrip(t *testing.T) {
	c := newCtx(t)
	a := mustSocket(t, c, socktype.DGRAM)
	b := mustSocket(t, c, socktype.DGRAM)
	if err := a.Bind("udp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	if err := b.Bind("udp://127.0.0.1:*"); err != nil {
		t.Fatal(err)
	}
	aAddr := lastEndpoint(t, a)[len("udp://"):]
	bAddr := lastEndpoint(t, b)[len("udp://"):]
	send(t, b, aAddr, SndMore)
	send(t, b, "question", 0)
	from, more := recv(t, a)
	if from != bAddr+"\x00" || !more {
		t.Fatalf("address part %q more=%v, want %q", from, more, bAddr)
	}
	if s, more := recv(t, a); s != "question" || more {
		t.Fatalf("got %q more=%v", s, more)
	}
	send(t, a, from, SndMore)
	send(t, a, "answer", 0)
	if s, _ := recv(t, b); s != aAddr+"\x00" {
		t.Fatalf("reply from %q", s)
	}
	if s, _ := recv(t, b); s != "answer" {
		t.Fatalf("got %q", s)
	}
	if err := a.Send(&msg.Frame{Data: []byte("no address")}, 0); !errors.Is(err, zerr.ErrInvalid) {
		t.Fatalf("body without address: %v", err)
	}
	if err := a.Connect("udp://127.0.0.1:5555"); !errors.Is(err, zerr.ErrNoCompatProto) {
		t.Fatalf("DGRAM connect: %v", err)
	}
	if err := a.Bind("tcp://127.0.0.1:*"); !errors.Is(err, zerr.ErrNoCompatProto) {
		t.Fatalf("DGRAM on tcp: %v", err)
	}
	endAll(t, c, a, b)
}

// Each draft type refuses a peer of the wrong type in the handshake
// (RFC 23's check, extended by the draft RFCs): its monitor reports
// HANDSHAKE_FAILED_PROTOCOL, and a matching peer still gets through.
func TestDraftTypesRefuseMismatchedPeers(t *testing.T) {
	cases := []struct{ typ, wrong, right int }{
		{socktype.CLIENT, socktype.DEALER, socktype.SERVER},
		{socktype.SERVER, socktype.ROUTER, socktype.CLIENT},
		{socktype.RADIO, socktype.SUB, socktype.DISH},
		{socktype.DISH, socktype.PUB, socktype.RADIO},
		{socktype.SCATTER, socktype.PULL, socktype.GATHER},
		{socktype.GATHER, socktype.PUSH, socktype.SCATTER},
		{socktype.PEER, socktype.PAIR, socktype.PEER},
		{socktype.CHANNEL, socktype.PAIR, socktype.CHANNEL},
	}
	for _, tc := range cases {
		t.Run(socktype.Name(tc.typ), func(t *testing.T) {
			c := newCtx(t)
			s := mustSocket(t, c, tc.typ)
			monEP := "inproc://mon-" + t.Name()
			if err := s.Monitor(monEP, EventHandshakeFailedP|EventHandshakeOK); err != nil {
				t.Fatal(err)
			}
			mon := mustSocket(t, c, socktype.PAIR)
			if err := mon.Connect(monEP); err != nil {
				t.Fatal(err)
			}
			if err := s.Bind("tcp://127.0.0.1:*"); err != nil {
				t.Fatal(err)
			}
			wrong := mustSocket(t, c, tc.wrong)
			if err := wrong.Connect(lastEndpoint(t, s)); err != nil {
				t.Fatal(err)
			}
			if ev := nextEvent(t, mon); ev != EventHandshakeFailedP {
				t.Fatalf("event %#x, want HANDSHAKE_FAILED_PROTOCOL", ev)
			}
			wrong.Close()
			right := mustSocket(t, c, tc.right)
			if err := right.Connect(lastEndpoint(t, s)); err != nil {
				t.Fatal(err)
			}
			for {
				ev := nextEvent(t, mon)
				if ev == EventHandshakeOK {
					break
				}
				if ev != EventHandshakeFailedP { // the refused peer retrying
					t.Fatalf("event %#x", ev)
				}
			}
			endAll(t, c, s, mon, right)
		})
	}
}

// nextEvent returns the number of the next monitor event.
func nextEvent(t *testing.T, mon *Socket) int {
	t.Helper()
	var f msg.Frame
	if err := mon.Recv(&f, 0); err != nil {
		t.Fatal(err)
	}
	if len(f.Data) < 2 || !f.HasMore() {
		t.Fatalf("bad event frame %q", f.Data)
	}
	ev := int(f.Data[0]) | int(f.Data[1])<<8
	if _, more := recv(t, mon); more {
		t.Fatal("event with more than two parts")
	}
	return ev
}

func TestRadioNoDrop(t *testing.T) {
	c := newCtx(t)
	radio := mustSocket(t, c, socktype.RADIO)
	dish := mustSocket(t, c, socktype.DISH)
	setInt(t, radio, OptSndHWM, 2)
	setInt(t, dish, OptRcvHWM, 2)
	setInt(t, radio, 69, 1) // ZMQ_XPUB_NODROP
	if err := dish.Join("g"); err != nil {
		t.Fatal(err)
	}
	if err := radio.Bind("inproc://nodrop"); err != nil {
		t.Fatal(err)
	}
	if err := dish.Connect("inproc://nodrop"); err != nil {
		t.Fatal(err)
	}
	// inproc HWMs add up: 4 messages fit, the 5th must wait.
	sent := 0
	for ; sent < 10; sent++ {
		f := msg.Frame{Data: []byte("m")}
		if _, err := radio.TrySendGroup(&f, "g", DontWait); err != nil {
			if !errors.Is(err, zerr.ErrAgain) {
				t.Fatal(err)
			}
			break
		}
	}
	if sent != 4 {
		t.Fatalf("sent %d before EAGAIN, want 4", sent)
	}
	recvGroup(t, dish)
	drain(dish)
	sendGroup(t, radio, "g", "after")
	if g, b := recvGroup(t, dish); g != "g" || b != "after" {
		t.Fatalf("got %s/%s", g, b)
	}
	endAll(t, c, radio, dish)
}

// The thread-safe types pay for passWake only after a call has blocked;
// these compare SCATTER→GATHER with PUSH→PULL, and CLIENT→SERVER, on the
// same path (16-byte messages, 500 in flight).
func benchmarkPair(b *testing.B, sendType, recvType int, ep string) {
	c, err := NewContext()
	if err != nil {
		b.Fatal(err)
	}
	snd, rcv := connected(b, c, sendType, recvType, ep)
	body := make([]byte, 16)
	b.ReportAllocs()
	b.ResetTimer()
	sendRecv(b, snd, rcv, body, b.N)
	b.StopTimer()
	closeAll(c, snd, rcv)
}

func BenchmarkTCPPushPull16(b *testing.B) {
	benchmarkPair(b, socktype.PUSH, socktype.PULL, "tcp://127.0.0.1:*")
}
func BenchmarkTCPScatterGather16(b *testing.B) {
	benchmarkPair(b, socktype.SCATTER, socktype.GATHER, "tcp://127.0.0.1:*")
}
func BenchmarkTCPClientServer16(b *testing.B) {
	benchmarkPair(b, socktype.CLIENT, socktype.SERVER, "tcp://127.0.0.1:*")
}
func BenchmarkInprocPushPull16(b *testing.B) {
	benchmarkPair(b, socktype.PUSH, socktype.PULL, "inproc://bench-pp")
}
func BenchmarkInprocScatterGather16(b *testing.B) {
	benchmarkPair(b, socktype.SCATTER, socktype.GATHER, "inproc://bench-sg")
}
