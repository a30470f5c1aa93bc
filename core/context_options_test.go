package core

import (
	"errors"
	"testing"

	"github.com/gozmq/gozmq/core/zerr"
)

// ZMQ_MAX_SOCKETS accepts any positive value, above ZMQ_SOCKET_LIMIT
// too, as libzmq does with epoll (libzmq's test_many_sockets sets 131072).
func TestMaxSocketsAboveSocketLimit(t *testing.T) {
	c, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Term()
	for _, v := range []int{1, SocketLimit, SocketLimit + 1, 2 * 65536} {
		if err := c.Set(CtxMaxSockets, v); err != nil {
			t.Fatalf("Set(MAX_SOCKETS, %d) = %v", v, err)
		}
		if got, _ := c.Get(CtxMaxSockets); got != v {
			t.Fatalf("MAX_SOCKETS = %d after setting %d", got, v)
		}
	}
	for _, v := range []int{0, -1} {
		if err := c.Set(CtxMaxSockets, v); !errors.Is(err, zerr.ErrInvalid) {
			t.Fatalf("Set(MAX_SOCKETS, %d) = %v, want EINVAL", v, err)
		}
	}
	if got, _ := c.Get(CtxSocketLimit); got != SocketLimit {
		t.Fatalf("SOCKET_LIMIT = %d", got)
	}
}
