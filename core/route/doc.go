// Package route holds the routing strategies that socket types compose,
// as libzmq does: LoadBalancer (lb_t: round-robin over pipes with room),
// FairQueue (fq_t: round-robin over pipes with messages), Distributor
// (dist_t: one message to many pipes) and the helpers ROUTER and PUB need.
//
// Every strategy keeps its active pipes at the front of an Array, so
// choosing the next pipe is O(1) and a pipe that cannot proceed is swapped
// behind the active section until its wake-up reactivates it. Strategies
// work on frames and keep multipart messages atomic: every part of a
// message goes to (or comes from) the same pipe, and if that pipe dies in
// the middle the rest of the message is dropped.
//
// Concurrency: strategies are plain structs used under the owning socket's
// lock; they never block and start no goroutines.
//
// Imports: core/msg, core/pipe, core/zerr.
package route
