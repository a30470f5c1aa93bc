package main

/*
void gz_set_waiters_max(int n);
*/
import "C"

import (
	"os"
	"runtime"
	"sync"

	"github.com/gozmq/gozmq/core/engine"
)

// The runtime's Ps (GOMAXPROCS) and the threads that wait in C.
//
// An application thread that called into Go and then waits in C (ppoll in
// zmq.c) keeps its P, in the syscall state, until the runtime's monitor
// takes it back (20 µs to 10 ms later). If waiting threads hold every P,
// the engine goroutines that would deliver their messages wait for the
// monitor: with GOMAXPROCS 1 (both latency processes pinned to one CPU)
// tcp round trips took twice as long as with 4 Ps.
//
// But every P beyond what runs costs wake-ups: when a goroutine becomes
// runnable and a P is idle, the runtime wakes another thread to look for
// work, and on one CPU each such thread is a context switch. Measured with
// both processes pinned to one CPU, tcp round trips at 16 B and 1 KiB took
// 20-25% less time with 2 Ps than with 3 or 4 (docs/PERFORMANCE.md).
//
// So the runtime starts with spareProcs Ps (or the CPU count, if higher):
// one for a waiting application thread and one for the engines. zmq.c
// counts its waiting threads; as soon as as many wait at once as there are
// Ps, it calls gz_more_procs, which raises GOMAXPROCS to manyProcs for the
// rest of the process's life (a program with several waiting threads
// gets the old setting). GOMAXPROCS set in the environment is left alone.
//
// Large bodies change the balance. While an engine reads a large body (a
// read system call copying hundreds of KiB) and an application thread
// holds the other P in C, the monitor finds every P in a system call at
// each 20 µs tick, takes them back, and so stays at that cadence: its
// wake-ups were 14% of a Python receiver's samples at 4 MiB, and the
// receiver used 1.31 ms of CPU per message against 0.81 ms with one P
// more (pyzmq on libzmq: 0.77 ms; medians of 5). With an idle P the
// monitor takes nothing and backs off. So the first time an engine reads
// a body of 256 KiB or more (engine.LargeBody), largeBodyProcs raises
// GOMAXPROCS to one more than the CPUs, for the rest of the process's
// life. Not from the start: with small messages the spare P cost more
// than it saved (C perf tools, 2 CPUs: round trips used 7-11% more CPU,
// pub_fanout 9%), and a process pinned to one CPU keeps 2 Ps.
const (
	spareProcs = 2
	manyProcs  = 4
)

var (
	procsMu      sync.Mutex
	procsFromEnv = os.Getenv("GOMAXPROCS") != ""
)

func init() {
	if procsFromEnv {
		return
	}
	engine.LargeBody = largeBodyProcs
	n := runtime.GOMAXPROCS(0)
	if n >= manyProcs {
		return
	}
	if n < spareProcs {
		runtime.GOMAXPROCS(spareProcs)
		n = spareProcs
	}
	C.gz_set_waiters_max(C.int(n))
}

// gz_more_procs is called by a thread about to wait in C when waiting
// threads would hold every P.
//
//export gz_more_procs
func gz_more_procs() {
	procsMu.Lock()
	defer procsMu.Unlock()
	if runtime.GOMAXPROCS(0) < manyProcs {
		runtime.GOMAXPROCS(manyProcs)
	}
	C.gz_set_waiters_max(0)
}

// largeBodyProcs gives the runtime one P more than the CPUs (see above),
// unless it has that many already.
func largeBodyProcs() {
	procsMu.Lock()
	defer procsMu.Unlock()
	want := min(manyProcs, runtime.NumCPU()+1)
	if n := runtime.GOMAXPROCS(0); n < want {
		runtime.GOMAXPROCS(want)
		C.gz_set_waiters_max(C.int(want))
	}
}
