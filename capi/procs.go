package main

import (
	"os"
	"runtime"
)

// minProcs is the fewest Ps the runtime gets. An application thread that
// called into Go and then waits in C (ppoll in zmq.c) keeps its P, in the
// syscall state, until the runtime's monitor takes it back (20 µs to
// 10 ms later). With GOMAXPROCS at the CPU count, one or two threads
// blocked in zmq_recv hold every P of a small machine, and the engine
// goroutines that would deliver their message wait for the monitor:
// measured with both latency processes pinned to one CPU (GOMAXPROCS 1),
// tcp round trips took twice as long as with 4 Ps. Ps held by waiting
// threads run nothing, so the extra ones cost no CPU.
const minProcs = 4

func init() {
	if os.Getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < minProcs {
		runtime.GOMAXPROCS(minProcs)
	}
}
