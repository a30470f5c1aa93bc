package core

import (
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/gozmq/gozmq/core/engine"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
	"github.com/gozmq/gozmq/transport"
)

// binding is one bound endpoint: a tcp/ipc listener with the connections
// it accepted (which end with it, as in libzmq), or an inproc name.
type binding struct {
	endpoint string // as passed to Bind
	resolved string // as reported by LAST_ENDPOINT
	l        transport.Listener
	inproc   string              // the registered inproc name, if inproc
	admit    func(net.Conn) bool // accept filters set before the bind, or nil

	mu      sync.Mutex
	closed  bool
	engines map[*engine.Engine]struct{}
}

func (b *binding) matches(ep string) bool { return ep == b.endpoint || ep == b.resolved }

// track registers an engine accepted through b; false if b is closed.
func (b *binding) track(e *engine.Engine) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.engines[e] = struct{}{}
	return true
}

func (b *binding) untrack(e *engine.Engine) {
	b.mu.Lock()
	delete(b.engines, e)
	b.mu.Unlock()
}

// close stops listening. Accepted connections are not cut here: when the
// socket closes they linger through their pipes; on Unbind they are
// stopped by stopEngines.
func (b *binding) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	if b.l != nil {
		b.l.Close()
	}
}

// listenerFD is the descriptor libzmq reports with LISTENING and CLOSED.
func listenerFD(l transport.Listener) uint32 {
	if sc, ok := l.(interface{ FD() uintptr }); ok {
		return uint32(sc.FD())
	}
	return 0
}

func (b *binding) stopEngines() {
	b.mu.Lock()
	es := make([]*engine.Engine, 0, len(b.engines))
	for e := range b.engines {
		es = append(es, e)
	}
	b.mu.Unlock()
	for _, e := range es {
		e.Stop()
	}
}

// resolve checks that the socket can take an endpoint call and splits
// ep. For inproc, t is nil. Called with s.mu held.
func (s *Socket) resolve(ep string) (t transport.Transport, addr string, err error) {
	if err := s.usable(); err != nil {
		return nil, "", err
	}
	scheme, addr, err := splitEndpoint(ep)
	if err != nil || scheme == "inproc" {
		return nil, addr, err
	}
	t, err = lookupTransport(scheme)
	return t, addr, err
}

// Bind accepts connections on ep (zmq_bind).
func (s *Socket) Bind(ep string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if udp, err := s.udpCheck(ep, true); err != nil || udp {
		if err != nil {
			return err
		}
		return s.bindUDP(ep)
	}
	t, addr, err := s.resolve(ep)
	if err != nil {
		return err
	}
	if t == nil {
		return s.bindInproc(ep, addr)
	}
	topts := s.opts.transportOptions()
	l, err := t.Listen(addr, &topts)
	if err != nil {
		s.event(EventBindFailed, errnoValue(err), ep)
		return mapNetErr(err)
	}
	b := &binding{endpoint: ep, resolved: l.Endpoint(), l: l, engines: map[*engine.Engine]struct{}{},
		admit: s.opts.acceptFilter()}
	s.binds = append(s.binds, b)
	s.lastEP = b.resolved
	s.event(EventListening, listenerFD(l), b.resolved)
	s.ctx.goWorker(func() { s.acceptLoop(b) })
	return nil
}

// usable reports why the socket cannot take a new call, if it cannot.
func (s *Socket) usable() error {
	if s.closed {
		return zerr.ErrNotSock
	}
	if s.ctx.Terminating() {
		return zerr.ErrTerm
	}
	return nil
}

// acceptLoop runs on a worker until the listener closes.
func (s *Socket) acceptLoop(b *binding) {
	backoff := time.Millisecond
	for {
		conn, err := b.l.Accept()
		if err != nil {
			b.mu.Lock()
			closed := b.closed
			b.mu.Unlock()
			if closed {
				return
			}
			s.event(EventAcceptFailed, errnoValue(err), b.resolved)
			// Out of fds or similar: back off briefly rather than spin
			// (libzmq reports ACCEPT_FAILED and carries on).
			select {
			case <-time.After(backoff):
			case <-s.closing:
				return
			}
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = time.Millisecond
		if b.admit != nil && !b.admit(conn) {
			// Refused by TCP_ACCEPT_FILTER / IPC_FILTER_*: libzmq closes
			// the connection and reports ACCEPT_FAILED (with whatever
			// errno was left over); we report EACCES, which says why.
			conn.Close()
			s.event(EventAcceptFailed, uint32(syscall.EACCES), b.resolved)
			continue
		}
		s.eventPeer(EventAccepted, connFD(conn), b.resolved, remoteEndpoint(conn))
		s.ctx.goWorker(func() { s.serveAccepted(b, conn) })
	}
}

// serveAccepted runs one accepted connection until it ends.
func (s *Socket) serveAccepted(b *binding, conn net.Conn) {
	s.mu.Lock()
	cfg := s.engineConfig(peerAddress(conn))
	cfg.Farewell = s.opts.disconnectFor(s.typ)
	sndhwm, rcvhwm := s.opts.SndHWM, s.opts.RcvHWM
	s.mu.Unlock()
	cfg.Linger = s.lingerDeadline
	fd := connFD(conn)
	remote := remoteEndpoint(conn)
	cfg.Event = func(ev int, value uint32) { s.eventPeer(ev, value, b.resolved, remote) }
	e := engine.New(conn, cfg)
	if !b.track(e) {
		conn.Close()
		return
	}
	defer b.untrack(e)
	defer s.eventPeer(EventDisconnected, fd, b.resolved, remote)
	e.Run(func(peer *engine.Peer) *pipe.Pipe {
		sp, ep := pipe.New(sndhwm, rcvhwm)
		sp.RoutingID = peer.RoutingID
		if !s.post(sp, b.endpoint) {
			return nil
		}
		return ep
	})
}

// engineConfig builds an engine's settings from the options. Called with
// s.mu held.
func (s *Socket) engineConfig(peerAddr string) engine.Config {
	name := socktype.Name(s.typ)
	var props []engine.Property
	for _, m := range s.opts.Metadata {
		props = append(props, engine.Property{Name: m.Name, Value: m.Value})
	}
	return engine.Config{
		Metadata:     props,
		Mechanism:    s.opts.MechanismName(),
		AsServer:     s.opts.AsServer,
		Username:     s.opts.PlainUsername,
		Password:     s.opts.PlainPassword,
		ZAP:          s.zapFunc(peerAddr),
		CurvePublic:  s.opts.CurvePublicKey,
		CurveSecret:  s.opts.CurveSecretKey,
		CurveServer:  s.opts.CurveServerKey,
		SocketType:   name,
		PeerOK:       func(peer string) bool { return socktype.Compatible(name, peer) },
		RoutingID:    append([]byte(nil), s.opts.RoutingID...),
		SendIdentity: s.typ == socktype.REQ || s.typ == socktype.DEALER || s.typ == socktype.ROUTER,
		SubsOut:      s.typ == socktype.SUB || s.typ == socktype.XSUB,
		SubsIn:       s.typ == socktype.PUB || s.typ == socktype.XPUB,
		GroupsIn:     s.typ == socktype.RADIO,
		Raw:          s.typ == socktype.STREAM,
		MaxMsgSize:   s.opts.MaxMsgSize,
		FixedRcvBuf:  s.opts.RcvBuf >= 0,
		CopyOut:      &s.copyOut,
		HandshakeIvl: time.Duration(s.opts.HandshakeIvl) * time.Millisecond,
		HeartbeatIvl: time.Duration(s.opts.HeartbeatIvl) * time.Millisecond,
		HeartbeatTTL: time.Duration(s.opts.HeartbeatTTL) * time.Millisecond,
		HeartbeatTimeout: func() time.Duration {
			if s.opts.HeartbeatTimeout < 0 {
				return 0 // -1: the interval
			}
			return time.Duration(s.opts.HeartbeatTimeout) * time.Millisecond
		}(),
		PeerAddress: peerAddr,
		Hello:       s.opts.helloFor(s.typ),
	}
}

// remoteEndpoint names an accepted connection's peer for monitor events
// ("tcp://127.0.0.1:41234"; empty for ipc, whose peers are anonymous).
func remoteEndpoint(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return "tcp://" + a.String()
	}
	return ""
}

// peerAddress is what zmq_msg_gets reports as Peer-Address: the remote IP
// for tcp, empty for ipc (libzmq's get_peer_address).
func peerAddress(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return ""
}

// Unbind stops listening on ep, given as bound or as LAST_ENDPOINT
// reported it, and ends the connections accepted through it (zmq_unbind).
func (s *Socket) Unbind(ep string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	if _, _, err := splitEndpoint(ep); err != nil {
		return err
	}
	if s.dropUDP(ep) {
		return nil
	}
	for i, b := range s.binds {
		if !b.matches(ep) {
			continue
		}
		s.binds = append(s.binds[:i], s.binds[i+1:]...)
		fd := listenerFD(b.l)
		b.close()
		if b.l != nil {
			s.event(EventClosed, fd, b.resolved)
		}
		if b.inproc != "" {
			s.unbindInproc(b)
		} else {
			b.stopEngines()
		}
		return nil
	}
	return zerr.ErrNotFound
}
