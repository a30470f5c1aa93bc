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
// zmq.c), or simply runs its own code, keeps its P, in the syscall state,
// until the runtime's monitor takes it back (20 µs to 10 ms later). If
// waiting threads hold every P, the engine goroutines that would deliver
// their messages wait for the monitor: with GOMAXPROCS 1 (both latency
// processes pinned to one CPU) tcp round trips took twice as long as with
// 4 Ps.
//
// And when every P is busy (the application's, held in C, and the
// engine's), the monitor takes one back at least every 10 ms, and each
// time it does it wakes every 20 µs for the next millisecond or so:
// 11-14% of a Python receiver's samples went to those wake-ups (256 B
// over ipc, 4 MiB over tcp), and 4,300 instead of 9,100 of them per
// million messages with one P more. With an idle P it takes nothing.
//
// But every P beyond what runs costs wake-ups too: when a goroutine
// becomes runnable and a P is idle, the runtime wakes another thread to
// look for work, and on one CPU each such thread is a context switch.
// Measured with both processes pinned to one CPU, tcp round trips at 16 B
// and 1 KiB took 20-25% less time with 2 Ps than with 3 or 4
// (docs/PERFORMANCE.md).
//
// So the runtime starts with one P more than the CPUs it may use, and at
// least spareProcs: a process on one CPU gets 2 (one for a waiting
// application thread, one for the engines), on two CPUs 3. Measured on 2
// CPUs, 3 Ps against 2, two series of 5 pairs of the C perf tools: tcp
// 16 B and 256 B throughput 1.06-1.28x with 11-24% less CPU per message,
// ipc 256 B 1.41x; round trips unchanged (1.01-1.07x the time, 2-6% more
// CPU); PUB to 8 SUB threads 0.92-1.04x with 5-6% more CPU. zmq.c counts
// its waiting threads; as soon as as many wait at once as there are Ps,
// it calls gz_more_procs, which raises GOMAXPROCS to manyProcs for the
// rest of the process's life. GOMAXPROCS set in the environment is left
// alone.
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
	if want := max(spareProcs, n+1); want != n {
		runtime.GOMAXPROCS(want)
		n = want
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
