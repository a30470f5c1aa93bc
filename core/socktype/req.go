package socktype

import (
	"encoding/binary"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(REQ, "REQ", func() Protocol { return &req{dealer: newDealer(), begins: true} }) }

// req is a DEALER with a strict send/receive alternation (RFC 28; libzmq's
// req_t): each request goes out with an empty delimiter frame (and, with
// REQ_CORRELATE, a request id before it); only the reply from the pipe the
// request went to, carrying the delimiter, is accepted.
type req struct {
	*dealer
	receiving bool       // a request was sent; waiting for its reply
	begins    bool       // the next part sent or received starts a message
	replyPipe *pipe.Pipe // where the current request went
	requestID uint32
	correlate bool // REQ_CORRELATE
	relaxed   bool // REQ_RELAXED: a new request may abandon the old one
}

func (s *req) Send(f *msg.Frame) error {
	if s.receiving {
		if !s.relaxed {
			return zerr.ErrFSM
		}
		s.receiving, s.begins = false, true
	}
	if s.begins {
		if !s.lb.HasOut() {
			return zerr.ErrAgain
		}
		s.replyPipe = nil
		if s.correlate {
			s.requestID++
			id := make([]byte, 4)
			binary.NativeEndian.PutUint32(id, s.requestID)
			if _, err := s.lb.SendPipe(&msg.Frame{Data: id, Flags: msg.More}); err != nil {
				return err
			}
		}
		p, err := s.lb.SendPipe(&msg.Frame{Flags: msg.More})
		if err != nil {
			return err
		}
		s.replyPipe = p
		s.begins = false
		s.drainStale()
	}
	more := f.HasMore()
	if err := s.lb.Send(f); err != nil {
		return err
	}
	if !more {
		s.receiving, s.begins = true, true
	}
	return nil
}

// drainStale drops replies that arrived for earlier requests.
func (s *req) drainStale() {
	var f msg.Frame
	for s.fq.Recv(&f) == nil {
		f.Release()
	}
}

func (s *req) Recv(f *msg.Frame) error {
	if !s.receiving {
		return zerr.ErrFSM
	}
	for s.begins {
		ok, err := s.acceptHeader()
		if err != nil {
			return err
		}
		if ok {
			s.begins = false
		}
	}
	if err := s.fq.Recv(f); err != nil {
		return err
	}
	if !f.HasMore() {
		s.receiving, s.begins = false, true
	}
	return nil
}

// acceptHeader reads the envelope of the next reply: ok when it is the
// reply to the current request; a stray one is dropped whole.
func (s *req) acceptHeader() (bool, error) {
	var f msg.Frame
	p, err := s.fq.RecvPipe(&f)
	if err != nil {
		return false, err
	}
	good := p == s.replyPipe || s.replyPipe == nil && s.relaxed
	if good && s.correlate {
		good = f.HasMore() && len(f.Data) == 4 && binary.NativeEndian.Uint32(f.Data) == s.requestID
		if good {
			f.Release()
			if _, err := s.fq.RecvPipe(&f); err != nil {
				return false, err
			}
		}
	}
	good = good && f.HasMore() && len(f.Data) == 0
	if !good {
		s.dropRest(&f)
		return false, nil
	}
	return true, nil
}

// dropRest discards the remaining parts of a message whose part f was.
func (s *req) dropRest(f *msg.Frame) {
	for f.HasMore() {
		f.Release()
		if s.fq.Recv(f) != nil {
			return
		}
	}
	f.Release()
}

func (s *req) HasIn() bool  { return s.receiving && s.fq.HasIn() }
func (s *req) HasOut() bool { return (!s.receiving || s.relaxed) && s.lb.HasOut() }

func (s *req) Detach(p *pipe.Pipe) {
	if p == s.replyPipe {
		s.replyPipe = nil
	}
	s.dealer.Detach(p)
}

func (s *req) SetOption(opt int, val []byte) (bool, error) {
	var dst *bool
	switch opt {
	case optReqCorrelate:
		dst = &s.correlate
	case optReqRelaxed:
		dst = &s.relaxed
	default:
		return s.dealer.SetOption(opt, val)
	}
	v, err := boolOpt(val)
	if err == nil {
		*dst = v
	}
	return true, err
}
