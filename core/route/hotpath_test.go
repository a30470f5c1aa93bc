package route

import (
	"testing"

	"github.com/gozmq/gozmq/core/msg"
)

// Steady-state sends and receives through each strategy must not
// allocate (STYLE.md §14): the frame moves by value into the pipe's ring.

func TestStrategiesDoNotAllocate(t *testing.T) {
	body := make([]byte, 16)
	var f msg.Frame

	lb := NewLoadBalancer(0)
	ours, theirs := attached(4, 0, &lb)
	i := 0
	lbAllocs := testing.AllocsPerRun(1000, func() {
		lb.Send(&msg.Frame{Data: body})
		theirs[i%4].In.Pop(&f)
		i++
	})

	fq := NewFairQueue(0)
	ours, theirs = attached(4, 0, &fq)
	fqAllocs := testing.AllocsPerRun(1000, func() {
		theirs[i%4].Out.Push(&msg.Frame{Data: body})
		fq.Activated(ours[i%4]) // what the socket does on ReadActivated
		if fq.Recv(&f) != nil {
			t.Fatal("fair queue found nothing")
		}
		i++
	})

	d := NewDistributor(0)
	ours, theirs = attached(4, 0, &d)
	distAllocs := testing.AllocsPerRun(1000, func() {
		d.MatchAll()
		d.Send(&msg.Frame{Data: body})
		for _, p := range theirs {
			p.In.Pop(&f)
		}
	})
	if lbAllocs != 0 || fqAllocs != 0 || distAllocs != 0 {
		t.Fatalf("allocations per message: lb %.1f, fq %.1f, dist %.1f", lbAllocs, fqAllocs, distAllocs)
	}
}

func BenchmarkFairQueueRecv(b *testing.B) {
	fq := NewFairQueue(0)
	ours, theirs := attached(4, 0, &fq)
	var f msg.Frame
	body := make([]byte, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		theirs[i%4].Out.Push(&msg.Frame{Data: body})
		fq.Activated(ours[i%4])
		fq.Recv(&f)
	}
}

func BenchmarkDistributorSend8(b *testing.B) {
	d := NewDistributor(0)
	_, theirs := attached(8, 0, &d)
	var f msg.Frame
	body := make([]byte, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.MatchAll()
		d.Send(&msg.Frame{Data: body})
		for _, p := range theirs {
			p.In.Pop(&f)
		}
	}
}
