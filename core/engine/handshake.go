package engine

import (
	"errors"
	"github.com/gozmq/gozmq/core/zmtp"
	"io"
	"time"

	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
)

// handshake exchanges greetings and READY commands (RFC 37 §3, NULL
// mechanism §4.1) under one deadline, and returns what it learnt.
func (e *Engine) handshake(rd *reader) (*Peer, error) {
	if e.cfg.HandshakeIvl > 0 {
		e.conn.SetDeadline(time.Now().Add(e.cfg.HandshakeIvl))
		defer e.conn.SetDeadline(time.Time{})
	}
	out := zmtp.AppendGreeting(make([]byte, 0, 256), zmtp.Greeting{Major: 3, Minor: 1, Mechanism: "NULL"})
	if _, err := e.conn.Write(out); err != nil {
		return nil, err
	}
	g, err := e.readGreeting(rd)
	if err != nil {
		return nil, err
	}
	if g.Mechanism != "NULL" {
		return nil, ErrMechanism
	}
	props := zmtp.Metadata{{Name: "Socket-Type", Value: []byte(e.cfg.SocketType)}}
	if e.cfg.SendIdentity || len(e.cfg.RoutingID) > 0 {
		props = append(props, zmtp.Property{Name: "Identity", Value: e.cfg.RoutingID})
	}
	for _, p := range e.cfg.Metadata {
		props = append(props, zmtp.Property{Name: p.Name, Value: []byte(p.Value)})
	}
	if _, err := e.conn.Write(zmtp.AppendReady(out[:0], props)); err != nil {
		return nil, err
	}
	return e.readReady(rd, g.Minor)
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

// readReady waits for the peer's READY (or ERROR) command.
func (e *Engine) readReady(rd *reader, minor byte) (*Peer, error) {
	fr, err := rd.next()
	if err != nil {
		return nil, err
	}
	if !fr.command {
		return nil, errors.New("engine: data frame before READY")
	}
	cmd, err := zmtp.ParseCommand(fr.body)
	if err != nil {
		return nil, err
	}
	switch cmd.Name {
	case "READY":
	case "ERROR":
		reason, _ := zmtp.ParseError(cmd.Data)
		return nil, errors.New("engine: peer refused: " + reason)
	default:
		return nil, errors.New("engine: unexpected command " + cmd.Name)
	}
	props, err := zmtp.ParseMetadata(cmd.Data)
	if err != nil {
		return nil, err
	}
	st, _ := props.Get("Socket-Type")
	if e.cfg.PeerOK != nil && !e.cfg.PeerOK(string(st)) {
		return nil, ErrIncompatible
	}
	peer := &Peer{SocketType: string(st), Minor: minor}
	if id, ok := props.Get("Identity"); ok && len(id) > 0 {
		peer.RoutingID = append([]byte(nil), id...)
	}
	peer.Meta = buildMeta(props, e.cfg.PeerAddress)
	return peer, nil
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
	case "PING":
		ttl, ctx, err := zmtp.ParsePing(cmd.Data)
		if err != nil {
			return err
		}
		// The peer asks to be dropped if it goes silent for ttl
		// (deciseconds); the writer's heartbeat timer enforces it.
		e.remoteTTL.Store(int64(ttl) * int64(100*time.Millisecond))
		e.lastRecv.Store(time.Now().UnixNano())
		w.sendCommand(zmtp.AppendPong(nil, ctx))
	case "ERROR":
		reason, _ := zmtp.ParseError(cmd.Data)
		return errors.New("engine: peer error: " + reason)
	}
	return nil
}
