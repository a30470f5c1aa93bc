package zmtp

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"
)

// Golden bytes, built by hand from RFC 23/37's grammar.
var (
	goldenGreetingNULL = append(append([]byte{0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1},
		append([]byte("NULL"), make([]byte, 16)...)...), make([]byte, 32)...)

	// READY with Socket-Type=PAIR: command flag, 26-octet body.
	goldenReadyPAIR = append([]byte{0x04, 26, 5, 'R', 'E', 'A', 'D', 'Y', 11},
		append([]byte("Socket-Type"), 0, 0, 0, 4, 'P', 'A', 'I', 'R')...)

	goldenShort = []byte{0x01, 3, 'a', 'b', 'c'} // "abc" with MORE
	goldenLong  = append([]byte{0x02, 0, 0, 0, 0, 0, 0, 1, 0}, bytes.Repeat([]byte{'x'}, 256)...)
	goldenPing  = []byte{0x04, 9, 4, 'P', 'I', 'N', 'G', 0, 10, 'h', 'i'}
	goldenPong  = []byte{0x04, 7, 4, 'P', 'O', 'N', 'G', 'h', 'i'}
	goldenSub   = append([]byte{0x04, 13, 9}, []byte("SUBSCRIBEtop")...)
)

func TestGreetingGolden(t *testing.T) {
	got := AppendGreeting(nil, Greeting{Major: 3, Minor: 1, Mechanism: "NULL"})
	if !bytes.Equal(got, goldenGreetingNULL) {
		t.Fatalf("greeting\n got % x\nwant % x", got, goldenGreetingNULL)
	}
	g, err := ParseGreeting(got)
	if err != nil || g != (Greeting{Major: 3, Minor: 1, Mechanism: "NULL"}) {
		t.Fatalf("parse: %+v %v", g, err)
	}
	srv, _ := ParseGreeting(AppendGreeting(nil, Greeting{Major: 3, Minor: 0, Mechanism: "PLAIN", AsServer: true}))
	if !srv.AsServer || srv.Minor != 0 || srv.Mechanism != "PLAIN" {
		t.Fatalf("round trip: %+v", srv)
	}
}

func TestGreetingRejects(t *testing.T) {
	bad := func(mut func(g []byte)) []byte {
		g := append([]byte(nil), goldenGreetingNULL...)
		mut(g)
		return g
	}
	cases := map[string]struct {
		g    []byte
		want error
	}{
		"short":           {goldenGreetingNULL[:63], ErrSignature},
		"first octet":     {bad(func(g []byte) { g[0] = 0 }), ErrSignature},
		"ZMTP 1.0 length": {bad(func(g []byte) { g[9] = 0x7E }), ErrSignature},
		"ZMTP 2.0":        {bad(func(g []byte) { g[10] = 1 }), ErrVersion},
		"empty mechanism": {bad(func(g []byte) { copy(g[12:], make([]byte, 20)) }), ErrMechanismName},
		"lowercase mech":  {bad(func(g []byte) { g[12] = 'n' }), ErrMechanismName},
		"junk after NUL":  {bad(func(g []byte) { g[20] = 'X' }), ErrMechanismName},
	}
	for name, c := range cases {
		if _, err := ParseGreeting(c.g); !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", name, err, c.want)
		}
		var pe *ProtocolError
		if _, err := ParseGreeting(c.g); !errors.As(err, &pe) {
			t.Errorf("%s: not a *ProtocolError: %T", name, err)
		}
	}
	// ZMTP 3.0 and later majors are accepted.
	if _, err := ParseGreeting(bad(func(g []byte) { g[11] = 0 })); err != nil {
		t.Errorf("3.0 refused: %v", err)
	}
}

func TestFrameHeaderGolden(t *testing.T) {
	if got := AppendFrameHeader(nil, 3, true, false); !bytes.Equal(got, goldenShort[:2]) {
		t.Fatalf("short header % x", got)
	}
	if got := AppendFrameHeader(nil, 256, false, false); !bytes.Equal(got, goldenLong[:9]) {
		t.Fatalf("long header % x", got)
	}
	if got := AppendFrameHeader(nil, 255, false, true); !bytes.Equal(got, []byte{0x04, 255}) {
		t.Fatalf("255 must stay short: % x", got)
	}
	if FrameHeaderLen(255) != 2 || FrameHeaderLen(256) != 9 {
		t.Fatal("FrameHeaderLen")
	}
}

func TestCommandsGolden(t *testing.T) {
	ready := AppendReady(nil, Metadata{{Name: "Socket-Type", Value: []byte("PAIR")}})
	if !bytes.Equal(ready, goldenReadyPAIR) {
		t.Fatalf("READY\n got % x\nwant % x", ready, goldenReadyPAIR)
	}
	if got := AppendPing(nil, 10, []byte("hi")); !bytes.Equal(got, goldenPing) {
		t.Fatalf("PING % x", got)
	}
	if got := AppendPong(nil, []byte("hi")); !bytes.Equal(got, goldenPong) {
		t.Fatalf("PONG % x", got)
	}
	if got := AppendSubscribe(nil, []byte("top")); !bytes.Equal(got, goldenSub) {
		t.Fatalf("SUBSCRIBE % x", got)
	}
	cmd, err := ParseCommand(goldenReadyPAIR[2:])
	if err != nil || cmd.Name != CmdReady {
		t.Fatalf("parse READY: %v %v", cmd, err)
	}
	md, err := ParseMetadata(cmd.Data)
	if v, ok := md.Get("socket-type"); err != nil || !ok || string(v) != "PAIR" {
		t.Fatalf("metadata %v %v", md, err)
	}
	cmd, _ = ParseCommand(goldenPing[2:])
	ttl, ctx, err := ParsePing(cmd.Data)
	if err != nil || ttl != 10 || string(ctx) != "hi" {
		t.Fatalf("ping %d %q %v", ttl, ctx, err)
	}
	errCmd := AppendError(nil, "denied")
	cmd, _ = ParseCommand(errCmd[2:])
	if reason, err := ParseError(cmd.Data); cmd.Name != CmdError || reason != "denied" || err != nil {
		t.Fatalf("ERROR %q %v", reason, err)
	}
	sub, topic, ok := ParseSubscriptionMessage(AppendSubscriptionMessage(nil, true, []byte("t")))
	if !ok || !sub || string(topic) != "t" {
		t.Fatal("3.0 subscription round trip")
	}
	if _, _, ok := ParseSubscriptionMessage([]byte{2, 'x'}); ok {
		t.Fatal("octet 2 is not a subscription")
	}
}

func TestMalformedCommands(t *testing.T) {
	for name, body := range map[string][]byte{
		"empty":         {},
		"zero name":     {0},
		"name too long": {5, 'R', 'E'},
	} {
		if _, err := ParseCommand(body); !errors.Is(err, ErrBadCommand) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, data := range map[string][]byte{
		"zero name":        {0, 0, 0, 0, 0},
		"truncated length": {1, 'a', 0, 0},
		"value too long":   {1, 'a', 0, 0, 0, 9, 'v'},
		"bad name char":    {1, ' ', 0, 0, 0, 0},
		"huge value len":   {1, 'a', 0xFF, 0xFF, 0xFF, 0xFF},
	} {
		if _, err := ParseMetadata(data); !errors.Is(err, ErrBadMetadata) {
			t.Errorf("metadata %s: %v", name, err)
		}
	}
	if _, _, err := ParsePing(make([]byte, 19)); err == nil {
		t.Error("PING context over 16 octets accepted")
	}
	if _, err := ParseError([]byte{5, 'a'}); err == nil {
		t.Error("truncated ERROR accepted")
	}
}

// stream returns a run of frames and the headers they carry.
func stream() ([]byte, []Header) {
	var b []byte
	var hs []Header
	add := func(size int, more, cmd bool) {
		b = AppendFrameHeader(b, uint64(size), more, cmd)
		b = append(b, bytes.Repeat([]byte{byte(size)}, size)...)
		hs = append(hs, Header{Size: uint64(size), More: more, Command: cmd})
	}
	add(0, false, false)
	add(5, true, false)
	add(255, true, false)
	add(256, false, false)
	add(10, false, true)
	add(70000, false, false)
	return b, hs
}

// decodeAll feeds s to a decoder in chunks of the given sizes (cycled).
func decodeAll(t testing.TB, s []byte, chunks []int, max int64) ([]Header, error) {
	d := NewDecoder(max)
	var got []Header
	var skip uint64
	for i, c := 0, 0; i < len(s); c++ {
		n := chunks[c%len(chunks)]
		end := min(i+n, len(s))
		p := s[i:end]
		for len(p) > 0 {
			if skip > 0 {
				k := min(skip, uint64(len(p)))
				skip -= k
				p = p[k:]
				continue
			}
			used, h, ok, err := d.Header(p)
			if err != nil {
				return got, err
			}
			p = p[used:]
			if ok {
				got = append(got, h)
				skip = h.Size
			}
		}
		i = end
	}
	return got, nil
}

func TestDecoderAnySplit(t *testing.T) {
	s, want := stream()
	splits := [][]int{{1}, {2}, {3}, {7}, {9}, {len(s)}}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		splits = append(splits, []int{1 + r.Intn(300), 1 + r.Intn(20), 1 + r.Intn(5000)})
	}
	for _, sp := range splits {
		got, err := decodeAll(t, s, sp, -1)
		if err != nil || len(got) != len(want) {
			t.Fatalf("split %v: %d headers, err %v", sp, len(got), err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("split %v: header %d = %+v, want %+v", sp, i, got[i], want[i])
			}
		}
	}
}

func TestDecoderLimits(t *testing.T) {
	cases := map[string]struct {
		in   []byte
		max  int64
		want error
	}{
		"reserved bit":        {[]byte{0x08, 0}, -1, ErrBadFlags},
		"command with more":   {[]byte{0x05, 0}, -1, ErrBadFlags},
		"over MAXMSGSIZE":     {[]byte{0x00, 11}, 10, ErrFrameTooLarge},
		"at MAXMSGSIZE":       {[]byte{0x00, 10}, 10, nil},
		"command not limited": {[]byte{0x04, 11}, 10, nil},
		"huge command":        {[]byte{0x06, 0, 0, 0, 0, 0x10, 0, 0, 1}, -1, ErrFrameTooLarge},
		"63-bit size":         {[]byte{0x02, 0x80, 0, 0, 0, 0, 0, 0, 0}, -1, ErrFrameTooLarge},
	}
	for name, c := range cases {
		d := NewDecoder(c.max)
		_, _, _, err := d.Header(c.in)
		if !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
			t.Errorf("%s: err %v, want %v", name, err, c.want)
		}
		// The same header fed one byte at a time (the collecting path).
		d = NewDecoder(c.max)
		err = nil
		for i := 0; i < len(c.in) && err == nil; i++ {
			_, _, _, err = d.Header(c.in[i : i+1])
		}
		if !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
			t.Errorf("%s, byte by byte: err %v, want %v", name, err, c.want)
		}
	}
}

func TestNoAllocations(t *testing.T) {
	buf := make([]byte, 0, 64)
	s, _ := stream()
	d := NewDecoder(-1)
	cmd := goldenPing[2:]
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendFrameHeader(buf[:0], 300, true, false)
		p := s
		for len(p) > 0 {
			n, h, ok, _ := d.Header(p)
			p = p[n:]
			if ok {
				p = p[min(h.Size, uint64(len(p))):]
			}
		}
		if c, _ := ParseCommand(cmd); c.Name != CmdPing {
			t.Fatal("bad parse")
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per run", allocs)
	}
}

func BenchmarkDecodeSmallFrames(b *testing.B) {
	var s []byte
	for i := 0; i < 1000; i++ {
		s = AppendFrameHeader(s, 16, false, false)
		s = append(s, make([]byte, 16)...)
	}
	d := NewDecoder(-1)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		p := s
		for len(p) > 0 {
			n, h, ok, _ := d.Header(p)
			p = p[n:]
			if ok {
				p = p[h.Size:]
			}
		}
	}
}

func BenchmarkAppendFrameHeader(b *testing.B) {
	buf := make([]byte, 0, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendFrameHeader(buf[:0], uint64(i&1023), i&1 == 0, false)
	}
}
