package main

/*
#include "cache.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/gozmq/gozmq/core"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/zerr"
)

// sendCache is the Go half of a socket's send cache (cache.h): while the
// application sends in a burst, a goroutine takes the parts zmq_send and
// zmq_msg_send queued in the C ring and sends them, so those calls do not
// enter Go at all. Direct sends (no credit, full ring, no goroutine) come
// here first too and send what the ring holds before their own part.
type sendCache struct {
	s *core.Socket
	q *C.gz_txq
	// Go's private view of the ring (guarded by mu): h and ah are the
	// head and arena head it has taken up to (published to q.head and
	// q.arena_head at the end of each drain), t the tail as last loaded.
	h, t uint32
	ah   uint64

	// mu serialises everything that sends through the socket for this
	// cache or computes its credit: the goroutine's drains, direct sends
	// and the flush after a race with the goroutine stopping. Lock order:
	// sendCache.mu, then Socket.mu.
	mu         sync.Mutex
	starts     int64 // messages started through the ring that were sent
	room       int   // the socket's room for new messages at the last drain
	lastDirect int64 // when the previous direct send was made (nanoseconds)
	running    bool  // a goroutine takes parts
	stop       bool  // the socket is closing: the goroutine must end
	done       chan struct{}
}

// Tuning, measured on the perf tools: a direct send that follows the
// previous one within burstGap starts the goroutine (so a request-reply
// exchange, which sends once per round trip, never starts it); the
// goroutine gives up after idleLimit without a part (it yields while it
// waits, which costs CPU: at 16 B over tcp, 5 us used 340-410 ns of the
// sender's CPU per message where 50 us used 390-500), and while parts are
// queued that the socket cannot take, it looks again every stuckPoll.
const (
	burstGap  = 20 * time.Microsecond
	idleLimit = 5 * time.Microsecond
	stuckPoll = time.Millisecond
)

// idleYield is one turn of the goroutine's wait for the next part. Gosched
// alone lets other goroutines run but never gives the CPU back to the
// kernel, so while the application thread that produces the parts waited
// for a CPU, the goroutine spun for it: with a Python sender (a part every
// 1-1.5 us) and each process on one CPU, the sender's other threads used
// 775-825 ns of CPU per message and the pair ran at 432-468 k msg/s; with
// sched_yield first, 375-400 ns and 654-666 k (pyzmq on real libzmq:
// 638-675 k, same runs). When no other thread wants the CPU, sched_yield
// returns at once; the C perf tools (16 B to 1 KiB over tcp) ran as fast
// as before (docs/PERFORMANCE.md, "Fourth round"). A syscall, not a raw
// one: if the kernel keeps the thread off the CPU for long, the runtime
// can hand its P to another thread meanwhile.
func idleYield() {
	syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
	runtime.Gosched()
}

var sendCaches sync.Map // handle → *sendCache

func lookupSendCache(h uintptr) *sendCache {
	if v, ok := sendCaches.Load(h); ok {
		return v.(*sendCache)
	}
	return nil
}

func (c *sendCache) tail() uint32 { return atomic.LoadUint32((*uint32)(unsafe.Pointer(&c.q.tail))) }

// queued reports whether part i (0: the oldest not taken) is in the ring.
func (c *sendCache) queued(i uint32) bool {
	if int32(c.t-c.h) > int32(i) {
		return true
	}
	c.t = c.tail()
	return int32(c.t-c.h) > int32(i)
}

// publish hands the slots and arena bytes taken so far back to the
// application.
func (c *sendCache) publish() {
	atomic.StoreUint64((*uint64)(unsafe.Pointer(&c.q.arena_head)), c.ah)
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&c.q.head)), c.h)
}
func (c *sendCache) setActive(on bool) {
	v := uint32(0)
	if on {
		v = 1
	}
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&c.q.active)), v)
}

// next views queued part i (0: the oldest not taken) as a frame
// (SendQueued's next).
func (c *sendCache) next(i int, f *msg.Frame) (borrowed, ok bool) {
	if !c.queued(uint32(i)) {
		return false, false
	}
	m := (*cMsg)(unsafe.Pointer(&c.q.slot[(c.h+uint32(i))%C.GZ_TXQ_CAP]))
	if m.typ == C.GZ_MSG_ARENA {
		a := (*C.gz_arena_part)(unsafe.Pointer(m))
		*f, borrowed, ok = msg.Frame{Data: unsafe.Slice((*byte)(a.data), int(a.size))}, true, true
	} else {
		*f, borrowed, ok = frameFromMsg(m)
	}
	if m.flags&C.GZ_MSG_MORE != 0 {
		f.Flags |= msg.More
	}
	return borrowed, ok
}

// taken frees the oldest slot: its body now belongs to the socket (or was
// copied, if it was inline or in the arena, whose bytes are released).
func (c *sendCache) taken() {
	if m := &c.q.slot[c.h%C.GZ_TXQ_CAP]; (*cMsg)(unsafe.Pointer(m)).typ == C.GZ_MSG_ARENA {
		c.ah += uint64((*C.gz_arena_part)(unsafe.Pointer(m)).reserved)
	}
	c.h++
}

// drain sends what the ring holds and renews the credit. commands is true
// only on the application's own thread (see core.Socket.SendQueued).
// Called with c.mu held.
func (c *sendCache) drain(commands bool) error {
	return c.s.SendQueued(c.next, c.taken, commands, func(starts, room int) {
		c.publish()
		c.starts += int64(starts)
		c.room = room
		atomic.StoreInt64((*int64)(unsafe.Pointer(&c.q.limit)), c.starts+int64(room))
	})
}

func (c *sendCache) empty() bool { return !c.queued(0) }

// start runs the goroutine if it is not running. Called with c.mu held.
func (c *sendCache) start() {
	if c.running || c.stop {
		return
	}
	c.running = true
	c.done = make(chan struct{})
	c.setActive(true)
	go c.run(c.done)
}

// run takes parts from the ring until it has seen none for idleLimit, or
// the socket closes.
func (c *sendCache) run(done chan struct{}) {
	defer close(done)
	var idleSince int64
	for {
		c.mu.Lock()
		if c.stop {
			c.setActive(false)
			c.running = false
			c.mu.Unlock()
			return
		}
		before := c.h
		err := c.drain(false)
		moved, empty := c.h != before, c.empty()
		if err != nil && err != zerr.ErrAgain {
			// The socket closed or its context is ending: direct sends
			// report that, and zmq_close frees what is left.
			c.setActive(false)
			c.running = false
			c.mu.Unlock()
			return
		}
		now := nanotime()
		switch {
		case moved:
			idleSince = 0
		case !empty:
			// Parts the socket cannot take now (a peer went away with
			// its room): keep them, and look again later.
			idleSince = 0
		case idleSince == 0:
			idleSince = now
		case now-idleSince > int64(idleLimit):
			// Stop taking parts. A part published after this store is
			// seen by the application's thread, which then flushes it
			// (zmq.c txq_commit); one published before it is seen here.
			c.setActive(false)
			if c.empty() {
				c.running = false
				c.mu.Unlock()
				return
			}
			c.setActive(true)
		}
		c.mu.Unlock()
		switch {
		case moved:
		case !empty:
			time.Sleep(stuckPoll)
		default:
			idleYield()
		}
	}
}

// beforeDirect is called by a direct send with c.mu held: it sends what
// the ring holds first. ok is false if parts remain that the socket
// cannot take now, so the caller's part must wait behind them.
func (c *sendCache) beforeDirect() (ok bool, err error) {
	if c.empty() {
		return true, nil
	}
	if err := c.drain(true); err != nil && err != zerr.ErrAgain {
		return false, err
	}
	return c.empty(), nil
}

// afterDirect is called with c.mu held after a direct send succeeded:
// it renews the credit while the goroutine runs, or starts the goroutine
// when sends come in a burst.
func (c *sendCache) afterDirect() {
	if c.running {
		c.drain(false)
		return
	}
	now := nanotime()
	if now-c.lastDirect < int64(burstGap) {
		// Without room (no peer yet, or an inproc peer: see
		// core.Socket.roomLocked) the ring could not be used.
		if c.drain(false); c.room > 0 {
			c.start()
		}
	}
	c.lastDirect = now
}

// directSend runs one direct send (try) for a socket with a send cache.
func directSend(c *sendCache, flags C.int, try func() (int, error)) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, err := c.beforeDirect()
	if err != nil {
		return 0, err
	}
	if !ok {
		// Wait as a send that found no room waits.
		timeo := c.s.SendTimeout()
		if flags&core.DontWait != 0 || timeo == 0 {
			return 0, zerr.ErrAgain
		}
		return timeo, zerr.ErrWouldBlock
	}
	t, err := try()
	if err == nil {
		c.afterDirect()
	}
	return t, err
}

// closeSendCache stops the goroutine and sends what the ring still holds
// (the socket's LINGER then applies to it, as to every queued message);
// zmq.c frees the ring after the socket is closed.
func closeSendCache(h uintptr) {
	c := lookupSendCache(h)
	if c == nil {
		return
	}
	sendCaches.Delete(h)
	c.mu.Lock()
	c.stop = true
	running, done := c.running, c.done
	c.mu.Unlock()
	if running {
		<-done
	}
	c.mu.Lock()
	c.drain(true)
	c.mu.Unlock()
}

// syncSends sends what a socket's ring holds before a call whose effect
// must follow the sends made before it (connect, disconnect, unbind...),
// or that reports on them (ZMQ_EVENTS and zmq_poll: POLLOUT must count
// the queued parts against the socket's room).
func syncSends(h uintptr) {
	if c := lookupSendCache(h); c != nil {
		if c.tail() == atomic.LoadUint32((*uint32)(unsafe.Pointer(&c.q.head))) {
			return // nothing queued (the common case: no lock)
		}
		c.mu.Lock()
		if !c.empty() {
			c.drain(true)
		}
		c.mu.Unlock()
	}
}

// flushForPeer sends what socket h's ring holds, for a reader of one of
// its inproc pipes that found it empty (core.Socket.SetPeerFlush).
func flushForPeer(h uintptr) {
	if c := lookupSendCache(h); c != nil {
		c.mu.Lock()
		if !c.empty() {
			c.drain(false)
		}
		c.mu.Unlock()
	}
}

// gz_txq_flush sends a part that the application queued just as the
// goroutine stopped (zmq.c txq_commit). If the socket cannot take it now,
// the goroutine runs again to send it later.
//
//export gz_txq_flush
func gz_txq_flush(h C.uintptr_t) {
	c := lookupSendCache(uintptr(h))
	if c == nil {
		return
	}
	c.mu.Lock()
	c.drain(true)
	if !c.empty() {
		c.start()
	}
	c.mu.Unlock()
}

var clockBase = time.Now()

func nanotime() int64 { return int64(time.Since(clockBase)) }

// sendVia makes a direct send attempt (try) for socket h, through its
// send cache when it has one (q, its ring, is not NULL): gz_send and
// gz_msg_send share this.
func sendVia(h uintptr, q *C.gz_txq, s *core.Socket, flags C.int, try func() (int, error)) (int, error) {
	if c := sendCacheOf(h, q, s); c != nil {
		return directSend(c, flags, try)
	}
	return try()
}

// sendCacheOf returns socket s's send cache, registering it on first use;
// nil when the socket has none (q, its ring, is NULL).
func sendCacheOf(h uintptr, q *C.gz_txq, s *core.Socket) *sendCache {
	if q == nil {
		return nil
	}
	if c := lookupSendCache(h); c != nil {
		return c
	}
	c, _ := sendCaches.LoadOrStore(h, &sendCache{s: s, q: q})
	return c.(*sendCache)
}
