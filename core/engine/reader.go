package engine

import (
	"net"
	"unsafe"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/zmtp"
)

// readBufSize is the read buffer for small frames: libzmq reads 8 KiB at
// a time (in_batch_size); 64 KiB lets one read(2) carry a whole burst of
// small messages from a fast peer.
const readBufSize = 64 << 10

// After a large frame, reads into the buffer are capped at smallRead:
// whatever a read brings in beyond the next header is copied out of the
// buffer, and with 64 KiB messages a full-size read made that copy 14% of
// the receiver's CPU time. The body itself is then read in place. This is
// libzmq's in_batch_size; largeFrame is where the cap starts.
const (
	smallRead  = 8 << 10
	largeFrame = 16 << 10
)

// trustedAlloc bounds what a frame's announced size can make us allocate
// before its bytes arrive: beyond it the body grows only as data actually
// comes in, so a hostile size field cannot exhaust memory on its own.
const trustedAlloc = 64 << 20

// reader owns the inbound half of a connection: a buffer that small
// frames are decoded from, and direct reads into exact-size bodies for
// large frames (no second copy).
type reader struct {
	conn net.Conn
	dec  *zmtp.Decoder
	buf  []byte
	r, w int // buf[r:w] holds unread bytes

	slab msg.Slab // small bodies
	// extOK lets data frames go into external bodies (msg.ExtHooks.Alloc):
	// capi then hands them to zmq_msg_recv without another copy. Off for
	// CURVE, whose boxes are opened into new bodies anyway.
	extOK bool
	large bool // the last frame was large: read little past its end

	// beforeRead, if set, runs before every read from the connection
	// that may block (the engine delivers decoded frames then); an error
	// ends reading.
	beforeRead func() error
}

type rframe struct {
	body    []byte
	ext     unsafe.Pointer // body is external (see msg.Frame.Ext)
	more    bool
	command bool
}

func newReader(c net.Conn, maxMsgSize int64) *reader {
	return &reader{conn: c, dec: zmtp.NewDecoder(maxMsgSize), buf: make([]byte, readBufSize)}
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

// more reads whatever the connection has into the buffer.
func (rd *reader) more() error {
	if rd.r == rd.w {
		rd.r, rd.w = 0, 0
	}
	if rd.w == len(rd.buf) {
		rd.w = copy(rd.buf, rd.buf[rd.r:rd.w])
		rd.r = 0
	}
	if rd.beforeRead != nil {
		if err := rd.beforeRead(); err != nil {
			return err
		}
	}
	end := len(rd.buf)
	if rd.large {
		end = min(end, rd.w+smallRead)
	}
	n, err := rd.conn.Read(rd.buf[rd.w:end])
	rd.w += n
	if n > 0 {
		return nil
	}
	return err
}

// next returns the next frame. Its body is freshly allocated and owned by
// the caller.
func (rd *reader) next() (rframe, error) {
	for {
		n, h, ok, err := rd.dec.Header(rd.buf[rd.r:rd.w])
		rd.r += n
		if err != nil {
			return rframe{}, err
		}
		if ok {
			fr := rframe{more: h.More, command: h.Command}
			var err error
			fr.body, fr.ext, err = rd.readBody(h.Size, !h.Command && rd.extOK)
			return fr, err
		}
		if err := rd.more(); err != nil {
			return rframe{}, err
		}
	}
}

// readBody returns the next size bytes: from the buffer, then read
// straight into the body. The body is external when ext allows it and the
// owner of external bodies takes the size, else Go memory (small bodies
// from the slab).
func (rd *reader) readBody(size uint64, ext bool) ([]byte, unsafe.Pointer, error) {
	rd.large = size >= largeFrame
	var body []byte
	var h unsafe.Pointer
	if ext && size <= trustedAlloc && msg.ExtHooks.Alloc != nil {
		h, body = msg.ExtHooks.Alloc(int(size))
	}
	if h == nil {
		body = rd.slab.Alloc(int(min(size, trustedAlloc)))
	}
	n := copy(body, rd.buf[rd.r:rd.w])
	rd.r += n
	for uint64(n) < size {
		if n == len(body) {
			grown := make([]byte, min(size, 2*uint64(len(body))))
			copy(grown, body)
			body = grown
		}
		if rd.beforeRead != nil {
			if err := rd.beforeRead(); err != nil {
				if h != nil {
					msg.ExtHooks.Release(h)
				}
				return nil, nil, err
			}
		}
		m, err := rd.conn.Read(body[n:])
		n += m
		if err != nil && uint64(n) < size {
			if h != nil {
				msg.ExtHooks.Release(h)
			}
			return nil, nil, err
		}
	}
	return body, h, nil
}
