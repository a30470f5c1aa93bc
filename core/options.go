package core

import (
	"encoding/binary"
	"net/netip"
	"strings"

	"github.com/gozmq/gozmq/core/zerr"
)

// Option numbers, as in zmq.h.
const (
	OptAffinity          = 4
	OptRoutingID         = 5
	OptSubscribe         = 6
	OptUnsubscribe       = 7
	OptRate              = 8
	OptRecoveryIvl       = 9
	OptSndBuf            = 11
	OptRcvBuf            = 12
	OptRcvMore           = 13
	OptFD                = 14
	OptEvents            = 15
	OptType              = 16
	OptLinger            = 17
	OptReconnectIvl      = 18
	OptBacklog           = 19
	OptReconnectIvlMax   = 21
	OptMaxMsgSize        = 22
	OptSndHWM            = 23
	OptRcvHWM            = 24
	OptMulticastHops     = 25
	OptRcvTimeo          = 27
	OptSndTimeo          = 28
	OptLastEndpoint      = 32
	OptTCPKeepalive      = 34
	OptTCPKeepaliveCnt   = 35
	OptTCPKeepaliveIdle  = 36
	OptTCPKeepaliveIntvl = 37
	OptImmediate         = 39
	OptIPv6              = 42
	OptIPv4Only          = 31
	OptTOS               = 57
	OptConnectRoutingID  = 61
	OptConflate          = 54
	OptHandshakeIvl      = 66
	OptBindToDevice      = 92
	OptConnectTimeout    = 79
	OptTCPMaxRT          = 80
	OptThreadSafe        = 81
	OptMulticastMaxTPDU  = 84
	OptHeartbeatIvl      = 75
	OptHeartbeatTTL      = 76
	OptHeartbeatTimeout  = 77
	OptInvertMatching    = 74
	OptUseFD             = 89
	OptZAPDomain         = 55
	OptMetadata          = 95
	OptPlainServer       = 44
	OptPlainUsername     = 45
	OptPlainPassword     = 46
	OptCurveServer       = 47
	OptCurvePublicKey    = 48
	OptCurveSecretKey    = 49
	OptCurveServerKey    = 50
	OptMechanism         = 43
	OptReconnectStop     = 109

	// Draft options (zmq.h ZMQ_BUILD_DRAFT_API) and deprecated ones.
	OptHelloMsg        = 110
	OptDisconnectMsg   = 111
	OptBusyPoll        = 113
	OptHiccupMsg       = 114
	OptSocksProxy      = 68
	OptSocksUsername   = 99
	OptSocksPassword   = 100
	OptTCPAcceptFilter = 38
	OptIPCFilterPID    = 58
	OptIPCFilterUID    = 59
	OptIPCFilterGID    = 60
)

// Options are a socket's settings. Engines and sessions receive a copy
// taken when they start, as libzmq's sessions copy options_t.
type Options struct {
	Affinity                                     uint64
	RoutingID                                    []byte
	SndBuf, RcvBuf                               int
	Linger                                       int // ms; -1 waits forever
	ReconnectIvl                                 int // ms; -1 disables reconnection
	ReconnectIvlMax                              int // ms; 0 means no exponential backoff
	ReconnectStop                                int
	Backlog                                      int
	MaxMsgSize                                   int64 // -1 = unlimited
	SndHWM, RcvHWM                               int
	RcvTimeo                                     int // ms; -1 blocks forever
	SndTimeo                                     int
	Immediate                                    bool
	IPv6                                         bool
	TOS                                          int
	HandshakeIvl                                 int
	ConnectTimeout                               int
	TCPMaxRT                                     int
	TCPKeepalive                                 int
	TCPKeepaliveCnt                              int
	TCPKeepaliveIdle, TCPKeepaliveIntvl          int
	BindToDevice                                 string
	Rate                                         int
	RecoveryIvl                                  int
	MulticastHops                                int
	MulticastMaxTPDU                             int
	HeartbeatIvl, HeartbeatTTL, HeartbeatTimeout int
	ZAPDomain                                    string
	ConnectRoutingID                             []byte
	UseFD                                        int
	InvertMatching                               bool
	Conflate                                     bool
	Metadata                                     []MetaProp // ZMQ_METADATA: sent in the handshake
	BusyPoll                                     int        // ZMQ_BUSY_POLL: stored only, as a hint

	// HelloMsg is sent first on every new connection; DisconnectMsg is
	// received from a peer whose accepted connection ended; HiccupMsg is
	// received when a connection this socket made ends (draft options;
	// which socket types use them is decided in engineConfig).
	HelloMsg, DisconnectMsg, HiccupMsg []byte

	// SOCKS5 proxy for tcp connects ("host:port", optionally "src;"
	// before it), with RFC 1929 credentials when SocksUsername is set.
	SocksProxy, SocksUsername, SocksPassword string

	// Deprecated accept filters: peer address ranges for tcp, peer
	// credentials (SO_PEERCRED) for ipc. Empty admits everyone.
	TCPAcceptFilters                            []netip.Prefix
	IPCFilterUIDs, IPCFilterGIDs, IPCFilterPIDs []uint32

	// Security: Mechanism is zmq.h's ZMQ_NULL (0) or ZMQ_PLAIN (1);
	// AsServer is the PLAIN_SERVER role.
	Mechanism                                      int
	AsServer                                       bool
	PlainUsername, PlainPassword                   string
	CurvePublicKey, CurveSecretKey, CurveServerKey [32]byte
}

// Mechanisms (zmq.h ZMQ_NULL, ZMQ_PLAIN).
const (
	mechNull  = 0
	mechPlain = 1
	mechCurve = 2
)

// setPlainCredential sets a PLAIN username or password, which makes the
// socket a PLAIN client; an empty value goes back to NULL, as in libzmq.
func (o *Options) setPlainCredential(dst *string, v []byte) error {
	if len(v) > 255 {
		return zerr.ErrInvalid
	}
	*dst = string(v)
	if len(v) == 0 {
		o.Mechanism = mechNull
	} else {
		o.Mechanism, o.AsServer = mechPlain, false
	}
	return nil
}

// curveKeyOpt reads and writes a CURVE key: set takes 32 bytes, or 40
// Z85 characters (41 with a NUL); get gives binary for a 32-byte buffer
// and Z85 text for a 41-byte one, as libzmq does. Setting the server key
// makes the socket a CURVE client.
func curveKeyOpt(field func(*Options) *[32]byte, makesClient bool) optDesc {
	return optDesc{kind: kindCurveKey,
		get: func(o *Options) any { return *field(o) },
		set: func(o *Options, v any) error {
			b := v.([]byte)
			switch {
			case len(b) == 32:
			case len(b) == 40 || len(b) == 41 && b[40] == 0:
				d, err := z85Decode(string(b[:40]))
				if err != nil {
					return zerr.ErrInvalid
				}
				b = d
			default:
				return zerr.ErrInvalid
			}
			copy(field(o)[:], b)
			if makesClient {
				o.Mechanism, o.AsServer = mechCurve, false
			}
			return nil
		}}
}

// MechanismName is the greeting's name for the configured mechanism.
func (o *Options) MechanismName() string {
	switch o.Mechanism {
	case mechPlain:
		return "PLAIN"
	case mechCurve:
		return "CURVE"
	}
	return "NULL"
}

// MetaProp is one application-defined handshake property.
type MetaProp struct{ Name, Value string }

// defaultOptions returns libzmq 4.3's defaults.
func defaultOptions() Options {
	return Options{
		SndBuf: -1, RcvBuf: -1, Linger: -1,
		ReconnectIvl: DefaultReconnectIvl, Backlog: DefaultBacklog,
		MaxMsgSize: -1, SndHWM: DefaultHWM, RcvHWM: DefaultHWM,
		RcvTimeo: -1, SndTimeo: -1, HandshakeIvl: DefaultHandshakeIvl,
		TCPKeepalive: -1, TCPKeepaliveCnt: -1, TCPKeepaliveIdle: -1,
		TCPKeepaliveIntvl: -1, Rate: 100, RecoveryIvl: 10000,
		MulticastHops: 1, MulticastMaxTPDU: 1500, HeartbeatTimeout: -1,
		UseFD: -1,
	}
}

// clone returns a copy that shares no slices with o.
func (o *Options) clone() Options {
	c := *o
	c.RoutingID = append([]byte(nil), o.RoutingID...)
	c.ConnectRoutingID = append([]byte(nil), o.ConnectRoutingID...)
	c.Metadata = append([]MetaProp(nil), o.Metadata...)
	c.HelloMsg = append([]byte(nil), o.HelloMsg...)
	c.DisconnectMsg = append([]byte(nil), o.DisconnectMsg...)
	c.HiccupMsg = append([]byte(nil), o.HiccupMsg...)
	c.TCPAcceptFilters = append([]netip.Prefix(nil), o.TCPAcceptFilters...)
	c.IPCFilterUIDs = append([]uint32(nil), o.IPCFilterUIDs...)
	c.IPCFilterGIDs = append([]uint32(nil), o.IPCFilterGIDs...)
	c.IPCFilterPIDs = append([]uint32(nil), o.IPCFilterPIDs...)
	return c
}

// optKind says how an option's value is encoded in the C buffer.
type optKind int

const (
	kindInt      optKind = iota // C int, exactly sizeof(int) bytes
	kindBool                    // C int, 0 or 1 (other values EINVAL)
	kindInt64                   // int64_t
	kindUint64                  // uint64_t
	kindBytes                   // binary blob
	kindString                  // string; get adds a NUL
	kindCurveKey                // 32 bytes binary, or Z85 text in a 41-byte buffer
)

// optDesc describes one option: how to read it from and write it to an
// Options value. A nil set means read-only; a nil get means write-only.
// Socket-level options (EVENTS, FD, RCVMORE ...) are answered by the
// Socket itself and are not in this table.
type optDesc struct {
	kind optKind
	get  func(o *Options) any
	set  func(o *Options, v any) error
}

func intOpt(field func(*Options) *int, min int) optDesc {
	return optDesc{kind: kindInt,
		get: func(o *Options) any { return *field(o) },
		set: func(o *Options, v any) error {
			if v.(int) < min {
				return zerr.ErrInvalid
			}
			*field(o) = v.(int)
			return nil
		}}
}

func rangeOpt(field func(*Options) *int, min, max int) optDesc {
	d := intOpt(field, min)
	set := d.set
	d.set = func(o *Options, v any) error {
		if v.(int) > max {
			return zerr.ErrInvalid
		}
		return set(o, v)
	}
	return d
}

func boolOpt(field func(*Options) *bool) optDesc {
	return optDesc{kind: kindBool,
		get: func(o *Options) any { return b2i(*field(o)) },
		set: func(o *Options, v any) error { *field(o) = v.(int) != 0; return nil }}
}

// relaxedBoolOpt takes any int, non-zero meaning on (libzmq's
// do_setsockopt_int_as_bool_relaxed, e.g. ZMQ_INVERT_MATCHING).
func relaxedBoolOpt(field func(*Options) *bool) optDesc {
	return optDesc{kind: kindInt,
		get: func(o *Options) any { return b2i(*field(o)) },
		set: func(o *Options, v any) error { *field(o) = v.(int) != 0; return nil }}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// optTable is every option this library implements, libzmq's validation
// included (minimum values as in libzmq's options.cpp).
var optTable = map[int]optDesc{
	OptSndHWM:            intOpt(func(o *Options) *int { return &o.SndHWM }, 0),
	OptRcvHWM:            intOpt(func(o *Options) *int { return &o.RcvHWM }, 0),
	OptLinger:            intOpt(func(o *Options) *int { return &o.Linger }, -1),
	OptRcvTimeo:          intOpt(func(o *Options) *int { return &o.RcvTimeo }, -1),
	OptSndTimeo:          intOpt(func(o *Options) *int { return &o.SndTimeo }, -1),
	OptReconnectIvl:      intOpt(func(o *Options) *int { return &o.ReconnectIvl }, -1),
	OptReconnectIvlMax:   intOpt(func(o *Options) *int { return &o.ReconnectIvlMax }, 0),
	OptReconnectStop:     intOpt(func(o *Options) *int { return &o.ReconnectStop }, 0),
	OptBacklog:           intOpt(func(o *Options) *int { return &o.Backlog }, 0),
	OptSndBuf:            intOpt(func(o *Options) *int { return &o.SndBuf }, -1),
	OptRcvBuf:            intOpt(func(o *Options) *int { return &o.RcvBuf }, -1),
	OptTOS:               intOpt(func(o *Options) *int { return &o.TOS }, 0),
	OptHandshakeIvl:      intOpt(func(o *Options) *int { return &o.HandshakeIvl }, 0),
	OptConnectTimeout:    intOpt(func(o *Options) *int { return &o.ConnectTimeout }, 0),
	OptTCPMaxRT:          intOpt(func(o *Options) *int { return &o.TCPMaxRT }, 0),
	OptTCPKeepalive:      rangeOpt(func(o *Options) *int { return &o.TCPKeepalive }, -1, 1),
	OptTCPKeepaliveCnt:   intOpt(func(o *Options) *int { return &o.TCPKeepaliveCnt }, -1),
	OptTCPKeepaliveIdle:  intOpt(func(o *Options) *int { return &o.TCPKeepaliveIdle }, -1),
	OptTCPKeepaliveIntvl: intOpt(func(o *Options) *int { return &o.TCPKeepaliveIntvl }, -1),
	OptRate:              intOpt(func(o *Options) *int { return &o.Rate }, 1),
	OptRecoveryIvl:       intOpt(func(o *Options) *int { return &o.RecoveryIvl }, 0),
	OptMulticastHops:     intOpt(func(o *Options) *int { return &o.MulticastHops }, 1),
	OptMulticastMaxTPDU:  intOpt(func(o *Options) *int { return &o.MulticastMaxTPDU }, 1),
	OptHeartbeatIvl:      intOpt(func(o *Options) *int { return &o.HeartbeatIvl }, 0),
	OptHeartbeatTimeout:  intOpt(func(o *Options) *int { return &o.HeartbeatTimeout }, 0),
	OptUseFD:             intOpt(func(o *Options) *int { return &o.UseFD }, -1),
	OptImmediate:         boolOpt(func(o *Options) *bool { return &o.Immediate }),
	OptIPv6:              boolOpt(func(o *Options) *bool { return &o.IPv6 }),
	OptInvertMatching:    relaxedBoolOpt(func(o *Options) *bool { return &o.InvertMatching }),
	OptConflate:          boolOpt(func(o *Options) *bool { return &o.Conflate }),
	OptIPv4Only: {kind: kindBool,
		get: func(o *Options) any { return b2i(!o.IPv6) },
		set: func(o *Options, v any) error { o.IPv6 = v.(int) == 0; return nil }},
	OptHeartbeatTTL: {kind: kindInt,
		get: func(o *Options) any { return o.HeartbeatTTL },
		set: func(o *Options, v any) error {
			// The TTL travels in deciseconds in a 16-bit field (RFC 37);
			// like libzmq, the range is checked after truncating to
			// deciseconds, so -1 ms means 0.
			ds := v.(int) / 100
			if ds < 0 || ds > 65535 {
				return zerr.ErrInvalid
			}
			o.HeartbeatTTL = ds * 100
			return nil
		}},
	OptMaxMsgSize: {kind: kindInt64,
		get: func(o *Options) any { return o.MaxMsgSize },
		set: func(o *Options, v any) error { o.MaxMsgSize = v.(int64); return nil }},
	OptAffinity: {kind: kindUint64,
		get: func(o *Options) any { return o.Affinity },
		set: func(o *Options, v any) error { o.Affinity = v.(uint64); return nil }},
	OptRoutingID: {kind: kindBytes,
		get: func(o *Options) any { return o.RoutingID },
		set: func(o *Options, v any) error {
			// libzmq: 1..255 bytes (a leading zero byte is documented as
			// reserved for generated ids, but libzmq does not refuse it).
			b := v.([]byte)
			if len(b) == 0 || len(b) > 255 {
				return zerr.ErrInvalid
			}
			o.RoutingID = append([]byte(nil), b...)
			return nil
		}},
	OptConnectRoutingID: {kind: kindBytes,
		set: func(o *Options, v any) error {
			b := v.([]byte)
			if len(b) == 0 || len(b) > 255 {
				return zerr.ErrInvalid
			}
			o.ConnectRoutingID = append([]byte(nil), b...)
			return nil
		}},
	OptBindToDevice: {kind: kindString,
		get: func(o *Options) any { return o.BindToDevice },
		set: func(o *Options, v any) error {
			if len(v.([]byte)) > 16 {
				return zerr.ErrInvalid
			}
			o.BindToDevice = string(v.([]byte))
			return nil
		}},
	OptPlainServer: {kind: kindBool,
		get: func(o *Options) any { return b2i(o.Mechanism == mechPlain && o.AsServer) },
		set: func(o *Options, v any) error {
			// libzmq: 1 makes a PLAIN server; 0 leaves NULL.
			o.AsServer = v.(int) == 1
			if o.AsServer {
				o.Mechanism = mechPlain
			} else {
				o.Mechanism = mechNull
			}
			return nil
		}},
	OptPlainUsername: {kind: kindString,
		get: func(o *Options) any { return o.PlainUsername },
		set: func(o *Options, v any) error { return o.setPlainCredential(&o.PlainUsername, v.([]byte)) }},
	OptPlainPassword: {kind: kindString,
		get: func(o *Options) any { return o.PlainPassword },
		set: func(o *Options, v any) error { return o.setPlainCredential(&o.PlainPassword, v.([]byte)) }},
	OptCurveServer: {kind: kindBool,
		get: func(o *Options) any { return b2i(o.Mechanism == mechCurve && o.AsServer) },
		set: func(o *Options, v any) error {
			o.AsServer = v.(int) == 1
			if o.AsServer {
				o.Mechanism = mechCurve
			} else {
				o.Mechanism = mechNull
			}
			return nil
		}},
	OptCurvePublicKey: curveKeyOpt(func(o *Options) *[32]byte { return &o.CurvePublicKey }, false),
	OptCurveSecretKey: curveKeyOpt(func(o *Options) *[32]byte { return &o.CurveSecretKey }, false),
	OptCurveServerKey: curveKeyOpt(func(o *Options) *[32]byte { return &o.CurveServerKey }, true),
	OptMetadata: {kind: kindString,
		set: func(o *Options, v any) error {
			// "X-name:value"; libzmq admits only names in the X- space.
			name, value, ok := strings.Cut(string(v.([]byte)), ":")
			if !ok || len(name) < 3 || !strings.EqualFold(name[:2], "X-") {
				return zerr.ErrInvalid
			}
			o.Metadata = append(o.Metadata, MetaProp{name, value})
			return nil
		}},
	OptZAPDomain: {kind: kindString,
		get: func(o *Options) any { return o.ZAPDomain },
		set: func(o *Options, v any) error {
			if len(v.([]byte)) > 255 {
				return zerr.ErrInvalid
			}
			o.ZAPDomain = string(v.([]byte))
			return nil
		}},
}

// decodeValue converts a C option buffer to the Go value its kind expects,
// enforcing libzmq's exact size rules.
func decodeValue(kind optKind, b []byte) (any, error) {
	switch kind {
	case kindInt, kindBool:
		if len(b) != 4 {
			return nil, zerr.ErrInvalid
		}
		v := int(int32(binary.NativeEndian.Uint32(b)))
		if kind == kindBool && v != 0 && v != 1 {
			return nil, zerr.ErrInvalid
		}
		return v, nil
	case kindInt64:
		if len(b) != 8 {
			return nil, zerr.ErrInvalid
		}
		return int64(binary.NativeEndian.Uint64(b)), nil
	case kindUint64:
		if len(b) != 8 {
			return nil, zerr.ErrInvalid
		}
		return binary.NativeEndian.Uint64(b), nil
	default:
		return append([]byte(nil), b...), nil
	}
}

// encodeValue writes v into buf as libzmq would and returns the length to
// report. A buffer too small for a number is EINVAL; for a string it is
// EINVAL too (libzmq does not truncate option strings).
func encodeValue(kind optKind, v any, buf []byte) (int, error) {
	switch kind {
	case kindInt, kindBool:
		if len(buf) < 4 {
			return 0, zerr.ErrInvalid
		}
		binary.NativeEndian.PutUint32(buf, uint32(int32(v.(int))))
		return 4, nil
	case kindInt64:
		if len(buf) < 8 {
			return 0, zerr.ErrInvalid
		}
		binary.NativeEndian.PutUint64(buf, uint64(v.(int64)))
		return 8, nil
	case kindUint64:
		if len(buf) < 8 {
			return 0, zerr.ErrInvalid
		}
		binary.NativeEndian.PutUint64(buf, v.(uint64))
		return 8, nil
	case kindBytes:
		b := v.([]byte)
		if len(buf) < len(b) {
			return 0, zerr.ErrInvalid
		}
		return copy(buf, b), nil
	case kindCurveKey:
		k := v.([32]byte)
		switch {
		case len(buf) == 32:
			return copy(buf, k[:]), nil
		case len(buf) == 41: // libzmq: exactly 32 (binary) or 41 (Z85)
			n := copy(buf, z85Encode(k[:]))
			buf[n] = 0
			return n + 1, nil
		}
		return 0, zerr.ErrInvalid
	default:
		s := v.(string)
		if len(buf) < len(s)+1 {
			return 0, zerr.ErrInvalid
		}
		copy(buf, s)
		buf[len(s)] = 0
		return len(s) + 1, nil
	}
}
