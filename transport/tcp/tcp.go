// Package tcp is the tcp:// transport (zmq_tcp): IPv4 and IPv6 literals,
// host names, interface names, "*" for any address and "*"/"0" for an
// ephemeral port, and "src;dst" source binding for connects.
//
// Imports: transport, the standard library and x/sys/unix.
package tcp

import (
	"context"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gozmq/gozmq/transport"
)

func init() { transport.Register("tcp", tcpTransport{}) }

type tcpTransport struct{}

// splitHostPort splits "host:port" where host may be "[v6]" or "*".
func splitHostPort(addr string) (host, port string, err error) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", "", transport.ErrInvalidAddr
	}
	host, port = addr[:i], addr[i+1:]
	if strings.HasPrefix(host, "[") {
		if !strings.HasSuffix(host, "]") {
			return "", "", transport.ErrInvalidAddr
		}
		host = host[1 : len(host)-1]
		// Drop a zone only for the check; net handles "%zone" itself.
	}
	if host == "" {
		return "", "", transport.ErrInvalidAddr
	}
	return host, port, nil
}

// parsePort accepts 1..65535, "0", and "*" (as 0) where a wildcard is
// allowed.
// A connect to port 0 is accepted as libzmq does; the dial then fails and
// is retried like any unreachable peer.
func parsePort(port string, wildcard bool) (int, error) {
	if port == "*" && wildcard || port == "0" {
		return 0, nil
	}
	// Port 0 only as "0" exactly: libzmq refuses "00", "-0" or "+0".
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return 0, transport.ErrInvalidAddr
	}
	return n, nil
}

// resolveLocal resolves a bind (or source) address: "*", an IP literal or
// an interface name. Host names are not looked up, as in libzmq, whose
// resolver allows DNS only for the address a socket connects to: binding
// "localhost" fails with ENODEV.
func resolveLocal(host string, ipv6 bool) (net.IP, error) {
	if host == "*" {
		if ipv6 {
			return net.IPv6unspecified, nil
		}
		return net.IPv4zero, nil
	}
	if ip := net.ParseIP(stripZone(host)); ip != nil {
		if ip.To4() == nil && !ipv6 {
			return nil, transport.ErrNoDevice
		}
		return ip, nil
	}
	if ifi, err := net.InterfaceByName(host); err == nil {
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && (ipv6 || ipn.IP.To4() != nil) {
				return ipn.IP, nil
			}
		}
		return nil, transport.ErrNoDevice
	}
	return nil, transport.ErrNoDevice
}

func stripZone(h string) string {
	if i := strings.IndexByte(h, '%'); i >= 0 {
		return h[:i]
	}
	return h
}

// resolveHost looks a name up, preferring IPv4 unless only IPv6 exists
// and IPv6 is enabled.
func resolveHost(host string, ipv6 bool, notFound error) (net.IP, error) {
	if ip := net.ParseIP(stripZone(host)); ip != nil {
		if ip.To4() == nil && !ipv6 {
			return nil, transport.ErrInvalidAddr
		}
		return ip, nil
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return nil, notFound
	}
	for _, ip := range ips {
		if ip.To4() != nil {
			return ip, nil
		}
	}
	if ipv6 {
		return ips[0], nil
	}
	return nil, notFound
}

func (tcpTransport) Listen(addr string, o *transport.Options) (transport.Listener, error) {
	// libzmq parses "src;addr" for binds too: the source part must be a
	// valid local address, and is then ignored.
	if i := strings.LastIndexByte(addr, ';'); i >= 0 {
		sh, sp, err := splitHostPort(addr[:i])
		if err != nil {
			return nil, err
		}
		if _, err := parsePort(sp, true); err != nil {
			return nil, err
		}
		if _, err := resolveLocal(sh, o.IPv6); err != nil {
			return nil, err
		}
		addr = addr[i+1:]
	}
	host, port, err := splitHostPort(addr)
	if err != nil {
		return nil, err
	}
	p, err := parsePort(port, true)
	if err != nil {
		return nil, err
	}
	ip, err := resolveLocal(host, o.IPv6)
	if err != nil {
		return nil, err
	}
	if o.UseFD >= 0 {
		return useFD(o)
	}
	lc := net.ListenConfig{KeepAlive: -1, Control: control(o)}
	network := "tcp4"
	if ip.To4() == nil {
		network = "tcp6"
		if ip.Equal(net.IPv6unspecified) {
			network = "tcp" // dual stack, as libzmq's IPv6 wildcard
		}
	}
	l, err := lc.Listen(context.Background(), network, net.JoinHostPort(ip.String(), strconv.Itoa(p)))
	if err != nil {
		return nil, err
	}
	tl := l.(*net.TCPListener)
	transport.SetBacklog(tl, o.Backlog)
	return &listener{l: tl, o: *o}, nil
}

// useFD listens on a socket the application created (ZMQ_USE_FD). The
// descriptor stays the application's; we work on a duplicate.
func useFD(o *transport.Options) (transport.Listener, error) {
	l, err := transport.FileListener(o.UseFD)
	if err != nil {
		return nil, err
	}
	tl, ok := l.(*net.TCPListener)
	if !ok {
		l.Close()
		return nil, transport.ErrInvalidAddr
	}
	return &listener{l: tl, o: *o}, nil
}

type listener struct {
	l *net.TCPListener
	o transport.Options
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	applyKeepAlive(c, &l.o)
	return c, nil
}

// FD is the listening descriptor (for monitor events).
func (l *listener) FD() uintptr {
	var fd uintptr
	if raw, err := l.l.SyscallConn(); err == nil {
		raw.Control(func(f uintptr) { fd = f })
	}
	return fd
}

func (l *listener) Close() error { return l.l.Close() }

func (l *listener) Endpoint() string {
	a := l.l.Addr().(*net.TCPAddr)
	return "tcp://" + net.JoinHostPort(a.IP.String(), strconv.Itoa(a.Port))
}

// parseConnect splits "[src;]host:port" (at the last ';', as libzmq) and
// validates it.
func parseConnect(addr string, o *transport.Options) (src, host string, port int, err error) {
	if i := strings.LastIndexByte(addr, ';'); i >= 0 {
		src, addr = addr[:i], addr[i+1:]
	}
	host, ps, err := splitHostPort(addr)
	if err != nil {
		return "", "", 0, err
	}
	if port, err = parsePort(ps, false); err != nil {
		return "", "", 0, err
	}
	// Through a SOCKS proxy the host is the proxy's business.
	if ip := net.ParseIP(stripZone(host)); ip != nil && ip.To4() == nil && !o.IPv6 && o.SocksProxy == "" {
		return "", "", 0, transport.ErrInvalidAddr
	}
	return src, host, port, nil
}

func (tcpTransport) CheckConnect(addr string, o *transport.Options) error {
	_, _, _, err := parseConnect(addr, o)
	return err
}

func (tcpTransport) Dial(ctx context.Context, addr string, o *transport.Options) (net.Conn, error) {
	src, host, port, err := parseConnect(addr, o)
	if err != nil {
		return nil, err
	}
	if o.SocksProxy != "" {
		return dialSocks(ctx, host, port, o)
	}
	ip, err := resolveHost(host, o.IPv6, transport.ErrInvalidAddr)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{KeepAlive: -1, Control: control(o)}
	if o.ConnectTimeout > 0 {
		d.Timeout = time.Duration(o.ConnectTimeout) * time.Millisecond
	}
	if src != "" {
		sh, sp, err := splitHostPort(src)
		if err != nil {
			sh, sp = src, "0"
		}
		sip, err := resolveLocal(sh, o.IPv6)
		if err != nil {
			return nil, err
		}
		spn, err := parsePort(sp, true)
		if err != nil {
			return nil, err
		}
		d.LocalAddr = &net.TCPAddr{IP: sip, Port: spn}
	}
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	applyKeepAlive(c.(*net.TCPConn), o)
	return c, nil
}

// control applies buffer sizes, TOS, device binding and TCP_MAXRT to the
// raw socket before bind/connect, as libzmq's tune_tcp_socket does.
func control(o *transport.Options) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var serr error
		c.Control(func(fd uintptr) {
			s := int(fd)
			if o.SndBuf >= 0 {
				unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_SNDBUF, o.SndBuf)
			}
			if o.RcvBuf >= 0 {
				unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUF, o.RcvBuf)
			}
			if o.TOS != 0 {
				unix.SetsockoptInt(s, unix.IPPROTO_IP, unix.IP_TOS, o.TOS)
				unix.SetsockoptInt(s, unix.IPPROTO_IPV6, unix.IPV6_TCLASS, o.TOS)
			}
			if o.TCPMaxRT > 0 {
				unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, o.TCPMaxRT)
			}
			if o.BindToDevice != "" {
				serr = unix.BindToDevice(s, o.BindToDevice)
			}
		})
		return serr
	}
}

func applyKeepAlive(c *net.TCPConn, o *transport.Options) {
	if o.KeepAlive < 0 {
		return
	}
	c.SetKeepAlive(o.KeepAlive == 1)
	if o.KeepAlive != 1 {
		return
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	raw.Control(func(fd uintptr) {
		s := int(fd)
		if o.KeepAliveCnt > 0 {
			unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_KEEPCNT, o.KeepAliveCnt)
		}
		if o.KeepAliveIdle > 0 {
			unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, o.KeepAliveIdle)
		}
		if o.KeepAliveIntvl > 0 {
			unix.SetsockoptInt(s, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, o.KeepAliveIntvl)
		}
	})
}
