package main

import (
	"errors"
	"syscall"

	"github.com/gozmq/gozmq/core/zerr"
)

// zmq.h's own error numbers (ZMQ_HAUSNUMERO + n); the others are Linux's.
const (
	hausnumero     = 156384712
	eFSM           = hausnumero + 51
	eNoCompatProto = hausnumero + 52
	eTerm          = hausnumero + 53
	eMThread       = hausnumero + 54
)

// errnoTable maps each sentinel to the errno libzmq reports for it.
var errnoTable = []struct {
	err   error
	errno int
}{
	{zerr.ErrAgain, int(syscall.EAGAIN)},
	{zerr.ErrFSM, eFSM},
	{zerr.ErrTerm, eTerm},
	{zerr.ErrNotSupported, int(syscall.ENOTSUP)},
	{zerr.ErrInvalid, int(syscall.EINVAL)},
	{zerr.ErrProtoNoSupport, int(syscall.EPROTONOSUPPORT)},
	{zerr.ErrNoCompatProto, eNoCompatProto},
	{zerr.ErrAddrInUse, int(syscall.EADDRINUSE)},
	{zerr.ErrAddrNotAvail, int(syscall.EADDRNOTAVAIL)},
	{zerr.ErrNoDevice, int(syscall.ENODEV)},
	{zerr.ErrNotFound, int(syscall.ENOENT)},
	{zerr.ErrHostUnreach, int(syscall.EHOSTUNREACH)},
	{zerr.ErrMThread, eMThread},
	{zerr.ErrTooManySockets, int(syscall.EMFILE)},
	{zerr.ErrNotSock, int(syscall.ENOTSOCK)},
	{zerr.ErrFault, int(syscall.EFAULT)},
	{zerr.ErrInterrupted, int(syscall.EINTR)},
	{zerr.ErrRange, int(syscall.ERANGE)},
	{zerr.ErrNoMem, int(syscall.ENOMEM)},
}

// errnoOf converts an error to a positive errno (0 for nil). OS errors
// pass through unchanged; anything unexpected becomes EINVAL.
func errnoOf(err error) int {
	if err == nil {
		return 0
	}
	for _, e := range errnoTable {
		if err == e.err {
			return e.errno
		}
	}
	for _, e := range errnoTable {
		if errors.Is(err, e.err) {
			return e.errno
		}
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return int(en)
	}
	return int(syscall.EINVAL)
}
