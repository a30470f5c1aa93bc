package core

import "errors"

// Z85 (RFC 32), for CURVE keys given as 40-character text.
const z85Chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"

var z85Value = func() (t [256]int) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(z85Chars); i++ {
		t[z85Chars[i]] = i
	}
	return t
}()

var errZ85 = errors.New("zmq: invalid Z85 text")

func z85Decode(s string) ([]byte, error) {
	if len(s)%5 != 0 {
		return nil, errZ85
	}
	out := make([]byte, 0, len(s)/5*4)
	for i := 0; i < len(s); i += 5 {
		var v uint64
		for k := 0; k < 5; k++ {
			d := z85Value[s[i+k]]
			if d < 0 {
				return nil, errZ85
			}
			v = v*85 + uint64(d)
		}
		if v > 0xFFFFFFFF {
			return nil, errZ85
		}
		out = append(out, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return out, nil
}

func z85Encode(b []byte) string {
	out := make([]byte, 0, len(b)/4*5)
	for i := 0; i+4 <= len(b); i += 4 {
		v := uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3])
		var c [5]byte
		for k := 4; k >= 0; k-- {
			c[k] = z85Chars[v%85]
			v /= 85
		}
		out = append(out, c[:]...)
	}
	return string(out)
}
