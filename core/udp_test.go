package core

import (
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/gozmq/gozmq/core/socktype"
)

// ZMQ_MULTICAST_HOPS reaches the sending socket's TTL (checked on the
// socket itself: multicast traffic would leave the machine).
func TestSetMulticastHops(t *testing.T) {
	conn, err := net.ListenUDP("udp", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	setMulticastHops(conn, 7)
	rc, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var ttl, hops int
	rc.Control(func(fd uintptr) {
		ttl, _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_TTL)
		hops, _ = unix.GetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS)
	})
	if ttl != 7 && hops != 7 {
		t.Fatalf("IP_MULTICAST_TTL %d, IPV6_MULTICAST_HOPS %d, want 7", ttl, hops)
	}
}

func TestUDPAddresses(t *testing.T) {
	for _, tc := range []struct {
		addr     string
		bind     bool
		ipv6, ok bool
		want     string
	}{
		{"*:5555", true, false, true, "0.0.0.0:5555"},
		{"*:*", true, false, true, "0.0.0.0:0"},
		{"127.0.0.1:*", false, false, false, ""}, // a connect needs a port
		{"[::1]:5555", true, true, true, "[::1]:5555"},
		{"[::1]:5555", true, false, false, ""}, // IPv6 needs ZMQ_IPV6
		{"127.0.0.1:70000", true, false, false, ""},
		{"no-port", true, false, false, ""},
		{"nosuchif0;239.0.0.1:5555", true, false, false, ""},
	} {
		_, ua, err := udpAddr(tc.addr, tc.bind, tc.ipv6)
		if (err == nil) != tc.ok || tc.ok && ua.String() != tc.want {
			t.Errorf("udpAddr(%q, bind %v, ipv6 %v) = %v, %v", tc.addr, tc.bind, tc.ipv6, ua, err)
		}
	}
	for in, want := range map[string]string{
		"127.0.0.1:9\x00": "127.0.0.1:9",
		"127.0.0.1:9":     "127.0.0.1:9",
		"[::1]:9":         "[::1]:9",
		"127.0.0.1:0":     "<nil>",
		"host:9":          "<nil>",
		"":                "<nil>",
	} {
		if got := parseDgramAddr([]byte(in)); got.String() != want {
			t.Errorf("parseDgramAddr(%q) = %v, want %s", in, got, want)
		}
	}
}

func TestDgramIPv6(t *testing.T) {
	c := newCtx(t)
	a := mustSocket(t, c, socktype.DGRAM)
	b := mustSocket(t, c, socktype.DGRAM)
	for _, s := range []*Socket{a, b} {
		setInt(t, s, OptIPv6, 1)
		if err := s.Bind("udp://[::1]:*"); err != nil {
			t.Fatal(err)
		}
	}
	aAddr := lastEndpoint(t, a)[len("udp://"):]
	send(t, b, aAddr, SndMore)
	send(t, b, "v6", 0)
	if from, _ := recv(t, a); from != lastEndpoint(t, b)[len("udp://"):]+"\x00" {
		t.Fatalf("from %q", from)
	}
	if s, _ := recv(t, a); s != "v6" {
		t.Fatalf("got %q", s)
	}
	endAll(t, c, a, b)
}
