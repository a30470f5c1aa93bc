package socktype

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

// Socket type numbers, as in zmq.h.
const (
	PAIR   = 0
	PUB    = 1
	SUB    = 2
	REQ    = 3
	REP    = 4
	DEALER = 5
	ROUTER = 6
	PULL   = 7
	PUSH   = 8
	XPUB   = 9
	XSUB   = 10
	STREAM = 11

	// Draft types (zmq.h behind ZMQ_BUILD_DRAFT_API); see draft.go.
	SERVER  = 12
	CLIENT  = 13
	RADIO   = 14
	DISH    = 15
	GATHER  = 16
	SCATTER = 17
	DGRAM   = 18
	PEER    = 19
	CHANNEL = 20
)

// Protocol is one socket type's behaviour. See the package doc for the
// locking and blocking contract.
type Protocol interface {
	// Attach adds a pipe to a new peer. A type that takes only one peer
	// (PAIR) returns false, and the caller closes the pipe.
	Attach(p *pipe.Pipe) bool
	// Detach removes a pipe whose peer went away.
	Detach(p *pipe.Pipe)
	// ReadActivated reports that p's In queue has a message again.
	ReadActivated(p *pipe.Pipe)
	// WriteActivated reports that p's Out queue has room again.
	WriteActivated(p *pipe.Pipe)
	// Send takes f on success; on error the caller keeps f.
	Send(f *msg.Frame) error
	// Recv fills f on success.
	Recv(f *msg.Frame) error
	HasIn() bool
	HasOut() bool
}

// Strategy slots in pipe.Index, one per strategy a type composes.
const (
	slotLB = iota
	slotFQ
	slotDist
	slotMap
)

type ctor func() Protocol

var registry = map[int]struct {
	name string
	new  ctor
}{}

func register(typ int, name string, fn ctor) {
	registry[typ] = struct {
		name string
		new  ctor
	}{name, fn}
}

// New returns the Protocol for a zmq.h socket type number, or
// zerr.ErrInvalid for a type this library does not implement.
func New(typ int) (Protocol, error) {
	r, ok := registry[typ]
	if !ok {
		return nil, zerr.ErrInvalid
	}
	return r.new(), nil
}

// Name returns the ZMTP Socket-Type name of typ ("" if unknown).
func Name(typ int) string { return registry[typ].name }

// RoutesByID reports whether a socket type addresses its peers by routing
// id (and so must learn a peer's id before it can use the pipe).
func RoutesByID(typ int) bool { return typ == ROUTER || typ == REP || typ == STREAM }

// PipePerConnection reports whether a connecting socket of type typ gets a
// fresh pipe for every connection instead of one that survives
// reconnections: the routing-id types, and DISH, whose Attach tells each
// new connection the groups it joined.
func PipePerConnection(typ int) bool { return RoutesByID(typ) || typ == DISH }

// Conflatable reports whether ZMQ_CONFLATE applies to a socket type
// (libzmq: the types that never need multipart messages to work).
func Conflatable(typ int) bool {
	switch typ {
	case DEALER, PULL, PUSH, PUB, SUB:
		return true
	}
	return false
}

// compatible is RFC 23's table of which peer types each type accepts
// (libzmq's mechanism_t::check_socket_type).
var compatible = map[string][]string{
	"PAIR":   {"PAIR"},
	"PUB":    {"SUB", "XSUB"},
	"SUB":    {"PUB", "XPUB"},
	"XPUB":   {"SUB", "XSUB"},
	"XSUB":   {"PUB", "XPUB"},
	"REQ":    {"REP", "ROUTER"},
	"REP":    {"REQ", "DEALER"},
	"DEALER": {"REP", "DEALER", "ROUTER"},
	"ROUTER": {"REQ", "DEALER", "ROUTER"},
	"PUSH":   {"PULL"},
	"PULL":   {"PUSH"},

	"SERVER":  {"CLIENT"},
	"CLIENT":  {"SERVER"},
	"RADIO":   {"DISH"},
	"DISH":    {"RADIO"},
	"SCATTER": {"GATHER"},
	"GATHER":  {"SCATTER"},
	"PEER":    {"PEER"},
	"CHANNEL": {"CHANNEL"},
}

// Compatible reports whether a socket of type ours may talk to a peer that
// announced Socket-Type peer.
func Compatible(ours, peer string) bool {
	for _, p := range compatible[ours] {
		if p == peer {
			return true
		}
	}
	return false
}
