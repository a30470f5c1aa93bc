package main

/*
#include "msg.h"
*/
import "C"

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gozmq/gozmq/core/msg"
)

// cMsg mirrors gz_msg (msg.h) so Go can read and fill a zmq_msg_t
// without a call into C. init checks that the two layouts agree.
type cMsg struct {
	u         [C.GZ_VSM_MAX]byte
	meta      *C.gz_meta
	group     *C.char
	routingID uint32
	typ       uint8
	flags     uint8
	vsmSize   uint8
	_         uint8
}

// cLmsg is the lmsg arm of gz_msg's union.
type cLmsg struct {
	content *C.gz_content
	data    unsafe.Pointer
	size    C.size_t
}

func init() {
	if unsafe.Sizeof(cMsg{}) != C.sizeof_gz_msg || unsafe.Offsetof(cMsg{}.typ) != 60 {
		panic("gozmq: gz_msg layout mismatch between Go and C")
	}
	msg.ExtHooks.Ref = refBody
	msg.ExtHooks.Release = releaseBody
	if C.GZ_POOL_CLASSES > msg.ExtCacheClasses {
		panic("gozmq: msg.ExtCache has fewer classes than gz_pool")
	}
	msg.ExtHooks.Alloc = allocBody
	msg.ExtHooks.Carve = carveBody
	msg.ExtHooks.Flush = flushBodies
	msg.MetaHooks.Close = metaClose
}

// refBody and releaseBody count a C body's references from Go with Go's
// atomics on the C atomic_int (as cMeta does for metadata), so a PUB
// sending one body to 8 subscribers makes no call into C until the last
// reference goes: each Go→C call costs more than the count itself.
func refBody(h unsafe.Pointer) {
	atomic.AddInt32((*int32)(unsafe.Pointer(&(*C.gz_content)(h).refcnt)), 1)
}

func releaseBody(h unsafe.Pointer) {
	c := (*C.gz_content)(h)
	if !unref(c, 1) {
		return
	}
	if poolable(c) {
		putPooled(c)
		return
	}
	C.gz_content_free(c)
}

// unref drops n references to c and reports whether they were the last.
func unref(c *C.gz_content, n int32) bool {
	return atomic.AddInt32((*int32)(unsafe.Pointer(&c.refcnt)), -n) == 0
}

// poolable reports whether c goes back to Go's side of the pool when its
// last reference goes. Only pooled bodies do: they have no free function
// whose timing the application could observe.
func poolable(c *C.gz_content) bool {
	return c.kind == C.GZ_CONTENT_POOLED && int(c.cls) < C.GZ_POOL_CLASSES
}

// allocBody gives engines C bodies for frames too big to travel inline
// in a zmq_msg_t, so zmq_msg_recv takes them over without a copy (and a
// 1 MiB body is page-aligned for the kernel's copy). Small ones come from
// the pool, through the engine's cache ec.
func allocBody(ec *msg.ExtCache, n int) (unsafe.Pointer, []byte) {
	if n <= C.GZ_VSM_MAX {
		return nil, nil
	}
	if n <= 64<<(C.GZ_POOL_CLASSES-1) {
		if c := cachedBody(ec, n); c != nil {
			return unsafe.Pointer(c), unsafe.Slice((*byte)(c.data), n)
		}
	}
	c := C.gz_content_alloc(C.size_t(n))
	if c == nil {
		return nil, nil
	}
	return unsafe.Pointer(c), unsafe.Slice((*byte)(c.data), n)
}

// pool counts the bodies left in each class of C.gz_pool (msg.h).
var pool struct {
	sync.Mutex
	n [C.GZ_POOL_CLASSES]int
}

// poolClass is the class of the pool's bodies that holds n bytes (41..1024).
func poolClass(n int) int { return max(bits.Len(uint(n-1))-6, 0) }

// takePooledLocked takes a body of class cls from the pool (pool locked);
// nil on ENOMEM.
func takePooledLocked(cls int) *C.gz_content {
	if pool.n[cls] == 0 {
		pool.n[cls] = int(C.gz_pool_fill(C.int(cls)))
	}
	k := pool.n[cls]
	if k == 0 {
		return nil
	}
	c := C.gz_pool[cls][k-1]
	C.gz_pool[cls][k-1] = nil
	pool.n[cls] = k - 1
	return c
}

// cachedBody takes a body for n bytes (41..1024) from an engine reader's
// own cache, refilled from the pool msg.ExtCacheDepth bodies at a time, so
// the pool's lock is taken once per refill instead of once per message
// (measured: its two atomic operations were 7% of a C receiver's samples
// at 256 B). The pool saves a call into C per received message (its Go
// side is refilled 64 at a time).
func cachedBody(ec *msg.ExtCache, n int) *C.gz_content {
	cls := poolClass(n)
	if ec.N[cls] == 0 {
		pool.Lock()
		for ec.N[cls] < msg.ExtCacheDepth {
			c := takePooledLocked(cls)
			if c == nil {
				break
			}
			ec.Bodies[cls][ec.N[cls]] = unsafe.Pointer(c)
			ec.N[cls]++
		}
		pool.Unlock()
		if ec.N[cls] == 0 {
			return nil
		}
	}
	ec.N[cls]--
	c := (*C.gz_content)(ec.Bodies[cls][ec.N[cls]])
	ec.Bodies[cls][ec.N[cls]] = nil
	c.size = C.size_t(n)
	return c
}

// Shared blocks (gz_shared_new) are carveBlock bytes; bodies of up to
// carveMax bytes are cut from them. While a reader carves from a block it
// holds carveBias references on it, so the count cannot reach zero
// however fast receivers drop bodies; when the block is full the reader
// adds the bodies it gave out and drops its bias in one atomic add
// (retireBlock). The count's cache line is thus written by the receiving
// thread per body and by the reader only twice per block, where a pooled
// body's count, and the pool, were written by both threads for every
// message (measured with a Python receiver of prefilled 256-byte
// messages: 270 ns of the main thread per message with pooled bodies,
// 200 with carved ones).
const (
	carveBlock = C.GZ_SHARED_SIZE
	carveMax   = msg.CarveMax
	carveBias  = 1 << 30
)

// carveBody is msg.ExtHooks.Carve: a body of n bytes cut from ec's
// block, holding one reference on it. Sizes Alloc keeps in Go memory or
// gives large bodies of their own go to allocBody.
func carveBody(ec *msg.ExtCache, n int) (unsafe.Pointer, []byte) {
	if n <= C.GZ_VSM_MAX || n > carveMax {
		return allocBody(ec, n)
	}
	c := (*C.gz_content)(ec.Block)
	if c == nil || ec.Off+n > carveBlock {
		retireBlock(ec)
		if c = C.gz_shared_new(); c == nil {
			return allocBody(ec, n)
		}
		atomic.StoreInt32((*int32)(unsafe.Pointer(&c.refcnt)), carveBias)
		ec.Block, ec.BlockData, ec.Off, ec.Carved = unsafe.Pointer(c), c.data, 0, 0
	}
	// Not c.data: reading the header's line would take it from the
	// receiving thread, which writes the count there for every body.
	data := unsafe.Slice((*byte)(unsafe.Add(ec.BlockData, ec.Off)), n)
	ec.Off += (n + 15) &^ 15 // bodies stay 16-byte aligned
	ec.Carved++
	return unsafe.Pointer(c), data
}

// retireBlock ends carving from ec's block: the count becomes the
// references its bodies still hold, and the block is freed if none does.
func retireBlock(ec *msg.ExtCache) {
	c := (*C.gz_content)(ec.Block)
	if c == nil {
		return
	}
	ec.Block, ec.BlockData = nil, nil
	if unref(c, carveBias-ec.Carved) {
		C.gz_content_free(c)
	}
}

// flushBodies gives the bodies of a reader's cache back to the pool and
// ends carving from its block.
func flushBodies(ec *msg.ExtCache) {
	retireBlock(ec)
	pool.Lock()
	for cls := range C.GZ_POOL_CLASSES {
		for ; ec.N[cls] > 0; ec.N[cls]-- {
			putPooledLocked((*C.gz_content)(ec.Bodies[cls][ec.N[cls]-1]))
			ec.Bodies[cls][ec.N[cls]-1] = nil
		}
	}
	pool.Unlock()
}

// putPooled takes back a poolable body whose last reference Go dropped
// (an engine's writer, once it wrote a body the application made with
// zmq_msg_init_size): it goes on Go's side of the pool, for the next
// received body, without a call into C. A full class hands its upper half
// to C's shared stack in one call (gz_pool_spill), so a process that only
// sends pays one call per GZ_POOL_DEPTH/2 bodies instead of one per body.
func putPooled(c *C.gz_content) {
	pool.Lock()
	putPooledLocked(c)
	pool.Unlock()
}

// putPooledLocked puts a free pooled body on Go's side of the pool (pool
// locked), its count set back to 1 as the pool keeps them.
func putPooledLocked(c *C.gz_content) {
	atomic.StoreInt32((*int32)(unsafe.Pointer(&c.refcnt)), 1)
	cls := int(c.cls)
	if pool.n[cls] == C.GZ_POOL_DEPTH {
		half := C.GZ_POOL_DEPTH / 2
		C.gz_pool_spill(C.int(cls), C.int(half))
		pool.n[cls] = half
	}
	C.gz_pool[cls][pool.n[cls]] = c
	pool.n[cls]++
}

// routingIDIfSet is the message's zmq_msg_set_routing_id value, or 0.
func (m *cMsg) routingIDIfSet() uint32 {
	if m.flags&C.GZ_MSG_ROUTING_ID == 0 {
		return 0
	}
	return m.routingID
}

func (m *cMsg) lmsg() *cLmsg { return (*cLmsg)(unsafe.Pointer(&m.u)) }

// frameFromMsg views a C message as a frame. An inline body is borrowed
// (borrowed true: Data points into the caller's zmq_msg_t, so the sender
// must copy it, see core.Socket.TrySendCopy); refcounted bodies are
// adopted without a copy: on a successful send the frame owns the C
// reference and the C side forgets it. ok is false for a message that is
// not initialised.
func frameFromMsg(m *cMsg) (f msg.Frame, borrowed, ok bool) {
	switch m.typ {
	case C.GZ_MSG_VSM:
		return msg.Frame{Data: m.u[:m.vsmSize:m.vsmSize], RoutingID: m.routingIDIfSet()}, true, true
	case C.GZ_MSG_LMSG:
		l := m.lmsg()
		return msg.Frame{Data: unsafe.Slice((*byte)(l.data), int(l.size)), Ext: unsafe.Pointer(l.content),
			RoutingID: m.routingIDIfSet()}, false, true
	}
	return msg.Frame{}, false, false
}

// frameToMsg fills an empty C message from f, taking over f's body:
// an external body moves without a copy (the inproc zero-copy path),
// small ones go inline, others into a new C body. It returns false on
// allocation failure, leaving f untouched.
func frameToMsg(f *msg.Frame, m *cMsg) bool {
	n := len(f.Data)
	switch {
	case f.Ext != nil:
		l := m.lmsg()
		l.content = (*C.gz_content)(f.Ext)
		l.data = unsafe.Pointer(unsafe.SliceData(f.Data))
		l.size = C.size_t(n)
		m.typ = C.GZ_MSG_LMSG
	case n <= C.GZ_VSM_MAX:
		copy(m.u[:], f.Data)
		m.vsmSize = uint8(n)
		m.typ = C.GZ_MSG_VSM
	default:
		c := C.gz_content_alloc(C.size_t(n))
		if c == nil {
			return false
		}
		copy(unsafe.Slice((*byte)(c.data), n), f.Data)
		l := m.lmsg()
		l.content, l.data, l.size = c, c.data, C.size_t(n)
		m.typ = C.GZ_MSG_LMSG
	}
	m.flags = 0
	if f.HasMore() {
		m.flags = C.GZ_MSG_MORE
	}
	m.meta = nil
	if f.Meta != nil {
		m.meta = cMeta(f.Meta)
	}
	m.group, m.routingID = nil, f.RoutingID
	if f.RoutingID != 0 {
		m.flags |= C.GZ_MSG_ROUTING_ID
	}
	*f = msg.Frame{} // the body now belongs to the C message
	return true
}

// cMeta returns a counted reference to the C copy of md. While the
// connection lives the copy is cached (holding one reference of its own)
// so each message costs one atomic increment; when the connection ends
// (metaClose) that reference is dropped, and later messages of that
// connection each get their own copy. Nothing waits for the garbage
// collector, so no C memory outlives its last message.
func cMeta(md *msg.Metadata) *C.gz_meta {
	md.Mu.Lock()
	if md.Ext != nil { // the per-message path: no defer, one increment
		cm := (*C.gz_meta)(unsafe.Pointer(md.Ext))
		atomic.AddInt32((*int32)(unsafe.Pointer(&cm.refcnt)), 1)
		md.Mu.Unlock()
		return cm
	}
	defer md.Mu.Unlock()
	var blob []byte
	for _, p := range md.Props {
		blob = append(blob, p.Name...)
		blob = append(blob, 0)
		blob = append(blob, p.Value...)
		blob = append(blob, 0)
	}
	cm := C.gz_meta_new((*C.char)(unsafe.Pointer(unsafe.SliceData(blob))), C.size_t(len(blob)), C.int(len(md.Props)))
	if cm != nil {
		cm.fd = C.int(md.SrcFD)
	}
	if cm == nil || md.Closed {
		return cm // the message owns the only reference
	}
	md.Ext = (*msg.ExtMeta)(unsafe.Pointer(cm))
	atomic.AddInt32((*int32)(unsafe.Pointer(&cm.refcnt)), 1)
	return cm
}

// metaClose drops the cache's reference when a connection ends.
func metaClose(md *msg.Metadata) {
	md.Mu.Lock()
	defer md.Mu.Unlock()
	md.Closed = true
	if md.Ext != nil {
		C.gz_meta_release((*C.gz_meta)(unsafe.Pointer(md.Ext)))
		md.Ext = nil
	}
}
