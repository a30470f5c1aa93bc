// Package mech implements ZMTP security mechanisms as I/O-free state
// machines (libzmq's mechanism_t): NULL (RFC 37 §4.1) and PLAIN (RFC 24).
// The engine writes what Start and Handle return and feeds Handle every
// command the peer sends, until Done; no sockets, clocks or goroutines
// live here, so every step is testable and fuzzable on its own.
//
// Imports: core/zmtp and the standard library.
package mech
