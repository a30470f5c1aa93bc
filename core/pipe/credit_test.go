package pipe

import (
	"testing"

	"github.com/gozmq/gozmq/core/msg"
)

// The writer gets room back in batches of LWM messages, as libzmq's
// writer learns the reader's count only from activate_write every LWM
// reads. libzmq's test_proxy_hwm depends on it: a proxy holding one
// message it has read must not let one more in upstream.
func TestRoomComesBackInLWMBatches(t *testing.T) {
	q := NewQueue(20) // LWM 10
	for i := 0; i < 20; i++ {
		if !q.TryPush(&msg.Frame{Data: []byte{byte(i)}}) {
			t.Fatalf("push %d refused below HWM", i)
		}
	}
	var f msg.Frame
	for i := 1; i <= 10; i++ {
		if q.CheckWrite() {
			t.Fatalf("room after %d reads, want none before 10", i-1)
		}
		if !q.Pop(&f) {
			t.Fatalf("pop %d failed", i)
		}
		f.Release()
	}
	for i := 0; i < 10; i++ {
		if !q.TryPush(&msg.Frame{Data: []byte{byte(i)}}) {
			t.Fatalf("push %d refused after 10 reads", i)
		}
	}
	if q.CheckWrite() {
		t.Fatal("room beyond the 10 messages handed back")
	}
}

// With HWM 1 (LWM 1) every read hands its room back at once.
func TestRoomComesBackAtOnceWithHWM1(t *testing.T) {
	q := NewQueue(1)
	var f msg.Frame
	for i := 0; i < 3; i++ {
		if !q.TryPush(&msg.Frame{Data: []byte{byte(i)}}) {
			t.Fatalf("push %d refused", i)
		}
		if q.CheckWrite() {
			t.Fatalf("room with one message queued (round %d)", i)
		}
		if !q.Pop(&f) {
			t.Fatalf("pop %d failed", i)
		}
		f.Release()
	}
}
