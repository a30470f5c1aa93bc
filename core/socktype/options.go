package socktype

import (
	"encoding/binary"

	"github.com/gozmq/gozmq/core/zerr"
)

// Option numbers of the type-specific options, as in zmq.h.
const (
	optSubscribe          = 6
	optUnsubscribe        = 7
	optRouterMandatory    = 33
	optXPubVerbose        = 40
	optRouterRaw          = 41
	optProbeRouter        = 51
	optReqCorrelate       = 52
	optReqRelaxed         = 53
	optRouterHandover     = 56
	optXPubNoDrop         = 69
	optXPubManual         = 71
	optXPubWelcomeMsg     = 72
	optInvertMatching     = 74
	optXPubVerboser       = 78
	optRouterNotify       = 97
	optXPubManualLastVal  = 98
	optOnlyFirstSubscribe = 108
	optTopicsCount        = 116
)

// Optioner is implemented by socket types that own options. SetOption
// reports whether the option belongs to the type; GetOption returns an
// int or a []byte value.
type Optioner interface {
	SetOption(opt int, val []byte) (handled bool, err error)
	GetOption(opt int) (val any, handled bool)
}

// boolOpt decodes a socket type's on/off option as libzmq's socket types
// do: any int of at least 0, where every value but 0 means on.
func boolOpt(val []byte) (bool, error) {
	v, err := intOpt(val)
	if err != nil || v < 0 {
		return false, zerr.ErrInvalid
	}
	return v != 0, nil
}

// relaxedBoolOpt decodes an on/off option that takes any int (libzmq's
// "int as bool relaxed", e.g. ZMQ_INVERT_MATCHING).
func relaxedBoolOpt(val []byte) (bool, error) {
	v, err := intOpt(val)
	return v != 0, err
}

// strictBoolOpt decodes a C int option that must be 0 or 1.
func strictBoolOpt(val []byte) (bool, error) {
	v, err := intOpt(val)
	if err != nil || (v != 0 && v != 1) {
		return false, zerr.ErrInvalid
	}
	return v == 1, nil
}

// intOpt decodes a C int option.
func intOpt(val []byte) (int, error) {
	if len(val) != 4 {
		return 0, zerr.ErrInvalid
	}
	return int(int32(binary.NativeEndian.Uint32(val))), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
