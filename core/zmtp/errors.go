package zmtp

import "errors"

// Sentinel errors; each is wrapped in a *ProtocolError naming the step.
var (
	ErrSignature     = errors.New("zmtp: bad greeting signature")
	ErrVersion       = errors.New("zmtp: unsupported protocol version")
	ErrMechanismName = errors.New("zmtp: bad mechanism name")
	ErrBadFlags      = errors.New("zmtp: invalid frame flags")
	ErrFrameTooLarge = errors.New("zmtp: frame larger than allowed")
	ErrBadCommand    = errors.New("zmtp: malformed command")
	ErrBadMetadata   = errors.New("zmtp: malformed metadata")
)

// ProtocolError reports a peer's violation of the protocol. The engine
// drops that one connection.
type ProtocolError struct {
	Op  string // what was being parsed: "greeting", "frame", "READY", ...
	Err error
}

func (e *ProtocolError) Error() string { return "zmtp: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the sentinel.
func (e *ProtocolError) Unwrap() error { return e.Err }

func perr(op string, err error) error { return &ProtocolError{Op: op, Err: err} }
