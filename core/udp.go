package core

import (
	"bytes"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/gozmq/gozmq/core/engine"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// The udp transport (zmq_udp(7)) carries RADIO/DISH groups and DGRAM
// datagrams. There is no ZMTP and no connection: a DISH or DGRAM binds a
// udp socket, a RADIO "connects" by sending datagrams to an address. Each
// endpoint is one pipe to the socket plus a reader and/or a writer
// goroutine (libzmq's udp_engine_t). Datagrams are lossy: one that
// arrives while the pipe is at its HWM is dropped.
//
// Datagram layouts, as libzmq's:
//   - RADIO → DISH: one byte group length, the group, the body.
//   - DGRAM: the body only; the socket sees [ "ip:port\0" ][ body ].

// maxDatagram is the largest udp payload libzmq sends or reads
// (MAX_UDP_MSG).
const maxDatagram = 8192

// udpLink is one udp endpoint of a socket.
type udpLink struct {
	endpoint string // as given to Bind or Connect
	resolved string // LAST_ENDPOINT
	conn     *net.UDPConn
	dest     *net.UDPAddr // RADIO: where datagrams go
	raw      bool         // DGRAM layout
	p        *pipe.Pipe   // the link's end of the socket's pipe
	writes   bool         // has a writer (RADIO, DGRAM)
	stop     chan struct{}
	once     sync.Once
}

// udpCheck applies libzmq's rules: udp is for DISH and DGRAM binds and
// RADIO connects only (ENOCOMPATPROTO otherwise); a DGRAM has no other
// transport.
func (s *Socket) udpCheck(ep string, bind bool) (isUDP bool, err error) {
	isUDP = strings.HasPrefix(ep, "udp://")
	ok := true
	switch {
	case isUDP && bind:
		ok = s.typ == socktype.DISH || s.typ == socktype.DGRAM
	case isUDP:
		ok = s.typ == socktype.RADIO
	case s.typ == socktype.DGRAM:
		_, _, err := splitEndpoint(ep)
		ok = err != nil
	}
	if !ok {
		return false, zerr.ErrNoCompatProto
	}
	return isUDP, nil
}

// udpAddr parses "host:port" of a udp endpoint: host may be "*", a
// numeric address (multicast too) or a name, and be preceded by
// "interface;" for multicast; port may be "*" when binding.
func udpAddr(addr string, bind, ipv6 bool) (iface *net.Interface, ua *net.UDPAddr, err error) {
	if i := strings.IndexByte(addr, ';'); i >= 0 {
		if iface, err = net.InterfaceByName(addr[:i]); err != nil {
			return nil, nil, zerr.ErrNoDevice
		}
		addr = addr[i+1:]
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, zerr.ErrInvalid
	}
	if port == "*" && bind {
		port = "0"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 || n == 0 && !bind {
		return nil, nil, zerr.ErrInvalid
	}
	if host == "*" {
		host = "0.0.0.0"
		if ipv6 {
			host = "::"
		}
	}
	network := "udp4"
	if ipv6 {
		network = "udp"
	}
	ua, err = net.ResolveUDPAddr(network, net.JoinHostPort(host, port))
	if err != nil {
		return nil, nil, zerr.ErrInvalid
	}
	return iface, ua, nil
}

// setMulticastHops applies ZMQ_MULTICAST_HOPS to a sending udp socket
// (libzmq sets the same TTL; Linux's default, 1, is also libzmq's).
func setMulticastHops(conn *net.UDPConn, hops int) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		// The socket is dual-stack: set the IPv4 TTL and the IPv6 hops;
		// the one that does not apply fails harmlessly.
		unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, hops)
		unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS, hops)
	})
}

// bindUDP starts a DISH or DGRAM endpoint. Called with s.mu held.
func (s *Socket) bindUDP(ep string) error {
	if err := s.usable(); err != nil {
		return err
	}
	iface, ua, err := udpAddr(ep[len("udp://"):], true, s.opts.IPv6)
	if err != nil {
		return err
	}
	var conn *net.UDPConn
	if ua.IP.IsMulticast() {
		conn, err = net.ListenMulticastUDP("udp", iface, ua)
	} else {
		conn, err = net.ListenUDP("udp", ua)
	}
	if err != nil {
		return mapNetErr(err)
	}
	l := &udpLink{endpoint: ep, conn: conn, raw: s.typ == socktype.DGRAM,
		resolved: "udp://" + conn.LocalAddr().String()}
	if ua.IP.IsMulticast() {
		l.resolved = ep
	}
	s.startUDP(l, true, l.raw)
	return nil
}

// connectUDP starts a RADIO endpoint. Called with s.mu held.
func (s *Socket) connectUDP(ep string) error {
	if err := s.usable(); err != nil {
		return err
	}
	_, ua, err := udpAddr(ep[len("udp://"):], false, s.opts.IPv6)
	if err != nil {
		return err
	}
	conn, err := net.ListenUDP("udp", nil)
	if err != nil {
		return mapNetErr(err)
	}
	if ua.IP.IsMulticast() {
		setMulticastHops(conn, s.opts.MulticastHops)
	}
	s.startUDP(&udpLink{endpoint: ep, resolved: ep, conn: conn, dest: ua}, false, true)
	return nil
}

func (s *Socket) startUDP(l *udpLink, reads, writes bool) {
	sp, lp := pipe.New(s.opts.SndHWM, s.opts.RcvHWM)
	sp.Datagram = true
	l.p, l.stop, l.writes = lp, make(chan struct{}), writes
	canRead := make(chan struct{}, 1)
	lp.SetWake(engine.Notifier(canRead), nil)
	if !writes {
		lp.In.CloseRead() // the socket's messages have nowhere to go
	}
	s.attachPipe(sp, l.endpoint)
	s.udp = append(s.udp, l)
	s.lastEP = l.resolved
	s.ctx.goWorker(func() { l.run(reads, canRead) })
}

// run is the link's worker: the writer runs here, the reader (if any)
// beside it. The writer ends when the socket's side of the pipe is closed
// and drained (so a closing RADIO still sends what it queued) or at stop;
// then the udp socket closes, which ends the reader.
func (l *udpLink) run(reads bool, canRead chan struct{}) {
	defer l.p.Close()
	done := make(chan struct{})
	if reads {
		go func() {
			defer close(done)
			l.readLoop()
		}()
	} else {
		close(done)
	}
	if l.writes {
		l.writeLoop(canRead)
	} else {
		<-l.stop
	}
	l.conn.Close()
	<-done
}

// close ends the endpoint now: its goroutines exit, its pipe closes.
// Idempotent.
func (l *udpLink) close() { l.once.Do(func() { close(l.stop) }) }

// readLoop turns datagrams into two-part messages until the link closes.
func (l *udpLink) readLoop() {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := l.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			return // closed by run
		}
		var head, body []byte
		if l.raw {
			// "ip:port" ("[ip]:port" for IPv6), NUL-terminated as libzmq's
			head = append([]byte(netip.AddrPortFrom(from.Addr().Unmap(), from.Port()).String()), 0)
			body = buf[:n]
		} else {
			if n < 1 || 1+int(buf[0]) > n {
				continue // malformed: the group does not fit
			}
			head, body = buf[1:1+int(buf[0])], buf[1+int(buf[0]):n]
		}
		if !l.p.Out.CheckWrite() {
			continue // at HWM: udp is lossy
		}
		h := msg.Frame{Data: append([]byte(nil), head...), Flags: msg.More}
		b := msg.Frame{Data: append([]byte(nil), body...)}
		l.p.Out.Push(&h)
		l.p.Out.Push(&b)
	}
}

// writeLoop sends each two-part message as one datagram.
func (l *udpLink) writeLoop(canRead chan struct{}) {
	out := make([]byte, 0, maxDatagram)
	for {
		var head msg.Frame
		if !l.p.In.Pop(&head) {
			if l.p.In.Finished() {
				return
			}
			select {
			case <-canRead:
			case <-l.stop:
				return
			}
			continue
		}
		var body msg.Frame
		if !head.HasMore() || !l.p.In.Pop(&body) {
			head.Release() // not [head][body]: a JOIN or a broken message
			continue
		}
		for more := body.HasMore(); more; { // a third part: drop the rest
			var extra msg.Frame
			if !l.p.In.Pop(&extra) {
				break
			}
			more = extra.HasMore()
			extra.Release()
		}
		dest := l.dest
		out = out[:0]
		if l.raw {
			dest = parseDgramAddr(head.Data)
			out = append(out, body.Data...)
		} else if len(head.Data) <= socktype.MaxGroup && 1+len(head.Data)+len(body.Data) <= maxDatagram {
			out = append(out, byte(len(head.Data)))
			out = append(out, head.Data...)
			out = append(out, body.Data...)
		} else {
			dest = nil // too big for one datagram: dropped, as libzmq does
		}
		head.Release()
		body.Release()
		if dest != nil {
			l.conn.WriteToUDP(out, dest) // lossy: errors are not reported
		}
	}
}

// parseDgramAddr reads a DGRAM address part, "ip:port" with or without a
// trailing NUL; nil if it is not one.
func parseDgramAddr(b []byte) *net.UDPAddr {
	b = bytes.TrimSuffix(b, []byte{0})
	ap, err := netip.ParseAddrPort(string(b))
	if err != nil || ap.Port() == 0 {
		return nil
	}
	return net.UDPAddrFromAddrPort(ap)
}

// dropUDP ends the udp endpoint ep, if there is one. Called with s.mu
// held.
func (s *Socket) dropUDP(ep string) bool {
	for i, l := range s.udp {
		if l.endpoint == ep || l.resolved == ep {
			s.udp = append(s.udp[:i], s.udp[i+1:]...)
			l.close()
			for p, pep := range s.pipes {
				if pep == l.endpoint {
					s.detachPipe(p)
				}
			}
			return true
		}
	}
	return false
}

// closeUDP ends every udp endpoint (Close): readers at once, writers once
// they have sent what the socket queued. Called with s.mu held.
func (s *Socket) closeUDP() {
	for _, l := range s.udp {
		if !l.writes {
			l.close()
		}
	}
	s.udp = nil
}
