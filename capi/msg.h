/* gozmq: internal layout of zmq_msg_t and the C-side message bodies.
 *
 * zmq_msg_t is 64 caller-owned bytes (include/zmq.h). We overlay gz_msg on
 * them. Bodies of up to GZ_VSM_MAX bytes live inline ("very small message",
 * libzmq's vsm); larger bodies live in a refcounted gz_content block so that
 * zmq_msg_copy shares instead of copying, and so that a body can cross into
 * Go (zmq_msg_send) and back out (inproc zmq_msg_recv) without a copy.
 *
 * Nothing here ever stores a pointer to Go memory. The Go files of capi read
 * and writes these structs through cgo and calls the gz_content_* and
 * gz_meta_* functions below; it never frees C memory itself.
 */
#ifndef GOZMQ_MSG_H
#define GOZMQ_MSG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Matches zmq_free_fn in zmq.h; repeated so that Go's cgo preambles can
 * include this header without zmq.h. */
typedef void(gz_free_fn)(void *data_, void *hint_);

/* A refcounted, immutable body. data points either just after this header
 * (one allocation, for bodies below GZ_PAGE_ALIGN_MIN), to a separately
 * page-aligned block (large bodies: page alignment keeps memcpy and kernel
 * copies fast), or to user memory handed over by zmq_msg_init_data. */
typedef struct gz_content {
    void *data;
    size_t size;
    gz_free_fn *ffn;   /* user free function (init_data), or NULL */
    void *hint;        /* its hint */
    atomic_int refcnt; /* messages (C or Go) that reference this body */
    uint8_t kind;      /* GZ_CONTENT_* */
    uint8_t cls;       /* GZ_CONTENT_POOLED: its size class (gz_pool) */
} gz_content;

enum {
    GZ_CONTENT_INLINE = 1, /* data follows the header in the same malloc */
    GZ_CONTENT_ALIGNED = 2, /* data is a separate page-aligned allocation */
    GZ_CONTENT_USER = 3,    /* data is user memory, released through ffn */
    GZ_CONTENT_CONST = 4,   /* data is user memory never freed (send_const) */
    GZ_CONTENT_POOLED = 5,  /* like INLINE, from gz_pool: freed back to its free list */
    GZ_CONTENT_SHARED = 6,  /* one block many bodies are carved from (see gz_shared_new) */
};

/* Connection metadata (ZMTP properties plus Peer-Address, User-Id),
 * shared by every message received on one connection. Built by Go with
 * gz_meta_new from a packed blob of NUL-terminated key,value pairs;
 * zmq_msg_gets returns pointers into it, valid while the message lives. */
typedef struct gz_meta {
    atomic_int refcnt;
    int count;   /* number of key/value pairs */
    int fd;      /* the connection's descriptor (ZMQ_SRCFD), or -1 */
    size_t len;  /* bytes in blob */
    char blob[]; /* key\0value\0key\0value\0... */
} gz_meta;

#define GZ_VSM_MAX 40

enum {
    GZ_MSG_INVALID = 0, /* never initialised or closed: libzmq's EFAULT cases */
    GZ_MSG_VSM = 0x61,  /* body inline in u.vsm */
    GZ_MSG_LMSG = 0x62, /* body in u.lmsg.content */
};

/* Flags, with libzmq's values where they are visible (ZMQ_MORE = 1). */
enum {
    GZ_MSG_MORE = 1,
    GZ_MSG_COMMAND = 2,
    GZ_MSG_ROUTING_ID = 64, /* routing_id is set */
};

typedef struct gz_msg {
    union {
        uint8_t vsm[GZ_VSM_MAX];
        struct {
            gz_content *content;
            void *data; /* == content->data, cached for zmq_msg_data */
            size_t size;
        } lmsg;
    } u;                 /* 0..39 */
    gz_meta *meta;       /* 40..47: NULL or a counted reference */
    char *group;         /* 48..55: draft RADIO/DISH group, malloc'ed, or NULL */
    uint32_t routing_id; /* 56..59 */
    uint8_t type;        /* 60: GZ_MSG_* */
    uint8_t flags;       /* 61: GZ_MSG_MORE, ... */
    uint8_t vsm_size;    /* 62 */
    uint8_t reserved;    /* 63 */
} gz_msg;

_Static_assert(sizeof(gz_msg) == 64, "gz_msg must fill zmq_msg_t exactly");

/* Body allocation and release, used by msg.c and by Go (capi). */
gz_content *gz_content_alloc(size_t size); /* refcnt 1; NULL on ENOMEM */
gz_content *gz_content_user(void *data, size_t size, gz_free_fn *ffn, void *hint);
/* A block of GZ_SHARED_SIZE bytes that an engine's reader carves small
 * bodies out of for sockets whose application copies every part out as it
 * takes it (gozmq_recv_batch), and that copied sends are carved from too:
 * each body holds a reference on the block (messages
 * made of them point into it: their data and size are their own), and
 * the block is freed with its last one. This is libzmq's shared receive
 * buffer. Go sets the count (capi/body.go: carveBody). Data starts 64
 * bytes in, so the header's cache line is not a body's. */
gz_content *gz_shared_new(void);
#define GZ_SHARED_SIZE (16 * 1024)
void gz_content_ref(gz_content *c);
void gz_content_release(gz_content *c); /* runs ffn / frees at zero */
void gz_content_free(gz_content *c);    /* the same, once the count is zero */

gz_meta *gz_meta_new(const char *blob, size_t len, int count); /* refcnt 1 */
void gz_meta_ref(gz_meta *m);
void gz_meta_release(gz_meta *m);
const char *gz_meta_get(const gz_meta *m, const char *key); /* NULL if absent */

/* A pool of small bodies (41..1024 bytes) for received messages and for
 * zmq_msg_init_size. A received body costs no call into C: Go takes
 * bodies from gz_pool[cls] (capacity 64 << cls bytes, refcnt 1; Go sets
 * size) under its own lock and refills a class with gz_pool_fill, one
 * call for GZ_POOL_DEPTH bodies. Whoever drops a body's last reference
 * (usually the application thread in zmq_msg_close, or an engine's thread
 * once it wrote a sent body) puts it back (msg.c: a per-thread cache, then
 * a shared stack). malloc and free had cost a tenth of the 256 B receiver
 * and as much of the sender, mostly because the two ran on different
 * threads (a cross-thread free takes glibc's slow path and trims the heap,
 * with TLB shootdowns). The pool lives in C memory so that leak checkers
 * see it. */
#define GZ_POOL_CLASSES 5
#define GZ_POOL_DEPTH 64
extern gz_content *gz_pool[GZ_POOL_CLASSES][GZ_POOL_DEPTH];
int gz_pool_fill(int cls); /* fills gz_pool[cls]; returns how many (0 on ENOMEM) */
void gz_pool_spill(int cls, int from); /* gives gz_pool[cls][from..GZ_POOL_DEPTH) back */

/* Fill an initialised-or-not message with a body that Go owns a reference
 * to: the message takes over that reference. */
void gz_msg_set_content(gz_msg *m, gz_content *c, int flags);



/* More helpers for zmq.c (see msg.c). */
int gz_msg_valid(const gz_msg *m);
void gz_msg_forget_body(gz_msg *m);

#endif
