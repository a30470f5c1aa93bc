package mech

import (
	"errors"

	"github.com/gozmq/gozmq/core/zmtp"
)

// Mechanism is one side of a security handshake. See the package doc.
type Mechanism interface {
	// Start returns the commands (whole frames) to send first.
	Start() ([]byte, error)
	// Handle consumes one command from the peer and returns the frames
	// to send in reply (possibly none).
	Handle(cmd zmtp.Command) ([]byte, error)
	// Done reports that the handshake is complete.
	Done() bool
	// PeerProps are the properties the peer sent (READY or INITIATE).
	PeerProps() zmtp.Metadata
	// UserID is the authenticated identity (empty without ZAP).
	UserID() string
	// ZAPProps are properties the ZAP handler attached to the client.
	ZAPProps() zmtp.Metadata
}

// Config is what a mechanism needs from its socket.
type Config struct {
	Props    zmtp.Metadata // ours: Socket-Type, Identity, application properties
	AsServer bool
	Username string // PLAIN client
	Password string

	// CURVE: our long-term key pair and, for a client, the server's
	// public key.
	CurvePublicKey, CurveSecretKey, CurveServerKey Key

	// ZAP asks the authentication handler (RFC 27) about a client; nil
	// means no handler is reachable. The server mechanisms call it.
	ZAP func(mechanism string, credentials [][]byte) (Verdict, error)
}

// Verdict is a ZAP handler's answer (RFC 27 §reply).
type Verdict struct {
	Status string // "200" accepts; "300", "400", "500" refuse
	Text   string
	UserID string
	Props  zmtp.Metadata // extra properties for the client's messages
}

// ErrAuth reports a refusal by the ZAP handler; Status holds its code.
type ErrAuth struct{ Status string }

func (e *ErrAuth) Error() string { return "mech: authentication failed (ZAP status " + e.Status + ")" }

// ErrNoHandler reports that a mechanism needing ZAP found no handler.
var ErrNoHandler = errors.New("mech: no ZAP handler")

// authenticate runs ZAP for a server mechanism: a refusal returns the
// ERROR command to send and an *ErrAuth.
func authenticate(cfg *Config, mechanism string, creds [][]byte) (Verdict, []byte, error) {
	if cfg.ZAP == nil {
		return Verdict{}, nil, ErrNoHandler
	}
	v, err := cfg.ZAP(mechanism, creds)
	if err != nil {
		return Verdict{}, nil, err
	}
	if v.Status != "200" {
		return v, zmtp.AppendError(nil, v.Text), &ErrAuth{Status: v.Status}
	}
	return v, nil, nil
}

// Errors a handshake can end with.
var (
	ErrUnexpected = errors.New("mech: unexpected command")
	ErrRefused    = errors.New("mech: peer refused the handshake")
	ErrMalformed  = errors.New("mech: malformed command")
)

// New returns the mechanism named in the greeting.
func New(name string, cfg Config) (Mechanism, error) {
	switch name {
	case "NULL":
		return &null{cfg: cfg}, nil
	case "PLAIN":
		if cfg.AsServer {
			return &plainServer{cfg: cfg}, nil
		}
		return &plainClient{cfg: cfg}, nil
	case "CURVE":
		if cfg.AsServer {
			return newCurveServer(cfg)
		}
		return newCurveClient(cfg)
	}
	return nil, errors.New("mech: unsupported mechanism " + name)
}

// peerError turns an ERROR command into an error.
func peerError(cmd zmtp.Command) error {
	reason, _ := zmtp.ParseError(cmd.Data)
	return errors.Join(ErrRefused, errors.New(reason))
}

// null is RFC 37's NULL mechanism: both sides send READY with their
// properties; done once the peer's READY arrived.
type null struct {
	cfg     Config
	props   zmtp.Metadata
	done    bool
	verdict Verdict
}

// Start sends READY, unless a ZAP handler must approve the peer first
// (NULL with a ZAP domain: the server side asks before answering).
func (m *null) Start() ([]byte, error) {
	if m.cfg.ZAP != nil {
		v, refusal, err := authenticate(&m.cfg, "NULL", nil)
		if err != nil {
			return refusal, err
		}
		m.verdict = v
	}
	return zmtp.AppendReady(nil, m.cfg.Props), nil
}

func (m *null) Handle(cmd zmtp.Command) ([]byte, error) {
	switch {
	case m.done:
		return nil, ErrUnexpected
	case cmd.Name == zmtp.CmdError:
		return nil, peerError(cmd)
	case cmd.Name != zmtp.CmdReady:
		return nil, ErrUnexpected
	}
	props, err := zmtp.ParseMetadata(cmd.Data)
	if err != nil {
		return nil, err
	}
	m.props, m.done = props, true
	return nil, nil
}

func (m *null) Done() bool               { return m.done }
func (m *null) PeerProps() zmtp.Metadata { return m.props }
func (m *null) UserID() string           { return m.verdict.UserID }
func (m *null) ZAPProps() zmtp.Metadata  { return m.verdict.Props }
