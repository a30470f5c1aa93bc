package route

import "github.com/gozmq/gozmq/core/pipe"

// Array is an ordered set of pipes with an active prefix: Items[:Active]
// are active. Each pipe records its position in Index[slot], so every
// operation is O(1) (libzmq's array_t with array_item_t).
type Array struct {
	Items  []*pipe.Pipe
	Active int
	slot   int
}

// NewArray returns an array that uses Index[slot] of its pipes; each
// strategy a socket composes must use a different slot.
func NewArray(slot int) Array { return Array{slot: slot} }

// Has reports whether p is in the array.
func (a *Array) Has(p *pipe.Pipe) bool {
	i := p.Index[a.slot]
	return i >= 0 && i < len(a.Items) && a.Items[i] == p
}

// Add appends p as inactive.
func (a *Array) Add(p *pipe.Pipe) {
	p.Index[a.slot] = len(a.Items)
	a.Items = append(a.Items, p)
}

// Remove deletes p, keeping the active prefix intact.
func (a *Array) Remove(p *pipe.Pipe) {
	if !a.Has(p) {
		return
	}
	i := p.Index[a.slot]
	if i < a.Active {
		a.Active--
		a.swap(i, a.Active)
		i = a.Active
	}
	last := len(a.Items) - 1
	a.swap(i, last)
	a.Items[last] = nil
	a.Items = a.Items[:last]
	p.Index[a.slot] = -1
}

// ActiveAt returns the active pipe at position i, or nil.
func (a *Array) ActiveAt(i int) *pipe.Pipe {
	if i < 0 || i >= a.Active {
		return nil
	}
	return a.Items[i]
}

// Follow returns where a round-robin cursor that was at cur (the pipe it
// pointed at, or nil) and position i goes after a Remove: Remove swaps
// pipes around, so cur keeps its place in the rotation by identity, not
// by position. A cursor that lost its pipe stays at i, wrapped into the
// active prefix.
func (a *Array) Follow(cur *pipe.Pipe, i int) int {
	if cur != nil && a.IsActive(cur) {
		return cur.Index[a.slot]
	}
	if i >= a.Active {
		return 0
	}
	return i
}

// Activate moves p into the active prefix (no-op if already there).
func (a *Array) Activate(p *pipe.Pipe) {
	if !a.Has(p) || p.Index[a.slot] < a.Active {
		return
	}
	a.swap(p.Index[a.slot], a.Active)
	a.Active++
}

// Deactivate moves the pipe at position i out of the active prefix.
func (a *Array) Deactivate(i int) {
	a.Active--
	a.swap(i, a.Active)
}

// IsActive reports whether p is in the active prefix.
func (a *Array) IsActive(p *pipe.Pipe) bool { return a.Has(p) && p.Index[a.slot] < a.Active }

func (a *Array) swap(i, j int) {
	if i == j {
		return
	}
	a.Items[i], a.Items[j] = a.Items[j], a.Items[i]
	a.Items[i].Index[a.slot] = i
	a.Items[j].Index[a.slot] = j
}
