package msg

// Small bodies are carved from shared blocks instead of being allocated
// one by one: a 16-byte message then costs a slice header, not a trip
// through the allocator (measured: the allocation was the largest single
// cost of receiving small messages). A block stays alive while any body
// carved from it does, so at most slabBlock bytes are pinned by one
// long-lived small message; bodies are capacity-limited, so an append to
// one can never write into its neighbour.
const (
	SlabMax   = 256     // largest body carved from a block
	slabBlock = 8 << 10 // block size: 512 bodies of 16 bytes per allocation
)

// Slab hands out small bodies. The zero value is ready to use. A Slab is
// not safe for concurrent use: each owner (an engine's reader, a socket
// under its lock) keeps its own.
type Slab struct {
	free []byte
}

// Alloc returns a body of n bytes (contents undefined: the caller fills
// it). Bodies above SlabMax are allocated on their own.
func (s *Slab) Alloc(n int) []byte {
	if n > SlabMax {
		return make([]byte, n)
	}
	if len(s.free) < n {
		s.free = make([]byte, slabBlock)
	}
	b := s.free[:n:n]
	s.free = s.free[n:]
	return b
}
