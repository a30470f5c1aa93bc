package main

/*
#include <poll.h>
#include "cache.h"
*/
import "C"

import (
	"syscall"
	"unsafe"

	"github.com/gozmq/gozmq/core"
)

// pollItem mirrors zmq_pollitem_t on Linux.
type pollItem struct {
	socket  unsafe.Pointer
	fd      int32
	events  int16
	revents int16
}

const (
	zmqPollIn  = 1
	zmqPollOut = 2
	zmqPollPri = 8
)

// gz_poll is the Go half of zmq_poll, and never blocks. For each socket
// item it sets revents from ZMQ_EVENTS (which resets the socket's eventfd
// before looking, so later activity makes the fd readable); it fills
// pfds[i] with what zmq.c should poll(2) for that item: the socket's
// eventfd, or the raw fd with its events. *ready counts ready sockets.
// zmq.c polls the raw fds itself and waits there, on the caller's
// thread and C stack, then calls again.
//
//export gz_poll
func gz_poll(items unsafe.Pointer, n C.int, pfds unsafe.Pointer, ready *C.int) C.int {
	its := unsafe.Slice((*pollItem)(items), int(n))
	fds := unsafe.Slice((*C.struct_pollfd)(pfds), int(n))
	count := 0
	for i := range its {
		it := &its[i]
		it.revents = 0
		fds[i].revents = 0
		if it.socket == nil {
			fds[i].fd, fds[i].events = C.int(it.fd), C.short(pollEvents(it.events))
			continue
		}
		s, ok := lookupSocket(uintptr(it.socket))
		if !ok {
			return C.int(syscall.ENOTSOCK)
		}
		syncSends(uintptr(it.socket))
		ev, err := s.Events()
		if err != nil {
			return C.int(errnoOf(err))
		}
		// A socket's handle is its slot (cache.h); parts in its receive
		// cache are readable.
		if q := (*C.gz_slot)(it.socket).rxq; q != nil && q.n > 0 {
			ev |= zmqPollIn
		}
		fds[i].fd, fds[i].events = C.int(s.FD()), C.POLLIN
		it.revents = int16(ev) & it.events & (zmqPollIn | zmqPollOut)
		if it.revents != 0 {
			count++
		}
	}
	*ready = C.int(count)
	return 0
}

// pollEvents converts ZMQ_POLL* bits to poll(2) bits for a raw fd.
func pollEvents(ev int16) int16 {
	var r int16
	if ev&zmqPollIn != 0 {
		r |= C.POLLIN
	}
	if ev&zmqPollOut != 0 {
		r |= C.POLLOUT
	}
	if ev&zmqPollPri != 0 {
		r |= C.POLLPRI
	}
	return r
}

var _ = core.PollIn
