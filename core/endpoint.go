package core

import (
	"errors"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/gozmq/gozmq/core/zerr"
	"github.com/gozmq/gozmq/transport"
)

// knownSchemes are the transports libzmq may be built with. One we do not
// implement fails with EPROTONOSUPPORT, as libzmq built without it does;
// anything else is EPROTONOSUPPORT too (libzmq checks the scheme first).
var knownSchemes = map[string]bool{
	"tcp": true, "ipc": true, "inproc": true, "pgm": true, "epgm": true,
	"tipc": true, "vmci": true, "norm": true, "udp": true, "ws": true, "wss": true,
}

// splitEndpoint splits "scheme://address".
func splitEndpoint(ep string) (scheme, addr string, err error) {
	i := strings.Index(ep, "://")
	if i <= 0 {
		return "", "", zerr.ErrInvalid
	}
	scheme, addr = ep[:i], ep[i+3:]
	if addr == "" {
		return "", "", zerr.ErrInvalid
	}
	return scheme, addr, nil
}

func isInproc(ep string) bool { return strings.HasPrefix(ep, "inproc://") }

// lookupTransport returns the byte-stream transport for scheme.
func lookupTransport(scheme string) (transport.Transport, error) {
	t, ok := transport.Lookup(scheme)
	if !ok {
		return nil, zerr.ErrProtoNoSupport
	}
	return t, nil
}

// mapNetErr turns a transport or OS error into the sentinel or errno
// value the C API reports.
func mapNetErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, transport.ErrInvalidAddr):
		return zerr.ErrInvalid
	case errors.Is(err, transport.ErrNoDevice):
		return zerr.ErrNoDevice
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	if errors.Is(err, os.ErrPermission) {
		return syscall.EACCES
	}
	return zerr.ErrInvalid
}

// transportOptions copies the connection-level options.
func (o *Options) transportOptions() transport.Options {
	return transport.Options{
		IPv6: o.IPv6, Backlog: o.Backlog, SndBuf: o.SndBuf, RcvBuf: o.RcvBuf,
		TOS: o.TOS, KeepAlive: o.TCPKeepalive, KeepAliveCnt: o.TCPKeepaliveCnt,
		KeepAliveIdle: o.TCPKeepaliveIdle, KeepAliveIntvl: o.TCPKeepaliveIntvl,
		BindToDevice: o.BindToDevice, ConnectTimeout: o.ConnectTimeout,
		TCPMaxRT: o.TCPMaxRT, UseFD: o.UseFD,
		SocksProxy: o.SocksProxy, SocksUsername: o.SocksUsername, SocksPassword: o.SocksPassword,
	}
}

type netConn = net.Conn
