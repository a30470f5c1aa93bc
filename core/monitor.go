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
	mu     sync.Mutex
	pair   *Socket
	events int
}

// Monitor starts (addr non-empty) or stops (addr "") event reporting.
func (s *Socket) Monitor(addr string, events int) error {
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
	pair, err := s.ctx.NewSocket(socktype.PAIR)
	if err != nil {
		return err
	}
	if err := pair.Bind(addr); err != nil {
		pair.Close()
		return err
	}
	s.mon.mu.Lock()
	s.mon.pair, s.mon.events = pair, events
	s.mon.mu.Unlock()
	return nil
}

// stopMonitor sends MONITOR_STOPPED (if asked for) and closes the PAIR.
func (s *Socket) stopMonitor() {
	s.mon.mu.Lock()
	pair, events := s.mon.pair, s.mon.events
	if pair != nil && events&EventMonitorStopped != 0 {
		sendEvent(pair, EventMonitorStopped, 0, "")
	}
	s.mon.pair = nil
	s.mon.mu.Unlock()
	if pair != nil {
		pair.Close()
	}
}

// event reports one event if it is being monitored. Safe from any
// goroutine; it never blocks (a full monitor pipe drops events).
func (s *Socket) event(ev int, value uint32, endpoint string) {
	s.mon.mu.Lock()
	defer s.mon.mu.Unlock()
	if s.mon.pair != nil && s.mon.events&ev != 0 {
		sendEvent(s.mon.pair, ev, value, endpoint)
	}
}

func sendEvent(pair *Socket, ev int, value uint32, endpoint string) {
	head := make([]byte, 6)
	binary.NativeEndian.PutUint16(head, uint16(ev))
	binary.NativeEndian.PutUint32(head[2:], value)
	f := msg.Frame{Data: head}
	if pair.Send(&f, DontWait|SndMore) != nil {
		return
	}
	f = msg.Frame{Data: []byte(endpoint)}
	pair.Send(&f, DontWait)
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
