package zmtp

// Greeting layout (RFC 23/37 §2.3): signature (10 octets: %xFF, 8 octets
// of padding, %x7F), version major and minor, mechanism (20 octets, NUL
// padded), as-server (1 octet), filler (31 octets of zero).
const (
	GreetingSize   = 64
	SignatureSize  = 10
	mechanismStart = 12
	mechanismSize  = 20
	asServerOffset = 32
)

// Greeting is the decoded fixed-size greeting.
type Greeting struct {
	Major, Minor byte
	Mechanism    string // "NULL", "PLAIN", "CURVE"
	AsServer     bool
}

// AppendGreeting appends the 64-octet greeting.
func AppendGreeting(b []byte, g Greeting) []byte {
	var gr [GreetingSize]byte
	gr[0], gr[9] = 0xFF, 0x7F
	gr[10], gr[11] = g.Major, g.Minor
	copy(gr[mechanismStart:mechanismStart+mechanismSize], g.Mechanism)
	if g.AsServer {
		gr[asServerOffset] = 1
	}
	return append(b, gr[:]...)
}

// CheckSignature validates the first 10 octets. Bit 0 of the tenth is set
// by every ZMTP since 2.0 (older peers put a length there); libzmq accepts
// any padding bytes, and so do we.
func CheckSignature(b []byte) error {
	if len(b) < SignatureSize || b[0] != 0xFF || b[9]&1 != 1 {
		return perr("greeting", ErrSignature)
	}
	return nil
}

// ParseGreeting decodes a whole greeting. Majors below 3 (ZMTP 1.0 and
// 2.0) are refused: they have no mechanism field and libzmq speaks them
// only to ancient peers. The mechanism name must be 1..20 characters of
// RFC 37's charset (uppercase letters, digits, "-", "_", ".", "+"),
// padded with NULs.
func ParseGreeting(b []byte) (Greeting, error) {
	if len(b) < GreetingSize {
		return Greeting{}, perr("greeting", ErrSignature)
	}
	if err := CheckSignature(b); err != nil {
		return Greeting{}, err
	}
	if b[10] < 3 {
		return Greeting{}, perr("greeting", ErrVersion)
	}
	mech := b[mechanismStart : mechanismStart+mechanismSize]
	n := 0
	for n < len(mech) && mech[n] != 0 {
		if !mechanismChar(mech[n]) {
			return Greeting{}, perr("greeting", ErrMechanismName)
		}
		n++
	}
	for _, c := range mech[n:] {
		if c != 0 {
			return Greeting{}, perr("greeting", ErrMechanismName)
		}
	}
	if n == 0 {
		return Greeting{}, perr("greeting", ErrMechanismName)
	}
	return Greeting{Major: b[10], Minor: b[11], Mechanism: string(mech[:n]), AsServer: b[asServerOffset] == 1}, nil
}

func mechanismChar(c byte) bool {
	return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '+'
}
