package tcp

import (
	"bytes"
	"io"
	"net"
	"testing"
)

// fakeProxy plays the proxy's side of one exchange over conn: it checks
// what the client sends against the expected bytes and answers with the
// scripted replies, in turn.
func fakeProxy(t *testing.T, conn net.Conn, steps [][2][]byte) chan error {
	done := make(chan error, 1)
	go func() {
		defer conn.Close()
		for _, s := range steps {
			got := make([]byte, len(s[0]))
			if _, err := io.ReadFull(conn, got); err != nil {
				done <- err
				return
			}
			if !bytes.Equal(got, s[0]) {
				t.Errorf("client sent %v, want %v", got, s[0])
			}
			if _, err := conn.Write(s[1]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return done
}

var okReply = []byte{5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90}

func TestSocksHandshake(t *testing.T) {
	for _, c := range []struct {
		name, host, user, pass string
		steps                  [][2][]byte
		ok                     bool
	}{
		{"ipv4", "127.0.0.1", "", "", [][2][]byte{
			{{5, 1, 0}, {5, 0}},
			{{5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90}, okReply}}, true},
		{"domain", "example.org", "", "", [][2][]byte{
			{{5, 1, 0}, {5, 0}},
			{append(append([]byte{5, 1, 0, 3, 11}, "example.org"...), 0x1f, 0x90), {5, 0, 0, 3, 2, 'h', 'i', 0, 1}}}, true},
		{"ipv6", "::1", "", "", [][2][]byte{
			{{5, 1, 0}, {5, 0}},
			{{5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1f, 0x90}, okReply}}, true},
		{"basic auth", "127.0.0.1", "u", "pw", [][2][]byte{
			{{5, 1, 2}, {5, 2}},
			{{1, 1, 'u', 2, 'p', 'w'}, {1, 0}},
			{{5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90}, okReply}}, true},
		{"bad credentials", "127.0.0.1", "u", "pw", [][2][]byte{
			{{5, 1, 2}, {5, 2}},
			{{1, 1, 'u', 2, 'p', 'w'}, {1, 1}}}, false},
		{"no acceptable method", "127.0.0.1", "", "", [][2][]byte{
			{{5, 1, 0}, {5, 0xff}}}, false},
		{"connect refused", "127.0.0.1", "", "", [][2][]byte{
			{{5, 1, 0}, {5, 0}},
			{{5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90}, {5, 5, 0, 1, 0, 0, 0, 0, 0, 0}}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			done := fakeProxy(t, server, c.steps)
			err := socksHandshake(client, c.host, 8080, c.user, c.pass)
			if (err == nil) != c.ok {
				t.Fatalf("handshake: %v, want ok=%v", err, c.ok)
			}
			client.Close()
			if perr := <-done; perr != nil && c.ok {
				t.Fatalf("proxy side: %v", perr)
			}
		})
	}
}

func TestSocksRequestRefusesLongNames(t *testing.T) {
	if _, err := socksRequest(string(bytes.Repeat([]byte("a"), 256)), 1); err == nil {
		t.Fatal("a 256-byte name must be refused")
	}
}
