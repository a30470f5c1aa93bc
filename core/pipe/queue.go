package pipe

import (
	"sync"

	"github.com/gozmq/gozmq/core/msg"
)

// maxWMDelta caps the gap between HWM and LWM, as libzmq's max_wm_delta:
// with a large HWM the writer resumes once 1024 messages were consumed,
// rather than at half the queue, so bursts keep flowing.
const maxWMDelta = 1024

// chunk is how many frames one block of a queue holds. A queue is a list
// of such blocks (libzmq's yqueue, which also uses 256): it grows a block
// at a time and never copies, so memory follows the backlog (a doubling
// ring held the old and the new ring at once while growing, and left
// both to the garbage collector), and emptied blocks are reused (one
// spare per queue, more through the blocks pool), so steady-state pushes
// do not allocate.
const chunk = 256

// blocks recycles emptied blocks beyond a queue's one spare. A queue whose
// length swings over more than a block (a sender that runs ahead of its
// reader by a few hundred messages, then falls behind) empties blocks
// faster than it refills them; each was garbage before, about half of
// what a 16-byte inproc stream allocated (80 -> 43 collections per 5 M
// messages). A pool rather than more spares per queue: it holds nothing
// for idle queues and the collector drains it.
var blocks = sync.Pool{New: func() any { return new([chunk]msg.Frame) }}

// LWM returns the low-water mark for hwm (libzmq's compute_lwm).
func LWM(hwm int) int {
	if hwm > 2*maxWMDelta {
		return hwm - maxWMDelta
	}
	return (hwm + 1) / 2
}

// Queue is a bounded one-way queue of frames. See the package doc.
type Queue struct {
	mu        sync.Mutex
	chunks    []*[chunk]msg.Frame // chunks[0][head] is the oldest frame
	spare     *[chunk]msg.Frame   // an emptied block kept for reuse
	head      int                 // index of the oldest frame in chunks[0]
	n         int                 // frames stored (committed and not)
	committed int                 // frames the reader may see
	hwm, lwm  int                 // in messages; hwm 0 means no limit
	written   uint64
	read      uint64
	// credit is the read count as the writer sees it: the reader hands
	// it over every lwm messages (libzmq's activate_write carrying
	// msgs_read), so room frees up in batches, as in libzmq, and the
	// number of messages a full path holds is the same.
	credit uint64

	conflate      bool // keep only the newest message (ZMQ_CONFLATE)
	writerDone    bool // no more frames will come
	readerDone    bool // nobody will read: pushes are dropped
	readerWaiting bool // reader found it empty: wake on next commit
	writerWaiting bool // writer found it full: wake at LWM

	wakeReader func()
	wakeWriter func()
	// writerFlush, set by a writing socket that queues sends outside the
	// pipe (capi's send cache), moves them in; readers call it through
	// FlushWriter before they conclude the queue is empty.
	writerFlush func()
}

// NewQueue returns a queue limited to hwm messages (0 = unlimited).
func NewQueue(hwm int) *Queue {
	q := &Queue{}
	q.SetHWM(hwm)
	return q
}

// SetHWM changes the limit. A writer waiting for room is woken if the new
// limit leaves room.
func (q *Queue) SetHWM(hwm int) {
	q.mu.Lock()
	q.hwm, q.lwm = hwm, LWM(hwm)
	wake := q.writerWaiting && !q.fullLocked()
	if wake {
		q.writerWaiting = false
	}
	fn := q.wakeWriter
	q.mu.Unlock()
	if wake && fn != nil {
		fn()
	}
}

// SetReaderWake installs the reader's wake-up callback.
func (q *Queue) SetReaderWake(fn func()) { q.mu.Lock(); q.wakeReader = fn; q.mu.Unlock() }

// SetWriterFlush installs the writer's flush (see writerFlush).
func (q *Queue) SetWriterFlush(fn func()) { q.mu.Lock(); q.writerFlush = fn; q.mu.Unlock() }

// FlushWriter asks the writer to move what it queued outside the pipe
// in. Called by the reader, without q.mu held.
func (q *Queue) FlushWriter() {
	q.mu.Lock()
	fn := q.writerFlush
	q.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// SetWriterWake installs the writer's wake-up callback.
func (q *Queue) SetWriterWake(fn func()) { q.mu.Lock(); q.wakeWriter = fn; q.mu.Unlock() }

func (q *Queue) fullLocked() bool {
	return q.hwm > 0 && q.written-q.credit >= uint64(q.hwm)
}

// midMessage reports whether the writer has pushed part of a message.
func (q *Queue) midMessageLocked() bool { return q.n > q.committed }

// blockedLocked reports whether a new frame must wait for room: it would
// start a message while the queue is at its HWM. Parts after the first
// of a message are always accepted, and a conflating queue ignores the
// HWM.
func (q *Queue) blockedLocked() bool {
	return !q.conflate && !q.midMessageLocked() && q.fullLocked()
}

// SetConflate makes the queue keep only the newest message (ZMQ_CONFLATE:
// single-part messages only, HWM ignored).
func (q *Queue) SetConflate(on bool) { q.mu.Lock(); q.conflate = on; q.mu.Unlock() }

// Conflating reports whether the queue keeps only the newest message.
func (q *Queue) Conflating() bool { q.mu.Lock(); defer q.mu.Unlock(); return q.conflate }

// CheckWrite reports whether a new message may be written now. When it may
// not, the writer is woken once there is room (or the reader is gone).
// Parts after the first of a message are always accepted, so a message is
// never split by flow control.
func (q *Queue) CheckWrite() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.readerDone {
		return false
	}
	if !q.blockedLocked() {
		return true
	}
	q.writerWaiting = true
	return false
}

// Unlimited is what Room reports for a queue without a limit.
const Unlimited = 1 << 30

// Room reports how many new messages may be written now without waiting,
// for a writer that queues messages outside the pipe first (capi's send
// cache): Unlimited without an HWM, 0 once the reader is gone, and 0 for
// a conflating queue, whose reader must find the newest message the
// moment it was sent. Like CheckWrite it counts room as the writer sees
// it: freed in LWM batches.
func (q *Queue) Room() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.readerDone || q.conflate:
		return 0
	case q.hwm == 0:
		return Unlimited
	}
	return max(0, q.hwm-int(q.written-q.credit))
}

// TryPush is CheckWrite and Push under one lock (the hot path of PUSH,
// DEALER and the engines): it pushes f and returns true if a new message
// may be written now. Otherwise it returns false, leaves f with the
// caller, and the writer is woken once there is room (or the reader is
// gone).
func (q *Queue) TryPush(f *msg.Frame) bool {
	q.mu.Lock()
	if q.readerDone {
		q.mu.Unlock()
		return false
	}
	if q.blockedLocked() {
		q.writerWaiting = true
		q.mu.Unlock()
		return false
	}
	return q.pushLocked(f)
}

// Push appends f, taking ownership. It returns false (and releases f) when
// the reader is gone. Push does not check the HWM: call CheckWrite before
// the first part of each message. The last part (no More flag) makes the
// whole message visible to the reader.
func (q *Queue) Push(f *msg.Frame) bool {
	q.mu.Lock()
	if q.readerDone {
		q.mu.Unlock()
		f.Release()
		return false
	}
	return q.pushLocked(f)
}

// pushLocked appends f; it is called with q.mu held and releases it.
func (q *Queue) pushLocked(f *msg.Frame) bool {
	more := f.HasMore()
	dropped := q.appendLocked(f, nil)
	var wake func()
	if !more && q.readerWaiting {
		q.readerWaiting = false
		wake = q.wakeReader
	}
	q.mu.Unlock()
	releaseAll(dropped)
	if wake != nil {
		wake()
	}
	return true
}

// appendLocked moves f to the tail (emptying the queue first when it
// conflates: those frames are added to dropped, for the caller to release
// once unlocked); a last part makes its message visible.
func (q *Queue) appendLocked(f *msg.Frame, dropped []msg.Frame) []msg.Frame {
	if q.conflate && q.n > 0 {
		if d := q.dropAllLocked(); dropped == nil {
			dropped = d
		} else {
			dropped = append(dropped, d...)
		}
	}
	more := f.HasMore()
	*q.tail() = *f
	q.n++
	*f = msg.Frame{}
	if !more {
		q.committed = q.n
		q.written++
	}
	return dropped
}

// dropAllLocked empties the queue, returning the frames to release.
func (q *Queue) dropAllLocked() []msg.Frame {
	var drop []msg.Frame
	for q.n > 0 {
		slot := q.slot(0)
		drop = append(drop, *slot)
		*slot = msg.Frame{}
		q.advance()
	}
	q.committed = 0
	q.read = q.written // dropped messages count as consumed
	q.credit = q.read
	return drop
}

// slot returns the i-th queued frame (0 is the oldest).
func (q *Queue) slot(i int) *msg.Frame {
	j := q.head + i
	return &q.chunks[j/chunk][j%chunk]
}

// tail returns the slot for a new frame, adding a block if needed.
func (q *Queue) tail() *msg.Frame {
	if q.head+q.n == len(q.chunks)*chunk {
		c := q.spare
		q.spare = nil
		if c == nil {
			c = blocks.Get().(*[chunk]msg.Frame)
		}
		q.chunks = append(q.chunks, c)
	}
	return q.slot(q.n)
}

// advance drops the oldest frame's (already cleared) slot; an emptied
// block becomes the spare.
func (q *Queue) advance() {
	q.head++
	q.n--
	if q.head == chunk {
		if q.spare != nil {
			blocks.Put(q.spare)
		}
		q.spare = q.chunks[0]
		q.chunks[0] = nil
		if n := len(q.chunks); n <= 16 {
			// Shift instead of reslicing: a slice that only ever moves
			// its start forward makes append reallocate now and then,
			// one allocation per few swings of the backlog. A long
			// backlog is resliced, where shifting would cost more.
			copy(q.chunks, q.chunks[1:])
			q.chunks[n-1] = nil
			q.chunks = q.chunks[:n-1]
		} else {
			q.chunks = q.chunks[1:]
		}
		q.head = 0
	}
}

// Pop moves the oldest visible frame into f. It returns false when there
// is none; the reader is then woken by the next completed message or by the
// writer finishing.
func (q *Queue) Pop(f *msg.Frame) bool {
	q.mu.Lock()
	if q.committed == 0 {
		wake := q.emptyLocked()
		q.mu.Unlock()
		if wake != nil {
			wake()
		}
		return false
	}
	q.takeLocked(f)
	var wake func()
	if !f.HasMore() {
		wake = q.writerWakeLocked()
	}
	q.mu.Unlock()
	if wake != nil {
		wake()
	}
	return true
}

// takeLocked moves the oldest visible frame into f. Room is handed back
// to the writer (credit) every lwm messages read.
func (q *Queue) takeLocked(f *msg.Frame) {
	slot := q.slot(0)
	*f = *slot
	*slot = msg.Frame{}
	q.advance()
	q.committed--
	if !f.HasMore() {
		q.read++
		if q.lwm <= 1 || q.read%uint64(q.lwm) == 0 {
			q.credit = q.read
		}
	}
}

// writerWakeLocked returns the writer's wake-up if it waits for room and
// the backlog it sees has fallen to the low-water mark, else nil.
func (q *Queue) writerWakeLocked() func() {
	if q.writerWaiting && q.written-q.credit <= uint64(q.lwm) {
		q.writerWaiting = false
		return q.wakeWriter
	}
	return nil
}

// PopBatch moves visible frames into dst under one lock: up to len(dst)
// frames, stopping once their bodies total budget bytes (at least one
// frame is taken). It returns how many it moved; 0 arranges a wake-up as
// Pop does. An engine's writer drains its queue this way, so the lock it
// shares with the sending thread is taken once per batch, not per frame.
func (q *Queue) PopBatch(dst []msg.Frame, budget int) int {
	q.mu.Lock()
	if q.committed == 0 {
		wake := q.emptyLocked()
		q.mu.Unlock()
		if wake != nil {
			wake()
		}
		return 0
	}
	k, bytes := 0, 0
	for k < len(dst) && q.committed > 0 && (k == 0 || bytes < budget) {
		q.takeLocked(&dst[k])
		bytes += len(dst[k].Data)
		k++
	}
	wake := q.writerWakeLocked()
	q.mu.Unlock()
	if wake != nil {
		wake()
	}
	return k
}

// PushBatch appends frames from fs under one lock, as TryPush would one
// by one: it stops before a frame that would start a new message while
// the queue is full (the writer is then woken once there is room). It
// returns how many frames it took; the rest stay with the caller. An
// engine's reader delivers a buffer's worth of decoded frames this way.
// If the reader is gone it takes none.
func (q *Queue) PushBatch(fs []msg.Frame) int {
	q.mu.Lock()
	if q.readerDone {
		q.mu.Unlock()
		return 0
	}
	var dropped []msg.Frame
	k := 0
	for ; k < len(fs); k++ {
		if q.blockedLocked() {
			q.writerWaiting = true
			break
		}
		dropped = q.appendLocked(&fs[k], dropped)
	}
	var wake func()
	if q.committed > 0 && q.readerWaiting {
		q.readerWaiting = false
		wake = q.wakeReader
	}
	q.mu.Unlock()
	releaseAll(dropped)
	if wake != nil {
		wake()
	}
	return k
}

// CheckRead reports whether a frame is visible, arranging a wake-up if not.
func (q *Queue) CheckRead() bool {
	q.mu.Lock()
	if q.committed == 0 {
		wake := q.emptyLocked()
		q.mu.Unlock()
		if wake != nil {
			wake()
		}
		return false
	}
	q.mu.Unlock()
	return true
}

// emptyLocked records that the reader found nothing to read. While the
// writer lives, the reader is woken by the next message; once the writer
// has finished, the reader is woken right away so that it notices the
// queue is over (a socket detaches the pipe then).
func (q *Queue) emptyLocked() func() {
	if q.writerDone {
		return q.wakeReader
	}
	q.readerWaiting = true
	return nil
}

// Rollback drops the parts of an unfinished message (the writer died in
// the middle of it).
func (q *Queue) Rollback() {
	q.mu.Lock()
	var drop []msg.Frame
	for q.n > q.committed {
		slot := q.slot(q.n - 1)
		drop = append(drop, *slot)
		*slot = msg.Frame{}
		q.n--
	}
	q.mu.Unlock()
	releaseAll(drop)
}

// CloseWrite marks the writer finished: the reader drains what is
// committed and then sees Finished. An unfinished message is rolled back.
func (q *Queue) CloseWrite() {
	q.Rollback()
	q.mu.Lock()
	q.writerDone = true
	q.readerWaiting = false
	wake := q.wakeReader
	q.mu.Unlock()
	if wake != nil {
		wake()
	}
}

// CloseRead marks the reader gone: everything queued is released, later
// pushes are dropped, and the writer is woken to notice.
func (q *Queue) CloseRead() {
	q.mu.Lock()
	q.readerDone = true
	q.writerWaiting = false
	drop := q.dropAllLocked()
	wake := q.wakeWriter
	q.mu.Unlock()
	releaseAll(drop)
	if wake != nil {
		wake()
	}
}

// Finished reports that the writer is done and every frame was read.
func (q *Queue) Finished() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.writerDone && q.n == 0
}

// ReaderGone reports whether the reader has closed its side.
func (q *Queue) ReaderGone() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.readerDone
}

// Len returns the number of complete messages waiting (for diagnostics
// and linger decisions).
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return int(q.written - q.read)
}

// Empty reports whether no frame at all is queued.
func (q *Queue) Empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n == 0
}

func releaseAll(fs []msg.Frame) {
	for i := range fs {
		fs[i].Release()
	}
}

// HWM returns the current limit.
func (q *Queue) HWM() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.hwm
}
