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
// [id][empty] (the router's notifications). Its engines run in raw mode,
// without ZMTP.
type stream struct{ *router }

func newStream() *stream {
	r := newRouter()
	r.notify = notifyConnect | notifyDisconnect
	return &stream{r}
}

// Attach ignores any routing id: raw peers never name themselves.
func (s *stream) Attach(p *pipe.Pipe) bool {
	p.RoutingID = nil
	return s.router.Attach(p)
}

// Send takes [id][bytes]; bytes may not be multipart (libzmq: EINVAL).
func (s *stream) Send(f *msg.Frame) error {
	if s.moreOut && f.HasMore() {
		return zerr.ErrInvalid
	}
	return s.router.Send(f)
}

func (s *stream) SetOption(opt int, val []byte) (bool, error) {
	switch opt {
	case optStreamNotify:
	case optRouterMandatory, optRouterHandover, optProbeRouter, optRouterNotify:
		return true, zerr.ErrInvalid // ROUTER's own options, as in libzmq
	default:
		return s.router.SetOption(opt, val)
	}
	v, err := strictBoolOpt(val) // libzmq: only 0 or 1
	if err == nil {
		s.notify = 0
		if v {
			s.notify = notifyConnect | notifyDisconnect
		}
	}
	return true, err
}
