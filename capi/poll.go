package main

/*
#include <stdint.h>
*/
import "C"

import (
	"syscall"
	"time"
	"unsafe"

	"github.com/gozmq/gozmq/core"
	"github.com/gozmq/gozmq/core/zerr"
	"golang.org/x/sys/unix"
)

// pollItem mirrors zmq_pollitem_t on Linux.
type pollItem struct {
	socket  uintptr
	fd      int32
	events  int16
	revents int16
}

const (
	zmqPollIn  = 1
	zmqPollOut = 2
	zmqPollErr = 4
	zmqPollPri = 8
)

// gz_poll implements zmq_poll: readiness of sockets comes from their
// ZMQ_EVENTS, of raw fds from poll(2); when nothing is ready it waits in
// poll(2) on the sockets' eventfds and the raw fds together, on this
// thread (so a signal returns EINTR), then re-checks.
//
//export gz_poll
func gz_poll(items unsafe.Pointer, n C.int, timeout C.long, ready *C.int) C.int {
	its := unsafe.Slice((*pollItem)(items), int(n))
	socks := make([]*core.Socket, len(its))
	fds := make([]unix.PollFd, len(its))
	for i := range its {
		its[i].revents = 0
		if its[i].socket != 0 {
			s, ok := lookupSocket(its[i].socket)
			if !ok {
				return C.int(syscall.ENOTSOCK)
			}
			socks[i] = s
			fds[i] = unix.PollFd{Fd: int32(s.FD()), Events: unix.POLLIN}
		} else {
			fds[i] = unix.PollFd{Fd: its[i].fd, Events: pollEvents(its[i].events)}
		}
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(time.Duration(timeout) * time.Millisecond)
	}
	for {
		// Socket events first: Events resets each eventfd before it looks,
		// so anything that happens afterwards makes the fd readable.
		count := 0
		for i := range its {
			if socks[i] == nil {
				continue
			}
			ev, err := socks[i].Events()
			if err != nil {
				return C.int(errnoOf(err))
			}
			its[i].revents = int16(ev) & its[i].events & (zmqPollIn | zmqPollOut)
			if its[i].revents != 0 {
				count++
			}
		}
		wait := -1
		switch {
		case count > 0 || timeout == 0:
			wait = 0
		case timeout > 0:
			wait = max(0, int((time.Until(deadline)+time.Millisecond-1)/time.Millisecond))
		}
		if _, err := unix.Poll(fds, wait); err != nil {
			if err == unix.EINTR {
				return C.int(errnoOf(zerr.ErrInterrupted))
			}
			return C.int(errnoOf(err))
		}
		for i := range its {
			if socks[i] != nil {
				continue
			}
			its[i].revents = fromPollEvents(fds[i].Revents) & (its[i].events | zmqPollErr)
			if its[i].revents != 0 {
				count++
			}
		}
		if count > 0 || wait == 0 {
			*ready = C.int(count)
			return 0
		}
		// Woken by a socket's eventfd: loop to re-read its events.
	}
}

func pollEvents(ev int16) int16 {
	var r int16
	if ev&zmqPollIn != 0 {
		r |= unix.POLLIN
	}
	if ev&zmqPollOut != 0 {
		r |= unix.POLLOUT
	}
	if ev&zmqPollPri != 0 {
		r |= unix.POLLPRI
	}
	return r
}

func fromPollEvents(re int16) int16 {
	var r int16
	if re&unix.POLLIN != 0 {
		r |= zmqPollIn
	}
	if re&unix.POLLOUT != 0 {
		r |= zmqPollOut
	}
	if re&unix.POLLPRI != 0 {
		r |= zmqPollPri
	}
	if re&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 {
		r |= zmqPollErr
	}
	return r
}
