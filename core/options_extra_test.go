package core

import (
	"net/netip"
	"testing"

	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

func TestAcceptFilterParsing(t *testing.T) {
	for _, c := range []struct {
		in   string
		ipv6 bool
		want string // "" means EINVAL
	}{
		{"127.0.0.1", false, "127.0.0.1/32"},
		{"127.0.0.1/32", false, "127.0.0.1/32"},
		{"10.1.2.3/8", false, "10.0.0.0/8"},
		{"0.0.0.0/0", false, "0.0.0.0/0"},
		{"::1/128", true, "::1/128"},
		{"[::1]/64", true, "::/64"},
		{"::1", false, ""},
		{"foo", false, ""},
		{"localhost", false, ""},
		{"0.0.0.0foo", false, ""},
		{"0.0.0.0/foo", false, ""},
		{"0.0.0.0/", false, ""},
		{"0.0.0.0/-1", false, ""},
		{"0.0.0.0/33", false, ""},
		{"::/129", true, ""},
	} {
		p, err := parseAcceptFilter(c.in, c.ipv6)
		if c.want == "" {
			if err != zerr.ErrInvalid {
				t.Errorf("%q: got %v %v, want EINVAL", c.in, p, err)
			}
			continue
		}
		if err != nil || p.String() != c.want {
			t.Errorf("%q: got %v %v, want %s", c.in, p, err, c.want)
		}
	}
}

func TestAdmitsTCP(t *testing.T) {
	var o Options
	lo := netip.MustParseAddr("127.0.0.1")
	if !o.admitsTCP(lo) {
		t.Fatal("no filter must admit everyone")
	}
	o.TCPAcceptFilters = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	if o.admitsTCP(lo) {
		t.Fatal("127.0.0.1 admitted by 10.0.0.0/8")
	}
	o.TCPAcceptFilters = append(o.TCPAcceptFilters, netip.MustParsePrefix("127.0.0.0/8"))
	if !o.admitsTCP(lo) || !o.admitsTCP(netip.MustParseAddr("::ffff:127.0.0.9")) {
		t.Fatal("127.0.0.0/8 must admit 127.x, mapped or not")
	}
}

func TestDraftOptionTable(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	s := mustSocket(t, c, socktype.ROUTER)
	defer s.Close()
	for _, opt := range []int{OptHelloMsg, OptDisconnectMsg, OptHiccupMsg} {
		if err := s.SetOption(opt, []byte("m")); err != nil {
			t.Fatalf("set %d: %v", opt, err)
		}
		if _, err := s.GetOption(opt, make([]byte, 8)); err != zerr.ErrInvalid {
			t.Fatalf("get %d: %v, want EINVAL (write-only)", opt, err)
		}
	}
	o := s.Options()
	if string(o.helloFor(socktype.ROUTER)) != "m" || string(o.disconnectFor(socktype.ROUTER)) != "m" ||
		o.hiccupFor(socktype.ROUTER) != nil || o.helloFor(socktype.PUSH) != nil {
		t.Fatal("message options applied to the wrong socket types")
	}
	if err := s.SetOption(OptHelloMsg, nil); err != nil || s.Options().HelloMsg != nil {
		t.Fatal("an empty HELLO_MSG must unset it")
	}
	for _, c := range []struct {
		val  []byte
		want error
	}{{[]byte{1, 0, 0, 0}, nil}, {[]byte{1}, zerr.ErrInvalid}, {make([]byte, 8), zerr.ErrInvalid}, {nil, nil}} {
		if err := s.SetOption(OptIPCFilterUID, c.val); err != c.want {
			t.Fatalf("IPC_FILTER_UID %v: %v, want %v", c.val, err, c.want)
		}
	}
	setInt(t, s, OptBusyPoll, 7)
	if s.Options().BusyPoll != 7 {
		t.Fatal("BUSY_POLL not stored")
	}
}

func TestTopicsCountOnPubAndSub(t *testing.T) {
	c := newCtx(t)
	defer c.Term()
	pub, sub := pairUp(t, c, socktype.PUB, socktype.SUB, "inproc://topics")
	defer pub.Close()
	defer sub.Close()
	count := func(s *Socket) int {
		b := make([]byte, 4)
		if _, err := s.GetOption(116, b); err != nil {
			t.Fatal(err)
		}
		return int(int32(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24))
	}
	for _, topic := range []string{"a", "ab", "ab"} {
		if err := sub.SetOption(OptSubscribe, []byte(topic)); err != nil {
			t.Fatal(err)
		}
	}
	// inproc subscriptions are in the PUB's pipe already; GetOption
	// applies them before answering.
	if n, m := count(sub), count(pub); n != 2 || m != 2 {
		t.Fatalf("TOPICS_COUNT sub=%d pub=%d, want 2 and 2", n, m)
	}
}
