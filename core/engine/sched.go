package engine

import (
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Engine threads run under SCHED_BATCH, so that waking one never preempts
// the thread that woke it.
//
// A message written to a loopback connection wakes the receiving
// process's netpoller thread from inside the sender's write. Under the
// default policy the woken thread preempts the sender at once; with both
// processes on one CPU a request/reply round trip then bounced between
// the processes six times (each engine thread ran while the other
// process's application thread was still on its way to its wait) instead
// of twice, and cross-process switches are what a round trip costs there
// (tcp latency 16 B, both perf processes pinned to one CPU, medians: 34 µs
// before, 21 µs with engine threads in SCHED_BATCH, 17-20 µs with every
// thread of both processes in it; libzmq 14-18 µs either way). A batch
// thread waits for the running one to block or use up its slice, which on
// a loaded CPU also means a woken engine waits longer; threads of other
// policies (an application that runs its threads SCHED_FIFO, whose policy
// the runtime's threads may inherit) are left alone.
//
// Only threads that run engine goroutines are marked, by the goroutine
// itself: those are the Go runtime's own threads, never an application's
// (a thread that calls into the library runs only its own call).
//
// batchSeen remembers the threads already handled, by thread id modulo its
// size, without allocating (a read calls batchThisThread); a collision
// only costs the two system calls again.
var batchSeen [1024]atomic.Int32

func batchThisThread() {
	tid := unix.Gettid()
	slot := &batchSeen[uint(tid)%uint(len(batchSeen))]
	if slot.Load() == int32(tid) {
		return
	}
	slot.Store(int32(tid))
	attr, err := unix.SchedGetAttr(0, 0)
	if err != nil || attr.Policy != 0 { // SCHED_NORMAL only
		return
	}
	attr.Policy = unix.SCHED_BATCH
	unix.SchedSetAttr(0, attr, 0)
}
