package engine

import (
	"encoding/binary"
	"github.com/gozmq/gozmq/core/zmtp"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"golang.org/x/sys/unix"
)

// Batching limits. Small bodies are copied into one buffer and written
// with one system call (libzmq's out_batch_size is 8 KiB; a larger batch
// amortises the syscall better on loopback without hurting latency, since
// a batch is written as soon as the queue is empty). Bodies above
// copyMax go out by writev straight from the frame, never copied; a
// batch takes no more bodies once those it holds reach heldMax bytes.
// Without that bound a batch took every large body queued (one writev of
// 16 MB was seen with 4 MiB messages) and released none before all were
// written: lent memory stayed lent, freed blocks could not be reused for
// the next bodies, and the receiver got the data in bursts far larger
// than its caches (a Python receiver used 0.25 ms more CPU per 4 MiB
// message behind gozmq's sender than behind libzmq's).
const (
	batchBytes = 64 << 10
	copyMax    = 8 << 10
	heldMax    = 1 << 20
)

// writer owns the outbound half of a connection.
type writer struct {
	e       *Engine
	in      *pipe.Queue
	canRead chan struct{}

	buf       []byte      // headers and small bodies of the current batch
	vec       net.Buffers // what to write: slices of buf and large bodies
	wv        net.Buffers // vec while it is being written
	mark      int         // start of buf not yet in vec
	held      []msg.Frame // frames whose bodies are referenced by vec
	heldBytes int         // the size of those bodies
	// batch receives frames from the queue, up to 64 per lock (with
	// 16-byte messages the lock, shared with the sending thread, had been
	// a tenth of the sender's CPU time when taken per frame).
	batch [64]msg.Frame

	midMessage     bool // the last frame taken had More set
	subsAsCommands bool // encode subscription messages as SUBSCRIBE/CANCEL
	pinged         bool // a PING went out (heartbeats)
	closeAfter     bool // STREAM asked to close once the batch is written

	ctlMu sync.Mutex // guards ctl: commands queued by the reader
	ctl   [][]byte

	// mu guards the batch (buf, vec, held, midMessage...): held by the
	// writer goroutine around each fill and flush, or by a sending thread
	// that writes inline (see wake).
	mu        sync.Mutex
	inline    bool            // inline writes allowed (while loop runs)
	drained   bool            // the last fill emptied the queue
	rc        syscall.RawConn // the connection's fd, nil if it has none
	lastWrite int64           // monotonic ns at the end of the last write
}

// inlineIdle is how long the connection must have been idle before a
// sending thread writes a message itself instead of waking the writer
// goroutine. Waking a goroutine costs a thread handoff, a large share of
// a round trip (request/reply); a stream of messages keeps the gaps far
// shorter than this, so it is still batched by the goroutine.
// A variable so that a test can make every write inline.
var inlineIdle = 20 * time.Microsecond

func newWriter(e *Engine, in *pipe.Queue, canRead chan struct{}) *writer {
	w := &writer{e: e, in: in, canRead: canRead, buf: make([]byte, 0, batchBytes+64)}
	if sc, ok := e.conn.(syscall.Conn); ok && !e.cfg.Raw {
		w.rc, _ = sc.SyscallConn()
	}
	return w
}

// wake is the queue's reader wake-up, run by the thread that queued a
// message into an empty queue. If the connection has been idle, that
// thread writes the message itself, once and without blocking; otherwise,
// or if anything is left unwritten, the writer goroutine is woken.
func (w *writer) wake() {
	if !w.writeInline() {
		select { // wake the goroutine
		case w.canRead <- struct{}{}:
		default:
		}
	}
}

func (w *writer) writeInline() bool {
	if w.rc == nil || !w.mu.TryLock() {
		return false
	}
	defer w.mu.Unlock()
	if !w.inline || len(w.vec) > 0 || len(w.buf) > 0 || nanotime()-w.lastWrite < int64(inlineIdle) {
		return false
	}
	if w.fill() == 0 {
		return false // not a new message (the socket closed the pipe?)
	}
	if len(w.vec) > 0 || !w.drained {
		return false // a large body (writev), or more queued: the goroutine's
	}
	n := 0
	err := w.rc.Write(func(fd uintptr) bool {
		n, _ = unix.Write(int(fd), w.buf)
		return true // never wait: what is left goes to the goroutine
	})
	w.lastWrite = nanotime()
	if err != nil || n <= 0 {
		return false
	}
	if n < len(w.buf) {
		w.vec = append(w.vec, w.buf[n:])
		w.mark = len(w.buf)
		return false
	}
	w.buf, w.mark = w.buf[:0], 0
	return true
}

// unsent reports whether part of a batch is still to be written.
func (w *writer) unsent() bool { return len(w.vec) > 0 || len(w.buf) > 0 }

var clockBase = time.Now()

func nanotime() int64 { return int64(time.Since(clockBase)) }

// sendCommand queues a command body (a PONG) from the reader.
func (w *writer) sendCommand(body []byte) {
	w.ctlMu.Lock()
	w.ctl = append(w.ctl, body)
	w.ctlMu.Unlock()
	Notifier(w.canRead)()
}

// appendCommand adds a command to the batch: framed, or boxed (CURVE).
func (w *writer) appendCommand(body []byte) { w.appendFrame(body, false, true) }

// appendFrame copies one frame into buf: framed, or boxed (CURVE), with
// its MORE and COMMAND flags inside the box.
func (w *writer) appendFrame(body []byte, more, command bool) {
	if c := w.e.codec; c != nil {
		var flags byte
		if more {
			flags |= 1
		}
		if command {
			flags |= 2
		}
		sealed := c.Seal(flags, body)
		w.buf = zmtp.AppendFrameHeader(w.buf, uint64(len(sealed)), false, false)
		w.buf = append(w.buf, sealed...)
		return
	}
	w.buf = zmtp.AppendFrameHeader(w.buf, uint64(len(body)), more, command)
	w.buf = append(w.buf, body...)
}

// sendHello writes the HELLO_MSG frame ahead of any queued message.
func (w *writer) sendHello(body []byte) error {
	w.appendFrame(body, false, false)
	return w.flush()
}

// loop writes batches until the socket has closed the pipe and everything
// is flushed (nil), linger expires, or the connection fails.
func (w *writer) loop(readerDone chan struct{}) error {
	var lingerTimer *time.Timer
	defer func() {
		if lingerTimer != nil {
			lingerTimer.Stop()
		}
	}()
	var lingerC <-chan time.Time
	hb := w.startHeartbeat()
	defer hb.Stop()
	hbC := hb.C
	w.mu.Lock()
	w.inline = w.rc != nil
	w.mu.Unlock()
	defer func() { // no sending thread touches the batch after this
		w.mu.Lock()
		w.inline = false
		w.mu.Unlock()
	}()
	for {
		w.mu.Lock()
		n := w.fill()
		var err error
		wrote := n > 0 || w.unsent()
		if wrote {
			err = w.flush()
		}
		closeAfter := w.closeAfter
		w.mu.Unlock()
		if wrote {
			if err != nil {
				return err
			}
			if closeAfter {
				return nil
			}
			continue
		}
		if w.in.Finished() {
			return nil // the socket closed the pipe; all was sent
		}
		if deadline, forever, closing := w.e.cfg.Linger(); closing && !forever && lingerC == nil {
			d := time.Until(deadline)
			if d <= 0 {
				return ErrLinger
			}
			lingerTimer = time.NewTimer(d)
			lingerC = lingerTimer.C
		}
		select {
		case <-w.canRead:
		case <-readerDone:
			return errReaderDone
		case <-w.e.stopped:
			return ErrStopped
		case <-lingerC:
			return ErrLinger
		case <-hbC:
			w.mu.Lock()
			err := w.heartbeat()
			w.mu.Unlock()
			if err != nil {
				return err
			}
		}
	}
}

// startHeartbeat returns the ticker that drives PINGs and liveness
// checks. Without heartbeats of our own it still ticks once a second, to
// enforce a TTL the peer may announce in its PINGs.
func (w *writer) startHeartbeat() *time.Ticker {
	ivl := w.e.cfg.HeartbeatIvl
	if ivl <= 0 || w.e.cfg.Raw {
		ivl = time.Second
	}
	w.e.lastRecv.Store(time.Now().UnixNano())
	return time.NewTicker(ivl)
}

// heartbeat sends a PING (if we send heartbeats) and drops a silent peer.
func (w *writer) heartbeat() error {
	cfg := &w.e.cfg
	if cfg.Raw {
		return nil
	}
	silent := time.Since(time.Unix(0, w.e.lastRecv.Load()))
	if ttl := time.Duration(w.e.remoteTTL.Load()); ttl > 0 && silent > ttl {
		return ErrHeartbeat
	}
	if cfg.HeartbeatIvl <= 0 {
		return nil
	}
	timeout := cfg.HeartbeatTimeout
	if timeout <= 0 {
		timeout = cfg.HeartbeatIvl
	}
	if w.pinged && silent > timeout+cfg.HeartbeatIvl {
		return ErrHeartbeat
	}
	w.pinged = true
	ttl := binary.BigEndian.AppendUint16(nil, uint16(cfg.HeartbeatTTL/(100*time.Millisecond)))
	w.appendCommand(commandBody(zmtp.CmdPing, ttl))
	return w.flush()
}

// fill encodes queued frames into the batch; it returns how many items
// (frames or commands) it took.
func (w *writer) fill() int {
	n := 0
	w.ctlMu.Lock()
	for _, body := range w.ctl {
		w.appendCommand(body)
		n++
	}
	w.ctl = w.ctl[:0]
	w.ctlMu.Unlock()
	if w.e.cfg.Raw {
		return n + w.fillRaw()
	}
	// Frames leave the queue a batch at a time (one lock per batch, not
	// per frame: that lock is shared with the sending thread), and every
	// frame taken is encoded before fill returns.
	w.drained = false
	for len(w.buf) < batchBytes && w.heldBytes < heldMax {
		k := w.in.PopBatch(w.batch[:], batchBytes-len(w.buf))
		for i := range w.batch[:k] {
			w.encode(&w.batch[i])
		}
		n += k
		if k == 0 {
			w.drained = true // the queue will wake us for the next message
			break
		}
	}
	return n
}

// encode adds one ZMTP frame to the batch and takes f: small bodies are
// copied into buf and released, large ones are held for writev.
func (w *writer) encode(f *msg.Frame) {
	if f.Flags&msg.Command != 0 {
		w.appendCommand(f.Data)
		f.Release()
		return
	}
	if w.subsAsCommands && !w.midMessage && !f.HasMore() {
		if sub, topic, ok := zmtp.ParseSubscriptionMessage(f.Data); ok {
			name := zmtp.CmdCancel
			if sub {
				name = zmtp.CmdSubscribe
			}
			w.appendCommand(commandBody(name, topic))
			f.Release()
			return
		}
	}
	w.midMessage = f.HasMore()
	if w.e.codec != nil {
		// CURVE: the frame travels boxed, its MORE flag inside.
		w.appendFrame(f.Data, f.HasMore(), false)
		f.Release()
		return
	}
	w.buf = zmtp.AppendFrameHeader(w.buf, uint64(len(f.Data)), f.HasMore(), false)
	w.appendBody(f)
}

// appendBody puts f's body into the batch and takes f.
func (w *writer) appendBody(f *msg.Frame) {
	if len(f.Data) <= copyMax {
		w.buf = append(w.buf, f.Data...)
		f.Release()
		return
	}
	w.vec = append(w.vec, w.buf[w.mark:], f.Data)
	w.mark = len(w.buf)
	w.held = append(w.held, *f)
	w.heldBytes += len(f.Data)
	*f = msg.Frame{}
}

// fillRaw is fill for STREAM: bodies go out as they are, and an empty
// message ends the connection once what precedes it is written.
func (w *writer) fillRaw() int {
	n := 0
	var f msg.Frame
	for len(w.buf) < batchBytes && w.heldBytes < heldMax && w.in.Pop(&f) {
		n++
		if len(f.Data) == 0 {
			w.closeAfter = true // STREAM: an empty message hangs up
			f.Release()
			break
		}
		w.appendBody(&f)
	}
	return n
}

// flush writes the batch with one writev and releases its frames.
func (w *writer) flush() error {
	if w.mark < len(w.buf) {
		w.vec = append(w.vec, w.buf[w.mark:])
	}
	// WriteTo consumes its receiver: write from a copy of the slice
	// header kept in the writer (a local would escape, one allocation
	// per batch).
	w.wv = w.vec
	_, err := w.wv.WriteTo(w.e.conn)
	w.wv = nil
	for i := range w.held {
		w.held[i].Release()
	}
	clear(w.vec)
	w.vec, w.held, w.buf, w.mark = w.vec[:0], w.held[:0], w.buf[:0], 0
	w.heldBytes = 0
	w.lastWrite = nanotime()
	return err
}
