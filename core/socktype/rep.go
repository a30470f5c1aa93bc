package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(REP, "REP", func() Protocol { return &rep{router: newRouter(), begins: true} }) }

// rep is a ROUTER that answers one request at a time (RFC 28; libzmq's
// rep_t): it strips the request's envelope (routing ids up to the empty
// delimiter), keeps it, and puts it back in front of the reply.
type rep struct {
	*router
	replying  bool // a request was received; the reply is due
	begins    bool
	backtrace []msg.Frame
}

func (s *rep) Recv(f *msg.Frame) error {
	if s.replying {
		return zerr.ErrFSM
	}
	for s.begins {
		ok, err := s.readEnvelope()
		if err != nil {
			return err
		}
		s.begins = !ok
	}
	if err := s.router.Recv(f); err != nil {
		return err
	}
	if !f.HasMore() {
		s.replying, s.begins = true, true
	}
	return nil
}

// readEnvelope collects the envelope of the next request; a request
// without the empty delimiter is malformed and dropped.
func (s *rep) readEnvelope() (bool, error) {
	s.clearBacktrace()
	for {
		var f msg.Frame
		if err := s.router.Recv(&f); err != nil {
			if len(s.backtrace) > 0 {
				// Parts of one message arrive together, so this cannot
				// happen mid-envelope; be safe and start over.
				s.clearBacktrace()
			}
			return false, err
		}
		if !f.HasMore() {
			f.Release() // no delimiter before the end: malformed
			s.clearBacktrace()
			return false, nil
		}
		s.backtrace = append(s.backtrace, f)
		if len(f.Data) == 0 {
			return true, nil
		}
	}
}

func (s *rep) clearBacktrace() {
	for i := range s.backtrace {
		s.backtrace[i].Release()
	}
	s.backtrace = s.backtrace[:0]
}

func (s *rep) Send(f *msg.Frame) error {
	if !s.replying {
		return zerr.ErrFSM
	}
	if len(s.backtrace) > 0 {
		for i := range s.backtrace {
			part := s.backtrace[i]
			part.Flags |= msg.More
			if err := s.router.Send(&part); err != nil {
				return err
			}
		}
		s.backtrace = s.backtrace[:0]
	}
	more := f.HasMore()
	if err := s.router.Send(f); err != nil {
		return err
	}
	if !more {
		s.replying = false
	}
	return nil
}

func (s *rep) HasIn() bool  { return !s.replying && s.router.HasIn() }
func (s *rep) HasOut() bool { return s.replying }
