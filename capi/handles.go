package main

/*
#include <stdint.h>
void *gz_handle_slot(uint32_t tag);
*/
import "C"

import (
	"sync"
	"sync/atomic"

	"github.com/gozmq/gozmq/core"
)

// Tags written into handle slots. Programs such as czmq peek at the first
// bytes behind a libzmq pointer to tell their own objects apart, so a
// handle must point at readable memory that holds none of their tags.
const (
	tagContext = 0x677a6331 // "gzc1"
	tagSocket  = 0x677a7331 // "gzs1"
)

// handles maps slot addresses to live objects. Lookup is by value: a
// pointer that was never ours, or whose object was closed, is simply not
// found. Slots are never freed or reused, so a stale pointer can never
// name a newer object.
var handles sync.Map // uintptr → *core.Context | *core.Socket

func newHandle(tag uint32, v any) uintptr {
	h := uintptr(C.gz_handle_slot(C.uint32_t(tag)))
	if h == 0 {
		return 0
	}
	handles.Store(h, v)
	return h
}

func dropHandle(h uintptr) {
	handles.Delete(h)
	e := &sockCache[cacheIndex(h)]
	if c := e.Load(); c != nil && c.h == h {
		e.CompareAndSwap(c, nil)
	}
}

// sockCache is a direct-mapped cache of socket handles in front of
// handles: every send and receive looks its socket up, and the sync.Map
// lookup (hashing an interface, comparing) was 8% of a whole call. An
// entry is only ever a handle that was live when it was stored; dropHandle
// clears it after deleting from handles, and a lookup that stored an entry
// re-checks handles afterwards, so a dropped handle never stays cached.
var sockCache [512]atomic.Pointer[sockEntry]

type sockEntry struct {
	h uintptr
	s *core.Socket
}

// Slots are 32 bytes apart; consecutive sockets map to consecutive entries.
func cacheIndex(h uintptr) int { return int(h>>5) % len(sockCache) }

func lookupSocket(h uintptr) (*core.Socket, bool) {
	e := &sockCache[cacheIndex(h)]
	if c := e.Load(); c != nil && c.h == h {
		return c.s, true
	}
	v, ok := handles.Load(h)
	if !ok {
		return nil, false
	}
	s, ok := v.(*core.Socket)
	if ok {
		c := &sockEntry{h: h, s: s}
		e.Store(c)
		if _, live := handles.Load(h); !live {
			e.CompareAndSwap(c, nil)
		}
	}
	return s, ok
}

func lookupContext(h uintptr) (*core.Context, bool) {
	v, ok := handles.Load(h)
	if !ok {
		return nil, false
	}
	c, ok := v.(*core.Context)
	return c, ok
}

// handleCount reports live handles (tests check it drops to zero).
func handleCount() int {
	n := 0
	handles.Range(func(_, _ any) bool { n++; return true })
	return n
}
