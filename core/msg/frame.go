package msg

import (
	"strings"
	"sync"
	"unsafe"
)

// Frame flags. More has libzmq's ZMQ_MORE value so it can be passed through.
const (
	More    uint8 = 1 // another part of the same message follows
	Command uint8 = 2 // a ZMTP command, never shown to users
)

// Frame is one message part. The zero value is an empty, final part.
//
// Data is either Go memory (garbage-collected, Ext nil) or a view of an
// external body identified by Ext (a C gz_content pointer supplied by capi);
// such a body must be released exactly once through Release.
type Frame struct {
	Data  []byte
	Flags uint8
	// RoutingID names the peer a message came from or goes to on the
	// draft SERVER and PEER types (zmq_msg_routing_id); 0 is none. It
	// sits in the padding after Flags, so Frame stays 48 bytes.
	RoutingID uint32
	Ext       unsafe.Pointer // external body (a C gz_content), nil when Data is Go memory
	Meta      *Metadata      // properties of the connection it came from, or nil
}

// ExtHooks lets the owner of external bodies (capi) take and drop
// references. Both are set once at start-up, before any frame moves.
var ExtHooks struct {
	Ref     func(ext unsafe.Pointer)
	Release func(ext unsafe.Pointer)
	// Alloc, if set, returns a new external body of n bytes (contents
	// undefined) or a nil ext when the owner prefers Go memory for that
	// size. Engines read large frames into such bodies, so a body the
	// application receives needs no second copy. c is the caller's cache
	// (ExtCache), which Alloc takes bodies from and refills.
	Alloc func(c *ExtCache, n int) (ext unsafe.Pointer, data []byte)
	// Carve, if set, is Alloc for bodies the application will copy out
	// as soon as it takes them (core.Socket.SetCopyOut), and for copies
	// of sent bodies: it cuts them out of a shared block that each holds
	// a reference on, instead of one body each, so taking and dropping a
	// body costs no pool and no shared counter between the reading and
	// the receiving thread. A nil ext: use Go memory, as for Alloc.
	Carve func(c *ExtCache, n int) (ext unsafe.Pointer, data []byte)
	// Flush gives back the bodies in a cache; its owner calls it when it
	// is done allocating (set together with Alloc).
	Flush func(c *ExtCache)
}

// ExtCache is one goroutine's stock of free external bodies, so that most
// Allocs take a body without the lock of the owner's shared pool (an
// engine's reader takes one per received message). Its contents belong to
// ExtHooks; only the goroutine that owns the cache may pass it.
type ExtCache struct {
	Bodies [ExtCacheClasses][ExtCacheDepth]unsafe.Pointer
	N      [ExtCacheClasses]int

	// The block Carve cuts bodies from: its next free byte, and how
	// many bodies it gave out (their references are counted when the
	// block is done with, see capi/body.go).
	Block     unsafe.Pointer
	BlockData unsafe.Pointer // its bytes (the reader never reads the block's header)
	Off       int
	Carved    int32
}

// CarveMax is the largest body Carve cuts from a shared block.
const CarveMax = 4 << 10

// The size of an ExtCache: classes of body sizes, bodies per class.
const (
	ExtCacheClasses = 8
	ExtCacheDepth   = 8
)

// HasMore reports whether another part follows.
func (f *Frame) HasMore() bool { return f.Flags&More != 0 }

// Release drops the frame's body. It is idempotent and leaves f empty.
func (f *Frame) Release() {
	if f.Ext != nil {
		ExtHooks.Release(f.Ext)
	}
	*f = Frame{}
}

// Clone returns a second reference to the same body (PUB fan-out, inproc
// copies). External bodies gain a reference; Go bodies are shared as-is
// because nobody writes to a frame's Data after it was sent.
func (f *Frame) Clone() Frame {
	if f.Ext != nil {
		ExtHooks.Ref(f.Ext)
	}
	return *f
}

// Metadata holds the ZMTP properties of one connection (Socket-Type,
// Identity, user properties) plus the locally known Peer-Address and
// User-Id. It is immutable after creation and shared by every frame
// received on that connection.
type Metadata struct {
	Props []Property
	SrcFD int // descriptor of the connection (ZMQ_SRCFD), -1 if none

	// Ext caches a C copy made by capi, which holds one reference to it
	// until Close; Mu guards Ext and Closed for capi.
	Mu     sync.Mutex
	Ext    *ExtMeta
	Closed bool
}

// MetaHooks lets capi drop its cached copy when a connection ends.
var MetaHooks struct {
	Close func(m *Metadata)
}

// Close tells the owner of a cached external copy that no new frames will
// carry m (the connection ended); frames already received keep working.
func (m *Metadata) Close() {
	if MetaHooks.Close != nil {
		MetaHooks.Close(m)
	}
}

// ExtMeta stands for the C copy of a Metadata; only capi knows its layout.
type ExtMeta struct{}

// Property is one metadata name/value pair.
type Property struct {
	Name  string
	Value string
}

// Get returns the value of name (case-insensitive, as ZMTP property names
// are), and whether it was present.
func (m *Metadata) Get(name string) (string, bool) {
	for _, p := range m.Props {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return "", false
}
