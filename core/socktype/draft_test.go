package socktype

import (
	"errors"
	"testing"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

// Pipe-level tests of the draft types: the far end of each pipe plays
// the peer (an engine or another socket), so these check exactly what
// the types put into and take from their pipes.

func put(t *testing.T, q *pipe.Queue, data string, flags uint8) {
	t.Helper()
	f := msg.Frame{Data: []byte(data), Flags: flags}
	if !q.Push(&f) {
		t.Fatal("push refused")
	}
}

// pop returns the next frame of q, or fails.
func pop(t *testing.T, q *pipe.Queue) msg.Frame {
	t.Helper()
	var f msg.Frame
	if !q.Pop(&f) {
		t.Fatal("nothing queued")
	}
	return f
}

func TestRadioSendsJoinedGroupsOnly(t *testing.T) {
	r := newRadio()
	mine, peer := pipe.New(10, 10)
	put(t, peer.Out, cmdJoin+"news", msg.Command)
	r.Attach(mine) // applies the JOIN queued before the attach
	send := func(group, body string) {
		f := msg.Frame{Data: []byte(body)}
		if err := r.SendGroup(group, &f); err != nil {
			t.Fatal(err)
		}
	}
	send("sport", "no")
	send("news", "yes")
	if g := pop(t, peer.In); string(g.Data) != "news" || !g.HasMore() {
		t.Fatalf("group frame %q more=%v", g.Data, g.HasMore())
	}
	if b := pop(t, peer.In); string(b.Data) != "yes" || b.HasMore() {
		t.Fatalf("body %q", b.Data)
	}
	put(t, peer.Out, cmdLeave+"news", msg.Command)
	r.ReadActivated(mine)
	send("news", "gone")
	var f msg.Frame
	if peer.In.Pop(&f) {
		t.Fatalf("got %q after LEAVE", f.Data)
	}
	if err := r.SendGroup("x", &msg.Frame{Flags: msg.More}); !errors.Is(err, zerr.ErrInvalid) {
		t.Fatalf("multipart: %v", err)
	}
	// A udp endpoint gets every group.
	udp, udpPeer := pipe.New(10, 10)
	udp.Datagram = true
	r.Attach(udp)
	send("any", "body")
	if g := pop(t, udpPeer.In); string(g.Data) != "any" {
		t.Fatalf("udp group %q", g.Data)
	}
}

func TestDishJoinsAndFilters(t *testing.T) {
	d := newDish()
	if err := d.Join("TV"); err != nil {
		t.Fatal(err)
	}
	mine, peer := pipe.New(10, 10)
	d.Attach(mine)
	if c := pop(t, peer.In); string(c.Data) != cmdJoin+"TV" || c.Flags != msg.Command {
		t.Fatalf("first frame %q flags %d, want a JOIN command", c.Data, c.Flags)
	}
	if err := d.Join("Movies"); err != nil {
		t.Fatal(err)
	}
	if c := pop(t, peer.In); string(c.Data) != cmdJoin+"Movies" {
		t.Fatalf("got %q", c.Data)
	}
	if err := d.Leave("Movies"); err != nil {
		t.Fatal(err)
	}
	if c := pop(t, peer.In); string(c.Data) != cmdLeave+"Movies" {
		t.Fatalf("got %q", c.Data)
	}
	put(t, peer.Out, "lonely", 0)        // no group frame
	put(t, peer.Out, "TV", msg.More)     // three parts
	put(t, peer.Out, "a", msg.More)      //
	put(t, peer.Out, "b", 0)             //
	put(t, peer.Out, "Movies", msg.More) // left
	put(t, peer.Out, "Godfather", 0)     //
	put(t, peer.Out, "TV", msg.More)     // good
	put(t, peer.Out, "Friends", 0)       //
	if !d.HasIn() {
		t.Fatal("HasIn false with a good message queued")
	}
	var f msg.Frame
	g, err := d.RecvGroup(&f)
	if err != nil || g != "TV" || string(f.Data) != "Friends" {
		t.Fatalf("got %s/%q, %v", g, f.Data, err)
	}
	if _, err := d.RecvGroup(&f); !errors.Is(err, zerr.ErrAgain) {
		t.Fatalf("more messages: %v", err)
	}
	// A udp endpoint gets no commands.
	udp, udpPeer := pipe.New(10, 10)
	udp.Datagram = true
	d.Attach(udp)
	if udpPeer.In.Pop(&f) {
		t.Fatalf("udp endpoint got %q", f.Data)
	}
}

func TestServerRoutingIDs(t *testing.T) {
	s := newServer()
	a, aPeer := pipe.New(10, 10)
	b, bPeer := pipe.New(10, 10)
	s.Attach(a)
	idA := s.LastRoutingID()
	s.Attach(b)
	idB := s.LastRoutingID()
	if idA == 0 || idB == 0 || idA == idB {
		t.Fatalf("ids %d %d", idA, idB)
	}
	put(t, bPeer.Out, "multi", msg.More) // dropped whole
	put(t, bPeer.Out, "part", 0)
	put(t, bPeer.Out, "from b", 0)
	s.ReadActivated(b)
	var f msg.Frame
	if err := s.Recv(&f); err != nil || string(f.Data) != "from b" || f.RoutingID != idB {
		t.Fatalf("got %q id %d (want %d): %v", f.Data, f.RoutingID, idB, err)
	}
	out := msg.Frame{Data: []byte("to a"), RoutingID: idA}
	if err := s.Send(&out); err != nil {
		t.Fatal(err)
	}
	if g := pop(t, aPeer.In); string(g.Data) != "to a" || g.RoutingID != 0 {
		t.Fatalf("peer got %q id %d", g.Data, g.RoutingID)
	}
	s.Detach(a)
	if err := s.Send(&msg.Frame{RoutingID: idA}); !errors.Is(err, zerr.ErrHostUnreach) {
		t.Fatalf("send to a detached peer: %v", err)
	}
}

func TestDgramMessageShapes(t *testing.T) {
	d := &dgram{}
	mine, peer := pipe.New(10, 10)
	d.Attach(mine)
	if err := d.Send(&msg.Frame{Data: []byte("body")}); !errors.Is(err, zerr.ErrInvalid) {
		t.Fatalf("body first: %v", err)
	}
	if err := d.Send(&msg.Frame{Data: []byte("127.0.0.1:9"), Flags: msg.More}); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(&msg.Frame{Data: []byte("x"), Flags: msg.More}); !errors.Is(err, zerr.ErrInvalid) {
		t.Fatalf("third part: %v", err)
	}
	if err := d.Send(&msg.Frame{Data: []byte("body")}); err != nil {
		t.Fatal(err)
	}
	if a := pop(t, peer.In); string(a.Data) != "127.0.0.1:9" || !a.HasMore() {
		t.Fatalf("address %q", a.Data)
	}
	if b := pop(t, peer.In); string(b.Data) != "body" {
		t.Fatalf("body %q", b.Data)
	}
	other, _ := pipe.New(10, 10)
	if d.Attach(other) {
		t.Fatal("a second endpoint was accepted")
	}
}

func TestThreadSafeTypes(t *testing.T) {
	for typ := PAIR; typ <= CHANNEL; typ++ {
		want := typ >= SERVER && typ != DGRAM
		if ThreadSafe(typ) != want {
			t.Errorf("ThreadSafe(%d) = %v", typ, !want)
		}
		if _, err := New(typ); err != nil {
			t.Errorf("New(%d): %v", typ, err)
		}
	}
	if _, err := New(CHANNEL + 1); !errors.Is(err, zerr.ErrInvalid) {
		t.Errorf("unknown type: %v", err)
	}
}
