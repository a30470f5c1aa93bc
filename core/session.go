package core

import (
	"context"
	"errors"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gozmq/gozmq/core/engine"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
	"github.com/gozmq/gozmq/transport"
)

// session is one connected tcp/ipc endpoint: it dials, runs an engine per
// connection and redials with RECONNECT_IVL backoff (libzmq's
// session_base_t plus its connecter). Unless IMMEDIATE is set, its pipe
// exists from Connect on, so messages sent before the peer is reachable
// wait in it and survive reconnections.
type session struct {
	sock     *Socket
	endpoint string
	t        transport.Transport
	addr     string
	topts    transport.Options
	opts     Options
	pipe     *pipe.Pipe // engine side of the persistent pipe, or nil
	localID  []byte     // CONNECT_ROUTING_ID given for this connect

	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	eng     *engine.Engine
	stopped bool
	linger  int64 // like Socket.linger, for a Disconnect
}

// ZMQ_RECONNECT_STOP bits (zmq.h draft API).
const (
	reconnectStopConnRefused     = 1
	reconnectStopHandshakeFailed = 2
	reconnectStopAfterDisconnect = 4
)

// Connect starts connecting to ep (zmq_connect). It returns at once; the
// connection is made, and remade, in the background.
func (s *Socket) Connect(ep string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connect(ep)
}

// ConnectPeer connects a PEER socket and returns the routing id of the
// new peer (zmq_connect_peer). The pipe exists from the call on, so the
// id is known at once; that is why IMMEDIATE is refused (EFAULT, as in
// libzmq).
func (s *Socket) ConnectPeer(ep string) (uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.proto.(socktype.PeerConnector)
	if !ok || s.typ != socktype.PEER {
		return 0, zerr.ErrNotSupported
	}
	if s.opts.Immediate {
		return 0, zerr.ErrFault
	}
	if err := s.connect(ep); err != nil {
		return 0, err
	}
	return pc.LastRoutingID(), nil
}

func (s *Socket) connect(ep string) error {
	if udp, err := s.udpCheck(ep, false); err != nil || udp {
		if err != nil {
			return err
		}
		return s.connectUDP(ep)
	}
	t, addr, err := s.resolve(ep)
	if err != nil {
		return err
	}
	if t == nil {
		return s.connectInproc(ep, addr)
	}
	ss := &session{sock: s, endpoint: ep, t: t, addr: addr,
		topts: s.opts.transportOptions(), opts: s.opts.clone()}
	if err := t.CheckConnect(addr, &ss.topts); err != nil {
		return mapNetErr(err)
	}
	ss.ctx, ss.cancel = context.WithCancel(context.Background())
	// Sockets that address peers by routing id (ROUTER, REP) name a pipe
	// when its peer's handshake tells the id, so they get a pipe per
	// connection, as with IMMEDIATE; CONNECT_ROUTING_ID names it locally.
	ss.localID = s.opts.ConnectRoutingID
	s.opts.ConnectRoutingID = nil
	if !s.opts.Immediate && !socktype.PipePerConnection(s.typ) {
		sp, ep := pipe.New(s.opts.SndHWM, s.opts.RcvHWM)
		ss.pipe = ep
		s.attachPipe(sp, ss.endpoint)
	}
	s.conns = append(s.conns, ss)
	s.lastEP = ep
	s.ctx.goWorker(ss.run)
	return nil
}

// Disconnect stops connecting to ep and ends its connection
// (zmq_disconnect). Messages already queued for it are sent for up to
// LINGER, like on close.
func (s *Socket) Disconnect(ep string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	if _, _, err := splitEndpoint(ep); err != nil {
		return err
	}
	if isInproc(ep) {
		return s.disconnectInproc(ep)
	}
	if s.dropUDP(ep) {
		return nil
	}
	for i, ss := range s.conns {
		if ss.endpoint != ep {
			continue
		}
		s.conns = append(s.conns[:i], s.conns[i+1:]...)
		for p, pep := range s.pipes {
			if pep == ep && ss.pipe != nil && p.Peer() == ss.pipe {
				s.detachPipe(p)
			}
		}
		ss.stopWithLinger(s.opts.Linger)
		return nil
	}
	return zerr.ErrNotFound
}

func (ss *session) stopWithLinger(linger int) {
	ss.mu.Lock()
	if linger < 0 {
		ss.linger = lingerForever
	} else {
		ss.linger = time.Now().Add(time.Duration(linger) * time.Millisecond).UnixNano()
	}
	ss.mu.Unlock()
	ss.stop()
}

// stop ends the session (Disconnect, socket Close). No new connection is
// dialled unless queued messages in the session's own pipe still need
// one; a live connection keeps flushing what its pipe holds until LINGER
// expires, and is cut at once when LINGER is over (0).
func (ss *session) stop() {
	ss.mu.Lock()
	ss.stopped = true
	e := ss.eng
	ss.mu.Unlock()
	over := ss.lingerOver()
	if ss.pipe == nil || over {
		ss.cancel()
	}
	if over && e != nil {
		e.Stop()
	}
}

// lingerState is the engine's view of the close deadline: the session's
// own after a Disconnect, the socket's after Close.
func (ss *session) lingerState() (time.Time, bool, bool) {
	ss.mu.Lock()
	l := ss.linger
	ss.mu.Unlock()
	switch l {
	case 0:
		return ss.sock.lingerDeadline()
	case lingerForever:
		return time.Time{}, true, true
	}
	return time.Unix(0, l), false, true
}

// lingerOver reports whether the session should give up on sending.
func (ss *session) lingerOver() bool {
	deadline, forever, closing := ss.lingerState()
	if !closing || forever {
		return false
	}
	return !time.Now().Before(deadline)
}

// done reports whether the dial loop should exit now.
func (ss *session) done() bool {
	ss.mu.Lock()
	stopped := ss.stopped
	ss.mu.Unlock()
	select {
	case <-ss.sock.closing:
		stopped = true
	default:
	}
	if !stopped {
		return false
	}
	// Closing: keep trying only while queued messages may still go out.
	return ss.pipe == nil || ss.pipe.In.Finished() || ss.lingerOver()
}

// run is the dial loop (a context worker).
func (ss *session) run() {
	defer ss.cancel()
	ivl := time.Duration(ss.opts.ReconnectIvl) * time.Millisecond
	stop := ss.opts.ReconnectStop
	for !ss.done() {
		if strings.HasPrefix(ss.endpoint, "tcp://") {
			// A TCP connect is asynchronous (libzmq: EINPROGRESS).
			ss.sock.eventPeer(EventConnectDelayed, uint32(syscall.EINPROGRESS), "", ss.endpoint)
		}
		conn, err := ss.t.Dial(ss.ctx, ss.addr, &ss.topts)
		if err == nil {
			fd := connFD(conn)
			ss.sock.eventPeer(EventConnected, fd, "", ss.endpoint)
			handshook := ss.serve(conn)
			ss.sock.eventPeer(EventDisconnected, fd, "", ss.endpoint)
			if handshook {
				ivl = time.Duration(ss.opts.ReconnectIvl) * time.Millisecond
			}
			// ZMQ_RECONNECT_STOP: give up after a failed handshake, or
			// after any disconnection.
			if !handshook && stop&reconnectStopHandshakeFailed != 0 || handshook && stop&reconnectStopAfterDisconnect != 0 {
				break
			}
		} else if errors.Is(err, syscall.ECONNREFUSED) && stop&reconnectStopConnRefused != 0 {
			break
		}
		if ss.done() || ss.opts.ReconnectIvl < 0 {
			break
		}
		if !ss.sleep(ivl) {
			break
		}
		ss.sock.eventPeer(EventConnectRetried, uint32(ivl/time.Millisecond), "", ss.endpoint)
		if max := time.Duration(ss.opts.ReconnectIvlMax) * time.Millisecond; max > 0 {
			ivl = min(2*ivl, max)
		}
	}
	if ss.pipe != nil {
		ss.pipe.Close()
	}
}

// sleep waits out a reconnect interval; false if the session must end.
func (ss *session) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	var lingerC <-chan time.Time
	if deadline, forever, closing := ss.lingerState(); closing && !forever {
		lt := time.NewTimer(time.Until(deadline))
		defer lt.Stop()
		lingerC = lt.C
	}
	select {
	case <-t.C:
		return true
	case <-ss.ctx.Done():
		return false
	case <-lingerC:
		return false
	}
}

// serve runs one connection; it reports whether the handshake completed.
func (ss *session) serve(conn netConn) bool {
	s := ss.sock
	s.mu.Lock()
	cfg := s.engineConfig(peerAddress(conn))
	s.mu.Unlock()
	cfg.Linger = ss.lingerState
	cfg.Persistent = ss.pipe != nil
	cfg.Farewell = ss.opts.hiccupFor(s.typ)
	cfg.Event = func(ev int, value uint32) { s.eventPeer(ev, value, "", ss.endpoint) }
	e := engine.New(conn, cfg)
	over := ss.lingerOver()
	ss.mu.Lock()
	if ss.stopped && over {
		ss.mu.Unlock()
		conn.Close()
		return false
	}
	ss.eng = e
	ss.mu.Unlock()
	handshook, _ := e.Run(func(peer *engine.Peer) *pipe.Pipe {
		if ss.pipe != nil {
			return ss.pipe
		}
		sp, ep := pipe.New(ss.opts.SndHWM, ss.opts.RcvHWM)
		sp.RoutingID = peer.RoutingID
		if ss.localID != nil {
			sp.RoutingID = ss.localID
		}
		if !s.post(sp, ss.endpoint) {
			return nil
		}
		return ep
	})
	ss.mu.Lock()
	ss.eng = nil
	ss.mu.Unlock()
	return handshook
}
