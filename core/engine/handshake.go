package engine

import (
	"errors"
	"github.com/gozmq/gozmq/core/zmtp"
	"io"
	"time"

	"github.com/gozmq/gozmq/core/mech"
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
)

// handshake exchanges greetings and then runs the security mechanism
// (RFC 37 §3; NULL §4.1, PLAIN RFC 24) under one deadline, and returns
// what it learnt about the peer.
func (e *Engine) handshake(rd *reader) (*Peer, error) {
	if e.cfg.HandshakeIvl > 0 {
		e.conn.SetDeadline(time.Now().Add(e.cfg.HandshakeIvl))
		defer e.conn.SetDeadline(time.Time{})
	}
	name := e.cfg.Mechanism
	if name == "" {
		name = "NULL"
	}
	out := zmtp.AppendGreeting(make([]byte, 0, 256), zmtp.Greeting{Major: 3, Minor: 1, Mechanism: name, AsServer: e.cfg.AsServer})
	if _, err := e.conn.Write(out); err != nil {
		return nil, err
	}
	g, err := e.readGreeting(rd)
	if err != nil {
		return nil, err
	}
	if g.Mechanism != name {
		return nil, ErrMechanism
	}
	m, err := mech.New(name, mech.Config{Props: e.ourProps(), AsServer: e.cfg.AsServer,
		Username: e.cfg.Username, Password: e.cfg.Password, ZAP: e.cfg.ZAP,
		CurvePublicKey: e.cfg.CurvePublic, CurveSecretKey: e.cfg.CurveSecret, CurveServerKey: e.cfg.CurveServer})
	if err != nil {
		return nil, err
	}
	if err := e.send(m.Start()); err != nil {
		return nil, err
	}
	var fr rframe
	for !m.Done() {
		if err := rd.next(&fr); err != nil {
			return nil, err
		}
		if !fr.command {
			return nil, errors.New("engine: data frame before the handshake ended")
		}
		cmd, err := zmtp.ParseCommand(fr.body)
		if err != nil {
			return nil, err
		}
		if err := e.send(m.Handle(cmd)); err != nil {
			return nil, err
		}
	}
	if c, ok := m.(mech.Coder); ok {
		e.codec = c.Codec()
	}
	return e.peer(m, g.Minor)
}

// ourProps are the properties we announce (libzmq sends Identity for
// REQ, DEALER and ROUTER even when it is empty).
func (e *Engine) ourProps() zmtp.Metadata {
	props := zmtp.Metadata{{Name: "Socket-Type", Value: []byte(e.cfg.SocketType)}}
	if e.cfg.SendIdentity || len(e.cfg.RoutingID) > 0 {
		props = append(props, zmtp.Property{Name: "Identity", Value: e.cfg.RoutingID})
	}
	for _, p := range e.cfg.Metadata {
		props = append(props, zmtp.Property{Name: p.Name, Value: []byte(p.Value)})
	}
	return props
}

// send writes what a mechanism step produced — an ERROR command too,
// before the step's error ends the handshake.
func (e *Engine) send(b []byte, err error) error {
	if len(b) > 0 {
		if _, werr := e.conn.Write(b); err == nil {
			err = werr
		}
	}
	return err
}

// readGreeting reads the peer's greeting in the three steps libzmq uses:
// the signature (10 bytes) proves it is ZMTP at all, the major version
// tells the dialect, and only then is the rest awaited. A peer speaking
// ZMTP 1.0 or 2.0 would never send the rest, so it is refused after its
// first 11 bytes instead of after the handshake timeout.
func (e *Engine) readGreeting(rd *reader) (zmtp.Greeting, error) {
	var g [zmtp.GreetingSize]byte
	if _, err := io.ReadFull(rd, g[:10]); err != nil {
		return zmtp.Greeting{}, err
	}
	if err := zmtp.CheckSignature(g[:10]); err != nil {
		return zmtp.Greeting{}, err
	}
	if _, err := io.ReadFull(rd, g[10:11]); err != nil {
		return zmtp.Greeting{}, err
	}
	if g[10] < 3 {
		return zmtp.Greeting{}, zmtp.ErrVersion
	}
	if _, err := io.ReadFull(rd, g[11:]); err != nil {
		return zmtp.Greeting{}, err
	}
	return zmtp.ParseGreeting(g[:])
}

// peer checks the peer's properties and describes it.
func (e *Engine) peer(m mech.Mechanism, minor byte) (*Peer, error) {
	props := m.PeerProps()
	st, _ := props.Get("Socket-Type")
	if e.cfg.PeerOK != nil && !e.cfg.PeerOK(string(st)) {
		return nil, ErrIncompatible
	}
	p := &Peer{SocketType: string(st), Minor: minor}
	if id, ok := props.Get("Identity"); ok && len(id) > 0 {
		p.RoutingID = append([]byte(nil), id...)
	}
	p.Meta = buildMeta(append(props, m.ZAPProps()...), e.cfg.PeerAddress)
	if uid := m.UserID(); uid != "" {
		p.Meta.Props = append(p.Meta.Props, msg.Property{Name: "User-Id", Value: uid})
	}
	return p, nil
}

// buildMeta is the metadata every message from this peer carries
// (zmq_msg_gets): the peer's properties plus Peer-Address.
func buildMeta(props zmtp.Metadata, peerAddr string) *msg.Metadata {
	md := &msg.Metadata{Props: make([]msg.Property, 0, len(props)+1)}
	for _, p := range props {
		md.Props = append(md.Props, msg.Property{Name: p.Name, Value: string(p.Value)})
	}
	md.Props = append(md.Props, msg.Property{Name: "Peer-Address", Value: peerAddr})
	return md
}

// commandBody is a command's body (name length, name, data) without the
// frame header: the writer frames it, or boxes it under CURVE.
func commandBody(name string, data []byte) []byte {
	b := append([]byte{byte(len(name))}, name...)
	return append(b, data...)
}

// handleCommand reacts to a command after the handshake: PING is answered
// with PONG (RFC 37 §3.4.4); other known commands are accepted and
// ignored here (subscriptions are handled by the socket types that use
// them); a malformed one ends the connection.
func (e *Engine) handleCommand(body []byte, w *writer, out *pipe.Queue, canWrite chan struct{}) error {
	cmd, err := zmtp.ParseCommand(body)
	if err != nil {
		return err
	}
	switch cmd.Name {
	case zmtp.CmdSubscribe, zmtp.CmdCancel:
		if e.cfg.SubsIn {
			f := msg.Frame{Data: zmtp.AppendSubscriptionMessage(nil, cmd.Name == zmtp.CmdSubscribe, cmd.Data)}
			if !e.push(out, &f, canWrite) {
				return ErrStopped
			}
		}
	case zmtp.CmdJoin, zmtp.CmdLeave:
		if e.cfg.GroupsIn {
			// The whole command goes to the socket (RADIO) as is.
			f := msg.Frame{Data: append([]byte(nil), body...), Flags: msg.Command}
			if !e.push(out, &f, canWrite) {
				return ErrStopped
			}
		}
	case "PING":
		ttl, ctx, err := zmtp.ParsePing(cmd.Data)
		if err != nil {
			return err
		}
		// The peer asks to be dropped if it goes silent for ttl
		// (deciseconds); the writer's heartbeat timer enforces it.
		e.remoteTTL.Store(int64(ttl) * int64(100*time.Millisecond))
		e.lastRecv.Store(time.Now().UnixNano())
		w.sendCommand(commandBody(zmtp.CmdPong, ctx))
	case "ERROR":
		reason, _ := zmtp.ParseError(cmd.Data)
		return errors.New("engine: peer error: " + reason)
	}
	return nil
}
