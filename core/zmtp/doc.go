// Package zmtp is a sans-I/O codec for ZMTP 3.0 and 3.1 (RFC 23, RFC 37):
// the greeting (§2.3), frame headers (§2.5 "framing"), commands (§2.6) and
// their metadata properties (§2.6.2 READY), plus the 3.1 commands PING,
// PONG, SUBSCRIBE and CANCEL (RFC 37 §3.4) and the 3.0-style subscription
// messages (RFC 23 §5.7, PUB/SUB).
//
// Nothing here does I/O or keeps time. The Decoder is fed byte slices of
// any length, parses frame headers incrementally and never reads past the
// header it is parsing, so an engine can read a large body straight into
// its final buffer. Limits are enforced before anything is allocated. The
// Append* functions write into caller-owned buffers (quic-go's Append
// style) and allocate nothing when the buffer has room.
//
// Concurrency: values are not safe for concurrent use; each connection
// owns its own Decoder.
//
// Imports: the standard library only.
package zmtp
