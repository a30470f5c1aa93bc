package engine

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/gozmq/gozmq/core/zmtp"
	"golang.org/x/sys/unix"
)

// A thread under the default policy becomes SCHED_BATCH; one under another
// policy (SCHED_IDLE here, which needs no privilege) keeps it. Each runs
// on a goroutine that stays locked to its thread, so the thread dies with
// it and no other test inherits its policy.
func TestBatchThisThread(t *testing.T) {
	cases := []struct {
		name        string
		start, want uint32
	}{
		{"normal", 0, unix.SCHED_BATCH},
		{"idle", unix.SCHED_IDLE, unix.SCHED_IDLE},
	}
	for _, c := range cases {
		done := make(chan string, 1)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread exits with us
			tid := unix.Gettid()
			batchSeen[uint(tid)%uint(len(batchSeen))].Store(0) // a reused id must not hide this thread
			attr, err := unix.SchedGetAttr(0, 0)
			if err != nil {
				done <- err.Error()
				return
			}
			attr.Policy = c.start
			if err := unix.SchedSetAttr(0, attr, 0); err != nil {
				done <- "set up: " + err.Error()
				return
			}
			batchThisThread()
			after, err := unix.SchedGetAttr(0, 0)
			if err != nil {
				done <- err.Error()
				return
			}
			if after.Policy != c.want {
				done <- fmt.Sprintf("policy %d, want %d", after.Policy, c.want)
				return
			}
			done <- ""
		}()
		if msg := <-done; msg != "" {
			t.Errorf("%s: %s", c.name, msg)
		}
	}
}

// After messages have crossed a real TCP connection, the threads that
// read them are SCHED_BATCH.
func TestEngineThreadsBatch(t *testing.T) {
	p, sock, _, _ := start(t, cfg("PAIR"))
	p.greet()
	p.ready("PAIR")
	for i := 0; i < 20; i++ {
		p.write(zmtp.AppendFrameHeader(nil, 4, false, false))
		p.write([]byte("ping"))
		f := popWait(t, sock.In)
		if string(f.Data) != "ping" {
			t.Fatalf("got %q", f.Data)
		}
		f.Release()
	}
	marked := 0
	for i := range batchSeen {
		tid := int(batchSeen[i].Load())
		if tid == 0 {
			continue
		}
		attr, err := unix.SchedGetAttr(tid, 0)
		if err != nil {
			continue // the thread has exited
		}
		marked++
		if attr.Policy != unix.SCHED_BATCH && attr.Policy != unix.SCHED_IDLE {
			t.Errorf("thread %d: policy %d, want SCHED_BATCH", tid, attr.Policy)
		}
	}
	if marked == 0 {
		t.Fatal("no engine thread was marked")
	}
}
