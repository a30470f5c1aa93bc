package mech

import (
	"crypto/rand"
	"errors"
	"testing"

	"github.com/gozmq/gozmq/core/zmtp"
)

var props = zmtp.Metadata{{Name: "Socket-Type", Value: []byte("DEALER")}}

// fakeZAP admits admin/secret (and every NULL peer).
func fakeZAP(mechanism string, creds [][]byte) (Verdict, error) {
	if mechanism == "NULL" || len(creds) == 2 && string(creds[0]) == "admin" && string(creds[1]) == "secret" {
		return Verdict{Status: "200", UserID: "admin"}, nil
	}
	return Verdict{Status: "400", Text: "denied"}, nil
}

// run drives two mechanisms against each other in memory.
func run(t *testing.T, client, server Mechanism) error {
	t.Helper()
	pending := map[Mechanism][]byte{}
	for _, m := range []Mechanism{client, server} {
		out, err := m.Start()
		if err != nil {
			return err
		}
		pending[m] = out
	}
	for steps := 0; !(client.Done() && server.Done()); steps++ {
		if steps > 10 {
			t.Fatal("handshake does not converge")
		}
		for _, pair := range [][2]Mechanism{{client, server}, {server, client}} {
			from, to := pair[0], pair[1]
			for len(pending[from]) > 0 {
				// Each pending frame is a command frame: decode it.
				d := zmtp.NewDecoder(-1)
				n, h, ok, err := d.Header(pending[from])
				if err != nil || !ok {
					t.Fatalf("bad frame % x", pending[from])
				}
				body := pending[from][n : n+int(h.Size)]
				pending[from] = pending[from][n+int(h.Size):]
				cmd, err := zmtp.ParseCommand(body)
				if err != nil {
					t.Fatal(err)
				}
				out, err := to.Handle(cmd)
				pending[to] = append(pending[to], out...)
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func TestNullHandshake(t *testing.T) {
	c, _ := New("NULL", Config{Props: props})
	s, _ := New("NULL", Config{Props: props, ZAP: fakeZAP})
	if err := run(t, c, s); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.PeerProps().Get("Socket-Type"); string(st) != "DEALER" || s.UserID() != "admin" {
		t.Fatalf("props %v user %q", c.PeerProps(), s.UserID())
	}
}

func TestPlainHandshake(t *testing.T) {
	c, _ := New("PLAIN", Config{Props: props, Username: "admin", Password: "secret"})
	s, _ := New("PLAIN", Config{Props: props, AsServer: true, ZAP: fakeZAP})
	if err := run(t, c, s); err != nil {
		t.Fatal(err)
	}
	if s.UserID() != "admin" || len(c.PeerProps()) != 1 || len(s.PeerProps()) != 1 {
		t.Fatal("handshake results")
	}
}

func TestPlainRefusals(t *testing.T) {
	c, _ := New("PLAIN", Config{Props: props, Username: "admin", Password: "nope"})
	s, _ := New("PLAIN", Config{Props: props, AsServer: true, ZAP: fakeZAP})
	var ae *ErrAuth
	if err := run(t, c, s); !errors.As(err, &ae) || ae.Status != "400" {
		t.Fatalf("wrong password: %v", err)
	}
	c, _ = New("PLAIN", Config{Props: props, Username: "admin", Password: "secret"})
	s, _ = New("PLAIN", Config{Props: props, AsServer: true})
	if err := run(t, c, s); !errors.Is(err, ErrNoHandler) {
		t.Fatalf("no handler: %v", err)
	}
}

func TestPlainServerRejectsMalformed(t *testing.T) {
	for _, data := range [][]byte{{}, {5, 'a'}, {1, 'a', 9}, {1, 'a', 0, 'x'}} {
		s, _ := New("PLAIN", Config{AsServer: true, ZAP: fakeZAP})
		if _, err := s.Handle(zmtp.Command{Name: zmtp.CmdHello, Data: data}); !errors.Is(err, ErrMalformed) {
			t.Errorf("HELLO % x: %v", data, err)
		}
	}
	s, _ := New("PLAIN", Config{AsServer: true, ZAP: fakeZAP})
	if _, err := s.Handle(zmtp.Command{Name: zmtp.CmdInitiate}); !errors.Is(err, ErrUnexpected) {
		t.Errorf("INITIATE before HELLO: %v", err)
	}
}

// fuzzMechanism feeds a stream of command frames to a mechanism:
// whatever arrives, it must not panic, and once it fails it stays failed.
func fuzzMechanism(f *testing.F, name string, cfg Config) {
	hello := zmtp.AppendCommand(nil, zmtp.CmdHello, []byte{5, 'a', 'd', 'm', 'i', 'n', 6, 's', 'e', 'c', 'r', 'e', 't'})
	initiate := zmtp.AppendCommand(nil, zmtp.CmdInitiate, zmtp.AppendMetadata(nil, props))
	ready := zmtp.AppendReady(nil, props)
	f.Add(append(hello, initiate...))
	f.Add(append(zmtp.AppendCommand(nil, zmtp.CmdWelcome, nil), ready...))
	f.Add(ready)
	f.Add(zmtp.AppendError(nil, "go away"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		m, err := New(name, cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.Start()
		d := zmtp.NewDecoder(-1)
		for len(stream) > 0 {
			n, h, ok, err := d.Header(stream)
			if err != nil || !ok || uint64(len(stream)-n) < h.Size {
				return
			}
			body := stream[n : n+int(h.Size)]
			stream = stream[n+int(h.Size):]
			cmd, err := zmtp.ParseCommand(body)
			if err != nil {
				return
			}
			if _, err := m.Handle(cmd); err != nil {
				return
			}
		}
	})
}

func FuzzNullMechanism(f *testing.F) { fuzzMechanism(f, "NULL", Config{Props: props, ZAP: fakeZAP}) }
func FuzzPlainServer(f *testing.F) {
	fuzzMechanism(f, "PLAIN", Config{Props: props, AsServer: true, ZAP: fakeZAP})
}
func FuzzPlainClient(f *testing.F) {
	fuzzMechanism(f, "PLAIN", Config{Props: props, Username: "u", Password: "p"})
}

func TestCurveHandshakeAndMessages(t *testing.T) {
	sp, ss, _ := boxKeys()
	cp, cs, _ := boxKeys()
	c, err := New("CURVE", Config{Props: props, CurvePublicKey: cp, CurveSecretKey: cs, CurveServerKey: sp})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := New("CURVE", Config{Props: props, AsServer: true, CurveSecretKey: ss, ZAP: fakeZAPCurve(cp)})
	if err := run(t, c, s); err != nil {
		t.Fatal(err)
	}
	cc, sc := c.(Coder).Codec(), s.(Coder).Codec()
	for i := 0; i < 3; i++ {
		f, body, err := sc.Open(cc.Seal(1, []byte("to server")))
		if err != nil || f != 1 || string(body) != "to server" {
			t.Fatalf("client->server: %v %d %q", err, f, body)
		}
		f, body, err = cc.Open(sc.Seal(0, []byte("to client")))
		if err != nil || f != 0 || string(body) != "to client" {
			t.Fatalf("server->client: %v", err)
		}
	}
	// A replayed box is refused.
	sealed := cc.Seal(0, []byte("once"))
	if _, _, err := sc.Open(sealed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sc.Open(sealed); err == nil {
		t.Fatal("replay accepted")
	}
}

func TestCurveWrongServerKey(t *testing.T) {
	_, ss, _ := boxKeys()
	other, _, _ := boxKeys()
	cp, cs, _ := boxKeys()
	c, _ := New("CURVE", Config{Props: props, CurvePublicKey: cp, CurveSecretKey: cs, CurveServerKey: other})
	s, _ := New("CURVE", Config{Props: props, AsServer: true, CurveSecretKey: ss, ZAP: fakeZAPCurve(cp)})
	if err := run(t, c, s); err == nil {
		t.Fatal("handshake with the wrong server key succeeded")
	}
}

func boxKeys() (pub, sec Key, err error) {
	if _, err = rand.Read(sec[:]); err != nil {
		return
	}
	return PublicKey(sec), sec, nil
}

func fakeZAPCurve(allowed Key) func(string, [][]byte) (Verdict, error) {
	return func(mechanism string, creds [][]byte) (Verdict, error) {
		if mechanism == "CURVE" && len(creds) == 1 && string(creds[0]) == string(allowed[:]) {
			return Verdict{Status: "200", UserID: "curve-user"}, nil
		}
		return Verdict{Status: "400"}, nil
	}
}

// fuzzCurve feeds commands to a CURVE server or client. Seeds are real
// handshakes; invariants: no panic, and a failed step stays failed.
func fuzzCurve(f *testing.F, server bool) {
	sp, ss, _ := boxKeys()
	cp, cs, _ := boxKeys()
	// Record a real handshake's frames as seeds.
	c, _ := New("CURVE", Config{Props: props, CurvePublicKey: cp, CurveSecretKey: cs, CurveServerKey: sp})
	s, _ := New("CURVE", Config{Props: props, AsServer: true, CurveSecretKey: ss, ZAP: fakeZAPCurve(cp)})
	hello, _ := c.Start()
	welcome := mustHandle(f, s, hello)
	initiate := mustHandle(f, c, welcome)
	ready := mustHandle(f, s, initiate)
	if server {
		f.Add(hello)
		f.Add(append(append([]byte(nil), hello...), initiate...))
	} else {
		f.Add(welcome)
		f.Add(append(append([]byte(nil), welcome...), ready...))
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		var m Mechanism
		if server {
			m, _ = New("CURVE", Config{Props: props, AsServer: true, CurveSecretKey: ss, ZAP: fakeZAPCurve(cp)})
		} else {
			m, _ = New("CURVE", Config{Props: props, CurvePublicKey: cp, CurveSecretKey: cs, CurveServerKey: sp})
			m.Start()
		}
		d := zmtp.NewDecoder(-1)
		for len(stream) > 0 {
			n, h, ok, err := d.Header(stream)
			if err != nil || !ok || uint64(len(stream)-n) < h.Size {
				return
			}
			body := stream[n : n+int(h.Size)]
			stream = stream[n+int(h.Size):]
			cmd, err := zmtp.ParseCommand(body)
			if err != nil {
				return
			}
			if _, err := m.Handle(cmd); err != nil {
				return
			}
		}
	})
}

func mustHandle(f *testing.F, m Mechanism, frame []byte) []byte {
	d := zmtp.NewDecoder(-1)
	n, h, _, _ := d.Header(frame)
	cmd, _ := zmtp.ParseCommand(frame[n : n+int(h.Size)])
	out, err := m.Handle(cmd)
	if err != nil {
		f.Fatal(err)
	}
	return out
}

func FuzzCurveServer(f *testing.F) { fuzzCurve(f, true) }
func FuzzCurveClient(f *testing.F) { fuzzCurve(f, false) }
