package engine

import (
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gozmq/gozmq/core/mech"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zmtp"
)

// Config is what an engine needs from its socket, copied when it starts.
type Config struct {
	SocketType   string     // our ZMTP Socket-Type ("PUSH")
	RoutingID    []byte     // our ROUTING_ID
	SendIdentity bool       // send Identity in READY (REQ, DEALER, ROUTER, as libzmq)
	Metadata     []Property // application properties (ZMQ_METADATA) for READY

	// Subscriptions: SubsOut (SUB, XSUB) sends single-part messages that
	// start with 1 or 0 as SUBSCRIBE/CANCEL commands to ZMTP 3.1 peers;
	// SubsIn (PUB, XPUB) turns received SUBSCRIBE/CANCEL commands into
	// such messages (RFC 37 §3.4.5; 3.0 peers send messages already).
	SubsOut, SubsIn bool
	// GroupsIn (RADIO) passes received JOIN/LEAVE commands to the socket
	// as command frames. In the other direction, every command frame the
	// socket queues (DISH's JOIN/LEAVE) goes out as a command.
	GroupsIn     bool
	MaxMsgSize   int64         // -1: no limit; a bigger frame drops the peer
	HandshakeIvl time.Duration // 0: no limit
	PeerAddress  string        // reported as the Peer-Address property
	// FixedRcvBuf: the application set the receive buffer (ZMQ_RCVBUF),
	// which the kernel then no longer grows to fit a receive low-water
	// mark; large bodies are read without one (reader.go, lowatMin).
	FixedRcvBuf bool
	// CopyOut, when set (by the socket, at any time), says the
	// application copies each part out as it takes it: the reader then
	// cuts small bodies from shared blocks (msg.ExtHooks.Carve).
	CopyOut *atomic.Bool

	// Heartbeats (RFC 37 §3.4.4, ZMQ_HEARTBEAT_*): every HeartbeatIvl a
	// PING carrying HeartbeatTTL goes out; if nothing at all arrives for
	// HeartbeatTimeout after that, or for the TTL the peer announced in
	// its own PINGs, the peer is dead and the connection is dropped.
	HeartbeatIvl, HeartbeatTimeout, HeartbeatTTL time.Duration

	// Security (RFC 37 §4): the mechanism named in our greeting ("" is
	// NULL), whether we are its server, and PLAIN client credentials.
	Mechanism          string
	AsServer           bool
	Username, Password string
	// CURVE keys: our long-term pair and, as a client, the server's key.
	CurvePublic, CurveSecret, CurveServer [32]byte
	// ZAP asks the context's authentication handler (nil: do not ask).
	ZAP func(mechanism string, credentials [][]byte) (mech.Verdict, error)

	// Raw is the STREAM socket's mode: no ZMTP at all. Bytes read become
	// single-part messages; a message's body is written as is, and an
	// empty message closes the connection.
	Raw bool

	// Event reports handshake outcomes to the socket's monitor (may be
	// nil): zmq.h event numbers with their values.
	Event func(ev int, value uint32)

	// PeerOK says whether a peer Socket-Type may talk to us (RFC 23's
	// table; supplied by core so this package needs no socket types).
	PeerOK func(peerType string) bool

	// Persistent means the pipe outlives this connection (a connecter
	// without IMMEDIATE): on exit the engine rolls back half-transferred
	// messages instead of closing the pipe.
	Persistent bool

	// Hello is sent as a one-part message before anything else on each
	// connection (ZMQ_HELLO_MSG). Farewell is queued for the socket, as if
	// the peer had sent it, when a connection that completed its
	// handshake ends (ZMQ_DISCONNECT_MSG, ZMQ_HICCUP_MSG). nil: none.
	Hello, Farewell []byte

	// Linger reports the owner's close state: closing is false while the
	// socket is open; then the writer flushes until deadline (or forever).
	Linger func() (deadline time.Time, forever, closing bool)
}

// Property is an application-defined handshake property.
type Property struct{ Name, Value string }

// Peer is what the handshake learnt about the other side.
type Peer struct {
	SocketType string
	RoutingID  []byte // the peer's Identity property (nil if none)
	Minor      byte   // ZMTP minor version: 0 for 3.0, 1 for 3.1
	Meta       *msg.Metadata
}

// Errors that end a connection.
var (
	ErrRefused      = errors.New("engine: socket refused the peer")
	ErrIncompatible = errors.New("engine: incompatible socket type")
	ErrMechanism    = errors.New("engine: security mechanism mismatch")
	ErrStopped      = errors.New("engine: stopped")
	ErrLinger       = errors.New("engine: linger expired")
	ErrHeartbeat    = errors.New("engine: peer sent nothing within the heartbeat timeout")

	ErrUnexpectedCommand = errors.New("engine: plain command inside an encrypted session")

	errReaderDone = errors.New("engine: reader ended")
)

// Engine runs one connection. See the package doc.
type Engine struct {
	conn    net.Conn
	cfg     Config
	once    sync.Once
	stopped chan struct{}

	codec     *mech.Codec  // CURVE: every frame after the handshake is boxed
	lastRecv  atomic.Int64 // Unix ns of the last frame received (heartbeats)
	remoteTTL atomic.Int64 // ns; the TTL of the peer's last PING, 0 if none
}

// New returns an engine for conn; Run starts it.
func New(conn net.Conn, cfg Config) *Engine {
	return &Engine{conn: conn, cfg: cfg, stopped: make(chan struct{})}
}

// Stop ends the connection now, whatever is still queued. Idempotent and
// safe from any goroutine.
func (e *Engine) Stop() {
	e.once.Do(func() {
		close(e.stopped)
		e.conn.Close()
	})
}

// Run performs the handshake, asks attach for the pipe to serve (attach
// returns nil to refuse the peer), and pumps until the connection ends.
// handshook reports whether the handshake completed. The connection is
// closed when Run returns.
func (e *Engine) Run(attach func(*Peer) *pipe.Pipe) (handshook bool, err error) {
	defer e.Stop()
	rd := newReader(e.conn, e.cfg.MaxMsgSize)
	rd.lowatOff = e.cfg.FixedRcvBuf
	var peer *Peer
	if e.cfg.Raw {
		peer = &Peer{Meta: buildMeta(nil, e.cfg.PeerAddress)}
	} else if peer, err = e.handshake(rd); err != nil {
		e.report(handshakeEvent(err))
		return false, err
	} else {
		e.report(eventHandshakeOK, 0)
	}
	peer.Meta.SrcFD = sourceFD(e.conn)
	p := attach(peer)
	if p == nil {
		return true, ErrRefused
	}
	canRead := make(chan struct{}, 1)  // p.In has frames, or the socket closed
	canWrite := make(chan struct{}, 1) // p.Out has room, or the socket left
	rd.extOK = e.codec == nil
	rd.copyOut = e.cfg.CopyOut
	w := newWriter(e, p.In, canRead)
	p.SetWake(w.wake, Notifier(canWrite))
	defer p.SetWake(nil, nil)

	w.subsAsCommands = e.cfg.SubsOut && peer.Minor >= 1
	readerDone := make(chan struct{})
	var rerr error
	go func() {
		defer close(readerDone)
		defer rd.dropBodies()
		if e.cfg.Raw {
			rerr = e.readRaw(rd, p.Out, canWrite, peer.Meta)
		} else {
			rerr = e.readLoop(rd, p.Out, canWrite, peer.Meta, w)
		}
	}()
	var werr error
	if e.cfg.Hello != nil && !e.cfg.Raw {
		werr = w.sendHello(e.cfg.Hello)
	}
	if werr == nil {
		werr = w.loop(readerDone)
	}
	e.Stop()
	<-readerDone
	peer.Meta.Close() // no more frames will carry it
	if e.codec != nil {
		e.codec.Clear()
	}
	e.release(p, w)
	if werr == errReaderDone {
		werr = rerr // the connection failed on the reading side
	}
	return true, werr
}

// Monitor events the engine reports (zmq.h values).
const (
	eventHandshakeFailedNoDetail = 0x0800
	eventHandshakeOK             = 0x1000
	eventHandshakeFailedProtocol = 0x2000
	eventHandshakeFailedAuth     = 0x4000
	protocolErrorUnspecified     = 0x10000000
	protocolErrorMechanism       = 0x11000002
	protocolErrorCryptographic   = 0x11000001
)

func (e *Engine) report(ev int, value uint32) {
	if e.cfg.Event != nil {
		e.cfg.Event(ev, value)
	}
}

// handshakeEvent classifies a failed handshake as libzmq's monitor does:
// a protocol violation or mismatch, or a plain failure (timeout, closed).
func handshakeEvent(err error) (int, uint32) {
	var pe *zmtp.ProtocolError
	var ae *mech.ErrAuth
	switch {
	case errors.As(err, &ae):
		status, _ := strconv.Atoi(ae.Status)
		return eventHandshakeFailedAuth, uint32(status)
	case errors.Is(err, mech.ErrCrypto):
		return eventHandshakeFailedProtocol, protocolErrorCryptographic
	case errors.Is(err, mech.ErrMalformed), errors.Is(err, mech.ErrUnexpected):
		return eventHandshakeFailedProtocol, protocolErrorUnspecified
	case errors.Is(err, ErrMechanism):
		return eventHandshakeFailedProtocol, protocolErrorMechanism
	case errors.As(err, &pe), errors.Is(err, ErrIncompatible):
		return eventHandshakeFailedProtocol, protocolErrorUnspecified
	}
	return eventHandshakeFailedNoDetail, 0
}

// release leaves the pipe consistent for whoever uses it next.
func (e *Engine) release(p *pipe.Pipe, w *writer) {
	if e.cfg.Farewell != nil {
		p.PushFarewell(append([]byte(nil), e.cfg.Farewell...))
	}
	if !e.cfg.Persistent {
		p.Close()
		return
	}
	// The next connection must start on a message boundary in both
	// directions: drop the half-received message and the rest of a
	// half-sent one (libzmq's session_base_t::clean_pipes).
	p.Out.Rollback()
	if w.midMessage {
		var f msg.Frame
		for p.In.Pop(&f) {
			more := f.HasMore()
			f.Release()
			if !more {
				break
			}
		}
	}
}

// sourceFD is the connection's descriptor (ZMQ_SRCFD), or -1.
func sourceFD(c net.Conn) int {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return -1
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	raw.Control(func(f uintptr) { fd = int(f) })
	return fd
}

// Notifier returns a pipe wake-up that signals c without blocking (c has
// room for one signal: several wake-ups before the waiter runs are one).
func Notifier(c chan struct{}) func() {
	return func() {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// readLoop decodes frames into out until the connection fails. Decoded
// data frames are delivered in batches: pushed under one lock whenever
// the reader is about to read from the connection again (so nothing that
// arrived waits for more to arrive), before a command, and when a batch
// is full. Frames complete before a failure are still delivered.
func (e *Engine) readLoop(rd *reader, out *pipe.Queue, canWrite chan struct{}, meta *msg.Metadata, w *writer) error {
	var pend pending
	rd.beforeRead = func() error { return e.deliver(out, &pend, canWrite) }
	err := e.readFrames(rd, out, canWrite, meta, w, &pend)
	rd.beforeRead = nil
	if derr := e.deliver(out, &pend, canWrite); derr != nil {
		return derr
	}
	return err
}

// pending holds decoded data frames not yet delivered: f[off:n].
type pending struct {
	f      [64]msg.Frame
	off, n int
}

// deliver pushes every pending frame, waiting for room (HWM) as push
// does. It returns ErrStopped, releasing what is left, if the engine is
// stopped meanwhile.
func (e *Engine) deliver(out *pipe.Queue, p *pending, canWrite chan struct{}) error {
	for p.off < p.n {
		if k := out.PushBatch(p.f[p.off:p.n]); k > 0 {
			p.off += k
			continue
		}
		if out.ReaderGone() {
			break // the socket is gone: keep draining, drop
		}
		select {
		case <-canWrite:
		case <-e.stopped:
			p.release()
			return ErrStopped
		}
	}
	p.release()
	return nil
}

func (p *pending) release() {
	for i := p.off; i < p.n; i++ {
		p.f[i].Release()
	}
	p.off, p.n = 0, 0
}

func (e *Engine) readFrames(rd *reader, out *pipe.Queue, canWrite chan struct{}, meta *msg.Metadata, w *writer, pend *pending) error {
	var fr rframe
	for {
		if err := rd.next(&fr); err != nil {
			return err
		}
		if e.cfg.HeartbeatIvl > 0 || e.remoteTTL.Load() > 0 {
			e.lastRecv.Store(time.Now().UnixNano())
		}
		if e.codec != nil {
			// CURVE: a MESSAGE box carries the real frame and its flags.
			if fr.command {
				return ErrUnexpectedCommand
			}
			flags, body, err := e.codec.Open(fr.body)
			if err != nil {
				return err
			}
			fr = rframe{body: body, more: flags&1 != 0, command: flags&2 != 0}
		}
		if fr.command {
			// Commands may queue messages (subscriptions): after the
			// data frames that preceded them.
			if err := e.deliver(out, pend, canWrite); err != nil {
				return err
			}
			if err := e.handleCommand(fr.body, w, out, canWrite); err != nil {
				return err
			}
			continue
		}
		f := &pend.f[pend.n]
		*f = msg.Frame{Data: fr.body, Ext: fr.ext, Meta: meta}
		if fr.more {
			f.Flags = msg.More
		}
		pend.n++
		if pend.n == len(pend.f) {
			if err := e.deliver(out, pend, canWrite); err != nil {
				return err
			}
		}
	}
}

// readRaw turns whatever bytes arrive into messages (STREAM).
func (e *Engine) readRaw(rd *reader, out *pipe.Queue, canWrite chan struct{}, meta *msg.Metadata) error {
	for {
		n, err := e.conn.Read(rd.buf)
		if n > 0 {
			f := msg.Frame{Data: append([]byte(nil), rd.buf[:n]...), Meta: meta}
			if !e.push(out, &f, canWrite) {
				return ErrStopped
			}
		}
		if err != nil {
			return err
		}
	}
}

// push waits for room (HWM) and queues f. While it waits, nothing is
// read from the connection, so the peer is throttled by TCP itself.
func (e *Engine) push(out *pipe.Queue, f *msg.Frame, canWrite chan struct{}) bool {
	for !out.TryPush(f) {
		if out.ReaderGone() {
			f.Release() // the socket is gone: keep draining, drop
			return true
		}
		select {
		case <-canWrite:
		case <-e.stopped:
			f.Release()
			return false
		}
	}
	return true
}
