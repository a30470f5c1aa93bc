package route

import "github.com/gozmq/gozmq/core/pipe"

// Trie counts prefix subscriptions (libzmq's trie_t): SUB filters what it
// receives with it, and XSUB uses the counts so that only the first
// subscription to a topic and the last cancellation travel upstream.
type Trie struct {
	root     tnode
	prefixes int // distinct prefixes with a subscription (ZMQ_TOPICS_COUNT)
}

type tnode struct {
	count int
	next  map[byte]*tnode
}

// Add counts one subscription to prefix; it reports whether it is the
// first.
func (t *Trie) Add(prefix []byte) bool {
	n := &t.root
	for _, c := range prefix {
		if n.next == nil {
			n.next = map[byte]*tnode{}
		}
		k := n.next[c]
		if k == nil {
			k = &tnode{}
			n.next[c] = k
		}
		n = k
	}
	n.count++
	if n.count == 1 {
		t.prefixes++
	}
	return n.count == 1
}

// Prefixes is the number of distinct subscribed prefixes.
func (t *Trie) Prefixes() int { return t.prefixes }

// Remove drops one subscription to prefix; it reports whether that was the
// last one. Removing what was never added is a no-op returning false.
func (t *Trie) Remove(prefix []byte) bool {
	last := remove(&t.root, prefix)
	if last {
		t.prefixes--
	}
	return last
}

func remove(n *tnode, prefix []byte) bool {
	if len(prefix) == 0 {
		if n.count == 0 {
			return false
		}
		n.count--
		return n.count == 0
	}
	k := n.next[prefix[0]]
	if k == nil {
		return false
	}
	last := remove(k, prefix[1:])
	if k.count == 0 && len(k.next) == 0 {
		delete(n.next, prefix[0])
	}
	return last
}

// Match reports whether any subscription is a prefix of data.
func (t *Trie) Match(data []byte) bool {
	n := &t.root
	for i := 0; ; i++ {
		if n.count > 0 {
			return true
		}
		if i == len(data) || n.next == nil {
			return false
		}
		if n = n.next[data[i]]; n == nil {
			return false
		}
	}
}

// Each calls fn for every subscribed prefix (with its count), for
// re-sending subscriptions to a new peer.
func (t *Trie) Each(fn func(prefix []byte, count int)) {
	var walk func(n *tnode, buf []byte)
	walk = func(n *tnode, buf []byte) {
		if n.count > 0 {
			fn(buf, n.count)
		}
		for c, k := range n.next {
			walk(k, append(buf, c))
		}
	}
	walk(&t.root, nil)
}

// MTrie maps prefixes to the pipes subscribed to them (libzmq's mtrie_t):
// XPUB and PUB match each outgoing message against it. A lookup walks at
// most len(message) nodes, whatever the number of subscriptions.
type MTrie struct {
	root     mnode
	size     int
	prefixes int // prefixes with at least one pipe (ZMQ_TOPICS_COUNT)
}

type mnode struct {
	pipes map[*pipe.Pipe]struct{}
	next  map[byte]*mnode
}

// Add subscribes p to prefix; it reports whether the prefix had no
// subscriber before (so XPUB passes it upstream once).
func (t *MTrie) Add(prefix []byte, p *pipe.Pipe) (first bool) {
	n := &t.root
	for _, c := range prefix {
		if n.next == nil {
			n.next = map[byte]*mnode{}
		}
		k := n.next[c]
		if k == nil {
			k = &mnode{}
			n.next[c] = k
		}
		n = k
	}
	if n.pipes == nil {
		n.pipes = map[*pipe.Pipe]struct{}{}
	}
	first = len(n.pipes) == 0
	if _, dup := n.pipes[p]; !dup {
		n.pipes[p] = struct{}{}
		t.size++
	}
	if first {
		t.prefixes++
	}
	return first
}

// Remove unsubscribes p from prefix; it reports whether the prefix has no
// subscriber left (and existed).
func (t *MTrie) Remove(prefix []byte, p *pipe.Pipe) (last bool) {
	return t.remove(&t.root, prefix, p)
}

func (t *MTrie) remove(n *mnode, prefix []byte, p *pipe.Pipe) bool {
	if len(prefix) == 0 {
		if _, ok := n.pipes[p]; !ok {
			return false
		}
		delete(n.pipes, p)
		t.size--
		if len(n.pipes) == 0 {
			t.prefixes--
		}
		return len(n.pipes) == 0
	}
	k := n.next[prefix[0]]
	if k == nil {
		return false
	}
	last := t.remove(k, prefix[1:], p)
	if len(k.pipes) == 0 && len(k.next) == 0 {
		delete(n.next, prefix[0])
	}
	return last
}

// RemovePipe drops every subscription of p, calling fn with each prefix
// that lost its last subscriber.
func (t *MTrie) RemovePipe(p *pipe.Pipe, fn func(prefix []byte)) { t.removePipe(p, fn, false) }

// RemovePipeAll drops every subscription of p, calling fn with each of
// its prefixes, whoever else subscribes to them (XPUB_MANUAL's
// cancellations on a peer's departure).
func (t *MTrie) RemovePipeAll(p *pipe.Pipe, fn func(prefix []byte)) { t.removePipe(p, fn, true) }

func (t *MTrie) removePipe(p *pipe.Pipe, fn func(prefix []byte), all bool) {
	var walk func(n *mnode, buf []byte) bool
	walk = func(n *mnode, buf []byte) bool {
		if _, ok := n.pipes[p]; ok {
			delete(n.pipes, p)
			t.size--
			if len(n.pipes) == 0 {
				t.prefixes--
			}
			if (all || len(n.pipes) == 0) && fn != nil {
				fn(append([]byte(nil), buf...))
			}
		}
		for c, k := range n.next {
			if walk(k, append(buf, c)) {
				delete(n.next, c)
			}
		}
		return len(n.pipes) == 0 && len(n.next) == 0
	}
	walk(&t.root, nil)
}

// Match calls fn for every pipe subscribed to a prefix of data (a pipe
// subscribed to several matching prefixes is reported for each).
func (t *MTrie) Match(data []byte, fn func(p *pipe.Pipe)) {
	n := &t.root
	for i := 0; ; i++ {
		for p := range n.pipes {
			fn(p)
		}
		if i == len(data) || n.next == nil {
			return
		}
		if n = n.next[data[i]]; n == nil {
			return
		}
	}
}

// Prefixes is the number of distinct prefixes someone subscribes to.
func (t *MTrie) Prefixes() int { return t.prefixes }

// Size is the number of (prefix, pipe) subscriptions.
func (t *MTrie) Size() int { return t.size }
