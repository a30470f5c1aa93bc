package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(CHANNEL, "CHANNEL", func() Protocol { return &channel{} }) }

// channel is PAIR restricted to single-part messages (RFC 52; libzmq's
// channel_t): one peer, a second one is refused.
type channel struct{ pair }

func (s *channel) Send(f *msg.Frame) error {
	if f.HasMore() {
		return zerr.ErrInvalid
	}
	return s.pair.Send(f)
}

// Recv drops multipart messages whole.
func (s *channel) Recv(f *msg.Frame) error {
	for {
		if err := s.pair.Recv(f); err != nil {
			return err
		}
		if !f.HasMore() {
			return nil
		}
		for f.HasMore() {
			f.Release()
			if s.pair.Recv(f) != nil {
				return zerr.ErrAgain
			}
		}
		f.Release()
	}
}
