/* gozmq: handle slots and the per-socket receive and send caches.
 *
 * A context or socket handle is the address of a 32-byte gz_slot (zmq.c
 * carves them from never-freed slabs). Besides its tag, a socket's slot
 * points at the socket's caches, in C memory.
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
#ifndef GOZMQ_CACHE_H
#define GOZMQ_CACHE_H

#include <stdint.h>

#include "msg.h"

#define GZ_RXQ_CAP 128

typedef struct gz_rxq {
    uint32_t head; /* slot of the oldest cached part */
    uint32_t n;    /* cached parts */
    int rcvmore;   /* ZMQ_RCVMORE: MORE flag of the last part handed out */
    int pad;
    gz_msg slot[GZ_RXQ_CAP];
} gz_rxq;

/* The send cache is the same idea the other way: while sends come fast,
 * a goroutine of the socket (capi/sendcache.go) keeps taking parts from
 * this ring and sending them, so zmq_send and zmq_msg_send only fill a
 * slot, without entering Go. The application's thread is the only
 * producer; Go, holding the cache's lock, is the only consumer. A send
 * goes through the ring only while the goroutine runs (active) and only
 * within the credit Go grants (limit: how many messages the application
 * may have started through the ring in all, derived from the room the
 * socket had for new messages), so a ring send succeeds exactly when a
 * direct send would not have had to wait: SNDHWM holds as without it.
 * Anything else (no credit, a full ring, the goroutine stopped) takes the
 * direct way into Go, which first sends what the ring holds, keeping the
 * order. Counters run freely; a slot is counter % GZ_TXQ_CAP. Shared
 * fields are accessed with atomics on both sides. */
#define GZ_TXQ_CAP 256

/* zmq_send bodies of GZ_VSM_MAX+1 .. GZ_ARENA_MAX bytes are copied into
 * the ring's byte arena rather than into a malloc'ed body: Go copies them
 * out into its own small-body slabs when it takes the part, so neither
 * malloc nor free (nor a call from Go into C to free) is paid per message.
 * Parts are taken in order, so the arena is a FIFO of byte ranges. Such a
 * slot has type GZ_MSG_ARENA and only ever lives in a ring. */
#define GZ_ARENA_SIZE (64 * 1024)
#define GZ_ARENA_MAX 256
#define GZ_MSG_ARENA 0x63

typedef struct gz_arena_part {
    uint64_t reserved; /* arena bytes this part holds, padding included */
    void *data;
    size_t size;
} gz_arena_part; /* overlays gz_msg's u */

/* The fields each side writes often are on cache lines of their own (a
 * shared line bounced between the two CPUs on every part); each side
 * keeps a private copy of the other's counter and reloads it only when
 * the ring looks full (or empty), and Go publishes head once per batch. */
typedef struct gz_txq {
    /* The application's line. */
    _Alignas(64) uint32_t tail; /* parts queued by the application */
    uint32_t head_seen;         /* application: head as last loaded */
    int more;                   /* application: the last part it sent had MORE */
    int64_t started;            /* application: messages it started through the ring */
    uint8_t *arena;             /* GZ_ARENA_SIZE bytes, allocated on first use */
    uint64_t arena_tail;        /* bytes reserved by the application */
    uint64_t arena_head_seen;   /* application: arena_head as last loaded */
    /* Go's line. */
    _Alignas(64) uint32_t head; /* parts taken by Go */
    uint64_t arena_head;        /* arena bytes released by Go */
    /* Written by Go once per batch or less, read by the application. */
    _Alignas(64) uint32_t active; /* 1 while Go's goroutine takes parts */
    int64_t limit;                /* messages the application may start through the ring, in all */
    _Alignas(64) gz_msg slot[GZ_TXQ_CAP];
} gz_txq;

typedef struct gz_slot {
    uint32_t tag;
    uint32_t pad;
    gz_rxq *rxq; /* sockets with a receive cache; NULL otherwise */
    gz_txq *txq; /* sockets with a send cache; NULL otherwise */
    void *pad2;
} gz_slot;

_Static_assert(sizeof(gz_slot) == 32, "handle slots are 32 bytes apart");

#endif
