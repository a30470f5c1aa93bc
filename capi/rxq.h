/* gozmq: handle slots and the per-socket receive cache.
 *
 * A context or socket handle is the address of a 16-byte gz_slot (zmq.c
 * carves them from never-freed slabs). Besides its tag, a socket's slot
 * points at the socket's receive cache, in C memory.
 *
 * The receive cache exists because a call from C into Go costs 100-300 ns
 * here, more than everything else a small message costs libzmq. When a
 * receive has to call into Go anyway (the cache is empty), Go returns the
 * part asked for and also moves up to GZ_RXQ_CAP parts that are already
 * queued into the cache (core.Socket.Prefetch); the following receives
 * take them from here without entering Go. Only the thread that uses the
 * socket touches the cache, inside its own zmq_* calls (a socket is not
 * thread-safe; the thread-safe draft types get no cache), so it needs no
 * lock: Go fills it during a call made by that same thread.
 *
 * What the application can observe stays as without the cache:
 * ZMQ_EVENTS and zmq_poll report POLLIN while it holds parts, ZMQ_RCVMORE
 * is the MORE flag of the last part handed out, an unsubscription drops
 * cached messages it no longer admits, and zmq_close discards them as it
 * discards queued ones. */
#ifndef GOZMQ_RXQ_H
#define GOZMQ_RXQ_H

#include <stdint.h>

#include "msg.h"

#define GZ_RXQ_CAP 32

typedef struct gz_rxq {
    uint32_t head; /* slot of the oldest cached part */
    uint32_t n;    /* cached parts */
    int rcvmore;   /* ZMQ_RCVMORE: MORE flag of the last part handed out */
    int pad;
    gz_msg slot[GZ_RXQ_CAP];
} gz_rxq;

typedef struct gz_slot {
    uint32_t tag;
    uint32_t pad;
    gz_rxq *rxq; /* sockets with a receive cache; NULL otherwise */
} gz_slot;

_Static_assert(sizeof(gz_slot) == 16, "handle slots are 16 bytes apart");

#endif
