#define _GNU_SOURCE /* ppoll */
/* gozmq: the zmq_* functions that cross into Go.
 *
 * Each one validates what C can validate, makes exactly one call into a
 * gz_* Go export and turns its result into libzmq's convention: the Go
 * side returns 0 or an errno; here errno is set and -1 returned. The
 * zmq_msg_* functions live in msg.c and never cross; utilities that need
 * no Go live in util.c.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "zmq.h"
#include "msg.h"
#include "cache.h"
#include "util.h"
#include "_cgo_export.h"

/* ---- handles ---------------------------------------------------------
 * A context or socket handle is the address of a 32-byte slot carved from
 * a never-freed slab. The Go side maps the address to the object; the slot
 * only holds a tag, so code that peeks behind a libzmq pointer (czmq's
 * zsock_is) reads valid memory. Slots are never reused, so a stale handle
 * can never name a newer object. */
#define GZ_SLAB_SLOTS 4096
#define GZ_MAX_SLABS 1024

static pthread_mutex_t slab_lock = PTHREAD_MUTEX_INITIALIZER;
static gz_slot *slab;
static size_t slab_used = GZ_SLAB_SLOTS;

/* Every slab, so that rxq_of can tell a slot of ours from any other
 * pointer before reading it. Entries are written before nslabs counts
 * them (release), and never change after. Slabs past the table still
 * work, without receive caches. */
static gz_slot *slabs[GZ_MAX_SLABS];
static atomic_int nslabs;

void *gz_handle_slot(uint32_t tag)
{
    gz_slot *s = NULL;
    pthread_mutex_lock(&slab_lock);
    if (slab_used == GZ_SLAB_SLOTS) {
        gz_slot *fresh = calloc(GZ_SLAB_SLOTS, sizeof(gz_slot));
        if (fresh) {
            slab = fresh;
            slab_used = 0;
            int k = atomic_load_explicit(&nslabs, memory_order_relaxed);
            if (k < GZ_MAX_SLABS) {
                slabs[k] = fresh;
                atomic_store_explicit(&nslabs, k + 1, memory_order_release);
            }
        }
    }
    if (slab_used < GZ_SLAB_SLOTS)
        s = &slab[slab_used++];
    pthread_mutex_unlock(&slab_lock);
    if (s)
        s->tag = tag;
    return s;
}

#define GZ_TAG_SOCKET 0x677a7331u /* capi/handles.go: tagSocket */

/* slot_of returns socket handle s's slot, or NULL for a pointer that is
 * not one of our socket slots (which is then left for Go to refuse with
 * ENOTSOCK). A closed socket's slot has no caches. Newest slabs first:
 * they hold the sockets in use. */
static gz_slot *slot_of(void *s)
{
    uintptr_t p = (uintptr_t) s;
    for (int i = atomic_load_explicit(&nslabs, memory_order_acquire) - 1; i >= 0; i--) {
        uintptr_t base = (uintptr_t) slabs[i];
        if (p - base < GZ_SLAB_SLOTS * sizeof(gz_slot)) {
            if ((p - base) % sizeof(gz_slot) != 0)
                return NULL;
            gz_slot *slot = (gz_slot *) s;
            return slot->tag == GZ_TAG_SOCKET ? slot : NULL;
        }
    }
    return NULL;
}

static gz_rxq *rxq_of(void *s)
{
    gz_slot *slot = slot_of(s);
    return slot ? slot->rxq : NULL;
}

static gz_txq *txq_of(void *s)
{
    gz_slot *slot = slot_of(s);
    return slot ? slot->txq : NULL;
}

/* Set once any context has been shut down or terminated. From then on a
 * cache is used only after asking Go whether the socket's context is
 * ending: libzmq fails a send or receive with ETERM at once then, even
 * with messages queued, and so do we (the Go path reports it). */
static atomic_int ctx_ended;

static int caches_usable(void *s)
{
    return !atomic_load_explicit(&ctx_ended, memory_order_relaxed) || !gz_ctx_ending((uintptr_t) s);
}

/* txq_slot returns the slot for the application's next part if the send
 * cache may take it now (see cache.h), else NULL. */
static gz_msg *txq_slot(void *s, gz_txq *q)
{
    if (!__atomic_load_n(&q->active, __ATOMIC_SEQ_CST) || !caches_usable(s))
        return NULL;
    if (!q->more && q->started >= __atomic_load_n(&q->limit, __ATOMIC_ACQUIRE))
        return NULL;
    if (q->tail - q->head_seen >= GZ_TXQ_CAP) {
        q->head_seen = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
        if (q->tail - q->head_seen >= GZ_TXQ_CAP)
            return NULL;
    }
    return &q->slot[q->tail % GZ_TXQ_CAP];
}

/* txq_arena copies a zmq_send body into the ring's arena (cache.h) and
 * makes m an arena part; 0 if the arena has no room (or no memory). */
static int txq_arena(gz_txq *q, gz_msg *m, const void *buf, size_t len)
{
    if (!q->arena && !(q->arena = malloc(GZ_ARENA_SIZE)))
        return 0;
    size_t need = (len + 15) & ~(size_t) 15; /* keeps bodies 16-byte aligned */
    uint64_t tail = q->arena_tail;
    size_t off = tail % GZ_ARENA_SIZE;
    size_t pad = off + need > GZ_ARENA_SIZE ? GZ_ARENA_SIZE - off : 0; /* wrap */
    if (tail + pad + need - q->arena_head_seen > GZ_ARENA_SIZE) {
        q->arena_head_seen = __atomic_load_n(&q->arena_head, __ATOMIC_ACQUIRE);
        if (tail + pad + need - q->arena_head_seen > GZ_ARENA_SIZE)
            return 0;
    }
    gz_arena_part *a = (gz_arena_part *) m;
    a->reserved = pad + need;
    a->data = q->arena + (pad ? 0 : off);
    a->size = len;
    memcpy(a->data, buf, len);
    m->meta = NULL;
    m->group = NULL;
    m->type = GZ_MSG_ARENA;
    q->arena_tail = tail + pad + need;
    return 1;
}

/* txq_commit publishes the part just written into txq_slot's slot. If
 * Go's goroutine stopped meanwhile, nobody may be left to take it: Go
 * sends it now (Go's goroutine clears active before its last look at the
 * ring, and this reads active after publishing, so one of the two sees
 * the part). */
static void txq_commit(void *s, gz_txq *q, gz_msg *m, int flags)
{
    m->flags = (flags & ZMQ_SNDMORE) ? GZ_MSG_MORE : 0;
    if (!q->more)
        q->started++;
    q->more = (flags & ZMQ_SNDMORE) != 0;
    __atomic_store_n(&q->tail, q->tail + 1, __ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&q->active, __ATOMIC_SEQ_CST))
        gz_txq_flush((uintptr_t) s);
}

/* rxq_pop moves the oldest cached part into *m (which holds no body). */
static void rxq_pop(gz_rxq *q, gz_msg *m)
{
    memcpy(m, &q->slot[q->head], sizeof *m);
    q->head = (q->head + 1) % GZ_RXQ_CAP;
    q->n--;
    q->rcvmore = (m->flags & GZ_MSG_MORE) != 0;
}

/* rxq_free discards what the cache holds and the cache itself. */
static void rxq_free(gz_rxq *q)
{
    while (q->n) {
        gz_msg m;
        rxq_pop(q, &m);
        zmq_msg_close((zmq_msg_t *) &m);
    }
    free(q);
}

/* rxq_refilter drops the cached messages that a SUB socket's changed
 * subscriptions no longer admit (libzmq filters queued messages when they
 * are received, so an unsubscription applies to them too). A message is
 * judged by its first part; parts continuing a message the application
 * has begun to receive are kept. Rare, so one call into Go per message is
 * fine. */
static void rxq_refilter(void *s, gz_rxq *q)
{
    gz_msg keep[GZ_RXQ_CAP];
    uint32_t kept = 0;
    int cont = q->rcvmore, drop = 0;
    int rcvmore = q->rcvmore;
    while (q->n) {
        gz_msg m;
        rxq_pop(q, &m);
        if (!cont)
            drop = gz_wanted((uintptr_t) s, zmq_msg_data((zmq_msg_t *) &m), zmq_msg_size((zmq_msg_t *) &m)) == 0;
        cont = (m.flags & GZ_MSG_MORE) != 0;
        if (drop)
            zmq_msg_close((zmq_msg_t *) &m);
        else
            memcpy(&keep[kept++], &m, sizeof m);
    }
    memcpy(q->slot, keep, kept * sizeof keep[0]);
    q->head = 0;
    q->n = kept;
    q->rcvmore = rcvmore;
}

/* ---- helpers ---------------------------------------------------------- */
static int fail(int e)
{
    errno = e;
    return -1;
}

#define RET(call)                                                              \
    do {                                                                       \
        int rc_ = (call);                                                      \
        return rc_ ? fail(rc_) : 0;                                            \
    } while (0)

/* The common shape of a socket call: fork guard, NULL check, one call
 * into Go, errno convention. */
#define SOCKET_CALL(s, call)                                                   \
    do {                                                                       \
        GZ_FORK_GUARD(-1);                                                     \
        if (!(s))                                                              \
            return fail(ENOTSOCK);                                             \
        RET(call);                                                             \
    } while (0)

#define CLAMP(sz) ((int) ((sz) < (size_t) INT_MAX ? (sz) : (size_t) INT_MAX))

/* ---- blocking ------------------------------------------------------------
 * The Go side never blocks. When a call must wait it returns GZ_WOULDBLOCK
 * with an fd (a socket's or context's eventfd) and a timeout, and the wait
 * happens here, in poll(2) on the caller's thread and C stack: a signal
 * then interrupts it with EINTR (pyzmq's Ctrl-C), and a handler installed
 * without SA_ONSTACK never runs on a goroutine stack. */
#define GZ_WOULDBLOCK (-1)

/* gz_ppoll is poll(2) for the library's own waits, with SIGURG held off
 * for the duration. A thread that has called into Go can receive the Go
 * runtime's preemption signal (SIGURG) at any time afterwards, even while
 * it waits here in C; plain poll would return a spurious EINTR that the
 * application never caused (measured: zmq_proxy died on it about once in
 * 25 runs). ppoll blocks just that signal while waiting, so only the
 * application's own signals interrupt a wait. */
static int gz_ppoll(struct pollfd *fds, nfds_t n, int timeout_ms, const sigset_t *app)
{
    sigset_t mask;
    if (app)
        mask = *app; /* zmq_ppoll: the application's mask for the wait */
    else
        pthread_sigmask(SIG_SETMASK, NULL, &mask);
    sigaddset(&mask, SIGURG);
    struct timespec ts, *tsp = NULL;
    if (timeout_ms >= 0) {
        ts.tv_sec = timeout_ms / 1000;
        ts.tv_nsec = (long) (timeout_ms % 1000) * 1000000L;
        tsp = &ts;
    }
    return ppoll(fds, n, tsp, &mask);
}

/* Threads waiting in gz_wait_mask right now, and how many may wait at
 * once before the Go runtime needs more Ps (0: never ask). See procs.go:
 * each waiting thread holds a P until the runtime takes it back. */
static atomic_int gz_waiters;
static atomic_int gz_waiters_max;

void gz_set_waiters_max(int n) { atomic_store(&gz_waiters_max, n); }

static int gz_wait_mask(struct pollfd *fds, nfds_t n, int timeout_ms, const sigset_t *app)
{
    int max = atomic_load_explicit(&gz_waiters_max, memory_order_relaxed);
    int waiting = atomic_fetch_add(&gz_waiters, 1) + 1;
    if (max > 0 && waiting >= max)
        gz_more_procs();
    int r = gz_ppoll(fds, n, timeout_ms, app);
    int e = errno;
    atomic_fetch_sub(&gz_waiters, 1);
    errno = e;
    return r;
}

static int gz_wait(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    return gz_wait_mask(fds, n, timeout_ms, NULL);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to become readable, honouring a timeout (ms, -1 forever)
 * that started at the first wait. Once it has passed, *flags gains
 * ZMQ_DONTWAIT so the caller's next attempt is its last. Returns -1 with
 * errno EINTR if a signal interrupted the wait. */
static int wait_fd(int fd, int timeo, int64_t *deadline, int *flags)
{
    int ms = -1;
    if (timeo > 0) {
        int64_t now = now_ms();
        if (*deadline == 0)
            *deadline = now + timeo;
        if (*deadline <= now) {
            *flags |= ZMQ_DONTWAIT;
            return 0;
        }
        ms = (int) (*deadline - now);
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = gz_wait(&p, 1, ms);
    if (r < 0 && errno == EINTR)
        return -1;
    if (r == 0)
        *flags |= ZMQ_DONTWAIT;
    return 0;
}

/* Makes attempts with `call` (which may use the locals timeo and fd)
 * until one does not ask to wait, waiting in between; a signal during a
 * wait leaves rc = GZ_INTERRUPTED with errno EINTR. */
#define GZ_INTERRUPTED (-2)
#define BLOCKING(rc, call)                                                     \
    do {                                                                       \
        int64_t deadline_ = 0;                                                 \
        for (;;) {                                                             \
            int timeo = 0, fd = -1;                                            \
            (rc) = (call);                                                     \
            if ((rc) != GZ_WOULDBLOCK)                                         \
                break;                                                         \
            if (wait_fd(fd, timeo, &deadline_, &flags) < 0) {                  \
                (rc) = GZ_INTERRUPTED;                                         \
                break;                                                         \
            }                                                                  \
        }                                                                      \
    } while (0)

/* ---- contexts --------------------------------------------------------- */
void *zmq_ctx_new(void)
{
    uintptr_t h = 0;
    GZ_FORK_GUARD(NULL);
    int rc = gz_ctx_new(&h);
    if (rc) {
        errno = rc;
        return NULL;
    }
    return (void *) h;
}

int zmq_ctx_term(void *ctx)
{
    GZ_FORK_GUARD(-1);
    if (!ctx)
        return fail(EFAULT);
    atomic_store(&ctx_ended, 1);
    for (;;) {
        int fd = -1;
        int rc = gz_ctx_term((uintptr_t) ctx, &fd);
        if (rc != GZ_WOULDBLOCK)
            return rc ? fail(rc) : 0;
        struct pollfd p = {fd, POLLIN, 0};
        if (gz_wait(&p, 1, -1) < 0 && errno == EINTR)
            return -1; /* libzmq: "can be restarted" */
    }
}

int zmq_ctx_shutdown(void *ctx)
{
    GZ_FORK_GUARD(-1);
    if (!ctx)
        return fail(EFAULT);
    atomic_store(&ctx_ended, 1);
    RET(gz_ctx_shutdown((uintptr_t) ctx));
}

int zmq_ctx_set(void *ctx, int option, int optval)
{
    GZ_FORK_GUARD(-1);
    if (!ctx)
        return fail(EFAULT);
    RET(gz_ctx_set((uintptr_t) ctx, option, optval));
}

int zmq_ctx_get(void *ctx, int option)
{
    int v = 0;
    GZ_FORK_GUARD(-1);
    if (!ctx)
        return fail(EFAULT);
    int rc = gz_ctx_get((uintptr_t) ctx, option, &v);
    return rc ? fail(rc) : v;
}

int zmq_ctx_destroy(void *ctx) { return zmq_ctx_term(ctx); }

void *zmq_init(int io_threads)
{
    if (io_threads < 0) {
        errno = EINVAL;
        return NULL;
    }
    void *ctx = zmq_ctx_new();
    if (ctx)
        zmq_ctx_set(ctx, ZMQ_IO_THREADS, io_threads);
    return ctx;
}

int zmq_term(void *ctx) { return zmq_ctx_term(ctx); }

/* ---- sockets ---------------------------------------------------------- */
void *zmq_socket(void *ctx, int type)
{
    uintptr_t h = 0;
    GZ_FORK_GUARD(NULL);
    if (!ctx) {
        errno = EFAULT;
        return NULL;
    }
    int cache = 0;
    int rc = gz_socket((uintptr_t) ctx, type, &h, &cache);
    if (rc) {
        errno = rc;
        return NULL;
    }
    /* Without memory for a receive cache the socket simply has none. */
    if (cache & 1)
        ((gz_slot *) h)->rxq = calloc(1, sizeof(gz_rxq));
    if (cache & 2)
        ((gz_slot *) h)->txq = calloc(1, sizeof(gz_txq));
    return (void *) h;
}

int zmq_close(void *s)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    gz_slot *slot = slot_of(s);
    /* Go stops the send cache's goroutine and sends what the ring holds
     * before closing (so LINGER applies to it); then nothing in Go
     * touches the caches any more. */
    int rc = gz_close((uintptr_t) s);
    if (rc)
        return fail(rc);
    if (slot && slot->rxq) {
        gz_rxq *q = slot->rxq;
        slot->rxq = NULL;
        rxq_free(q);
    }
    if (slot && slot->txq) {
        gz_txq *q = slot->txq;
        slot->txq = NULL;
        /* Parts Go could not send (no peer took them before close). */
        for (; q->head != q->tail; q->head++) {
            gz_msg *m = &q->slot[q->head % GZ_TXQ_CAP];
            if (m->type != GZ_MSG_ARENA)
                zmq_msg_close((zmq_msg_t *) m);
        }
        free(q->arena);
        free(q);
    }
    return 0;
}

int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    int rc = gz_setsockopt((uintptr_t) s, option, (void *) optval, optvallen);
    if (rc)
        return fail(rc);
    if (option == ZMQ_UNSUBSCRIBE || option == ZMQ_INVERT_MATCHING) {
        gz_rxq *q = rxq_of(s);
        if (q && q->n)
            rxq_refilter(s, q);
    }
    return 0;
}

int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    int rc = gz_getsockopt((uintptr_t) s, option, optval, optvallen);
    if (rc)
        return fail(rc);
    /* Go validated the call and wrote an int; the cache adjusts it. */
    gz_rxq *q = (option == ZMQ_EVENTS || option == ZMQ_RCVMORE) ? rxq_of(s) : NULL;
    if (q && option == ZMQ_EVENTS && q->n)
        *(int *) optval |= ZMQ_POLLIN;
    if (q && option == ZMQ_RCVMORE)
        *(int *) optval = q->rcvmore;
    return 0;
}

int zmq_bind(void *s, const char *addr)
{
    SOCKET_CALL(s, gz_bind((uintptr_t) s, (char *) addr));
}

int zmq_connect(void *s, const char *addr)
{
    SOCKET_CALL(s, gz_connect((uintptr_t) s, (char *) addr));
}

int zmq_unbind(void *s, const char *addr)
{
    SOCKET_CALL(s, gz_unbind((uintptr_t) s, (char *) addr));
}

int zmq_disconnect(void *s, const char *addr)
{
    SOCKET_CALL(s, gz_disconnect((uintptr_t) s, (char *) addr));
}

/* ---- send and receive ------------------------------------------------- */
int zmq_send(void *s, const void *buf, size_t len, int flags)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!buf && len)
        return fail(EFAULT);
    gz_txq *q = txq_of(s);
    gz_msg *m = q ? txq_slot(s, q) : NULL;
    if (m && len > GZ_VSM_MAX && len <= GZ_ARENA_MAX && txq_arena(q, m, buf, len)) {
        txq_commit(s, q, m, flags);
        return CLAMP(len);
    }
    if (m) {
        /* A copy of the caller's buffer, as zmq_msg_init_size would make. */
        if (zmq_msg_init_size((zmq_msg_t *) m, len) == 0) {
            if (len)
                memcpy(zmq_msg_data((zmq_msg_t *) m), buf, len);
            txq_commit(s, q, m, flags);
            return CLAMP(len);
        }
    }
    int rc;
    BLOCKING(rc, gz_send((uintptr_t) s, (void *) buf, len, flags, q, &timeo, &fd));
    if (rc == GZ_INTERRUPTED)
        return -1;
    if (rc)
        return fail(rc);
    if (q)
        q->more = (flags & ZMQ_SNDMORE) != 0;
    return CLAMP(len);
}

int zmq_recv(void *s, void *buf, size_t len, int flags)
{
    size_t full = 0;
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!buf && len)
        return fail(EFAULT);
    gz_rxq *q = rxq_of(s);
    if (q && q->n && caches_usable(s)) {
        gz_msg m;
        rxq_pop(q, &m);
        full = zmq_msg_size((zmq_msg_t *) &m);
        if (len)
            memcpy(buf, zmq_msg_data((zmq_msg_t *) &m), full < len ? full : len);
        zmq_msg_close((zmq_msg_t *) &m);
        return CLAMP(full);
    }
    int rc, more = 0;
    BLOCKING(rc, gz_recv((uintptr_t) s, buf, len, flags, &full, &more, q, &timeo, &fd));
    if (rc == GZ_INTERRUPTED)
        return -1;
    if (rc)
        return fail(rc);
    if (q)
        q->rcvmore = more;
    return CLAMP(full);
}

int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!msg)
        return fail(EFAULT);
    size_t size = zmq_msg_size(msg);
    gz_txq *q = txq_of(s);
    gz_msg *m = q && gz_msg_valid((gz_msg *) msg) && !((gz_msg *) msg)->group ? txq_slot(s, q) : NULL;
    if (m) {
        /* The slot takes the message over; metadata of a received message
         * is not sent, so it is let go here. */
        memcpy(m, msg, sizeof *m);
        gz_meta_release(m->meta);
        m->meta = NULL;
        zmq_msg_init(msg);
        txq_commit(s, q, m, flags);
        return CLAMP(size);
    }
    int rc;
    BLOCKING(rc, gz_msg_send((uintptr_t) s, msg, flags, q, &timeo, &fd));
    if (rc == GZ_INTERRUPTED)
        return -1;
    if (rc)
        return fail(rc);
    if (q)
        q->more = (flags & ZMQ_SNDMORE) != 0;
    /* Go now owns the body (or copied an inline one): forget it. */
    gz_msg_forget_body((gz_msg *) msg);
    return CLAMP(size);
}

int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
{
    gz_msg fresh;
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!gz_msg_valid((gz_msg *) msg))
        return fail(EFAULT);
    gz_rxq *q = rxq_of(s);
    if (q && q->n && caches_usable(s)) {
        zmq_msg_close(msg);
        rxq_pop(q, (gz_msg *) msg);
        return CLAMP(zmq_msg_size(msg));
    }
    memset(&fresh, 0, sizeof fresh);
    int rc;
    BLOCKING(rc, gz_msg_recv((uintptr_t) s, &fresh, flags, q, &timeo, &fd));
    if (rc == GZ_INTERRUPTED)
        return -1;
    if (rc)
        return fail(rc);
    if (q)
        q->rcvmore = (fresh.flags & GZ_MSG_MORE) != 0;
    zmq_msg_close(msg);
    memcpy(msg, &fresh, sizeof fresh);
    return CLAMP(zmq_msg_size(msg));
}

/* gozmq_recv_batch is gozmq's one extension to the API (not in zmq.h):
 * bindings for which a foreign call costs more than the whole receive
 * (Python's ctypes: 0.3-0.7 us a call) take several parts per call.
 *
 *   int gozmq_recv_batch(void *s, zmq_msg_t *msg, void *buf, size_t bufsize,
 *                        size_t *sizes, unsigned char *more, int max, int flags);
 *
 * The first part is received exactly as zmq_msg_recv(msg, s, flags)
 * receives it (ZMQ_DONTWAIT, ZMQ_RCVTIMEO, EINTR, ETERM, ENOTSOCK alike).
 * Then up to max-1 further parts are taken that are already here: those
 * the socket's receive cache holds (cache.h) if it holds any, else those
 * queued in Go, which Go copies into buf itself (gz_recv_batch). So the
 * call enters Go at most once, and not at all while the cache holds
 * parts. Bodies are copied into buf back to back (part i at the sum of
 * sizes[0..i-1]),
 * with sizes[i] and more[i] (its ZMQ_MORE flag); the messages are closed
 * here, and msg is left empty. Returns how many parts it copied.
 *
 * No part is lost or cut: the batch stops before a part that does not
 * fit in what is left of buf (the next call receives it), and a first
 * part larger than bufsize is left whole in msg, as zmq_msg_recv leaves
 * it, and 0 is returned. ZMQ_RCVMORE afterwards is the MORE flag of the
 * last part handed out. On error, -1 with errno: zmq_msg_recv's, or
 * EFAULT for a NULL buf (with bufsize > 0), sizes or more, EINVAL for
 * max < 1.
 *
 * With GOZMQ_BATCH_ONE_PEER in flags, the batch also stops before a part
 * whose metadata is not the first part's (in practice: one that came
 * from another connection), and msg is left as an empty message that
 * still carries that metadata, so zmq_msg_gets and zmq_msg_get(ZMQ_SRCFD)
 * on it answer for every part of the batch. A binding that hands out
 * received parts as message objects (pyzmq's recv(copy=False) Frames)
 * then keeps one message per batch instead of one per part. */
#define GOZMQ_BATCH_ONE_PEER 0x10000
/* batch_put copies part m into dst, records its size and MORE flag, and
 * closes it; returns the size. */
static size_t batch_put(zmq_msg_t *m, char *dst, size_t *size, unsigned char *more)
{
    size_t n = zmq_msg_size(m);
    if (n)
        memcpy(dst, zmq_msg_data(m), n);
    *size = n;
    *more = (unsigned char) zmq_msg_more(m);
    zmq_msg_close(m);
    return n;
}

int gozmq_recv_batch(void *s, zmq_msg_t *msg, void *buf, size_t bufsize, size_t *sizes,
                     unsigned char *more, int max, int flags);
int gozmq_recv_batch(void *s, zmq_msg_t *msg, void *buf, size_t bufsize, size_t *sizes,
                     unsigned char *more, int max, int flags)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if ((!buf && bufsize) || !sizes || !more)
        return fail(EFAULT);
    if (max < 1)
        return fail(EINVAL);
    int one_peer = (flags & GOZMQ_BATCH_ONE_PEER) != 0;
    gz_rxq *q = rxq_of(s);
    if (q && q->n == 0) {
        /* Nothing cached: Go copies the parts from its queue straight
         * into buf, without making them C messages first (a Python
         * receiver of prefilled 256-byte messages, main thread: median
         * 383 -> 296 ns per message). Parts the cache holds (a
         * zmq_msg_recv or zmq_recv filled it) come first, the way below. */
        if (!gz_msg_valid((gz_msg *) msg))
            return fail(EFAULT);
        gz_msg fresh;
        zmq_msg_init((zmq_msg_t *) &fresh);
        int rc, got = 0;
        flags &= ~GOZMQ_BATCH_ONE_PEER;
        BLOCKING(rc, gz_recv_batch((uintptr_t) s, &fresh, buf, bufsize, sizes, more, max, flags,
                                   one_peer, &got, &timeo, &fd));
        if (rc == GZ_INTERRUPTED)
            return -1;
        if (rc)
            return fail(rc);
        q->rcvmore = got ? more[got - 1] : (fresh.flags & GZ_MSG_MORE) != 0;
        zmq_msg_close(msg);
        memcpy(msg, &fresh, sizeof fresh);
        return got;
    }
    if (zmq_msg_recv(msg, s, flags & ~GOZMQ_BATCH_ONE_PEER) < 0)
        return -1;
    if (zmq_msg_size(msg) > bufsize)
        return 0;
    gz_meta *meta = ((gz_msg *) msg)->meta;
    if (one_peer && meta)
        gz_meta_ref(meta); /* msg keeps it, for the whole batch */
    size_t used = batch_put(msg, buf, &sizes[0], &more[0]);
    zmq_msg_init(msg);
    if (one_peer)
        ((gz_msg *) msg)->meta = meta;
    int n = 1;
    /* The first part's receive has just checked that the context is not
     * ending (caches_usable or Go); asking again would cost a second call
     * into Go once any context has ended. */
    while (n < max && q && q->n) {
        size_t size = zmq_msg_size((zmq_msg_t *) &q->slot[q->head]);
        if (size > bufsize - used || (one_peer && q->slot[q->head].meta != meta))
            break; /* stays cached for the next call */
        gz_msg m;
        rxq_pop(q, &m);
        used += batch_put((zmq_msg_t *) &m, (char *) buf + used, &sizes[n], &more[n]);
        n++;
    }
    return n;
}

/* gozmq_wanted is gozmq's second extension, the companion of
 * gozmq_recv_batch for SUB sockets:
 *
 *   int gozmq_wanted(void *s, const void *data, size_t size);
 *
 * Returns 1 if socket s would still deliver a message whose first part is
 * data[0..size) (for a SUB socket: it matches a current subscription;
 * other types admit everything), 0 if not, -1 with ENOTSOCK (EFAULT for a
 * NULL data with size > 0). A binding that holds batched SUB messages
 * calls it for each of them after an unsubscription and drops those it no
 * longer admits, as libzmq drops queued messages when they are received
 * (and as the library's own receive cache does, rxq_refilter). */
int gozmq_wanted(void *s, const void *data, size_t size);
int gozmq_wanted(void *s, const void *data, size_t size)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!data && size)
        return fail(EFAULT);
    int rc = gz_wanted((uintptr_t) s, (void *) data, size);
    return rc < 0 ? fail(ENOTSOCK) : rc;
}

int zmq_sendmsg(void *s, zmq_msg_t *msg, int flags) { return zmq_msg_send(msg, s, flags); }
int zmq_recvmsg(void *s, zmq_msg_t *msg, int flags) { return zmq_msg_recv(msg, s, flags); }

/* The const body is never freed: wrap it in a refcounted body with no
 * free function and send it like any message. */
int zmq_send_const(void *s, const void *buf, size_t len, int flags)
{
    zmq_msg_t m;
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!buf && len)
        return fail(EFAULT);
    if (zmq_msg_init_data(&m, (void *) buf, len, NULL, NULL))
        return -1;
    int rc = zmq_msg_send(&m, s, flags);
    if (rc < 0) {
        int e = errno;
        zmq_msg_close(&m);
        errno = e;
    }
    return rc;
}

/* zmq_sendiov sends count parts, copying each. As in libzmq, the parts
 * form one multipart message only if flags has ZMQ_SNDMORE, which is
 * cleared for the last part. */
int zmq_sendiov(void *s, struct iovec *iov, size_t count, int flags)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (count == 0 || !iov)
        return fail(EINVAL);
    for (size_t i = 0; i < count; i++) {
        int f = (i + 1 < count) ? flags : (flags & ~ZMQ_SNDMORE);
        if (zmq_send(s, iov[i].iov_base, iov[i].iov_len, f) < 0)
            return -1;
    }
    return 0;
}

/* zmq_recviov receives up to *count parts into malloc'ed buffers the
 * caller frees; *count gets the number received. */
int zmq_recviov(void *s, struct iovec *iov, size_t *count, int flags)
{
    GZ_FORK_GUARD(-1);
    if (!s)
        return fail(ENOTSOCK);
    if (!count || *count == 0 || !iov)
        return fail(EINVAL);
    size_t n = 0;
    int more = 1;
    int total = 0;
    while (more && n < *count) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, s, flags) < 0) {
            int e = errno;
            zmq_msg_close(&m);
            *count = n;
            errno = e;
            return -1;
        }
        size_t sz = zmq_msg_size(&m);
        iov[n].iov_base = malloc(sz ? sz : 1);
        if (!iov[n].iov_base) {
            zmq_msg_close(&m);
            *count = n;
            return fail(ENOMEM);
        }
        memcpy(iov[n].iov_base, zmq_msg_data(&m), sz);
        iov[n].iov_len = sz;
        total += CLAMP(sz);
        more = zmq_msg_more(&m);
        zmq_msg_close(&m);
        n++;
    }
    *count = n;
    return total;
}

/* ---- polling ---------------------------------------------------------- */
/* zmq_poll and zmq_ppoll: Go reports which sockets are ready and which
 * fd stands for each item; the waiting is done here. A socket's eventfd
 * waking us only means its events may have changed, so the loop asks Go
 * again. sigmask (zmq_ppoll) is the signal mask in force during each
 * wait, set atomically by ppoll(2); between waits the thread keeps its
 * own mask, so a signal the application blocks stays pending until the
 * next wait, which it then interrupts with EINTR. */
static int poll_items(zmq_pollitem_t *items, int nitems, long timeout, const sigset_t *sigmask)
{
    if (nitems == 0) {
        /* libzmq: a plain sleep (interruptible). */
        if (timeout == 0)
            return 0;
        if (gz_wait_mask(NULL, 0, timeout < 0 ? -1 : (int) timeout, sigmask) < 0 && errno == EINTR)
            return -1;
        return 0;
    }
    struct pollfd stackfds[32];
    struct pollfd *pfds = nitems <= 32 ? stackfds : malloc(sizeof *pfds * (size_t) nitems);
    if (!pfds)
        return fail(ENOMEM);
    int64_t deadline = timeout > 0 ? now_ms() + timeout : 0;
    int result;
    for (;;) {
        int ready = 0;
        int rc = gz_poll(items, nitems, pfds, &ready);
        if (rc) {
            result = fail(rc);
            break;
        }
        int ms = -1;
        if (ready > 0 || timeout == 0)
            ms = 0;
        else if (timeout > 0)
            ms = deadline > now_ms() ? (int) (deadline - now_ms()) : 0;
        int n = gz_wait_mask(pfds, (nfds_t) nitems, ms, sigmask);
        if (n < 0) {
            result = -1; /* EINTR and friends, errno set by poll */
            break;
        }
        for (int i = 0; i < nitems; i++) {
            if (items[i].socket)
                continue;
            short r = pfds[i].revents, e = 0;
            if (r & POLLIN)
                e |= ZMQ_POLLIN;
            if (r & POLLOUT)
                e |= ZMQ_POLLOUT;
            if (r & POLLPRI)
                e |= ZMQ_POLLPRI;
            if (r & (POLLERR | POLLHUP | POLLNVAL))
                e |= ZMQ_POLLERR;
            items[i].revents = e & (items[i].events | ZMQ_POLLERR);
            if (items[i].revents)
                ready++;
        }
        if (ready > 0 || ms == 0) {
            result = ready;
            break;
        }
    }
    if (pfds != stackfds)
        free(pfds);
    return result;
}

int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)
{
    GZ_FORK_GUARD(-1);
    if (nitems < 0 || (nitems > 0 && !items))
        return fail(EINVAL);
    return poll_items(items, nitems, timeout, NULL);
}

/* Draft: exported by the draft build only (libzmq-draft.vers). As in
 * libzmq, a NULL sigmask makes it zmq_poll; NULL items are EFAULT. */
int zmq_ppoll(zmq_pollitem_t *items, int nitems, long timeout, const sigset_t *sigmask);
int zmq_ppoll(zmq_pollitem_t *items, int nitems, long timeout, const sigset_t *sigmask)
{
    GZ_FORK_GUARD(-1);
    if (nitems < 0)
        return fail(EINVAL);
    if (nitems > 0 && !items)
        return fail(EFAULT);
    return poll_items(items, nitems, timeout, sigmask);
}

/* ---- capabilities and keys ------------------------------------------- */
int zmq_has(const char *capability)
{
    if (!capability)
        return 0;
    /* What this build really provides; see README's feature table. */
    static const char *const have[] = {"ipc", "curve", NULL};
    for (int i = 0; have[i]; i++)
        if (strcmp(capability, have[i]) == 0)
            return 1;
    return 0;
}

int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
{
    GZ_FORK_GUARD(-1);
    if (!z85_public_key || !z85_secret_key)
        return fail(EINVAL);
    RET(gz_curve_keypair(z85_public_key, z85_secret_key));
}

int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)
{
    GZ_FORK_GUARD(-1);
    if (!z85_public_key || !z85_secret_key)
        return fail(EINVAL);
    RET(gz_curve_public(z85_public_key, (char *) z85_secret_key));
}

/* ---- monitoring ------------------------------------------------------- */
int zmq_socket_monitor(void *s, const char *addr, int events)
{
    SOCKET_CALL(s, gz_socket_monitor((uintptr_t) s, (char *) addr, events));
}

/* Draft: exported by the draft build only (libzmq-draft.vers). */
int zmq_socket_monitor_versioned(void *s, const char *addr, uint64_t events, int event_version, int type);
int zmq_socket_monitor_versioned(void *s, const char *addr, uint64_t events, int event_version, int type)
{
    SOCKET_CALL(s, gz_socket_monitor_versioned((uintptr_t) s, (char *) addr, events, event_version, type));
}

int zmq_socket_monitor_pipes_stats(void *s);
int zmq_socket_monitor_pipes_stats(void *s)
{
    SOCKET_CALL(s, gz_socket_monitor_pipes_stats((uintptr_t) s));
}

/* ---- draft socket types: groups (RADIO/DISH) and PEER ------------------ */
int zmq_join(void *s, const char *group);
int zmq_join(void *s, const char *group)
{
    if (!group)
        return fail(EINVAL);
    SOCKET_CALL(s, gz_join((uintptr_t) s, (char *) group));
}

int zmq_leave(void *s, const char *group);
int zmq_leave(void *s, const char *group)
{
    if (!group)
        return fail(EINVAL);
    SOCKET_CALL(s, gz_leave((uintptr_t) s, (char *) group));
}

/* Returns the new peer's routing id, or 0 with errno set. */
uint32_t zmq_connect_peer(void *s, const char *addr);
uint32_t zmq_connect_peer(void *s, const char *addr)
{
    uint32_t id = 0;
    GZ_FORK_GUARD(0);
    int rc = !s ? ENOTSOCK : !addr ? EINVAL : gz_connect_peer((uintptr_t) s, (char *) addr, &id);
    if (rc) {
        errno = rc;
        return 0;
    }
    return id;
}
