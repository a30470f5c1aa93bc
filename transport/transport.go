package transport

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Options are the socket options that affect connections (a subset of
// core.Options, copied when a listener or dialer starts).
type Options struct {
	IPv6           bool
	Backlog        int
	SndBuf, RcvBuf int // bytes; -1 leaves the OS default
	TOS            int
	KeepAlive      int // -1 OS default, 0 off, 1 on
	KeepAliveCnt   int
	KeepAliveIdle  int // seconds
	KeepAliveIntvl int
	BindToDevice   string
	ConnectTimeout int // ms, 0 = OS default
	TCPMaxRT       int // ms
	UseFD          int // a listening socket to use instead of binding, or -1

	// SocksProxy ("[src;]host:port") makes tcp connects go through a
	// SOCKS5 proxy, authenticating with SocksUsername/SocksPassword
	// when the username is not empty.
	SocksProxy, SocksUsername, SocksPassword string
}

// SetBacklog applies ZMQ_BACKLOG: Go listens with the system maximum, and
// Linux lets listen(2) be called again on a listening socket to change
// the queue length.
func SetBacklog(l syscall.Conn, backlog int) {
	if backlog <= 0 {
		return
	}
	if raw, err := l.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) { unix.Listen(int(fd), backlog) })
	}
}

// FileListener wraps a duplicate of a listening socket's descriptor
// (ZMQ_USE_FD); the descriptor itself stays the application's.
func FileListener(fd int) (net.Listener, error) {
	// An *os.File closes its descriptor when collected, so it must own a
	// copy, never the application's own descriptor.
	dup, err := unix.Dup(fd)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(dup), "zmq-use-fd")
	defer f.Close()
	return net.FileListener(f)
}

// Listener accepts connections for one bound endpoint.
type Listener interface {
	// Accept blocks until a connection arrives or Close is called.
	Accept() (net.Conn, error)
	// Close stops listening and removes what the bind created (an ipc
	// socket file). Idempotent.
	Close() error
	// Endpoint is the resolved address, as ZMQ_LAST_ENDPOINT reports it
	// ("tcp://127.0.0.1:41235").
	Endpoint() string
}

// Transport dials and listens for one scheme.
type Transport interface {
	// Listen binds addr (the part after "scheme://").
	Listen(addr string, o *Options) (Listener, error)
	// Dial connects to addr; ctx cancels a dial in progress.
	Dial(ctx context.Context, addr string, o *Options) (net.Conn, error)
	// CheckConnect validates addr for zmq_connect before any dial, so a
	// malformed endpoint fails the call (EINVAL) rather than every retry.
	CheckConnect(addr string, o *Options) error
}

var (
	mu       sync.RWMutex
	registry = map[string]Transport{}
)

// Register makes t available for scheme. Transports register in init.
func Register(scheme string, t Transport) {
	mu.Lock()
	registry[scheme] = t
	mu.Unlock()
}

// Lookup returns the transport for scheme.
func Lookup(scheme string) (Transport, bool) {
	mu.RLock()
	defer mu.RUnlock()
	t, ok := registry[scheme]
	return t, ok
}

// Errors a transport returns for bad addresses; core maps them to errno.
var (
	ErrInvalidAddr = errors.New("transport: invalid address")   // EINVAL
	ErrNoDevice    = errors.New("transport: no such interface") // ENODEV
)
