package main

/*
#include <stddef.h>
#include <stdint.h>
#include "cache.h"
*/
import "C"

import (
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/gozmq/gozmq/core"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/zerr"
)

const (
	optEvents = 15 // ZMQ_EVENTS

	eNotSock = int(syscall.ENOTSOCK)
	eFault   = int(syscall.EFAULT)
)

//export gz_ctx_new
func gz_ctx_new(out *C.uintptr_t) C.int {
	c, err := core.NewContext()
	if err != nil {
		return C.int(errnoOf(err))
	}
	h := newHandle(tagContext, c)
	if h == 0 {
		return C.int(syscall.ENOMEM)
	}
	*out = C.uintptr_t(h)
	return 0
}

// gz_ctx_term tries to finish terminating the context; while sockets or
// workers remain it returns wouldBlock and the fd to wait on.
//
//export gz_ctx_term
func gz_ctx_term(h C.uintptr_t, fd *C.int) C.int {
	c, ok := lookupContext(uintptr(h))
	if !ok {
		return C.int(eFault)
	}
	err := c.TryTerm()
	switch err {
	case nil:
		dropHandle(uintptr(h))
		return 0
	case zerr.ErrWouldBlock:
		*fd = C.int(c.FD())
		return wouldBlock
	}
	return C.int(errnoOf(err))
}

// wouldBlock tells the C side to wait on *fd (up to *timeo ms, -1 for
// ever) and call again; a negative value cannot be mistaken for an errno.
const wouldBlock = -1

// tryResult converts a Try call's outcome for C.
func tryResult(s *core.Socket, timeo int, err error, ctimeo, fd *C.int) C.int {
	if err == zerr.ErrWouldBlock {
		*ctimeo, *fd = C.int(timeo), C.int(s.FD())
		return wouldBlock
	}
	return C.int(errnoOf(err))
}

//export gz_ctx_shutdown
func gz_ctx_shutdown(h C.uintptr_t) C.int {
	c, ok := lookupContext(uintptr(h))
	if !ok {
		return C.int(eFault)
	}
	c.Shutdown()
	return 0
}

//export gz_ctx_set
func gz_ctx_set(h C.uintptr_t, opt, val C.int) C.int {
	c, ok := lookupContext(uintptr(h))
	if !ok {
		return C.int(eFault)
	}
	return C.int(errnoOf(c.Set(int(opt), int(val))))
}

//export gz_ctx_get
func gz_ctx_get(h C.uintptr_t, opt C.int, out *C.int) C.int {
	c, ok := lookupContext(uintptr(h))
	if !ok {
		return C.int(eFault)
	}
	v, err := c.Get(int(opt))
	if err != nil {
		return C.int(errnoOf(err))
	}
	*out = C.int(v)
	return 0
}

// gz_socket creates a socket; *cache gets bit 1 when its type may use a
// receive cache and bit 2 for a send cache (cache.h); zmq.c allocates
// them. The send cache's Go half is registered here; its ring is found
// later through the slot.
//
//export gz_socket
func gz_socket(h C.uintptr_t, typ C.int, out *C.uintptr_t, cache *C.int) C.int {
	c, ok := lookupContext(uintptr(h))
	if !ok {
		return C.int(eFault)
	}
	s, err := c.NewSocket(int(typ))
	if err != nil {
		return C.int(errnoOf(err))
	}
	sh := newHandle(tagSocket, s)
	if sh == 0 {
		s.Close()
		return C.int(syscall.ENOMEM)
	}
	*out = C.uintptr_t(sh)
	if core.Prefetchable(int(typ)) {
		*cache |= 1
	}
	if core.SendCacheable(int(typ)) {
		*cache |= 2
		s.SetPeerFlush(func() { flushForPeer(sh) })
	}
	return 0
}

//export gz_close
func gz_close(h C.uintptr_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	closeSendCache(uintptr(h))
	dropHandle(uintptr(h))
	return C.int(errnoOf(s.Close()))
}

//export gz_setsockopt
func gz_setsockopt(h C.uintptr_t, opt C.int, val unsafe.Pointer, size C.size_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	if val == nil && size != 0 {
		return C.int(syscall.EINVAL)
	}
	return C.int(errnoOf(s.SetOption(int(opt), unsafe.Slice((*byte)(val), int(size)))))
}

//export gz_getsockopt
func gz_getsockopt(h C.uintptr_t, opt C.int, val unsafe.Pointer, size *C.size_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	if size == nil || (val == nil && *size != 0) {
		return C.int(syscall.EFAULT)
	}
	if opt == optEvents {
		syncSends(uintptr(h))
	}
	n, err := s.GetOption(int(opt), unsafe.Slice((*byte)(val), int(*size)))
	if err != nil {
		return C.int(errnoOf(err))
	}
	*size = C.size_t(n)
	return 0
}

// endpointCall runs one of the four endpoint operations.
func endpointCall(h C.uintptr_t, ep *C.char, op func(*core.Socket, string) error) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	if ep == nil {
		return C.int(syscall.EINVAL)
	}
	syncSends(uintptr(h))
	return C.int(errnoOf(op(s, C.GoString(ep))))
}

// gz_socket_monitor starts (addr non-NULL) or stops event reporting.
//
//export gz_socket_monitor
func gz_socket_monitor(h C.uintptr_t, addr *C.char, events C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	ep := ""
	if addr != nil {
		ep = C.GoString(addr)
	}
	return C.int(errnoOf(s.Monitor(ep, int(events))))
}

// gz_socket_monitor_pipes_stats is the draft zmq_socket_monitor_pipes_stats.
//
//export gz_socket_monitor_pipes_stats
func gz_socket_monitor_pipes_stats(h C.uintptr_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	syncSends(uintptr(h)) // queued sends count as queued
	return C.int(errnoOf(s.PipesStats()))
}

// gz_socket_monitor_versioned is the draft zmq_socket_monitor_versioned.
//
//export gz_socket_monitor_versioned
func gz_socket_monitor_versioned(h C.uintptr_t, addr *C.char, events C.uint64_t, version, typ C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	ep := ""
	if addr != nil {
		ep = C.GoString(addr)
	}
	return C.int(errnoOf(s.MonitorVersioned(ep, uint64(events), int(version), int(typ))))
}

//export gz_bind
func gz_bind(h C.uintptr_t, ep *C.char) C.int {
	return endpointCall(h, ep, (*core.Socket).Bind)
}

//export gz_connect
func gz_connect(h C.uintptr_t, ep *C.char) C.int {
	return endpointCall(h, ep, (*core.Socket).Connect)
}

// gz_join and gz_leave are the draft zmq_join and zmq_leave (DISH).
//
//export gz_join
func gz_join(h C.uintptr_t, group *C.char) C.int {
	return endpointCall(h, group, (*core.Socket).Join)
}

//export gz_leave
func gz_leave(h C.uintptr_t, group *C.char) C.int {
	return endpointCall(h, group, (*core.Socket).Leave)
}

// gz_connect_peer is the draft zmq_connect_peer (PEER): *id gets the new
// peer's routing id.
//
//export gz_connect_peer
func gz_connect_peer(h C.uintptr_t, ep *C.char, id *C.uint32_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	rid, err := s.ConnectPeer(C.GoString(ep))
	if err != nil {
		return C.int(errnoOf(err))
	}
	*id = C.uint32_t(rid)
	return 0
}

//export gz_unbind
func gz_unbind(h C.uintptr_t, ep *C.char) C.int {
	return endpointCall(h, ep, (*core.Socket).Unbind)
}

//export gz_disconnect
func gz_disconnect(h C.uintptr_t, ep *C.char) C.int {
	return endpointCall(h, ep, (*core.Socket).Disconnect)
}

// The four send/receive exports make one non-blocking attempt each; when
// the call must block they return wouldBlock with the fd and timeout, and
// zmq.c waits in poll(2) and calls again (see core.Socket.TrySend).

// gz_send copies len bytes from buf into a new frame and sends it
// (zmq_send: the caller keeps its buffer).
//
//export gz_send
func gz_send(h C.uintptr_t, buf unsafe.Pointer, size C.size_t, flags C.int, q *C.gz_txq, timeo, fd *C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	var f msg.Frame
	if size > 0 {
		f.Data = unsafe.Slice((*byte)(buf), int(size))
	}
	t, err := sendVia(uintptr(h), q, s, flags, func() (int, error) { return s.TrySendCopy(&f, int(flags)) })
	return tryResult(s, t, err, timeo, fd)
}

// gz_recv receives one part and copies at most size bytes of it into buf;
// *full gets the part's real size (zmq_recv truncates silently), *more its
// MORE flag. With a receive cache q (empty: zmq.c calls only then), parts
// already queued behind it go there too.
//
//export gz_recv
func gz_recv(h C.uintptr_t, buf unsafe.Pointer, size C.size_t, flags C.int, full *C.size_t, more *C.int, q *C.gz_rxq, timeo, fd *C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	var f msg.Frame
	if t, err := s.TryRecv(&f, int(flags)); err != nil {
		return tryResult(s, t, err, timeo, fd)
	}
	if n := min(int(size), len(f.Data)); n > 0 {
		copy(unsafe.Slice((*byte)(buf), n), f.Data)
	}
	*full = C.size_t(len(f.Data))
	if f.HasMore() {
		*more = 1
	}
	f.Release()
	fillCache(s, q)
	return 0
}

// fillCache moves parts already queued on s into its empty receive cache.
func fillCache(s *core.Socket, q *C.gz_rxq) {
	if q == nil {
		return
	}
	q.head, q.n = 0, 0
	// Parts of one connection share its metadata: the C copy the previous
	// part references is taken once more with an atomic add, without
	// cMeta's lock (that part's reference keeps it alive meanwhile).
	var lastMd *msg.Metadata
	var lastCm *C.gz_meta
	s.Prefetch(C.GZ_RXQ_CAP, func(f *msg.Frame) bool {
		m := (*cMsg)(unsafe.Pointer(&q.slot[q.n]))
		md := f.Meta
		shared := md != nil && md == lastMd && lastCm != nil
		if shared {
			f.Meta = nil
		}
		if !frameToMsg(f, m) {
			f.Meta = md
			return false
		}
		if shared {
			atomic.AddInt32((*int32)(unsafe.Pointer(&lastCm.refcnt)), 1)
			m.meta = lastCm
		}
		lastMd, lastCm = md, m.meta
		q.n++
		return true
	})
}

// gz_ctx_ending reports whether socket h's context is shutting down (or
// h is not a socket): zmq.c then leaves its caches alone and lets the Go
// path answer.
//
//export gz_ctx_ending
func gz_ctx_ending(h C.uintptr_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok || s.ContextEnding() {
		return 1
	}
	return 0
}

// gz_wanted reports whether a SUB socket still admits a message that
// starts with data (zmq.c re-checks its receive cache after an
// unsubscription, and gozmq_wanted asks for bindings): 1 or 0, -1 if h
// is not a socket.
//
//export gz_wanted
func gz_wanted(h C.uintptr_t, data unsafe.Pointer, size C.size_t) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return -1
	}
	if s.Wanted(unsafe.Slice((*byte)(data), int(size))) {
		return 1
	}
	return 0
}

//export gz_msg_send
func gz_msg_send(h C.uintptr_t, m unsafe.Pointer, flags C.int, q *C.gz_txq, timeo, fd *C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	f, borrowed, ok := frameFromMsg((*cMsg)(m))
	if !ok {
		return C.int(eFault)
	}
	// On failure the C message still owns its body.
	try := func() (int, error) {
		if g := (*cMsg)(m).group; g != nil {
			if borrowed { // an inline body lives in the caller's zmq_msg_t
				f.Data = append([]byte(nil), f.Data...)
			}
			return s.TrySendGroup(&f, C.GoString(g), int(flags))
		}
		if borrowed {
			return s.TrySendCopy(&f, int(flags))
		}
		return s.TrySend(&f, int(flags))
	}
	t, err := sendVia(uintptr(h), q, s, flags, try)
	return tryResult(s, t, err, timeo, fd)
}

// gz_msg_recv receives one part into m; with a receive cache q, as
// gz_recv.
//
//export gz_msg_recv
func gz_msg_recv(h C.uintptr_t, m unsafe.Pointer, flags C.int, q *C.gz_rxq, timeo, fd *C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	var f msg.Frame
	group, t, err := s.TryRecvGroup(&f, int(flags))
	if err != nil {
		return tryResult(s, t, err, timeo, fd)
	}
	cm := (*cMsg)(m)
	if !frameToMsg(&f, cm) {
		f.Release()
		return C.int(syscall.ENOMEM)
	}
	if group != "" {
		// zmq_msg_close frees it (msg.c).
		cm.group = C.CString(group)
	}
	fillCache(s, q)
	return 0
}

// gz_recv_batch is gozmq_recv_batch's way through Go (zmq.c calls it when
// the receive cache is empty): one part is received as gz_recv would,
// then up to max-1 more that are already queued, and their bodies are
// copied straight into buf (part i after parts 0..i-1), with sizes[i] and
// mores[i]; *got gets the count. Nothing goes through C messages, the
// receive cache or the body pool on the way. A first part larger than
// bufsize is left whole in m (*got = 0); a later part that does not fit,
// or (onePeer) that carries other metadata than the first, stays queued
// for the next receive. With onePeer, m gets the first part's metadata.
//
//export gz_recv_batch
func gz_recv_batch(h C.uintptr_t, m unsafe.Pointer, buf unsafe.Pointer, bufsize C.size_t,
	sizes *C.size_t, mores *C.uchar, max, flags, onePeer C.int, got *C.int, timeo, fd *C.int) C.int {
	s, ok := lookupSocket(uintptr(h))
	if !ok {
		return C.int(eNotSock)
	}
	s.SetCopyOut()
	var f msg.Frame
	if t, err := s.TryRecv(&f, int(flags)); err != nil {
		return tryResult(s, t, err, timeo, fd)
	}
	cm := (*cMsg)(m)
	if uint64(len(f.Data)) > uint64(bufsize) {
		if !frameToMsg(&f, cm) {
			f.Release()
			return C.int(syscall.ENOMEM)
		}
		*got = 0
		return 0
	}
	dst := unsafe.Slice((*byte)(buf), int(min(bufsize, 1<<40))) // no real buffer is larger
	sz := unsafe.Slice(sizes, int(max))
	mo := unsafe.Slice(mores, int(max))
	used := copy(dst, f.Data)
	sz[0], mo[0] = C.size_t(used), 0
	if f.HasMore() {
		mo[0] = 1
	}
	meta := f.Meta
	if onePeer != 0 && meta != nil {
		cm.meta = cMeta(meta)
	}
	var done bodyBatch
	if f.Ext != nil {
		dropBody(&done, f.Ext)
	}
	n := 1
	if n < int(max) {
		s.Prefetch(int(max)-1, func(f *msg.Frame) bool {
			if len(f.Data) > len(dst)-used || onePeer != 0 && f.Meta != meta {
				return false // kept, in order, for the next receive
			}
			k := copy(dst[used:], f.Data)
			used += k
			sz[n], mo[n] = C.size_t(k), 0
			if f.HasMore() {
				mo[n] = 1
			}
			n++
			if f.Ext != nil {
				dropBody(&done, f.Ext)
			}
			*f = msg.Frame{}
			return true
		})
	}
	done.flush()
	*got = C.int(n)
	return 0
}

// bodyBatch collects the references a batch drops: pooled C bodies whose
// last reference went, to put them back into the pool under one lock, and
// references to the same shared block in a row (carved bodies), to drop
// them with one atomic add.
type bodyBatch struct {
	n int
	c [C.GZ_RXQ_CAP]*C.gz_content

	block *C.gz_content
	refs  int32
}

// dropBody drops one reference to the C body h; a pooled body whose last
// reference that was waits in b for flush.
func dropBody(b *bodyBatch, h unsafe.Pointer) {
	c := (*C.gz_content)(h)
	switch {
	case c.kind == C.GZ_CONTENT_SHARED:
		if c != b.block {
			b.dropRefs()
			b.block = c
		}
		b.refs++
	case !poolable(c) || b.n == len(b.c):
		releaseBody(h)
	case unref(c, 1):
		b.c[b.n] = c
		b.n++
	}
}

// dropRefs drops the references counted for b.block.
func (b *bodyBatch) dropRefs() {
	if c := b.block; c != nil && unref(c, b.refs) {
		C.gz_content_free(c)
	}
	b.block, b.refs = nil, 0
}

func (b *bodyBatch) flush() {
	b.dropRefs()
	if b.n == 0 {
		return
	}
	pool.Lock()
	for i := range b.n {
		putPooledLocked(b.c[i])
		b.c[i] = nil
	}
	pool.Unlock()
	b.n = 0
}
