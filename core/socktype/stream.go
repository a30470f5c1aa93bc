package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(STREAM, "STREAM", func() Protocol { return newStream() }) }

const optStreamNotify = 73

// stream speaks raw TCP (libzmq's stream_t): every connection gets a
// generated routing id; data arrives as [id][bytes], is sent as
// [id][bytes], and [id][empty] closes the connection. With STREAM_NOTIFY
// (the default) a new connection and a closed one each show up as
// [id][empty]. Its engines run in raw mode, without ZMTP.
type stream struct {
	*router
	notify  bool
	pending []msg.Frame // notifications, delivered before data
}

func newStream() *stream { return &stream{router: newRouter(), notify: true} }

func (s *stream) Attach(p *pipe.Pipe) bool {
	p.RoutingID = nil // raw peers never name themselves
	if !s.router.Attach(p) {
		return false
	}
	if s.notify {
		s.announce(p)
	}
	return true
}

func (s *stream) Detach(p *pipe.Pipe) {
	if s.notify && s.ids[string(p.RoutingID)] == p {
		s.announce(p)
	}
	s.router.Detach(p)
}

func (s *stream) announce(p *pipe.Pipe) {
	s.pending = append(s.pending,
		msg.Frame{Data: append([]byte(nil), p.RoutingID...), Flags: msg.More}, msg.Frame{})
}

func (s *stream) Recv(f *msg.Frame) error {
	if !s.moreIn && len(s.pending) > 0 {
		*f = s.pending[0]
		s.pending = s.pending[1:]
		return nil
	}
	return s.router.Recv(f)
}

// Send takes [id][bytes]; bytes may not be multipart (libzmq: EINVAL).
func (s *stream) Send(f *msg.Frame) error {
	if s.moreOut && f.HasMore() {
		return zerr.ErrInvalid
	}
	return s.router.Send(f)
}

func (s *stream) HasIn() bool { return len(s.pending) > 0 || s.router.HasIn() }

func (s *stream) SetOption(opt int, val []byte) (bool, error) {
	if opt != optStreamNotify {
		return s.router.SetOption(opt, val)
	}
	v, err := boolOpt(val)
	if err == nil {
		s.notify = v
	}
	return true, err
}
