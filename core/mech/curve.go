package mech

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"

	"github.com/gozmq/gozmq/core/zmtp"
)

// CURVE (RFC 26, CurveZMQ over ZMTP): C:HELLO S:WELCOME C:INITIATE
// S:READY, then every frame travels inside a MESSAGE box. Long-term keys
// authenticate the server (and, through ZAP, the client); short-term keys
// give forward secrecy and are forgotten with the connection.

// Key is a Curve25519 key.
type Key = [32]byte

// Box nonce prefixes (RFC 26).
const (
	prefixHello    = "CurveZMQHELLO---"
	prefixWelcome  = "WELCOME-"
	prefixCookie   = "COOKIE--"
	prefixInitiate = "CurveZMQINITIATE"
	prefixVouch    = "VOUCH---"
	prefixReady    = "CurveZMQREADY---"
	prefixMessageC = "CurveZMQMESSAGEC"
	prefixMessageS = "CurveZMQMESSAGES"
)

// ErrCrypto reports a box that did not open (wrong key, tampering, replay).
var ErrCrypto = errors.New("mech: CURVE box did not open")

// PublicKey derives a public key.
func PublicKey(secret Key) Key {
	var pub Key
	p, _ := curve25519.X25519(secret[:], curve25519.Basepoint)
	copy(pub[:], p)
	return pub
}

func shortNonce(prefix string, n uint64) *[24]byte {
	var nonce [24]byte
	copy(nonce[:], prefix)
	binary.BigEndian.PutUint64(nonce[16:], n)
	return &nonce
}

func longNonce(prefix string, rnd []byte) *[24]byte {
	var nonce [24]byte
	copy(nonce[:], prefix)
	copy(nonce[8:], rnd)
	return &nonce
}

// Codec seals and opens MESSAGE boxes after the handshake.
type Codec struct {
	shared     [32]byte // precomputed short-term key
	sendPrefix string
	recvPrefix string
	sendNonce  uint64
	recvNonce  uint64
}

// Clear erases the session key; the engine calls it when the connection
// ends, so no key material outlives the session.
func (c *Codec) Clear() { clear(c.shared[:]) }

// messageHeader is the MESSAGE command name as it starts each box frame.
const messageHeader = "\x07MESSAGE"

// Seal wraps one frame: flags (zmq more/command bits) and its body.
func (c *Codec) Seal(flags byte, body []byte) []byte {
	c.sendNonce++
	plain := make([]byte, 1+len(body))
	plain[0] = flags
	copy(plain[1:], body)
	out := make([]byte, 0, len(messageHeader)+8+box.Overhead+len(plain))
	out = append(out, messageHeader...)
	out = binary.BigEndian.AppendUint64(out, c.sendNonce)
	return box.SealAfterPrecomputation(out, plain, shortNonce(c.sendPrefix, c.sendNonce), &c.shared)
}

// Open unwraps a MESSAGE frame; nonces must increase (replay defence).
func (c *Codec) Open(frame []byte) (flags byte, body []byte, err error) {
	if len(frame) < len(messageHeader)+8+box.Overhead+1 || string(frame[:len(messageHeader)]) != messageHeader {
		return 0, nil, ErrMalformed
	}
	n := binary.BigEndian.Uint64(frame[len(messageHeader):])
	if n <= c.recvNonce {
		return 0, nil, ErrCrypto
	}
	plain, ok := box.OpenAfterPrecomputation(nil, frame[len(messageHeader)+8:], shortNonce(c.recvPrefix, n), &c.shared)
	if !ok || len(plain) < 1 {
		return 0, nil, ErrCrypto
	}
	c.recvNonce = n
	return plain[0], plain[1:], nil
}

// Coder is implemented by mechanisms that encrypt traffic (CURVE).
type Coder interface{ Codec() *Codec }

type curveClient struct {
	cfg        Config
	serverPub  Key
	pub, sec   Key // long-term
	tpub, tsec Key // short-term
	serverTmp  Key
	nonce      uint64
	state      int
	props      zmtp.Metadata
	codec      Codec
}

func newCurveClient(cfg Config) (*curveClient, error) {
	m := &curveClient{cfg: cfg, serverPub: cfg.CurveServerKey, sec: cfg.CurveSecretKey, pub: cfg.CurvePublicKey}
	tp, ts, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	m.tpub, m.tsec = *tp, *ts
	return m, nil
}

func (m *curveClient) Start() ([]byte, error) {
	m.nonce++
	data := []byte{1, 0}
	data = append(data, make([]byte, 72)...)
	data = append(data, m.tpub[:]...)
	data = binary.BigEndian.AppendUint64(data, m.nonce)
	data = box.Seal(data, make([]byte, 64), shortNonce(prefixHello, m.nonce), &m.serverPub, &m.tsec)
	return zmtp.AppendCommand(nil, zmtp.CmdHello, data), nil
}

func (m *curveClient) Handle(cmd zmtp.Command) ([]byte, error) {
	if cmd.Name == zmtp.CmdError && m.state < 2 {
		return nil, peerError(cmd)
	}
	switch {
	case m.state == 0 && cmd.Name == zmtp.CmdWelcome:
		if len(cmd.Data) != 16+144 {
			return nil, ErrMalformed
		}
		plain, ok := box.Open(nil, cmd.Data[16:], longNonce(prefixWelcome, cmd.Data[:16]), &m.serverPub, &m.tsec)
		if !ok {
			return nil, ErrCrypto
		}
		copy(m.serverTmp[:], plain[:32])
		cookie := plain[32:128]
		box.Precompute(&m.codec.shared, &m.serverTmp, &m.tsec)
		// Vouch: our short-term key and the server's long-term key, boxed
		// from our long-term key to the server's short-term key.
		vn := make([]byte, 16)
		rand.Read(vn)
		vouchPlain := append(append([]byte(nil), m.tpub[:]...), m.serverPub[:]...)
		vouch := box.Seal(append([]byte(nil), vn...), vouchPlain, longNonce(prefixVouch, vn), &m.serverTmp, &m.sec)
		inner := append(append([]byte(nil), m.pub[:]...), vouch...)
		inner = zmtp.AppendMetadata(inner, m.cfg.Props)
		m.nonce++
		data := append([]byte(nil), cookie...)
		data = binary.BigEndian.AppendUint64(data, m.nonce)
		data = box.SealAfterPrecomputation(data, inner, shortNonce(prefixInitiate, m.nonce), &m.codec.shared)
		m.state = 1
		return zmtp.AppendCommand(nil, zmtp.CmdInitiate, data), nil
	case m.state == 1 && cmd.Name == zmtp.CmdReady:
		if len(cmd.Data) < 8+box.Overhead {
			return nil, ErrMalformed
		}
		n := binary.BigEndian.Uint64(cmd.Data)
		plain, ok := box.OpenAfterPrecomputation(nil, cmd.Data[8:], shortNonce(prefixReady, n), &m.codec.shared)
		if !ok {
			return nil, ErrCrypto
		}
		props, err := zmtp.ParseMetadata(plain)
		if err != nil {
			return nil, err
		}
		m.props, m.state = props, 2
		m.codec.sendPrefix, m.codec.recvPrefix = prefixMessageC, prefixMessageS
		m.codec.sendNonce, m.codec.recvNonce = m.nonce, n
		clear(m.tsec[:])
		return nil, nil
	}
	return nil, ErrUnexpected
}

func (m *curveClient) Done() bool               { return m.state == 2 }
func (m *curveClient) PeerProps() zmtp.Metadata { return m.props }
func (m *curveClient) UserID() string           { return "" }
func (m *curveClient) ZAPProps() zmtp.Metadata  { return nil }
func (m *curveClient) Codec() *Codec            { return &m.codec }

type curveServer struct {
	cfg        Config
	pub, sec   Key
	tpub, tsec Key
	cookieKey  [32]byte
	clientTmp  Key
	nonce      uint64
	state      int
	props      zmtp.Metadata
	verdict    Verdict
	codec      Codec
}

func newCurveServer(cfg Config) (*curveServer, error) {
	m := &curveServer{cfg: cfg, sec: cfg.CurveSecretKey}
	m.pub = PublicKey(m.sec)
	tp, ts, err := box.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	m.tpub, m.tsec = *tp, *ts
	if _, err := rand.Read(m.cookieKey[:]); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *curveServer) Start() ([]byte, error) { return nil, nil }

func (m *curveServer) Handle(cmd zmtp.Command) ([]byte, error) {
	switch {
	case m.state == 0 && cmd.Name == zmtp.CmdHello:
		return m.hello(cmd.Data)
	case m.state == 1 && cmd.Name == zmtp.CmdInitiate:
		return m.initiate(cmd.Data)
	}
	return nil, ErrUnexpected
}

func (m *curveServer) hello(d []byte) ([]byte, error) {
	if len(d) != 194 || d[0] != 1 || d[1] != 0 {
		return nil, ErrMalformed
	}
	copy(m.clientTmp[:], d[74:106])
	n := binary.BigEndian.Uint64(d[106:114])
	plain, ok := box.Open(nil, d[114:], shortNonce(prefixHello, n), &m.clientTmp, &m.sec)
	if !ok || subtle.ConstantTimeCompare(plain, make([]byte, 64)) != 1 {
		return nil, ErrCrypto
	}
	// Cookie: the client's and our short-term keys, sealed with a key
	// only we know, so we keep no state per HELLO (RFC 26).
	cn := make([]byte, 16)
	rand.Read(cn)
	cookiePlain := append(append([]byte(nil), m.clientTmp[:]...), m.tsec[:]...)
	cookie := secretbox.Seal(append([]byte(nil), cn...), cookiePlain, longNonce(prefixCookie, cn), &m.cookieKey)
	wn := make([]byte, 16)
	rand.Read(wn)
	welcome := append(append([]byte(nil), m.tpub[:]...), cookie...)
	data := box.Seal(append([]byte(nil), wn...), welcome, longNonce(prefixWelcome, wn), &m.clientTmp, &m.sec)
	m.state = 1
	return zmtp.AppendCommand(nil, zmtp.CmdWelcome, data), nil
}

func (m *curveServer) initiate(d []byte) ([]byte, error) {
	if len(d) < 96+8+box.Overhead+32+96 {
		return nil, ErrMalformed
	}
	cookie := d[:96]
	cp, ok := secretbox.Open(nil, cookie[16:], longNonce(prefixCookie, cookie[:16]), &m.cookieKey)
	if !ok || subtle.ConstantTimeCompare(cp[:32], m.clientTmp[:]) != 1 || subtle.ConstantTimeCompare(cp[32:], m.tsec[:]) != 1 {
		return nil, ErrCrypto
	}
	box.Precompute(&m.codec.shared, &m.clientTmp, &m.tsec)
	n := binary.BigEndian.Uint64(d[96:104])
	plain, ok := box.OpenAfterPrecomputation(nil, d[104:], shortNonce(prefixInitiate, n), &m.codec.shared)
	if !ok || len(plain) < 32+96 {
		return nil, ErrCrypto
	}
	var client Key
	copy(client[:], plain[:32])
	vouch := plain[32:128]
	vp, ok := box.Open(nil, vouch[16:], longNonce(prefixVouch, vouch[:16]), &client, &m.tsec)
	if !ok || len(vp) != 64 || subtle.ConstantTimeCompare(vp[:32], m.clientTmp[:]) != 1 ||
		subtle.ConstantTimeCompare(vp[32:], m.pub[:]) != 1 {
		return nil, ErrCrypto
	}
	props, err := zmtp.ParseMetadata(plain[128:])
	if err != nil {
		return nil, err
	}
	v, refusal, err := authenticate(&m.cfg, "CURVE", [][]byte{client[:]})
	if err != nil {
		return refusal, err
	}
	m.verdict, m.props = v, props
	m.nonce++
	data := binary.BigEndian.AppendUint64(nil, m.nonce)
	data = box.SealAfterPrecomputation(data, zmtp.AppendMetadata(nil, m.cfg.Props), shortNonce(prefixReady, m.nonce), &m.codec.shared)
	m.codec.sendPrefix, m.codec.recvPrefix = prefixMessageS, prefixMessageC
	m.codec.sendNonce, m.codec.recvNonce = m.nonce, n
	m.state = 2
	clear(m.tsec[:])
	return zmtp.AppendCommand(nil, zmtp.CmdReady, data), nil
}

func (m *curveServer) Done() bool               { return m.state == 2 }
func (m *curveServer) PeerProps() zmtp.Metadata { return m.props }
func (m *curveServer) UserID() string           { return m.verdict.UserID }
func (m *curveServer) ZAPProps() zmtp.Metadata  { return m.verdict.Props }
func (m *curveServer) Codec() *Codec            { return &m.codec }
