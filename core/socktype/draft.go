package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/route"
)

// The draft socket types (RFC 41 CLIENT/SERVER, 48 RADIO/DISH, 49
// SCATTER/GATHER, 51 PEER, 52 CHANNEL) carry single-part messages only:
// a send with MORE fails with EINVAL and a multipart message that
// arrives anyway is dropped whole. libzmq calls them thread-safe, and so
// do we (core wakes every thread that waits on one of them).

// ThreadSafe reports whether typ is one of the thread-safe draft types
// (ZMQ_THREAD_SAFE; ZMQ_FD is refused for them, as in libzmq).
func ThreadSafe(typ int) bool { return typ >= SERVER && typ <= CHANNEL && typ != DGRAM }

// GroupSender is implemented by RADIO: SendGroup sends f to the peers
// that joined group. Same ownership rules as Protocol.Send.
type GroupSender interface {
	SendGroup(group string, f *msg.Frame) error
}

// BatchReceiver is implemented by types whose Recv is a plain take from
// their pipes (PULL, DEALER, PAIR): RecvBatch moves up to len(dst) parts
// into dst, as that many Recv calls would, and returns how many (0 when
// none is ready). A socket's receive cache fills itself this way with
// one pipe lock per batch instead of one per part.
type BatchReceiver interface {
	RecvBatch(dst []msg.Frame) int
}

// BatchSender is implemented by types whose Send is a plain push to
// their pipes (PUSH, DEALER, PAIR): SendBatch sends parts from fs, as that
// many Send calls would, taking ownership of the ones it reports sent
// (a prefix of fs; the rest stay with the caller, 0 when none could go).
// A socket's send cache drains itself this way with one pipe lock per
// run instead of one per part.
type BatchSender interface {
	SendBatch(fs []msg.Frame) int
}

// GroupReceiver is implemented by DISH: RecvGroup is Recv that also
// returns the message's group.
type GroupReceiver interface {
	RecvGroup(f *msg.Frame) (group string, err error)
}

// Joiner is implemented by DISH (zmq_join, zmq_leave). Both fail with
// zerr.ErrInvalid for a group longer than MaxGroup, a second join of the
// same group, or leaving a group not joined.
type Joiner interface {
	Join(group string) error
	Leave(group string) error
}

// PeerConnector is implemented by PEER: LastRoutingID is the routing id
// of the pipe attached most recently, which zmq_connect_peer returns.
type PeerConnector interface {
	LastRoutingID() uint32
}

// MaxGroup is ZMQ_GROUP_MAX_LENGTH.
const MaxGroup = 255

// Group commands that DISH sends and RADIO receives (the draft RFC 48 over
// ZMTP 3.1, as libzmq encodes them): a command frame whose body is the
// length-prefixed name followed by the group.
const (
	cmdJoin  = "\x04JOIN"
	cmdLeave = "\x05LEAVE"
)

// dropRest discards the remaining parts of a multipart message whose
// first part f was just received, so a single-part type never shows it.
func dropRest(fq *route.FairQueue, f *msg.Frame) {
	more := f.HasMore()
	f.Release()
	for more {
		var part msg.Frame
		if fq.Recv(&part) != nil {
			return // whole messages are visible at once: cannot happen
		}
		more = part.HasMore()
		part.Release()
	}
}

// recvSingle receives the next single-part message from fq, dropping
// multipart ones, and reports the pipe it came from.
func recvSingle(fq *route.FairQueue, f *msg.Frame) (*pipe.Pipe, error) {
	for {
		p, err := fq.RecvPipe(f)
		if err != nil {
			return nil, err
		}
		if !f.HasMore() {
			return p, nil
		}
		dropRest(fq, f)
	}
}
