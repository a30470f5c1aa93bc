package mech

import (
	"github.com/gozmq/gozmq/core/zmtp"
)

// PLAIN (RFC 24): C:HELLO(username, password) S:WELCOME C:INITIATE(props)
// S:READY(props). The server authenticates the client; credentials travel
// in clear text.

type plainClient struct {
	cfg   Config
	state int // 0: HELLO sent; 1: INITIATE sent; 2: done
	props zmtp.Metadata
}

func (m *plainClient) Start() ([]byte, error) {
	data := appendShortString(nil, m.cfg.Username)
	data = appendShortString(data, m.cfg.Password)
	return zmtp.AppendCommand(nil, zmtp.CmdHello, data), nil
}

func (m *plainClient) Handle(cmd zmtp.Command) ([]byte, error) {
	if cmd.Name == zmtp.CmdError && m.state < 2 {
		return nil, peerError(cmd)
	}
	switch {
	case m.state == 0 && cmd.Name == zmtp.CmdWelcome:
		if len(cmd.Data) != 0 {
			return nil, ErrMalformed
		}
		m.state = 1
		size := 1 + len(zmtp.CmdInitiate)
		b := zmtp.AppendFrameHeader(nil, uint64(size+metadataLen(m.cfg.Props)), false, true)
		b = append(b, byte(len(zmtp.CmdInitiate)))
		b = append(b, zmtp.CmdInitiate...)
		return zmtp.AppendMetadata(b, m.cfg.Props), nil
	case m.state == 1 && cmd.Name == zmtp.CmdReady:
		props, err := zmtp.ParseMetadata(cmd.Data)
		if err != nil {
			return nil, err
		}
		m.props, m.state = props, 2
		return nil, nil
	}
	return nil, ErrUnexpected
}

func (m *plainClient) Done() bool               { return m.state == 2 }
func (m *plainClient) PeerProps() zmtp.Metadata { return m.props }
func (m *plainClient) UserID() string           { return "" }
func (m *plainClient) ZAPProps() zmtp.Metadata  { return nil }

type plainServer struct {
	cfg     Config
	state   int // 0: waiting for HELLO; 1: for INITIATE; 2: done
	props   zmtp.Metadata
	verdict Verdict
}

func (m *plainServer) Start() ([]byte, error) { return nil, nil }

func (m *plainServer) Handle(cmd zmtp.Command) ([]byte, error) {
	switch {
	case m.state == 0 && cmd.Name == zmtp.CmdHello:
		user, rest, ok := readShortString(cmd.Data)
		if !ok {
			return nil, ErrMalformed
		}
		pass, rest, ok := readShortString(rest)
		if !ok || len(rest) != 0 {
			return nil, ErrMalformed
		}
		// PLAIN requires a ZAP handler to judge the credentials: without
		// one the handshake fails, as in libzmq.
		v, refusal, err := authenticate(&m.cfg, "PLAIN", [][]byte{[]byte(user), []byte(pass)})
		if err != nil {
			return refusal, err
		}
		m.verdict, m.state = v, 1
		return zmtp.AppendCommand(nil, zmtp.CmdWelcome, nil), nil
	case m.state == 1 && cmd.Name == zmtp.CmdInitiate:
		props, err := zmtp.ParseMetadata(cmd.Data)
		if err != nil {
			return nil, err
		}
		m.props, m.state = props, 2
		return zmtp.AppendReady(nil, m.cfg.Props), nil
	}
	return nil, ErrUnexpected
}

func (m *plainServer) Done() bool               { return m.state == 2 }
func (m *plainServer) PeerProps() zmtp.Metadata { return m.props }
func (m *plainServer) UserID() string           { return m.verdict.UserID }
func (m *plainServer) ZAPProps() zmtp.Metadata  { return m.verdict.Props }

// appendShortString appends a 1-octet length and the string (cut at 255).
func appendShortString(b []byte, s string) []byte {
	if len(s) > 255 {
		s = s[:255]
	}
	b = append(b, byte(len(s)))
	return append(b, s...)
}

func readShortString(b []byte) (s string, rest []byte, ok bool) {
	if len(b) < 1 || len(b) < 1+int(b[0]) {
		return "", nil, false
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], true
}

func metadataLen(m zmtp.Metadata) int { return len(zmtp.AppendMetadata(nil, m)) }
