package core

import (
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// SetOption sets a socket option from its C encoding (zmq_setsockopt).
func (s *Socket) SetOption(opt int, val []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return zerr.ErrNotSock
	}
	if s.ctx.Terminating() {
		return zerr.ErrTerm
	}
	if o, ok := s.proto.(socktype.Optioner); ok {
		s.processCommands() // e.g. SUBSCRIBE must reach pipes attached so far
		if handled, err := o.SetOption(opt, val); handled {
			return err
		}
	}
	d, ok := optTable[opt]
	if !ok || d.set == nil {
		return zerr.ErrInvalid
	}
	if err := libzmqSetRules(s.typ, opt, val); err != nil {
		return err
	}
	v, err := decodeValue(d.kind, val)
	if err != nil {
		return err
	}
	if err := d.set(&s.opts, v); err != nil {
		return err
	}
	switch opt {
	case OptSndHWM, OptRcvHWM:
		s.applyHWM()
	}
	return nil
}

// applyHWM updates the queues of tcp/ipc pipes (libzmq applies a new HWM
// to existing pipes too).
func (s *Socket) applyHWM() {
	for p, ep := range s.pipes {
		if !isInproc(ep) {
			p.Out.SetHWM(s.opts.SndHWM)
			p.In.SetHWM(s.opts.RcvHWM)
		}
	}
}

// GetOption writes an option's C encoding into buf and returns its length
// (zmq_getsockopt).
func (s *Socket) GetOption(opt int, buf []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, zerr.ErrNotSock
	}
	switch opt {
	case OptEvents:
		ev, err := s.eventsLocked()
		if err != nil {
			return 0, err
		}
		return encodeValue(kindInt, ev, buf)
	case OptFD:
		if s.threadSafe {
			return 0, zerr.ErrInvalid // libzmq: use zmq_poller instead
		}
		return encodeValue(kindInt, s.FD(), buf)
	case OptRcvMore:
		return encodeValue(kindInt, b2i(s.rcvMore), buf)
	case OptType:
		if !numberSizeOK(kindInt, buf) {
			return 0, zerr.ErrInvalid
		}
		return encodeValue(kindInt, s.typ, buf)
	case OptThreadSafe:
		return encodeValue(kindInt, b2i(s.threadSafe), buf)
	case OptMechanism:
		if !numberSizeOK(kindInt, buf) {
			return 0, zerr.ErrInvalid
		}
		return encodeValue(kindInt, s.opts.Mechanism, buf)
	case OptLastEndpoint:
		return encodeValue(kindString, s.lastEP, buf)
	}
	if o, ok := s.proto.(socktype.Optioner); ok {
		// Type options may reflect what peers sent (TOPICS_COUNT): apply
		// what has arrived first, as SetOption does.
		s.processCommands()
		if v, handled := o.GetOption(opt); handled {
			if b, isBytes := v.([]byte); isBytes {
				return encodeValue(kindBytes, b, buf)
			}
			if !numberSizeOK(kindInt, buf) {
				return 0, zerr.ErrInvalid
			}
			return encodeValue(kindInt, v, buf)
		}
	}
	d, ok := optTable[opt]
	if !ok || d.get == nil || !numberSizeOK(d.kind, buf) {
		return 0, zerr.ErrInvalid
	}
	return encodeValue(d.kind, d.get(&s.opts), buf)
}

// libzmqSetRules refuses what libzmq refuses beyond an option's type:
// CONNECT_ROUTING_ID outside ROUTER and STREAM (libzmq's
// routing_socket_base_t owns it), and an empty value given with a
// non-NULL pointer for the strings libzmq clears only on (NULL, 0).
func libzmqSetRules(typ, opt int, val []byte) error {
	switch opt {
	case OptConnectRoutingID:
		if typ != socktype.ROUTER && typ != socktype.STREAM {
			return zerr.ErrInvalid
		}
	case OptPlainUsername, OptPlainPassword, OptZAPDomain, OptBindToDevice, OptTCPAcceptFilter,
		OptSocksProxy, OptIPCFilterPID, OptIPCFilterUID, OptIPCFilterGID:
		if val != nil && len(val) == 0 {
			return zerr.ErrInvalid
		}
	}
	return nil
}

// numberSizeOK: libzmq's options_t::getsockopt wants a number's exact
// size (4 bytes, 8 for the 64-bit ones) and says EINVAL otherwise; only
// the socket's own state (EVENTS, FD, RCVMORE, THREAD_SAFE, and strings)
// may be read into a larger buffer.
func numberSizeOK(kind optKind, buf []byte) bool {
	switch kind {
	case kindInt, kindBool:
		return len(buf) == 4
	case kindInt64, kindUint64:
		return len(buf) == 8
	}
	return true
}

// Options returns a copy of the current options (for tests and workers).
func (s *Socket) Options() Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.clone()
}
