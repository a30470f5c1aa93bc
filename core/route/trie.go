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
	pipes pipeSet
	next  map[byte]*mnode
}

// pipeSet is the pipes subscribed to one prefix: a slice that Match walks
// for every message, and an index for Add and Remove. A map alone cost
// each message a map iteration, whose randomised start draws from the
// runtime's generator (5% of proxy_thr's CPU).
type pipeSet struct {
	list []*pipe.Pipe
	at   map[*pipe.Pipe]int
}

func (s *pipeSet) len() int { return len(s.list) }

func (s *pipeSet) has(p *pipe.Pipe) bool {
	_, ok := s.at[p]
	return ok
}

// add inserts p; false if it was there.
func (s *pipeSet) add(p *pipe.Pipe) bool {
	if s.has(p) {
		return false
	}
	if s.at == nil {
		s.at = map[*pipe.Pipe]int{}
	}
	s.at[p] = len(s.list)
	s.list = append(s.list, p)
	return true
}

// remove deletes p (the last pipe takes its place); false if absent.
func (s *pipeSet) remove(p *pipe.Pipe) bool {
	i, ok := s.at[p]
	if !ok {
		return false
	}
	last := len(s.list) - 1
	if i != last {
		s.list[i] = s.list[last]
		s.at[s.list[i]] = i
	}
	s.list[last] = nil
	s.list = s.list[:last]
	delete(s.at, p)
	return true
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
	first = n.pipes.len() == 0
	if n.pipes.add(p) {
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
		if !n.pipes.remove(p) {
			return false
		}
		t.size--
		if n.pipes.len() == 0 {
			t.prefixes--
		}
		return n.pipes.len() == 0
	}
	k := n.next[prefix[0]]
	if k == nil {
		return false
	}
	last := t.remove(k, prefix[1:], p)
	if k.pipes.len() == 0 && len(k.next) == 0 {
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
		if n.pipes.remove(p) {
			t.size--
			if n.pipes.len() == 0 {
				t.prefixes--
			}
			if (all || n.pipes.len() == 0) && fn != nil {
				fn(append([]byte(nil), buf...))
			}
		}
		for c, k := range n.next {
			if walk(k, append(buf, c)) {
				delete(n.next, c)
			}
		}
		return n.pipes.len() == 0 && len(n.next) == 0
	}
	walk(&t.root, nil)
}

// Match calls fn for every pipe subscribed to a prefix of data (a pipe
// subscribed to several matching prefixes is reported for each).
func (t *MTrie) Match(data []byte, fn func(p *pipe.Pipe)) {
	n := &t.root
	for i := 0; ; i++ {
		for _, p := range n.pipes.list {
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
