package engine

import (
	"bytes"
	"testing"

	"github.com/gozmq/gozmq/core/msg"
)

// HELLO_MSG goes out first, before a message the socket queued earlier;
// the farewell (DISCONNECT_MSG/HICCUP_MSG) reaches the socket after the
// peer's complete messages, with a half-received one dropped; and the
// connection's descriptor travels with the metadata (ZMQ_SRCFD).
func TestHelloFarewellAndSourceFD(t *testing.T) {
	c := cfg("PAIR")
	c.Hello, c.Farewell = []byte("HELLO"), []byte("BYE")
	p, sock, done, _ := start(t, c)
	sock.Out.Push(&msg.Frame{Data: []byte("queued")})
	p.greet()
	p.ready("PAIR")
	if got := p.read(7); !bytes.Equal(got, []byte{0, 5, 'H', 'E', 'L', 'L', 'O'}) {
		t.Fatalf("first frame on the wire: % x, want the hello", got)
	}
	if got := p.read(8); !bytes.Equal(got[2:], []byte("queued")) {
		t.Fatalf("second frame % x", got)
	}
	p.write([]byte{0, 2, 'o', 'k'})
	p.write([]byte{1, 4, 'h', 'a', 'l', 'f'}) // MORE, never finished
	f := popWait(t, sock.In)
	if string(f.Data) != "ok" || f.Meta == nil || f.Meta.SrcFD < 0 {
		t.Fatalf("got %q, meta %+v", f.Data, f.Meta)
	}
	p.conn.Close()
	wait(t, done)
	f = popWait(t, sock.In)
	if string(f.Data) != "BYE" || f.HasMore() {
		t.Fatalf("after the peer left: %q more=%v, want the farewell", f.Data, f.HasMore())
	}
}
