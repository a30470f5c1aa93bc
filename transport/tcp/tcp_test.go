package tcp

import (
	"errors"
	"testing"

	"github.com/gozmq/gozmq/transport"
)

// Endpoint rules the C bind/connect fuzzers found different from libzmq
// (tests/c/fuzz/bind.c and connect.c compare every result with libzmq's).
func TestParsePortAsLibzmq(t *testing.T) {
	for _, tc := range []struct {
		port     string
		wildcard bool
		want     int
		ok       bool
	}{
		{"0", false, 0, true}, {"*", true, 0, true}, {"*", false, 0, false},
		{"5555", false, 5555, true}, {"65535", false, 65535, true},
		{"65536", false, 0, false}, {"99999", false, 0, false},
		{"-0", true, 0, false}, {"+0", true, 0, false}, {"00", true, 0, false},
		{"-1", false, 0, false}, {"", true, 0, false}, {"x", true, 0, false},
	} {
		got, err := parsePort(tc.port, tc.wildcard)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("parsePort(%q) = %d, %v; want %d", tc.port, got, err, tc.want)
		}
		if !tc.ok && err == nil {
			t.Errorf("parsePort(%q) = %d, want an error", tc.port, got)
		}
	}
}

func listen(t *testing.T, addr string) error {
	t.Helper()
	o := &transport.Options{UseFD: -1}
	l, err := tcpTransport{}.Listen(addr, o)
	if err == nil {
		l.Close()
	}
	return err
}

// Binding takes IP literals, interface names and "*", never host names
// (libzmq: ENODEV); "src;addr" is accepted, the source checked and ignored.
func TestListenAddressesAsLibzmq(t *testing.T) {
	if err := listen(t, "localhost:0"); !errors.Is(err, transport.ErrNoDevice) {
		t.Errorf("bind localhost: %v, want ENODEV", err)
	}
	if err := listen(t, "127.0.0.1:0"); err != nil {
		t.Errorf("bind 127.0.0.1: %v", err)
	}
	if err := listen(t, "127.0.0.1:*;127.0.0.1:0"); err != nil {
		t.Errorf("bind with a source part: %v", err)
	}
	if err := listen(t, "nosuchif:*;127.0.0.1:0"); !errors.Is(err, transport.ErrNoDevice) {
		t.Errorf("bind with a bad source part: %v, want ENODEV", err)
	}
	if err := listen(t, "127.0.0.1:-0"); !errors.Is(err, transport.ErrInvalidAddr) {
		t.Errorf("bind port -0: %v, want EINVAL", err)
	}
}

// The source part ends at the last ';', as in libzmq.
func TestParseConnectSplitsAtLastSemicolon(t *testing.T) {
	src, host, port, err := parseConnect("a;b;127.0.0.1:5555", &transport.Options{UseFD: -1})
	if err != nil || src != "a;b" || host != "127.0.0.1" || port != 5555 {
		t.Fatalf("got %q %q %d %v", src, host, port, err)
	}
}
