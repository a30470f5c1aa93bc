package route

import (
	"slices"
	"testing"

	"github.com/gozmq/gozmq/core/pipe"
)

func TestTriePrefixes(t *testing.T) {
	var tr Trie
	tr.Add([]byte("a"))
	tr.Add([]byte("ab"))
	tr.Add([]byte("ab"))
	if tr.Prefixes() != 2 {
		t.Fatalf("prefixes %d, want 2", tr.Prefixes())
	}
	tr.Remove([]byte("ab"))
	tr.Remove([]byte("zz")) // never added
	if tr.Prefixes() != 2 {
		t.Fatalf("prefixes %d after one of two removals, want 2", tr.Prefixes())
	}
	tr.Remove([]byte("ab"))
	tr.Remove([]byte("a"))
	if tr.Prefixes() != 0 {
		t.Fatalf("prefixes %d, want 0", tr.Prefixes())
	}
}

func TestMTriePrefixesAndRemovePipeAll(t *testing.T) {
	var m MTrie
	p1, _ := pipe.New(1, 1)
	p2, _ := pipe.New(1, 1)
	m.Add([]byte("x"), p1)
	m.Add([]byte("x"), p2)
	m.Add([]byte("y"), p1)
	m.Add([]byte("y"), p1)
	if m.Prefixes() != 2 || m.Size() != 3 {
		t.Fatalf("prefixes %d size %d, want 2 and 3", m.Prefixes(), m.Size())
	}
	var last, all []string
	m2 := MTrie{}
	m2.Add([]byte("x"), p1)
	m2.Add([]byte("x"), p2)
	m2.Add([]byte("y"), p1)
	m.RemovePipe(p1, func(b []byte) { last = append(last, string(b)) })
	m2.RemovePipeAll(p1, func(b []byte) { all = append(all, string(b)) })
	slices.Sort(all)
	if !slices.Equal(last, []string{"y"}) || !slices.Equal(all, []string{"x", "y"}) {
		t.Fatalf("RemovePipe reported %v, RemovePipeAll %v", last, all)
	}
	if m.Prefixes() != 1 || m2.Prefixes() != 1 {
		t.Fatalf("prefixes %d %d after removal, want 1", m.Prefixes(), m2.Prefixes())
	}
}
