package zmtp

import "encoding/binary"

// Frame flag bits (RFC 23/37 §2.5): bits 7..3 are reserved and zero.
const (
	FlagMore    = 0x01
	FlagLong    = 0x02
	FlagCommand = 0x04
	flagsKnown  = FlagMore | FlagLong | FlagCommand
)

// MaxCommandSize bounds command frames. Commands are small by design (the
// largest is a READY or INITIATE with metadata); the bound keeps a hostile
// length field from making us allocate.
const MaxCommandSize = 1 << 20

// maxFrameSize keeps sizes representable as a Go int and leaves headroom
// (RFC 23 allows 63-bit sizes; no real message comes near).
const maxFrameSize = 1 << 62

// FrameHeaderLen returns the encoded header size for a body of size.
func FrameHeaderLen(size uint64) int {
	if size > 255 {
		return 9
	}
	return 2
}

// AppendFrameHeader appends a frame header: the short form (1-octet size)
// for bodies up to 255 octets, the long form (8-octet big-endian) above.
func AppendFrameHeader(b []byte, size uint64, more, command bool) []byte {
	var flags byte
	if more {
		flags |= FlagMore
	}
	if command {
		flags |= FlagCommand
	}
	if size > 255 {
		b = append(b, flags|FlagLong)
		return binary.BigEndian.AppendUint64(b, size)
	}
	return append(b, flags, byte(size))
}

// Header is a decoded frame header.
type Header struct {
	Size    uint64
	More    bool
	Command bool
}

// Decoder parses frame headers from a byte stream fed in pieces of any
// size. It consumes exactly the header's bytes, so the caller reads each
// body itself — a large one straight into its final buffer.
type Decoder struct {
	// MaxMsgSize limits data frames (ZMQ_MAXMSGSIZE); -1 means no limit.
	MaxMsgSize int64

	buf [9]byte
	n   int // header bytes collected so far
}

// NewDecoder returns a decoder with the given data-frame limit.
func NewDecoder(maxMsgSize int64) *Decoder { return &Decoder{MaxMsgSize: maxMsgSize} }

// Header consumes bytes from p until one frame header is complete. It
// returns how many bytes it used and, once complete, the header with ok
// true. Limits are checked before the caller allocates anything: a
// violation returns a *ProtocolError and the connection must be dropped.
func (d *Decoder) Header(p []byte) (n int, h Header, ok bool, err error) {
	if d.n == 0 && len(p) >= 2 {
		// The usual case, the whole header in p and nothing collected
		// before: parsed where it is, not byte by byte.
		if want := headerLen(p[0]); len(p) >= want {
			if err := checkFlags(p[0]); err != nil {
				return 1, Header{}, false, err
			}
			if h, err = d.parse(p[:want]); err != nil {
				return want, Header{}, false, err
			}
			return want, h, true, nil
		}
	}
	for !ok && n < len(p) {
		d.buf[d.n] = p[n]
		d.n++
		n++
		if d.n == 1 {
			if err := checkFlags(d.buf[0]); err != nil {
				return n, Header{}, false, err
			}
			continue
		}
		want := headerLen(d.buf[0])
		if d.n < want {
			continue
		}
		h, err = d.parse(d.buf[:want])
		d.n = 0
		if err != nil {
			return n, Header{}, false, err
		}
		ok = true
	}
	return n, h, ok, nil
}

// Reset discards a partly parsed header.
func (d *Decoder) Reset() { d.n = 0 }

// headerLen is the length of a header whose flags octet is f.
func headerLen(f byte) int {
	if f&FlagLong != 0 {
		return 9
	}
	return 2
}

func checkFlags(f byte) error {
	if f&^flagsKnown != 0 {
		return perr("frame", ErrBadFlags)
	}
	if f&FlagCommand != 0 && f&FlagMore != 0 {
		return perr("frame", ErrBadFlags) // commands are single frames
	}
	return nil
}

// parse decodes a complete header b (2 or 9 bytes, flags checked) and
// checks its size against the limits.
func (d *Decoder) parse(b []byte) (Header, error) {
	f := b[0]
	h := Header{More: f&FlagMore != 0, Command: f&FlagCommand != 0}
	if f&FlagLong != 0 {
		h.Size = binary.BigEndian.Uint64(b[1:9])
	} else {
		h.Size = uint64(b[1])
	}
	switch {
	case h.Size > maxFrameSize:
		return Header{}, perr("frame", ErrFrameTooLarge)
	case h.Command && h.Size > MaxCommandSize:
		return Header{}, perr("command", ErrFrameTooLarge)
	case !h.Command && d.MaxMsgSize >= 0 && h.Size > uint64(d.MaxMsgSize):
		return Header{}, perr("frame", ErrFrameTooLarge)
	}
	return h, nil
}
