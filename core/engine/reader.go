package engine

import (
	"encoding/binary"
	"errors"
	"net"
)

// readBufSize is the read buffer for small frames: libzmq reads 8 KiB at
// a time (in_batch_size); 64 KiB lets one read(2) carry a whole burst of
// small messages from a fast peer.
const readBufSize = 64 << 10

// reader owns the inbound half of a connection: a buffer that small
// frames are decoded from, and direct reads into exact-size bodies for
// large frames (no second copy).
type reader struct {
	conn       net.Conn
	buf        []byte
	r, w       int // buf[r:w] holds unread bytes
	maxMsgSize int64
}

type rframe struct {
	body    []byte
	more    bool
	command bool
}

var errFrameTooLarge = errors.New("engine: frame exceeds MAXMSGSIZE")

func newReader(c net.Conn, maxMsgSize int64) *reader {
	return &reader{conn: c, buf: make([]byte, readBufSize), maxMsgSize: maxMsgSize}
}

// Read serves the greeting: buffered bytes first, then the connection.
// It reads only what is asked for, so nothing is consumed past the
// greeting.
func (rd *reader) Read(p []byte) (int, error) {
	if rd.r < rd.w {
		n := copy(p, rd.buf[rd.r:rd.w])
		rd.r += n
		return n, nil
	}
	return rd.conn.Read(p)
}

// fill makes at least n bytes available in buf[r:w] (n <= len(buf)).
func (rd *reader) fill(n int) error {
	if rd.w-rd.r >= n {
		return nil
	}
	if rd.r > 0 {
		rd.w = copy(rd.buf, rd.buf[rd.r:rd.w])
		rd.r = 0
	}
	for rd.w < n {
		m, err := rd.conn.Read(rd.buf[rd.w:])
		rd.w += m
		if err != nil && rd.w < n {
			return err
		}
	}
	return nil
}

// next returns the next frame. Its body is freshly allocated and owned by
// the caller.
func (rd *reader) next() (rframe, error) {
	if err := rd.fill(2); err != nil {
		return rframe{}, err
	}
	flags := rd.buf[rd.r]
	if flags&^(zmtpFlagMore|zmtpFlagLong|zmtpFlagCommand) != 0 {
		return rframe{}, zmtpErrBadFlags
	}
	if flags&zmtpFlagCommand != 0 && flags&zmtpFlagMore != 0 {
		return rframe{}, zmtpErrBadFlags
	}
	var size uint64
	if flags&zmtpFlagLong != 0 {
		if err := rd.fill(9); err != nil {
			return rframe{}, err
		}
		size = binary.BigEndian.Uint64(rd.buf[rd.r+1:])
		rd.r += 9
	} else {
		size = uint64(rd.buf[rd.r+1])
		rd.r += 2
	}
	command := flags&zmtpFlagCommand != 0
	switch {
	case size > 1<<62:
		return rframe{}, errFrameTooLarge
	case command && size > maxCommand:
		return rframe{}, errFrameTooLarge
	case !command && rd.maxMsgSize >= 0 && size > uint64(rd.maxMsgSize):
		return rframe{}, errFrameTooLarge
	}
	body, err := rd.readBody(int(size))
	return rframe{body: body, more: flags&zmtpFlagMore != 0, command: command}, err
}

// Limits on what a peer can make us allocate before it has sent the
// bytes: commands are small by design (READY with metadata is the largest);
// a data frame's announced size is trusted up to trustedAlloc, and beyond
// that the body grows only as bytes actually arrive, so a hostile size
// field cannot exhaust memory on its own.
const (
	maxCommand   = 1 << 20
	trustedAlloc = 64 << 20
)

// readBody returns the next size bytes: from the buffer, then read
// straight into the body (large bodies are never copied twice).
func (rd *reader) readBody(size int) ([]byte, error) {
	body := make([]byte, min(size, trustedAlloc))
	n := copy(body, rd.buf[rd.r:rd.w])
	rd.r += n
	for n < size {
		if n == len(body) {
			grown := make([]byte, min(size, 2*len(body)))
			copy(grown, body)
			body = grown
		}
		m, err := rd.conn.Read(body[n:])
		n += m
		if err != nil && n < size {
			return nil, err
		}
	}
	return body, nil
}
