package pipe

import (
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/gozmq/gozmq/core/msg"
)

func frame(s string, more bool) *msg.Frame {
	f := &msg.Frame{Data: []byte(s)}
	if more {
		f.Flags = msg.More
	}
	return f
}

func TestLWM(t *testing.T) {
	for _, c := range []struct{ hwm, lwm int }{{0, 0}, {1, 1}, {2, 1}, {1000, 500}, {2048, 1024}, {2049, 1025}, {100000, 98976}} {
		if got := LWM(c.hwm); got != c.lwm {
			t.Errorf("LWM(%d) = %d, want %d", c.hwm, got, c.lwm)
		}
	}
}

func TestMultipartVisibleOnlyWhenComplete(t *testing.T) {
	q := NewQueue(0)
	q.Push(frame("a", true))
	var f msg.Frame
	if q.Pop(&f) {
		t.Fatal("partial message visible")
	}
	q.Push(frame("b", false))
	if !q.Pop(&f) || string(f.Data) != "a" || !f.HasMore() {
		t.Fatalf("got %q", f.Data)
	}
	if !q.Pop(&f) || string(f.Data) != "b" || f.HasMore() {
		t.Fatalf("got %q", f.Data)
	}
}

func TestRollbackDropsPartial(t *testing.T) {
	q := NewQueue(0)
	q.Push(frame("whole", false))
	q.Push(frame("part1", true))
	q.Push(frame("part2", true))
	q.Rollback()
	var f msg.Frame
	if !q.Pop(&f) || string(f.Data) != "whole" {
		t.Fatal("lost committed message")
	}
	if q.Pop(&f) {
		t.Fatal("partial message survived rollback")
	}
	q.Push(frame("next", false))
	if !q.Pop(&f) || string(f.Data) != "next" {
		t.Fatal("queue unusable after rollback")
	}
}

func TestHWMCountsMessagesAndWakesAtLWM(t *testing.T) {
	q := NewQueue(4)
	var woke atomic.Int32
	q.SetWriterWake(func() { woke.Add(1) })
	for i := 0; i < 4; i++ {
		if !q.CheckWrite() {
			t.Fatalf("full after %d messages", i)
		}
		q.Push(frame("x", true)) // parts do not count
		q.Push(frame("y", false))
	}
	if q.CheckWrite() {
		t.Fatal("not full at HWM")
	}
	var f msg.Frame
	q.Pop(&f)
	q.Pop(&f) // one message read: 3 left, above LWM 2
	if woke.Load() != 0 {
		t.Fatal("woke above LWM")
	}
	q.Pop(&f)
	q.Pop(&f) // 2 left == LWM
	if woke.Load() != 1 {
		t.Fatalf("wakes = %d at LWM, want 1", woke.Load())
	}
	if !q.CheckWrite() {
		t.Fatal("still full after wake")
	}
}

func TestReaderWokenOnlyAfterEmpty(t *testing.T) {
	q := NewQueue(0)
	var woke atomic.Int32
	q.SetReaderWake(func() { woke.Add(1) })
	q.Push(frame("1", false)) // nobody waiting yet
	if woke.Load() != 0 {
		t.Fatal("woke without a waiting reader")
	}
	var f msg.Frame
	q.Pop(&f)
	q.Pop(&f) // finds it empty: now waiting
	q.Push(frame("2", false))
	q.Push(frame("3", false))
	if woke.Load() != 1 {
		t.Fatalf("wakes = %d, want exactly 1 per transition", woke.Load())
	}
}

func TestCloseWriteDrainsThenFinished(t *testing.T) {
	a, b := New(0, 0)
	a.Out.Push(frame("last", false))
	a.Out.Push(frame("partial", true))
	a.Close()
	var f msg.Frame
	if b.In.Finished() {
		t.Fatal("finished before drained")
	}
	if !b.In.Pop(&f) || string(f.Data) != "last" {
		t.Fatal("lost message written before close")
	}
	if b.In.Pop(&f) || !b.In.Finished() {
		t.Fatal("partial message delivered or not finished")
	}
	if !b.PeerGone() {
		t.Fatal("peer not gone")
	}
}

type countingExt struct{ released atomic.Int32 }

func TestCloseReadReleasesFrames(t *testing.T) {
	var c countingExt
	msg.ExtHooks.Release = func(unsafe.Pointer) { c.released.Add(1) }
	msg.ExtHooks.Ref = func(unsafe.Pointer) {}
	defer func() { msg.ExtHooks.Release, msg.ExtHooks.Ref = nil, nil }()
	q := NewQueue(0)
	q.Push(&msg.Frame{Ext: unsafe.Pointer(&c)})
	q.Push(&msg.Frame{Ext: unsafe.Pointer(&c), Flags: msg.More})
	q.CloseRead()
	if c.released.Load() != 2 {
		t.Fatalf("released %d, want 2", c.released.Load())
	}
	if q.Push(&msg.Frame{Ext: unsafe.Pointer(&c)}) || c.released.Load() != 3 {
		t.Fatal("push after CloseRead kept the frame")
	}
}

// TestConcurrentProducerConsumer moves many multipart messages through a
// small queue with both sides blocking on their wake callbacks, and with
// both ends closing at once at the end (run with -race).
func TestConcurrentProducerConsumer(t *testing.T) {
	const n = 20000
	a, b := New(8, 8)
	canWrite := make(chan struct{}, 1)
	canRead := make(chan struct{}, 1)
	a.SetWake(nil, func() {
		select {
		case canWrite <- struct{}{}:
		default:
		}
	})
	b.SetWake(func() {
		select {
		case canRead <- struct{}{}:
		default:
		}
	}, nil)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			for !a.Out.CheckWrite() {
				<-canWrite
			}
			a.Out.Push(&msg.Frame{Data: []byte{byte(i)}, Flags: msg.More})
			a.Out.Push(&msg.Frame{Data: []byte{byte(i >> 8)}})
		}
		a.Close()
	}()
	go func() {
		defer wg.Done()
		var f msg.Frame
		for i := 0; ; {
			if !b.In.Pop(&f) {
				if b.In.Finished() {
					if i != n {
						t.Errorf("got %d messages, want %d", i, n)
					}
					b.Close()
					return
				}
				<-canRead
				continue
			}
			if f.HasMore() {
				if f.Data[0] != byte(i) {
					t.Errorf("message %d out of order", i)
				}
			} else {
				i++
			}
		}
	}()
	wg.Wait()
}

func TestPushPopAllocs(t *testing.T) {
	q := NewQueue(0)
	var f msg.Frame
	body := []byte("hello")
	q.Push(&msg.Frame{Data: body})
	q.Pop(&f)
	allocs := testing.AllocsPerRun(1000, func() {
		q.Push(&msg.Frame{Data: body})
		q.Pop(&f)
	})
	if allocs != 0 {
		t.Fatalf("push/pop allocates %.1f times", allocs)
	}
}

func BenchmarkPushPop(b *testing.B) {
	q := NewQueue(1000)
	var f msg.Frame
	body := make([]byte, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		q.Push(&msg.Frame{Data: body})
		q.Pop(&f)
	}
}

// PushBatch stops at the HWM only between messages, and PopBatch honours
// its count and byte budget; wake-ups fire as for single pushes and pops.
func TestBatchesKeepHWMAndMessagesWhole(t *testing.T) {
	q := NewQueue(2)
	woken := 0
	q.SetReaderWake(func() { woken++ })
	q.SetWriterWake(func() { woken += 100 })
	var f msg.Frame
	if q.Pop(&f) { // reader now waits
		t.Fatal("empty queue popped")
	}
	in := []msg.Frame{
		{Data: []byte("a")},
		{Data: []byte("b1"), Flags: msg.More}, {Data: []byte("b2")},
		{Data: []byte("c")},
	}
	if k := q.PushBatch(in); k != 3 || woken != 1 {
		t.Fatalf("pushed %d frames (want 3: HWM 2 stops before c), wakes %d", k, woken)
	}
	if in[3].Data == nil || in[0].Data != nil {
		t.Fatal("PushBatch must take pushed frames and leave the rest")
	}
	out := make([]msg.Frame, 8)
	if k := q.PopBatch(out, 1); k != 1 || string(out[0].Data) != "a" {
		t.Fatalf("budget 1 byte: popped %d (%q), want just a", k, out[0].Data)
	}
	if k := q.PopBatch(out, 100); k != 2 || string(out[1].Data) != "b2" || woken != 101 {
		t.Fatalf("popped %d, wakes %d", k, woken)
	}
	if k := q.PushBatch(in[3:]); k != 1 || q.Len() != 1 {
		t.Fatalf("pushed %d after room came back", k)
	}
	q.CloseRead()
	if k := q.PushBatch([]msg.Frame{{Data: []byte("d")}}); k != 0 {
		t.Fatal("pushed to a queue whose reader is gone")
	}
}

// A backlog that swings over several blocks and drains again reuses the
// emptied blocks instead of allocating new ones each time (one spare per
// queue kept only the last of them: 3 allocations per swing of 1000).
func TestQueueSwingReusesBlocks(t *testing.T) {
	q := NewQueue(0)
	body := []byte("x")
	swing := func() {
		for i := 0; i < 1000; i++ {
			q.Push(&msg.Frame{Data: body})
		}
		var f msg.Frame
		for q.Pop(&f) {
		}
	}
	swing()
	if n := testing.AllocsPerRun(50, swing); n >= 1 {
		t.Fatalf("%.1f allocations per swing of 1000 messages", n)
	}
}
