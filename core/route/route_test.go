package route

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

func pipes(n, hwm int) (ours, theirs []*pipe.Pipe) {
	for i := 0; i < n; i++ {
		a, b := pipe.New(hwm, hwm)
		ours, theirs = append(ours, a), append(theirs, b)
	}
	return ours, theirs
}

// attached is pipes with our ends attached to a strategy.
func attached(n, hwm int, s interface{ Attach(*pipe.Pipe) }) (ours, theirs []*pipe.Pipe) {
	ours, theirs = pipes(n, hwm)
	for _, p := range ours {
		s.Attach(p)
	}
	return ours, theirs
}

func frame(s string, more bool) *msg.Frame {
	f := &msg.Frame{Data: []byte(s)}
	if more {
		f.Flags = msg.More
	}
	return f
}

func pop(t *testing.T, p *pipe.Pipe) string {
	t.Helper()
	var f msg.Frame
	if !p.In.Pop(&f) {
		return ""
	}
	return string(f.Data)
}

func TestLoadBalancerRoundRobinKeepsMessagesWhole(t *testing.T) {
	lb := NewLoadBalancer(0)
	_, theirs := attached(3, 0, &lb)
	for i := 0; i < 6; i++ {
		lb.Send(frame(fmt.Sprint(i, "a"), true))
		lb.Send(frame(fmt.Sprint(i, "b"), false))
	}
	for i := 0; i < 6; i++ {
		p := theirs[i%3]
		if a, b := pop(t, p), pop(t, p); a != fmt.Sprint(i, "a") || b != fmt.Sprint(i, "b") {
			t.Fatalf("message %d: %q %q", i, a, b)
		}
	}
}

func TestLoadBalancerSkipsFullAndDeadPipes(t *testing.T) {
	ours, theirs := pipes(2, 1)
	lb := NewLoadBalancer(0)
	lb.Attach(ours[0])
	lb.Attach(ours[1])
	lb.Send(frame("1", false)) // fills pipe 0
	lb.Send(frame("2", false)) // fills pipe 1
	if err := lb.Send(frame("3", false)); err != zerr.ErrAgain {
		t.Fatalf("all full: %v", err)
	}
	pop(t, theirs[1])
	lb.Activated(ours[1])
	if err := lb.Send(frame("3", false)); err != nil || pop(t, theirs[1]) != "3" {
		t.Fatal("reactivated pipe not used")
	}
	theirs[0].Close()
	lb.Detach(ours[0])
	if err := lb.Send(frame("4", false)); err != nil || pop(t, theirs[1]) != "4" {
		t.Fatal("send after detach")
	}
}

// queueXYZ has each peer i send [ix iy] then [iz].
func queueXYZ(theirs []*pipe.Pipe) {
	for i, p := range theirs {
		p.Out.Push(frame(fmt.Sprint(i, "x"), true))
		p.Out.Push(frame(fmt.Sprint(i, "y"), false))
		p.Out.Push(frame(fmt.Sprint(i, "z"), false))
	}
}

func TestFairQueueTakesTurns(t *testing.T) {
	fq := NewFairQueue(1)
	_, theirs := attached(3, 0, &fq)
	queueXYZ(theirs)
	var got []string
	var f msg.Frame
	for fq.Recv(&f) == nil {
		got = append(got, string(f.Data))
	}
	want := []string{"0x", "0y", "1x", "1y", "2x", "2y", "0z", "1z", "2z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

// A peer that leaves while another's message is half received or half
// sent must not move the cursor: Remove swaps pipes around, and the rest
// of the message still comes from (goes to) the pipe its first part came
// from (went to). Before, the cursor kept its position, now another
// pipe's: a REP answered one request with parts of another.
func TestFairQueueDetachMidMessageKeepsPipe(t *testing.T) {
	for gone := 0; gone < 2; gone++ {
		fq := NewFairQueue(1)
		ours, theirs := attached(3, 0, &fq)
		queueXYZ(theirs)
		var f msg.Frame
		for i := 0; i < 4; i++ { // 0x 0y 1x 1y
			fq.Recv(&f)
		}
		if fq.Recv(&f); string(f.Data) != "2x" {
			t.Fatalf("third message starts with %q", f.Data)
		}
		fq.Detach(ours[gone])
		if err := fq.Recv(&f); err != nil || string(f.Data) != "2y" {
			t.Fatalf("pipe %d left mid-message: next part %q (%v), want 2y", gone, f.Data, err)
		}
	}
}

func TestLoadBalancerDetachMidMessageKeepsPipe(t *testing.T) {
	for gone := 0; gone < 2; gone++ {
		lb := NewLoadBalancer(0)
		ours, theirs := attached(3, 0, &lb)
		for i := 0; i < 2; i++ {
			lb.Send(frame(fmt.Sprint(i, "a"), true))
			lb.Send(frame(fmt.Sprint(i, "b"), false))
		}
		lb.Send(frame("2a", true)) // to the third pipe
		lb.Detach(ours[gone])
		lb.Send(frame("2b", false))
		if a, b := pop(t, theirs[2]), pop(t, theirs[2]); a != "2a" || b != "2b" {
			t.Fatalf("pipe %d left mid-message: third pipe got %q %q", gone, a, b)
		}
	}
}

// RecvBatch takes a run of parts from a single active pipe at once, but
// with several pipes it takes one part per call, so turns stay one
// message each; a drained pipe sleeps as after Recv.
func TestFairQueueRecvBatch(t *testing.T) {
	ours, theirs := pipes(2, 0)
	fq := NewFairQueue(1)
	fq.Attach(ours[0])
	theirs[0].Out.Push(frame("a1", true))
	theirs[0].Out.Push(frame("a2", false))
	theirs[0].Out.Push(frame("b", false))
	dst := make([]msg.Frame, 8)
	if k := fq.RecvBatch(dst); k != 3 || string(dst[0].Data) != "a1" || string(dst[2].Data) != "b" {
		t.Fatalf("one pipe: %d parts, first %q", k, dst[0].Data)
	}
	if k := fq.RecvBatch(dst); k != 0 || fq.HasIn() {
		t.Fatalf("drained pipe: %d parts", k)
	}
	fq.Attach(ours[1])
	queueXYZ(theirs)
	fq.Activated(ours[0])
	var got []string
	for {
		k := fq.RecvBatch(dst[:4])
		if k == 0 {
			break
		}
		if k != 1 {
			t.Fatalf("two pipes: %d parts in one call", k)
		}
		got = append(got, string(dst[0].Data))
	}
	want := []string{"1x", "1y", "0x", "0y", "1z", "0z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		if want = []string{"0x", "0y", "1x", "1y", "0z", "1z"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("two pipes: order %v, not one message per turn", got)
		}
	}
}

// SendBatch pushes a run to a single active pipe, stops before a message
// that would pass its HWM (the rest stay with the caller), and with
// several pipes sends one part per call so each message still goes to the
// next pipe in turn.
func TestLoadBalancerSendBatch(t *testing.T) {
	lb := NewLoadBalancer(0)
	ours, theirs := attached(1, 2, &lb)
	fs := []msg.Frame{*frame("a1", true), *frame("a2", false), *frame("b", false), *frame("c", false)}
	if k := lb.SendBatch(fs); k != 3 {
		t.Fatalf("HWM 2: took %d parts, want the 3 parts of 2 messages", k)
	}
	if string(fs[3].Data) != "c" {
		t.Fatal("a part not taken was disturbed")
	}
	if k := lb.SendBatch(fs[3:]); k != 0 || lb.HasOut() {
		t.Fatalf("full pipe: took %d", k)
	}
	for _, want := range []string{"a1", "a2", "b"} {
		if got := pop(t, theirs[0]); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	_ = ours
	lb2 := NewLoadBalancer(0)
	_, theirs2 := attached(2, 0, &lb2)
	run := []msg.Frame{*frame("x1", true), *frame("x2", false), *frame("y", false)}
	for len(run) > 0 {
		k := lb2.SendBatch(run)
		if k != 1 {
			t.Fatalf("two pipes: %d parts in one call", k)
		}
		run = run[k:]
	}
	if a, b := pop(t, theirs2[0]), pop(t, theirs2[0]); a != "x1" || b != "x2" {
		t.Fatalf("first pipe got %q %q", a, b)
	}
	if y := pop(t, theirs2[1]); y != "y" {
		t.Fatalf("second message went to %q, not the next pipe", y)
	}
}

func TestDistributorMatchedSetGetsWholeMessage(t *testing.T) {
	d := NewDistributor(2)
	ours, theirs := attached(3, 0, &d)
	d.Match(ours[0])
	d.Match(ours[2])
	d.Send(frame("a", true))
	d.Send(frame("b", false))
	for _, i := range []int{0, 2} {
		if a, b := pop(t, theirs[i]), pop(t, theirs[i]); a != "a" || b != "b" {
			t.Fatalf("pipe %d got %q %q", i, a, b)
		}
	}
	if pop(t, theirs[1]) != "" {
		t.Fatal("unmatched pipe got the message")
	}
	d.MatchAll()
	d.Send(frame("all", false))
	for i := range theirs {
		if pop(t, theirs[i]) != "all" {
			t.Fatalf("pipe %d missed MatchAll", i)
		}
	}
}

func TestDistributorDropsForFullPipe(t *testing.T) {
	ours, theirs := pipes(2, 1)
	d := NewDistributor(2)
	d.Attach(ours[0])
	d.Attach(ours[1])
	d.MatchAll()
	d.Send(frame("1", false))
	d.MatchAll()
	d.Send(frame("2", false)) // both full: dropped for both
	if pop(t, theirs[0]) != "1" || pop(t, theirs[0]) != "" {
		t.Fatal("full pipe got a second message")
	}
}

func TestTrieCountsAndMatchesPrefixes(t *testing.T) {
	var tr Trie
	if !tr.Add([]byte("ab")) || tr.Add([]byte("ab")) {
		t.Fatal("Add must report only the first subscription")
	}
	if !tr.Match([]byte("abc")) || tr.Match([]byte("a")) || tr.Match([]byte("b")) {
		t.Fatal("prefix matching")
	}
	if tr.Remove([]byte("ab")) || !tr.Remove([]byte("ab")) || tr.Remove([]byte("ab")) {
		t.Fatal("Remove must report only the last cancellation")
	}
	if tr.Match([]byte("abc")) {
		t.Fatal("removed prefix still matches")
	}
	tr.Add(nil)
	if !tr.Match([]byte("anything")) {
		t.Fatal("empty subscription matches everything")
	}
}

func TestMTrieMatchesPipesAndRemovesThem(t *testing.T) {
	ours, _ := pipes(2, 0)
	var m MTrie
	if !m.Add([]byte("a"), ours[0]) || m.Add([]byte("a"), ours[1]) {
		t.Fatal("first subscriber reporting")
	}
	m.Add([]byte("ab"), ours[1])
	seen := map[*pipe.Pipe]int{}
	m.Match([]byte("abc"), func(p *pipe.Pipe) { seen[p]++ })
	if seen[ours[0]] != 1 || seen[ours[1]] != 2 {
		t.Fatalf("matches %v", seen)
	}
	var gone []string
	m.RemovePipe(ours[1], func(prefix []byte) { gone = append(gone, string(prefix)) })
	if fmt.Sprint(gone) != "[ab]" || m.Size() != 1 {
		t.Fatalf("RemovePipe reported %v, size %d", gone, m.Size())
	}
	if !m.Remove([]byte("a"), ours[0]) || m.Size() != 0 {
		t.Fatal("last removal")
	}
}

func TestMTrieManySubscriptionsStayFast(t *testing.T) {
	ours, _ := pipes(1, 0)
	var m MTrie
	for i := 0; i < 10000; i++ {
		m.Add([]byte(fmt.Sprintf("topic-%05d", i)), ours[0])
	}
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		m.Match([]byte("topic-05000 payload"), func(*pipe.Pipe) { n++ })
	})
	if n != 101 || allocs != 0 {
		t.Fatalf("matched %d times, %.0f allocations", n, allocs)
	}
}

// TestStrategiesUnderRace drives a load balancer and a fair queue from
// different goroutines than the peers, with both ends closing at once.
func TestStrategiesUnderRace(t *testing.T) {
	lb := NewLoadBalancer(0)
	ours, theirs := attached(4, 16, &lb)
	var wg sync.WaitGroup
	for _, p := range theirs {
		wg.Add(1)
		wake := make(chan struct{}, 1)
		p.SetWake(func() {
			select {
			case wake <- struct{}{}:
			default:
			}
		}, nil)
		go func(p *pipe.Pipe) {
			defer wg.Done()
			var f msg.Frame
			for i := 0; i < 200; i++ {
				for !p.In.Pop(&f) {
					if p.In.Finished() {
						p.Close()
						return
					}
					<-wake
				}
			}
			p.Close()
		}(p)
	}
	for i := 0; i < 400; i++ {
		if lb.Send(frame("x", false)) == zerr.ErrAgain {
			for _, p := range ours {
				lb.Activated(p)
			}
		}
	}
	for _, p := range ours {
		p.Close()
	}
	wg.Wait()
}

func BenchmarkLoadBalancerSend(b *testing.B) {
	lb := NewLoadBalancer(0)
	_, theirs := attached(4, 0, &lb)
	var f msg.Frame
	body := make([]byte, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		lb.Send(&msg.Frame{Data: body})
		theirs[i%4].In.Pop(&f)
	}
}
