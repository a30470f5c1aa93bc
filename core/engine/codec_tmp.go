package engine

// Temporary stand-in for core/zmtp while that package is written; the
// engine switches to it once it lands (same names, same semantics).

import (
	"encoding/binary"
	"errors"
	"strings"
)

type zmtpGreeting struct {
	Major, Minor byte
	Mechanism    string
	AsServer     bool
}

type zmtpProperty struct {
	Name  string
	Value []byte
}

type zmtpMetadata []zmtpProperty

func (m zmtpMetadata) Get(name string) ([]byte, bool) {
	for _, p := range m {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

type zmtpCommand struct {
	Name string
	Data []byte
}

const (
	zmtpGreetingSize = 64
	zmtpFlagMore     = 1
	zmtpFlagLong     = 2
	zmtpFlagCommand  = 4
)

var (
	zmtpErrVersion   = errors.New("zmtp: unsupported version")
	zmtpErrBadFlags  = errors.New("zmtp: bad frame flags")
	zmtpErrSignature = errors.New("zmtp: bad signature")
	zmtpErrCommand   = errors.New("zmtp: malformed command")
	zmtpErrMetadata  = errors.New("zmtp: malformed metadata")
)

func zmtpAppendGreeting(b []byte, g zmtpGreeting) []byte {
	var gr [64]byte
	gr[0], gr[9], gr[10], gr[11] = 0xff, 0x7f, g.Major, g.Minor
	copy(gr[12:32], g.Mechanism)
	if g.AsServer {
		gr[32] = 1
	}
	return append(b, gr[:]...)
}

func zmtpCheckSignature(b []byte) error {
	if b[0] != 0xff || b[9]&1 != 1 {
		return zmtpErrSignature
	}
	return nil
}

func zmtpParseGreeting(b []byte) (zmtpGreeting, error) {
	if err := zmtpCheckSignature(b); err != nil {
		return zmtpGreeting{}, err
	}
	mech := b[12:32]
	if i := strings.IndexByte(string(mech), 0); i >= 0 {
		mech = mech[:i]
	}
	return zmtpGreeting{Major: b[10], Minor: b[11], Mechanism: string(mech), AsServer: b[32] == 1}, nil
}

func zmtpAppendFrameHeader(b []byte, size uint64, more, command bool) []byte {
	var flags byte
	if more {
		flags |= zmtpFlagMore
	}
	if command {
		flags |= zmtpFlagCommand
	}
	if size > 255 {
		b = append(b, flags|zmtpFlagLong)
		return binary.BigEndian.AppendUint64(b, size)
	}
	return append(b, flags, byte(size))
}

func zmtpAppendCommand(b []byte, name string, data []byte) []byte {
	b = zmtpAppendFrameHeader(b, uint64(1+len(name)+len(data)), false, true)
	b = append(b, byte(len(name)))
	b = append(b, name...)
	return append(b, data...)
}

func zmtpAppendReady(b []byte, m zmtpMetadata) []byte {
	var data []byte
	for _, p := range m {
		data = append(data, byte(len(p.Name)))
		data = append(data, p.Name...)
		data = binary.BigEndian.AppendUint32(data, uint32(len(p.Value)))
		data = append(data, p.Value...)
	}
	return zmtpAppendCommand(b, "READY", data)
}

func zmtpParseCommand(body []byte) (zmtpCommand, error) {
	if len(body) < 1 || len(body) < 1+int(body[0]) || body[0] == 0 {
		return zmtpCommand{}, zmtpErrCommand
	}
	n := int(body[0])
	return zmtpCommand{Name: string(body[1 : 1+n]), Data: body[1+n:]}, nil
}

func zmtpParseMetadata(d []byte) (zmtpMetadata, error) {
	var m zmtpMetadata
	for len(d) > 0 {
		n := int(d[0])
		if n == 0 || len(d) < 1+n+4 {
			return nil, zmtpErrMetadata
		}
		name := string(d[1 : 1+n])
		d = d[1+n:]
		vl := binary.BigEndian.Uint32(d)
		d = d[4:]
		if uint64(vl) > uint64(len(d)) {
			return nil, zmtpErrMetadata
		}
		m = append(m, zmtpProperty{Name: name, Value: d[:vl]})
		d = d[vl:]
	}
	return m, nil
}

func zmtpParseError(d []byte) (string, error) {
	if len(d) < 1 || len(d) < 1+int(d[0]) {
		return "", zmtpErrCommand
	}
	return string(d[1 : 1+int(d[0])]), nil
}

func zmtpParsePing(d []byte) (uint16, []byte, error) {
	if len(d) < 2 || len(d) > 18 {
		return 0, nil, zmtpErrCommand
	}
	return binary.BigEndian.Uint16(d), d[2:], nil
}

func zmtpAppendPong(b []byte, ctx []byte) []byte { return zmtpAppendCommand(b, "PONG", ctx) }
