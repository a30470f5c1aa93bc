// Command capi is the C face of gozmq: built with -buildmode=c-shared it
// becomes libzmq.so.5.
//
// The public zmq_* symbols are C functions (zmq.c, msg.c, util.c). The
// message functions run entirely in C over the 64-byte zmq_msg_t; the
// others make exactly one call into Go, to a gz_* export here, which
// returns 0 or an errno and passes results through out-parameters.
// Contexts and sockets cross the boundary as handles: addresses of small
// never-freed C slots, looked up by value in a Go table, so a stale or
// garbage handle yields ENOTSOCK/EFAULT instead of a crash, and C never
// holds a Go pointer. A linker version script (libzmq.vers) exports
// exactly libzmq's symbols.
//
// Only this package imports "C" (besides its test helper). Nothing
// imports it.
package main

func main() {}
