package zmtp

import (
	"bytes"
	"testing"
)

// FuzzDecoder feeds arbitrary streams in arbitrary chunks. Invariants: no
// panic; every header respects the limits; for a stream that decodes
// completely, re-encoding each frame yields exactly the input (long-form
// headers with small sizes excepted: they re-encode short).
func FuzzDecoder(f *testing.F) {
	s, _ := stream()
	f.Add(s, uint8(1), int64(-1))
	f.Add(goldenReadyPAIR, uint8(3), int64(100))
	f.Add(goldenLong, uint8(200), int64(-1))
	f.Add(append(goldenShort, goldenPing...), uint8(2), int64(2))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8, max int64) {
		if max < -1 {
			max = -1
		}
		d := NewDecoder(max)
		var out []byte
		canonical := true
		p := in
		step := int(chunk)%17 + 1
		for len(p) > 0 {
			q := p[:min(step, len(p))]
			n, h, ok, err := d.Header(q)
			if n > len(q) {
				t.Fatalf("consumed %d of %d", n, len(q))
			}
			if err != nil {
				return
			}
			hdr := p[:n]
			p = p[n:]
			if !ok {
				out = nil // header spans chunks: skip the re-encode check
				canonical = false
				continue
			}
			if h.Command && h.Size > MaxCommandSize || !h.Command && max >= 0 && h.Size > uint64(max) {
				t.Fatalf("limit not enforced: %+v max %d", h, max)
			}
			if h.Size > uint64(len(p)) {
				return // truncated body: nothing more to check
			}
			if canonical && len(hdr) == FrameHeaderLen(h.Size) {
				out = AppendFrameHeader(out, h.Size, h.More, h.Command)
				out = append(out, p[:h.Size]...)
			} else {
				canonical = false
			}
			p = p[h.Size:]
		}
		if canonical && !bytes.Equal(out, in) {
			t.Fatalf("re-encoding differs:\n in % x\nout % x", in, out)
		}
	})
}

func FuzzGreeting(f *testing.F) {
	f.Add(goldenGreetingNULL)
	f.Add(AppendGreeting(nil, Greeting{Major: 3, Minor: 0, Mechanism: "CURVE", AsServer: true}))
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := ParseGreeting(in)
		if err != nil {
			return
		}
		again, err := ParseGreeting(AppendGreeting(nil, g))
		if err != nil || again != g {
			t.Fatalf("round trip %+v -> %+v (%v)", g, again, err)
		}
	})
}

func FuzzCommand(f *testing.F) {
	f.Add(goldenReadyPAIR[2:])
	f.Add(goldenPing[2:])
	f.Add(AppendError(nil, "nope")[2:])
	f.Fuzz(func(t *testing.T, body []byte) {
		cmd, err := ParseCommand(body)
		if err != nil {
			return
		}
		re := AppendCommand(nil, cmd.Name, cmd.Data)
		if !bytes.Equal(re[FrameHeaderLen(uint64(len(body))):], body) {
			t.Fatalf("command round trip differs")
		}
		switch cmd.Name {
		case CmdPing:
			ParsePing(cmd.Data)
		case CmdError:
			ParseError(cmd.Data)
		case CmdReady:
			ParseMetadata(cmd.Data)
		}
	})
}

func FuzzMetadata(f *testing.F) {
	f.Add(goldenReadyPAIR[9:])
	f.Add(AppendMetadata(nil, Metadata{{Name: "Identity", Value: []byte{0, 1}}, {Name: "X-a", Value: nil}}))
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := ParseMetadata(in)
		if err != nil {
			return
		}
		if out := AppendMetadata(nil, m); !bytes.Equal(out, in) {
			t.Fatalf("metadata round trip differs")
		}
	})
}

func FuzzPing(f *testing.F) {
	f.Add([]byte{0, 10, 'h', 'i'})
	f.Fuzz(func(t *testing.T, data []byte) {
		ttl, ctx, err := ParsePing(data)
		if err != nil {
			return
		}
		ping := AppendPing(nil, ttl, ctx)
		cmd, err := ParseCommand(ping[2:])
		if err != nil || !bytes.Equal(cmd.Data, data) {
			t.Fatalf("ping round trip differs")
		}
	})
}
