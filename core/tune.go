package core

// Tunables, each with the reason for its value.
const (
	// DefaultHWM is libzmq's default for SNDHWM and RCVHWM. A limit of 0
	// (unbounded) is allowed but never the default: an unbounded queue
	// turns a slow peer into an out-of-memory crash.
	DefaultHWM = 1000

	// DefaultReconnectIvl is libzmq's ZMQ_RECONNECT_IVL default (ms).
	DefaultReconnectIvl = 100

	// DefaultHandshakeIvl is libzmq's ZMQ_HANDSHAKE_IVL default (ms): a
	// peer that has not finished the ZMTP handshake by then is dropped.
	DefaultHandshakeIvl = 30000

	// DefaultBacklog is libzmq's ZMQ_BACKLOG default.
	DefaultBacklog = 100

	// DefaultMaxSockets is libzmq's ZMQ_MAX_SOCKETS default (1023, so a
	// select()-based poller could still cope); SocketLimit is what
	// ZMQ_SOCKET_LIMIT reports (libzmq's value with epoll). As in libzmq,
	// ZMQ_MAX_SOCKETS may be set higher: the descriptor limit then decides.
	DefaultMaxSockets = 1023
	SocketLimit       = 65535

	// DefaultIOThreads is reported for ZMQ_IO_THREADS; Go's scheduler runs
	// the I/O, so the value is kept only for compatibility.
	DefaultIOThreads = 1
)
