package core

import (
	"encoding/binary"
	"net"
	"sync"
	"syscall"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// Monitor event numbers, as in zmq.h.
const (
	EventConnected         = 0x0001
	EventConnectDelayed    = 0x0002
	EventConnectRetried    = 0x0004
	EventListening         = 0x0008
	EventBindFailed        = 0x0010
	EventAccepted          = 0x0020
	EventAcceptFailed      = 0x0040
	EventClosed            = 0x0080
	EventCloseFailed       = 0x0100
	EventDisconnected      = 0x0200
	EventMonitorStopped    = 0x0400
	EventHandshakeFailedNo = 0x0800
	EventHandshakeOK       = 0x1000
	EventHandshakeFailedP  = 0x2000
	EventHandshakeFailedA  = 0x4000
	eventAll               = 0xFFFF

	// ProtocolErrorZMTPUnspecified is the value of a HANDSHAKE_FAILED_PROTOCOL
	// event whose cause has no finer code.
	ProtocolErrorZMTPUnspecified = 0x10000000
	// ProtocolErrorMechanismMismatch: the peers' security mechanisms differ.
	ProtocolErrorMechanismMismatch = 0x11000002
)

// monitor publishes a socket's events through a PAIR socket bound to the
// inproc endpoint given to zmq_socket_monitor; the application connects
// its own PAIR there. Each event
// is two frames: 6 bytes (event number, uint16, and value, uint32, in
// native byte order) then the endpoint, as libzmq sends them.
type monitor struct {
	mu      sync.Mutex
	pair    *Socket
	events  uint64
	version int // 1: zmq_socket_monitor's format; 2: the draft format
}

// Monitor starts (addr non-empty) or stops (addr "") event reporting in
// the version 1 format on a PAIR (zmq_socket_monitor).
func (s *Socket) Monitor(addr string, events int) error {
	return s.MonitorVersioned(addr, uint64(uint32(events)), 1, socktype.PAIR)
}

// MonitorVersioned is zmq_socket_monitor_versioned: version 1 or 2, on a
// PAIR, PUB or PUSH socket. Version 2 sends [event u64][count u64]
// [values u64...][local endpoint][remote endpoint].
func (s *Socket) MonitorVersioned(addr string, events uint64, version, typ int) error {
	if version != 1 && version != 2 {
		return zerr.ErrInvalid
	}
	if typ != socktype.PAIR && typ != socktype.PUB && typ != socktype.PUSH {
		return zerr.ErrInvalid
	}
	s.mu.Lock()
	if err := s.usable(); err != nil {
		s.mu.Unlock()
		return err
	}
	s.mu.Unlock()
	s.stopMonitor()
	if addr == "" {
		return nil
	}
	if !isInproc(addr) {
		if _, _, err := splitEndpoint(addr); err != nil {
			return err
		}
		return zerr.ErrProtoNoSupport // libzmq monitors over inproc only
	}
	pair, err := s.ctx.NewSocket(typ)
	if err != nil {
		return err
	}
	if err := pair.Bind(addr); err != nil {
		pair.Close()
		return err
	}
	s.mon.mu.Lock()
	s.mon.pair, s.mon.events, s.mon.version = pair, events, version
	s.mon.mu.Unlock()
	return nil
}

// stopMonitor sends MONITOR_STOPPED (if asked for) and closes the PAIR.
func (s *Socket) stopMonitor() {
	s.mon.mu.Lock()
	pair, events := s.mon.pair, s.mon.events
	if pair != nil && events&EventMonitorStopped != 0 {
		s.mon.send(EventMonitorStopped, 0, "", "")
	}
	s.mon.pair = nil
	s.mon.mu.Unlock()
	if pair != nil {
		pair.Close()
	}
}

// event reports an event of a bound endpoint (local) — see eventPeer.
func (s *Socket) event(ev int, value uint32, local string) {
	s.eventPeer(ev, value, local, "")
}

// EventPipesStats is the draft ZMQ_EVENT_PIPES_STATS (version 2 only).
const EventPipesStats = 0x10000

// PipesStats emits, for each peer, a PIPES_STATS event whose two values
// are the messages queued towards the peer and from it
// (zmq_socket_monitor_pipes_stats). It needs a version 2 monitor that
// asked for the event.
func (s *Socket) PipesStats() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(); err != nil {
		return err
	}
	s.flushPeers() // parts a sender queued outside its pipes count as queued
	s.mon.mu.Lock()
	defer s.mon.mu.Unlock()
	if s.mon.pair == nil || s.mon.version < 2 || s.mon.events&EventPipesStats == 0 {
		return zerr.ErrInvalid
	}
	for p, ep := range s.pipes {
		s.mon.sendValues(EventPipesStats, []uint64{uint64(p.Out.Len()), uint64(p.In.Len())}, ep, "")
	}
	return nil
}

// eventPeer reports one event if it is being monitored, with the local
// and remote endpoints version 2 carries (version 1 carries whichever is
// set, preferring local). Safe from any goroutine; it never blocks (a
// full monitor pipe drops events).
func (s *Socket) eventPeer(ev int, value uint32, local, remote string) {
	s.mon.mu.Lock()
	defer s.mon.mu.Unlock()
	if s.mon.pair != nil && s.mon.events&uint64(ev) != 0 {
		s.mon.send(ev, value, local, remote)
	}
}

// send writes one event in the monitor's format. Called with mu held.
func (m *monitor) send(ev int, value uint32, local, remote string) {
	m.sendValues(ev, []uint64{uint64(value)}, local, remote)
}

func (m *monitor) sendValues(ev int, values []uint64, local, remote string) {
	var parts [][]byte
	if m.version == 1 {
		value := uint32(values[0])
		head := make([]byte, 6)
		binary.NativeEndian.PutUint16(head, uint16(ev))
		binary.NativeEndian.PutUint32(head[2:], value)
		ep := local
		if ep == "" {
			ep = remote
		}
		parts = [][]byte{head, []byte(ep)}
	} else {
		u64 := func(v uint64) []byte {
			b := make([]byte, 8)
			binary.NativeEndian.PutUint64(b, v)
			return b
		}
		parts = [][]byte{u64(uint64(ev)), u64(uint64(len(values)))}
		for _, v := range values {
			parts = append(parts, u64(v))
		}
		parts = append(parts, []byte(local), []byte(remote))
	}
	for i, p := range parts {
		flags := DontWait
		if i < len(parts)-1 {
			flags |= SndMore
		}
		f := msg.Frame{Data: p}
		if m.pair.Send(&f, flags) != nil {
			return
		}
	}
}

// connFD is the descriptor libzmq reports as the value of connection
// events.
func connFD(c net.Conn) uint32 {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return 0
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0
	}
	var fd uintptr
	raw.Control(func(f uintptr) { fd = f })
	return uint32(fd)
}

// errnoValue is an error's errno, for BIND_FAILED and similar events.
func errnoValue(err error) uint32 {
	if en, ok := mapNetErr(err).(syscall.Errno); ok {
		return uint32(en)
	}
	return uint32(syscall.EINVAL)
}
