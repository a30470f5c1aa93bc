// Package zerr holds the sentinel errors that the API reports, shared by
// every layer (socket types, strategies, the core). capi maps each one to
// its errno in one table; tests use errors.Is.
//
// Imports: standard library only.
package zerr

import "errors"

// Sentinels, named after the errno libzmq returns for the condition.
var (
	ErrAgain          = errors.New("zmq: resource temporarily unavailable")                    // EAGAIN
	ErrFSM            = errors.New("zmq: operation cannot be accomplished in current state")   // EFSM
	ErrTerm           = errors.New("zmq: context was terminated")                              // ETERM
	ErrNotSupported   = errors.New("zmq: operation not supported")                             // ENOTSUP
	ErrInvalid        = errors.New("zmq: invalid argument")                                    // EINVAL
	ErrProtoNoSupport = errors.New("zmq: protocol not supported")                              // EPROTONOSUPPORT
	ErrNoCompatProto  = errors.New("zmq: the protocol is not compatible with the socket type") // ENOCOMPATPROTO
	ErrAddrInUse      = errors.New("zmq: address already in use")                              // EADDRINUSE
	ErrAddrNotAvail   = errors.New("zmq: cannot assign requested address")                     // EADDRNOTAVAIL
	ErrNoDevice       = errors.New("zmq: no such device")                                      // ENODEV
	ErrNotFound       = errors.New("zmq: endpoint not found")                                  // ENOENT
	ErrHostUnreach    = errors.New("zmq: host unreachable")                                    // EHOSTUNREACH
	ErrMThread        = errors.New("zmq: no thread available")                                 // EMTHREAD
	ErrTooManySockets = errors.New("zmq: too many open sockets")                               // EMFILE
	ErrNotSock        = errors.New("zmq: not a socket")                                        // ENOTSOCK
	ErrFault          = errors.New("zmq: bad address")                                         // EFAULT
	ErrInterrupted    = errors.New("zmq: interrupted system call")                             // EINTR
	ErrRange          = errors.New("zmq: result too large")                                    // ERANGE
	ErrNoMem          = errors.New("zmq: out of memory")                                       // ENOMEM

	// ErrWouldBlock is not an API error: a Try call returns it to say the
	// caller should wait on the socket's FD and try again.
	ErrWouldBlock = errors.New("zmq: would block")
)
