package zmtp

import "encoding/binary"

// Command names (RFC 23 §2.6, RFC 37 §3.4, RFC 24, RFC 26).
const (
	CmdReady     = "READY"
	CmdError     = "ERROR"
	CmdPing      = "PING"
	CmdPong      = "PONG"
	CmdSubscribe = "SUBSCRIBE"
	CmdCancel    = "CANCEL"
	CmdHello     = "HELLO"
	CmdWelcome   = "WELCOME"
	CmdInitiate  = "INITIATE"
	CmdMessage   = "MESSAGE"

	// Draft RADIO/DISH group membership (RFC 48, as libzmq sends them).
	CmdJoin  = "JOIN"
	CmdLeave = "LEAVE"
)

// known interns the command names we act on, so parsing them does not
// allocate.
var known = []string{CmdReady, CmdError, CmdPing, CmdPong, CmdSubscribe, CmdCancel,
	CmdHello, CmdWelcome, CmdInitiate, CmdMessage, CmdJoin, CmdLeave}

// maxPingContext is RFC 37's limit on a PING's context (§3.4.4).
const maxPingContext = 16

// Command is a parsed command frame body. Data aliases the frame body.
type Command struct {
	Name string
	Data []byte
}

// ParseCommand splits a command body: name length (1 octet, 1..255), name,
// data.
func ParseCommand(body []byte) (Command, error) {
	if len(body) < 1 || body[0] == 0 || len(body) < 1+int(body[0]) {
		return Command{}, perr("command", ErrBadCommand)
	}
	name := body[1 : 1+int(body[0])]
	data := body[1+int(body[0]):]
	for _, k := range known {
		if string(name) == k { // no allocation: compiler-optimised compare
			return Command{Name: k, Data: data}, nil
		}
	}
	return Command{Name: string(name), Data: data}, nil
}

// AppendCommand appends a whole command frame (header included).
func AppendCommand(b []byte, name string, data []byte) []byte {
	b = AppendFrameHeader(b, uint64(1+len(name)+len(data)), false, true)
	b = append(b, byte(len(name)))
	b = append(b, name...)
	return append(b, data...)
}

// AppendReady appends a READY command carrying metadata.
func AppendReady(b []byte, m Metadata) []byte {
	size := 1 + len(CmdReady) + m.encodedLen()
	b = AppendFrameHeader(b, uint64(size), false, true)
	b = append(b, byte(len(CmdReady)))
	b = append(b, CmdReady...)
	return AppendMetadata(b, m)
}

// AppendError appends an ERROR command; the reason is cut at 255 octets.
func AppendError(b []byte, reason string) []byte {
	if len(reason) > 255 {
		reason = reason[:255]
	}
	b = AppendFrameHeader(b, uint64(1+len(CmdError)+1+len(reason)), false, true)
	b = append(b, byte(len(CmdError)))
	b = append(b, CmdError...)
	b = append(b, byte(len(reason)))
	return append(b, reason...)
}

// ParseError returns an ERROR command's reason.
func ParseError(data []byte) (string, error) {
	if len(data) < 1 || len(data) != 1+int(data[0]) {
		return "", perr("ERROR", ErrBadCommand)
	}
	return string(data[1:]), nil
}

// AppendPing appends a PING with its TTL (deciseconds) and context.
func AppendPing(b []byte, ttl uint16, context []byte) []byte {
	if len(context) > maxPingContext {
		context = context[:maxPingContext]
	}
	b = AppendFrameHeader(b, uint64(1+len(CmdPing)+2+len(context)), false, true)
	b = append(b, byte(len(CmdPing)))
	b = append(b, CmdPing...)
	b = binary.BigEndian.AppendUint16(b, ttl)
	return append(b, context...)
}

// ParsePing returns a PING's TTL and context (aliasing data).
func ParsePing(data []byte) (ttl uint16, context []byte, err error) {
	if len(data) < 2 || len(data) > 2+maxPingContext {
		return 0, nil, perr("PING", ErrBadCommand)
	}
	return binary.BigEndian.Uint16(data), data[2:], nil
}

// AppendPong appends a PONG echoing a PING's context.
func AppendPong(b []byte, context []byte) []byte {
	return AppendCommand(b, CmdPong, context)
}

// AppendSubscribe appends a ZMTP 3.1 SUBSCRIBE command.
func AppendSubscribe(b []byte, topic []byte) []byte { return AppendCommand(b, CmdSubscribe, topic) }

// AppendCancel appends a ZMTP 3.1 CANCEL command.
func AppendCancel(b []byte, topic []byte) []byte { return AppendCommand(b, CmdCancel, topic) }

// AppendSubscriptionMessage appends the body of a ZMTP 3.0 subscription
// message: 1 to subscribe or 0 to cancel, then the topic.
func AppendSubscriptionMessage(b []byte, subscribe bool, topic []byte) []byte {
	if subscribe {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return append(b, topic...)
}

// ParseSubscriptionMessage reads a 3.0 subscription message body; ok is
// false for a body that is not one (empty, or first octet not 0 or 1).
func ParseSubscriptionMessage(body []byte) (subscribe bool, topic []byte, ok bool) {
	if len(body) == 0 || body[0] > 1 {
		return false, nil, false
	}
	return body[0] == 1, body[1:], true
}
