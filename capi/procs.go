package main

/*
void gz_set_waiters_max(int n);
*/
import "C"

import (
	"os"
	"runtime"
	"sync"
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
const (
	spareProcs = 2
	manyProcs  = 4
)

var procsMu sync.Mutex

func init() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
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
