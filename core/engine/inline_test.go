package engine

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
)

// With every write made inline by the sending side, and a receiver whose
// queue (HWM 4) stops it reading so that TCP pushes back, inline writes
// meet full socket buffers: partial writes and EAGAIN must hand the rest
// to the writer goroutine without losing, duplicating or reordering a
// byte. 20000 messages of 1000 bytes (20 MB) are checked in order.
func TestInlineWritesUnderBackpressure(t *testing.T) {
	old := inlineIdle
	inlineIdle = 0
	defer func() { inlineIdle = old }()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	dialed, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}

	sendEnd, sendEng := pipe.New(0, 0) // we push into sendEnd.Out
	recvEnd, recvEng := pipe.New(4, 4) // the engine pushes into recvEng.Out (HWM 4)
	gotMsg := make(chan struct{}, 1)
	recvEnd.SetWake(Notifier(gotMsg), nil)
	sender, receiver := New(dialed, cfg("PUSH")), New(conn, cfg("PULL"))
	done := make(chan error, 2)
	go func() { _, err := sender.Run(func(*Peer) *pipe.Pipe { return sendEng }); done <- err }()
	go func() { _, err := receiver.Run(func(*Peer) *pipe.Pipe { return recvEng }); done <- err }()
	defer func() {
		sender.Stop()
		receiver.Stop()
		<-done
		<-done
	}()

	// Message 0 goes through first (both handshakes done), then the rest
	// is queued before anything more is read, so the socket buffers fill
	// while the sender is writing inline.
	const count, size = 20000, 1000
	var f msg.Frame
	sendEnd.Out.Push(&msg.Frame{Data: make([]byte, size)})
	deadline := time.After(20 * time.Second)
	for !recvEnd.In.Pop(&f) {
		select {
		case <-gotMsg:
		case <-deadline:
			t.Fatal("the first message did not arrive")
		}
	}
	f.Release()
	for i := 1; i < count; i++ {
		body := make([]byte, size)
		binary.BigEndian.PutUint32(body, uint32(i))
		f := msg.Frame{Data: body}
		sendEnd.Out.Push(&f)
	}
	for i := 1; i < count; {
		if !recvEnd.In.Pop(&f) {
			select {
			case <-gotMsg:
			case <-deadline:
				t.Fatalf("only %d of %d messages arrived", i, count)
			}
			continue
		}
		if len(f.Data) != size || binary.BigEndian.Uint32(f.Data) != uint32(i) {
			t.Fatalf("message %d: %d bytes, number %d", i, len(f.Data), binary.BigEndian.Uint32(f.Data))
		}
		for _, b := range f.Data[4:] {
			if b != 0 {
				t.Fatalf("message %d corrupted", i)
			}
		}
		f.Release()
		i++
	}
}
