package zmtp

import (
	"encoding/binary"
	"strings"
)

// Metadata is a list of properties (RFC 23 §2.6.2): name length (1 octet),
// name, value length (4 octets, big-endian), value.
type Metadata []Property

// Property is one name/value pair. Value aliases the parsed buffer.
type Property struct {
	Name  string
	Value []byte
}

// Get returns the value of name, compared case-insensitively as RFC 37
// requires.
func (m Metadata) Get(name string) ([]byte, bool) {
	for _, p := range m {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

func (m Metadata) encodedLen() int {
	n := 0
	for _, p := range m {
		n += 1 + len(p.Name) + 4 + len(p.Value)
	}
	return n
}

// AppendMetadata appends the encoded properties. Names longer than 255
// octets are the caller's bug; they are cut to keep the encoding valid.
func AppendMetadata(b []byte, m Metadata) []byte {
	for _, p := range m {
		name := p.Name
		if len(name) > 255 {
			name = name[:255]
		}
		b = append(b, byte(len(name)))
		b = append(b, name...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(p.Value)))
		b = append(b, p.Value...)
	}
	return b
}

// ParseMetadata decodes properties. Names must be 1..255 characters of
// RFC 37's charset (letters, digits, "-", "_", ".", "+"); a truncated or
// oversized property is an error.
func ParseMetadata(d []byte) (Metadata, error) {
	var m Metadata
	for len(d) > 0 {
		n := int(d[0])
		if n == 0 || len(d) < 1+n+4 {
			return nil, perr("metadata", ErrBadMetadata)
		}
		name := d[1 : 1+n]
		for _, c := range name {
			if !propertyChar(c) {
				return nil, perr("metadata", ErrBadMetadata)
			}
		}
		d = d[1+n:]
		vl := binary.BigEndian.Uint32(d)
		d = d[4:]
		if uint64(vl) > uint64(len(d)) {
			return nil, perr("metadata", ErrBadMetadata)
		}
		m = append(m, Property{Name: string(name), Value: d[:vl:vl]})
		d = d[vl:]
	}
	return m, nil
}

func propertyChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '+'
}
