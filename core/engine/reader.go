package engine

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

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

// A large body arriving over tcp is read with SO_RCVLOWAT raised to what
// is still missing of it (at most lowatCap): the netpoller then wakes the
// reader once that much has arrived instead of for every segment, so a
// 4 MiB body costs a few reads, not dozens of read/EAGAIN/park/wake
// rounds, each a goroutine hand-off between threads (libzmq's I/O thread
// does the same rounds, but within one thread; measured: that hand-off was
// the tcp 1 MiB gap, docs/PERFORMANCE.md). It is only ever raised
// mid-body, to no more than the bytes the peer has yet to send of a frame
// it began, so it cannot hold back a message; a closed connection is
// readable whatever the mark. Linux caps the mark at half the largest
// receive buffer and grows the buffer to fit it, unless the application
// fixed the buffer's size (ZMQ_RCVBUF): then a mark near half the buffer
// could wait for more than the window lets the peer send, so no mark is
// used (Config.FixedRcvBuf). lowatMin: bodies whose rest is smaller are
// read as before (two setsockopt calls would cost more than they save).
//
// While a mark is up, each read waits at most lowatWait for it: past
// that, the connection is read without marks (see readBody), so no kernel
// quirk (some kernels before 6.6 could leave a mark unreached under
// memory pressure) can stall a connection.
const (
	lowatMin = 256 << 10
	lowatCap = 1 << 20
)

var lowatWait = 100 * time.Millisecond // a variable for tests

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
	// copyOut: external bodies are carved (msg.ExtHooks.Carve) while it
	// is set (Config.CopyOut); nil: never.
	copyOut *atomic.Bool
	large   bool // the last frame was large: read little past its end

	// beforeRead, if set, runs before every read from the connection
	// that may block (the engine delivers decoded frames then); an error
	// ends reading.
	beforeRead func() error

	raw      syscall.RawConn // tcp only: for SO_RCVLOWAT (see lowatMin); nil otherwise
	lowatOff bool            // no marks on this connection (Config.FixedRcvBuf, or one timed out)

	ext msg.ExtCache // external bodies taken ahead (see dropBodies)
}

type rframe struct {
	body    []byte
	ext     unsafe.Pointer // body is external (see msg.Frame.Ext)
	more    bool
	command bool
}

func newReader(c net.Conn, maxMsgSize int64) *reader {
	rd := &reader{conn: c, dec: zmtp.NewDecoder(maxMsgSize), buf: make([]byte, readBufSize)}
	if tc, ok := c.(*net.TCPConn); ok && lowatKernel {
		rd.raw, _ = tc.SyscallConn()
	}
	return rd
}

// lowatKernel: the kernel grows the receive buffer to fit SO_RCVLOWAT
// (Linux 4.18 and later); on older ones a mark above what the buffer
// holds would never be reached, so none is used.
var lowatKernel = func() bool {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return false
	}
	var major, minor int
	rel := unix.ByteSliceToString(u.Release[:])
	if _, err := fmt.Sscanf(rel, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 4 || major == 4 && minor >= 18
}()

// lowatFor is the SO_RCVLOWAT to wait with while rest bytes of a body are
// still to come: never more than rest (more would wait for bytes the peer
// owes nobody), 1 below lowatMin.
var lowatFor = func(rest uint64) int { // a variable for tests
	if rest < lowatMin {
		return 1
	}
	return int(min(rest, lowatCap))
}

// setLowat sets SO_RCVLOWAT (errors ignored: the mark only saves
// wake-ups); back at 1, reads no longer have a deadline (see lowatWait).
func (rd *reader) setLowat(n int) {
	rd.raw.Control(func(fd uintptr) {
		unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVLOWAT, n)
	})
	if n == 1 {
		rd.conn.SetReadDeadline(time.Time{})
	}
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

// next decodes the next frame into fr. Its body is freshly allocated and
// owned by the caller. fr is filled in place: returned by value, the
// frame and the body's multiple results were copied through the stack
// twice, and the wide loads of those copies stalled on the narrow stores
// that preceded them (measured: 10% of a C receiver's samples on one
// instruction after the call).
func (rd *reader) next(fr *rframe) error {
	for {
		n, h, ok, err := rd.dec.Header(rd.buf[rd.r:rd.w])
		rd.r += n
		if err != nil {
			return err
		}
		if ok {
			fr.more, fr.command = h.More, h.Command
			return rd.readBody(fr, h.Size, !h.Command && rd.extOK)
		}
		if err := rd.more(); err != nil {
			return err
		}
	}
}

// readBody sets fr's body to the next size bytes: from the buffer, then
// read straight into the body. The body is external when ext allows it
// and the owner of external bodies takes the size, else Go memory (small
// bodies from the slab).
func (rd *reader) readBody(fr *rframe, size uint64, ext bool) error {
	rd.large = size >= largeFrame
	var body []byte
	var h unsafe.Pointer
	if ext && size <= trustedAlloc && msg.ExtHooks.Alloc != nil {
		if rd.copyOut != nil && rd.copyOut.Load() && msg.ExtHooks.Carve != nil {
			h, body = msg.ExtHooks.Carve(&rd.ext, int(size))
		} else {
			h, body = msg.ExtHooks.Alloc(&rd.ext, int(size))
		}
	}
	if h == nil {
		body = rd.slab.Alloc(int(min(size, trustedAlloc)))
	}
	n := copy(body, rd.buf[rd.r:rd.w])
	rd.r += n
	if uint64(n) < size { // the rest is still to come (a large or split frame)
		var err error
		if body, err = rd.readRest(body, n, size); err != nil {
			if h != nil {
				msg.ExtHooks.Release(h)
			}
			return err
		}
	}
	fr.body, fr.ext = body, h
	return nil
}

// dropBodies gives back the external bodies the reader took ahead. The
// goroutine that reads calls it once it no longer reads.
func (rd *reader) dropBodies() {
	if msg.ExtHooks.Flush != nil {
		msg.ExtHooks.Flush(&rd.ext)
	}
}

// readRest reads the rest of a body of size bytes whose first n bytes
// body holds, growing body if it was allocated short (see trustedAlloc).
func (rd *reader) readRest(body []byte, n int, size uint64) ([]byte, error) {
	lowat := 1 // the mark set on the connection
	defer func() {
		if lowat > 1 {
			rd.setLowat(1)
		}
	}()
	for uint64(n) < size {
		if rd.raw != nil && !rd.lowatOff { // never above what is missing: the mark drops with it
			if want := lowatFor(size - uint64(n)); want != lowat {
				lowat = want
				rd.setLowat(want)
			}
		}
		if n == len(body) {
			grown := make([]byte, min(size, 2*uint64(len(body))))
			copy(grown, body)
			body = grown
		}
		if rd.beforeRead != nil {
			if err := rd.beforeRead(); err != nil {
				return nil, err
			}
		}
		if lowat > 1 { // after beforeRead, which may wait for room
			rd.conn.SetReadDeadline(time.Now().Add(lowatWait))
		}
		m, err := rd.conn.Read(body[n:])
		n += m
		if err != nil && lowat > 1 && errors.Is(err, os.ErrDeadlineExceeded) {
			// The mark was not reached in lowatWait: whatever the
			// reason (a kernel that does not make room for it, a peer
			// pausing mid-frame), read this connection without one.
			rd.lowatOff = true
			lowat = 1
			rd.setLowat(1)
			continue
		}
		if err != nil && uint64(n) < size {
			return nil, err
		}
	}
	return body, nil
}
