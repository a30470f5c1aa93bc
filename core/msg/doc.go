// Package msg defines Frame, the unit every other package moves: one message
// part with its flags, an optional reference to an externally owned body
// (C memory handed in by capi, released exactly once) and optional
// connection metadata.
//
// Concurrency: a Frame is a value owned by exactly one party at a time (the
// caller, a pipe, an engine). Ownership moves with Send/Push/Pop; whoever
// drops a frame calls Release.
//
// Imports: standard library only.
package msg
