package core

import (
	"errors"
	"strconv"
	"sync/atomic"

	"github.com/gozmq/gozmq/core/mech"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zmtp"
)

// zapEndpoint is where RFC 27 handlers bind, one per context.
const zapEndpoint = "inproc://zeromq.zap.01"

var zapRequestID atomic.Uint64

// zapFunc returns what an engine calls to authenticate a peer, or nil
// when this socket does not authenticate: PLAIN and CURVE servers always
// ask (PLAIN fails without a handler, as libzmq does); NULL asks only
// when a ZAP_DOMAIN is set.
func (s *Socket) zapFunc(peerAddr string) func(string, [][]byte) (mech.Verdict, error) {
	domain := s.opts.ZAPDomain
	identity := append([]byte(nil), s.opts.RoutingID...)
	server := (s.opts.Mechanism == mechPlain || s.opts.Mechanism == mechCurve) && s.opts.AsServer
	if !server && domain == "" {
		return nil
	}
	return func(mechanism string, creds [][]byte) (mech.Verdict, error) {
		// Without a handler, libzmq 4.3 lets NULL and CURVE peers in (the
		// CURVE handshake itself proved the client holds its key) but
		// refuses PLAIN, whose credentials nobody could check.
		if mechanism != "PLAIN" && !s.ctx.hasInproc("zeromq.zap.01") {
			return mech.Verdict{Status: "200"}, nil
		}
		return s.ctx.zap(domain, peerAddr, identity, mechanism, creds)
	}
}

func (c *Context) hasInproc(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.inproc[name]
	return ok
}

// zap sends one request to the context's handler and waits (bounded) for
// its reply (RFC 27): [""]["1.0"][id][domain][address][identity]
// [mechanism][credentials...] → [""]["1.0"][id][status][text][user id]
// [metadata].
func (c *Context) zap(domain, addr string, identity []byte, mechanism string, creds [][]byte) (mech.Verdict, error) {
	if !c.hasInproc("zeromq.zap.01") {
		return mech.Verdict{}, mech.ErrNoHandler
	}
	d, err := c.NewSocket(socktype.DEALER)
	if err != nil {
		return mech.Verdict{}, err
	}
	defer d.Close()
	d.opts.Linger, d.opts.RcvTimeo, d.opts.SndTimeo = 0, DefaultHandshakeIvl, DefaultHandshakeIvl
	if err := d.Connect(zapEndpoint); err != nil {
		return mech.Verdict{}, err
	}
	id := strconv.FormatUint(zapRequestID.Add(1), 10)
	parts := [][]byte{nil, []byte("1.0"), []byte(id), []byte(domain), []byte(addr), identity, []byte(mechanism)}
	parts = append(parts, creds...)
	for i, p := range parts {
		flags := 0
		if i < len(parts)-1 {
			flags = SndMore
		}
		f := msg.Frame{Data: append([]byte(nil), p...)}
		if err := d.Send(&f, flags); err != nil {
			return mech.Verdict{}, err
		}
	}
	var reply [][]byte
	for {
		var f msg.Frame
		if err := d.Recv(&f, 0); err != nil {
			return mech.Verdict{}, err
		}
		reply = append(reply, f.Data)
		if !f.HasMore() {
			break
		}
	}
	return parseZAPReply(reply, id)
}

var errZAPReply = errors.New("zap: malformed reply")

func parseZAPReply(r [][]byte, id string) (mech.Verdict, error) {
	if len(r) != 7 || len(r[0]) != 0 || string(r[1]) != "1.0" || string(r[2]) != id {
		return mech.Verdict{}, errZAPReply
	}
	status := string(r[3])
	if status != "200" && status != "300" && status != "400" && status != "500" {
		return mech.Verdict{}, errZAPReply
	}
	props, err := zmtp.ParseMetadata(r[6])
	if err != nil {
		return mech.Verdict{}, errZAPReply
	}
	return mech.Verdict{Status: status, Text: string(r[4]), UserID: string(r[5]), Props: props}, nil
}
