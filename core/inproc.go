package core

import (
	"github.com/gozmq/gozmq/core/msg"
	"github.com/gozmq/gozmq/core/pipe"
	"github.com/gozmq/gozmq/core/zerr"
)

// inproc joins two sockets' pipes directly: no engine, no encoding, and
// the frames (bodies included) move between the two sockets untouched.
// The context owns the namespace. A connect before the bind gets its pipe
// at once and the binder receives the other end when it binds, as in
// libzmq; the queue limits are then the sum of both sides' HWMs.

type inprocBinding struct {
	sock           *Socket
	endpoint       string
	sndHWM, rcvHWM int
	routingID      []byte
	hello          []byte // the binder's HELLO_MSG, if its type sends one
	disconnect     []byte // the binder's DISCONNECT_MSG, if its type takes one
}

type inprocPending struct {
	sock     *Socket // the connecter
	endpoint string
	bindEnd  *pipe.Pipe // the end the binder will get
	connEnd  *pipe.Pipe
}

// sumHWM is libzmq's rule for inproc pipes: both limits add up, and a
// zero (unlimited) on either side makes the pipe unlimited.
func sumHWM(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	return a + b
}

// bindInproc registers name. Called with s.mu held.
func (s *Socket) bindInproc(ep, name string) error {
	c := s.ctx
	c.mu.Lock()
	if _, taken := c.inproc[name]; taken {
		c.mu.Unlock()
		return zerr.ErrAddrInUse
	}
	c.inproc[name] = &inprocBinding{sock: s, endpoint: ep, sndHWM: s.opts.SndHWM,
		rcvHWM: s.opts.RcvHWM, routingID: append([]byte(nil), s.opts.RoutingID...),
		hello: s.opts.helloFor(s.typ), disconnect: s.opts.disconnectFor(s.typ)}
	pend := c.pending[name]
	delete(c.pending, name)
	c.mu.Unlock()
	for _, p := range pend {
		// The connecter sized the pipe alone; now both sides count.
		p.connEnd.Out.SetHWM(sumHWM(p.connEnd.Out.HWM(), s.opts.RcvHWM))
		p.connEnd.In.SetHWM(sumHWM(p.connEnd.In.HWM(), s.opts.SndHWM))
		p.connEnd.RoutingID = append([]byte(nil), s.opts.RoutingID...)
		p.connEnd.Farewell = s.opts.disconnectFor(s.typ)
		pushHello(p.bindEnd, s.opts.helloFor(s.typ))
		s.attachPipe(p.bindEnd, ep)
	}
	s.binds = append(s.binds, &binding{endpoint: ep, resolved: ep, inproc: name})
	s.lastEP = ep
	return nil
}

// connectInproc connects to name, bound or not yet. Called with s.mu held.
func (s *Socket) connectInproc(ep, name string) error {
	c := s.ctx
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.inproc[name]
	if b == nil {
		connEnd, bindEnd := pipe.New(s.opts.SndHWM, s.opts.RcvHWM)
		bindEnd.RoutingID = append([]byte(nil), s.opts.RoutingID...)
		c.pending[name] = append(c.pending[name], &inprocPending{sock: s, endpoint: ep, bindEnd: bindEnd, connEnd: connEnd})
		pushHello(connEnd, s.opts.helloFor(s.typ))
		s.attachPipe(connEnd, ep)
		s.lastEP = ep
		return nil
	}
	connEnd, bindEnd := pipe.New(sumHWM(s.opts.SndHWM, b.rcvHWM), sumHWM(s.opts.RcvHWM, b.sndHWM))
	connEnd.RoutingID = append([]byte(nil), b.routingID...)
	if s.opts.ConnectRoutingID != nil {
		connEnd.RoutingID = s.opts.ConnectRoutingID
		s.opts.ConnectRoutingID = nil
	}
	bindEnd.RoutingID = append([]byte(nil), s.opts.RoutingID...)
	connEnd.Farewell = b.disconnect
	pushHello(connEnd, s.opts.helloFor(s.typ))
	pushHello(bindEnd, b.hello)
	if b.sock == s {
		s.attachPipe(bindEnd, b.endpoint)
	} else if !b.sock.post(bindEnd, b.endpoint) {
		connEnd.Close()
		bindEnd.Close()
		return nil
	}
	s.attachPipe(connEnd, ep)
	s.lastEP = ep
	return nil
}

// pushHello queues a HELLO_MSG for the peer of p, ahead of anything
// else (libzmq's send_hello_msg for inproc pipes).
func pushHello(p *pipe.Pipe, hello []byte) {
	if hello != nil {
		p.Out.Push(&msg.Frame{Data: hello})
	}
}

// unbindInproc releases the name and ends its connections. Called with
// s.mu held.
func (s *Socket) unbindInproc(b *binding) {
	c := s.ctx
	c.mu.Lock()
	if ib := c.inproc[b.inproc]; ib != nil && ib.sock == s {
		delete(c.inproc, b.inproc)
	}
	c.mu.Unlock()
	s.processCommands() // pipes posted by connecters still in the mailbox
	for p, pep := range s.pipes {
		if pep == b.endpoint {
			s.detachPipe(p)
		}
	}
}

// disconnectInproc ends the pipes this socket made by connecting to ep.
// Called with s.mu held.
func (s *Socket) disconnectInproc(ep string) error {
	found := false
	for p, pep := range s.pipes {
		if pep == ep {
			s.detachPipe(p)
			found = true
		}
	}
	c := s.ctx
	c.mu.Lock()
	name := ep[len("inproc://"):]
	kept := c.pending[name][:0]
	for _, p := range c.pending[name] {
		if p.sock == s {
			found = true
			continue
		}
		kept = append(kept, p)
	}
	c.pending[name] = kept
	c.mu.Unlock()
	if !found {
		return zerr.ErrNotFound
	}
	return nil
}

// dropPending forgets a closed socket's inproc names and pending connects.
func (c *Context) dropPending(s *Socket) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, b := range c.inproc {
		if b.sock == s {
			delete(c.inproc, name)
		}
	}
	for name, ps := range c.pending {
		kept := ps[:0]
		for _, p := range ps {
			if p.sock != s {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			delete(c.pending, name)
		} else {
			c.pending[name] = kept
		}
	}
}
