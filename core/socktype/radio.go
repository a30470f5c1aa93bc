package socktype

import (
	"strings"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
	"github.com/gozmq/gozmq/core/zerr"
)

func init() { register(RADIO, "RADIO", func() Protocol { return newRadio() }) }

// radio sends each message to the peers that joined its group (RFC 48;
// libzmq's radio_t). Peers (DISH) tell their groups with JOIN and LEAVE
// commands, which arrive through the pipes as command frames. Inside a
// pipe, and on the wire, a message is two frames: the group (MORE), then
// the body. Like PUB it drops a message for a peer at its HWM, unless
// XPUB_NODROP is set, in which case the send fails with EAGAIN.
type radio struct {
	dist   route.Distributor
	groups map[string][]*pipe.Pipe // group → pipes that joined it
	udp    []*pipe.Pipe            // udp endpoints: every group goes there
	noDrop bool
}

func newRadio() *radio {
	return &radio{dist: route.NewDistributor(slotDist), groups: map[string][]*pipe.Pipe{}}
}

func (s *radio) Attach(p *pipe.Pipe) bool {
	s.dist.Attach(p)
	if p.Datagram {
		s.udp = append(s.udp, p)
	}
	s.ReadActivated(p) // joins sent before we attached
	return true
}

func (s *radio) Detach(p *pipe.Pipe) {
	for g, ps := range s.groups {
		s.drop(g, ps, p)
	}
	for i, q := range s.udp {
		if q == p {
			s.udp = append(s.udp[:i], s.udp[i+1:]...)
			break
		}
	}
	s.dist.Detach(p)
}

// drop removes p from group g's list ps.
func (s *radio) drop(g string, ps []*pipe.Pipe, p *pipe.Pipe) {
	for i, q := range ps {
		if q == p {
			ps[i] = ps[len(ps)-1]
			ps = ps[:len(ps)-1]
			break
		}
	}
	if len(ps) == 0 {
		delete(s.groups, g)
	} else {
		s.groups[g] = ps
	}
}

// ReadActivated applies the JOIN and LEAVE commands p sent. Anything else
// a peer sends is dropped.
func (s *radio) ReadActivated(p *pipe.Pipe) {
	var f msg.Frame
	for p.In.Pop(&f) {
		if f.Flags&msg.Command != 0 {
			d := string(f.Data)
			if g, ok := strings.CutPrefix(d, cmdJoin); ok {
				s.join(g, p)
			} else if g, ok := strings.CutPrefix(d, cmdLeave); ok {
				s.drop(g, s.groups[g], p)
			}
		}
		f.Release()
	}
}

func (s *radio) join(g string, p *pipe.Pipe) {
	if len(g) > MaxGroup {
		return // libzmq's DISH never sends one; ignore it
	}
	for _, q := range s.groups[g] {
		if q == p {
			return
		}
	}
	s.groups[g] = append(s.groups[g], p)
}

func (s *radio) WriteActivated(p *pipe.Pipe) { s.dist.Activated(p) }

// Send sends f to the empty group (zmq_send has no way to name one).
func (s *radio) Send(f *msg.Frame) error { return s.SendGroup("", f) }

func (s *radio) SendGroup(group string, f *msg.Frame) error {
	if f.HasMore() || len(group) > MaxGroup {
		return zerr.ErrInvalid
	}
	s.dist.Unmatch()
	for _, p := range s.groups[group] {
		s.dist.Match(p)
	}
	for _, p := range s.udp {
		s.dist.Match(p)
	}
	if s.noDrop && !s.dist.AllHaveRoom() {
		s.dist.Unmatch()
		return zerr.ErrAgain
	}
	g := msg.Frame{Data: []byte(group), Flags: msg.More}
	s.dist.Send(&g)
	f.RoutingID = 0
	return s.dist.Send(f)
}

func (s *radio) Recv(f *msg.Frame) error { return zerr.ErrNotSupported }
func (s *radio) HasIn() bool             { return false }
func (s *radio) HasOut() bool            { return s.dist.HasOut() }

// SetOption takes XPUB_NODROP; every other option is refused, as libzmq's
// radio_t does for the options that belong to socket types.
func (s *radio) SetOption(opt int, val []byte) (bool, error) {
	if opt != optXPubNoDrop {
		return false, nil
	}
	v, err := intOpt(val)
	if err != nil || v < 0 {
		return true, zerr.ErrInvalid
	}
	s.noDrop = v != 0
	return true, nil
}

func (s *radio) GetOption(opt int) (any, bool) { return nil, false }
