package core

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gozmq/gozmq/core/socktype"
	"github.com/gozmq/gozmq/core/zerr"
)

// Draft and deprecated options, with libzmq 4.3.5's validation. They
// join optTable at start-up; keeping them here keeps options.go to the
// stable set.
func init() {
	for opt, d := range extraOpts {
		optTable[opt] = d
	}
}

var extraOpts = map[int]optDesc{
	// libzmq stores BUSY_POLL and only passes it to SO_BUSY_POLL on tcp
	// sockets, which needs CAP_NET_ADMIN to raise; we keep it as a hint.
	OptBusyPoll:      {kind: kindInt, get: func(o *Options) any { return o.BusyPoll }, set: func(o *Options, v any) error { o.BusyPoll = v.(int); return nil }},
	OptHelloMsg:      msgOpt(func(o *Options) *[]byte { return &o.HelloMsg }),
	OptDisconnectMsg: msgOpt(func(o *Options) *[]byte { return &o.DisconnectMsg }),
	OptHiccupMsg:     msgOpt(func(o *Options) *[]byte { return &o.HiccupMsg }),
	OptSocksProxy:    stringOpt(func(o *Options) *string { return &o.SocksProxy }, 1<<20),
	OptSocksUsername: stringOpt(func(o *Options) *string { return &o.SocksUsername }, 255),
	OptSocksPassword: stringOpt(func(o *Options) *string { return &o.SocksPassword }, 255),
	OptTCPAcceptFilter: {kind: kindString, set: func(o *Options, v any) error {
		b := v.([]byte)
		if len(b) == 0 {
			o.TCPAcceptFilters = nil
			return nil
		}
		if len(b) > 255 {
			return zerr.ErrInvalid
		}
		p, err := parseAcceptFilter(string(b), o.IPv6)
		if err != nil {
			return err
		}
		o.TCPAcceptFilters = append(o.TCPAcceptFilters, p)
		return nil
	}},
	OptIPCFilterPID: credOpt(func(o *Options) *[]uint32 { return &o.IPCFilterPIDs }),
	OptIPCFilterUID: credOpt(func(o *Options) *[]uint32 { return &o.IPCFilterUIDs }),
	OptIPCFilterGID: credOpt(func(o *Options) *[]uint32 { return &o.IPCFilterGIDs }),
}

// msgOpt is a write-only binary message option; an empty value unsets it.
func msgOpt(field func(*Options) *[]byte) optDesc {
	return optDesc{kind: kindBytes, set: func(o *Options, v any) error {
		b := v.([]byte)
		if len(b) == 0 {
			b = nil
		}
		*field(o) = b
		return nil
	}}
}

// stringOpt is a readable string option of at most max bytes; an empty
// value clears it.
func stringOpt(field func(*Options) *string, max int) optDesc {
	return optDesc{kind: kindString,
		get: func(o *Options) any { return *field(o) },
		set: func(o *Options, v any) error {
			if len(v.([]byte)) > max {
				return zerr.ErrInvalid
			}
			*field(o) = string(v.([]byte))
			return nil
		}}
}

// credOpt adds one uid, gid or pid (4 bytes) to an ipc filter set; an
// empty value clears the set.
func credOpt(field func(*Options) *[]uint32) optDesc {
	return optDesc{kind: kindBytes, set: func(o *Options, v any) error {
		b := v.([]byte)
		switch len(b) {
		case 0:
			*field(o) = nil
		case 4:
			*field(o) = append(*field(o), binary.NativeEndian.Uint32(b))
		default:
			return zerr.ErrInvalid
		}
		return nil
	}}
}

// parseAcceptFilter reads a TCP_ACCEPT_FILTER value: an IP literal
// (IPv6 ones only with ZMQ_IPV6, optionally in brackets) with an
// optional "/bits"; as in libzmq, names are not resolved.
func parseAcceptFilter(s string, ipv6 bool) (netip.Prefix, error) {
	addr, bits, hasBits := strings.Cut(s, "/")
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" || a.Is6() && !ipv6 {
		return netip.Prefix{}, zerr.ErrInvalid
	}
	n := a.BitLen()
	if hasBits {
		v, err := strconv.Atoi(bits)
		if err != nil || v < 0 || v > a.BitLen() || v == 0 && bits != "0" {
			return netip.Prefix{}, zerr.ErrInvalid
		}
		n = v
	}
	return a.Prefix(n)
}

// admitsTCP reports whether a tcp peer passes the accept filters.
func (o *Options) admitsTCP(peer netip.Addr) bool {
	if len(o.TCPAcceptFilters) == 0 {
		return true
	}
	for _, p := range o.TCPAcceptFilters {
		if p.Contains(peer) || peer.Is4In6() && p.Contains(peer.Unmap()) {
			return true
		}
	}
	return false
}

// helloFor is the HELLO_MSG a socket of type t sends on each new
// connection: ROUTER, DEALER, SERVER, CLIENT and PEER send it (libzmq's
// can_send_hello_msg), others never do.
func (o *Options) helloFor(t int) []byte {
	switch t {
	case socktype.ROUTER, socktype.DEALER, socktype.SERVER, socktype.CLIENT, socktype.PEER:
		return o.HelloMsg
	}
	return nil
}

// disconnectFor is the DISCONNECT_MSG a socket of type t receives when a
// peer that connected to it goes away (ROUTER, SERVER, PEER).
func (o *Options) disconnectFor(t int) []byte {
	switch t {
	case socktype.ROUTER, socktype.SERVER, socktype.PEER:
		return o.DisconnectMsg
	}
	return nil
}

// hiccupFor is the HICCUP_MSG a socket of type t receives when a
// connection it made ends (DEALER, CLIENT, PEER).
func (o *Options) hiccupFor(t int) []byte {
	switch t {
	case socktype.DEALER, socktype.CLIENT, socktype.PEER:
		return o.HiccupMsg
	}
	return nil
}
