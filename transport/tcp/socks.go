package tcp

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/gozmq/gozmq/transport"
)

// SOCKS5 client (RFC 1928, with RFC 1929 username/password
// authentication), used for connects when ZMQ_SOCKS_PROXY is set. As in
// libzmq, the target host is not resolved locally: IP literals travel as
// addresses and names as a domain name for the proxy to resolve.

// SOCKS5 wire values (RFC 1928 §3-6, RFC 1929 §2).
const (
	socksVersion     = 5
	socksNoAuth      = 0x00
	socksBasicAuth   = 0x02
	socksNoMethod    = 0xff
	socksCmdConnect  = 1
	socksAtypIPv4    = 1
	socksAtypDomain  = 3
	socksAtypIPv6    = 4
	socksAuthVersion = 1
)

// errSocks is a refusal or a malformed answer from the proxy; the
// connecter treats it like a refused connection and tries again later.
var errSocks = errors.New("tcp: SOCKS5 proxy refused the connection")

// dialSocks connects to host:port through the proxy in o.
func dialSocks(ctx context.Context, host string, port int, o *transport.Options) (net.Conn, error) {
	direct := *o
	direct.SocksProxy = ""
	c, err := tcpTransport{}.Dial(ctx, o.SocksProxy, &direct)
	if err != nil {
		return nil, err
	}
	// Cancelling the connect (socket closed) aborts a stalled exchange.
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := socksHandshake(c, host, port, o.SocksUsername, o.SocksPassword); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// socksHandshake asks the proxy on c to connect to host:port, with
// username/password authentication when user is not empty.
func socksHandshake(c io.ReadWriter, host string, port int, user, pass string) error {
	method := byte(socksNoAuth)
	if user != "" {
		method = socksBasicAuth
	}
	if _, err := c.Write([]byte{socksVersion, 1, method}); err != nil {
		return err
	}
	var b [2]byte
	if _, err := io.ReadFull(c, b[:]); err != nil {
		return err
	}
	if b[0] != socksVersion || b[1] != method {
		return errSocks
	}
	if method == socksBasicAuth {
		if len(user) > 255 || len(pass) > 255 {
			return syscall.EINVAL
		}
		req := append([]byte{socksAuthVersion, byte(len(user))}, user...)
		req = append(append(req, byte(len(pass))), pass...)
		if _, err := c.Write(req); err != nil {
			return err
		}
		if _, err := io.ReadFull(c, b[:]); err != nil {
			return err
		}
		if b[0] != socksAuthVersion || b[1] != 0 {
			return errSocks
		}
	}
	req, err := socksRequest(host, port)
	if err != nil {
		return err
	}
	if _, err := c.Write(req); err != nil {
		return err
	}
	return readSocksReply(c)
}

// socksRequest encodes a CONNECT request for host:port.
func socksRequest(host string, port int) ([]byte, error) {
	req := []byte{socksVersion, socksCmdConnect, 0}
	if a, err := netip.ParseAddr(stripZone(host)); err == nil {
		if a.Is4() {
			req = append(req, socksAtypIPv4)
		} else {
			req = append(req, socksAtypIPv6)
		}
		req = append(req, a.AsSlice()...)
	} else {
		if len(host) == 0 || len(host) > 255 {
			return nil, transport.ErrInvalidAddr
		}
		req = append(append(req, socksAtypDomain, byte(len(host))), host...)
	}
	return binary.BigEndian.AppendUint16(req, uint16(port)), nil
}

// readSocksReply reads the proxy's answer to CONNECT, bound address
// included, so that what follows on c is the peer's own bytes.
func readSocksReply(c io.Reader) error {
	var h [4]byte
	if _, err := io.ReadFull(c, h[:]); err != nil {
		return err
	}
	if h[0] != socksVersion || h[2] != 0 {
		return errSocks
	}
	var n int
	switch h[3] {
	case socksAtypIPv4:
		n = 4
	case socksAtypIPv6:
		n = 16
	case socksAtypDomain:
		var l [1]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return err
		}
		n = int(l[0])
	default:
		return errSocks
	}
	rest := make([]byte, n+2) // address and port
	if _, err := io.ReadFull(c, rest); err != nil {
		return err
	}
	if h[1] != 0 {
		return errSocks
	}
	return nil
}
