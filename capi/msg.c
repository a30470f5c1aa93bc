/* gozmq: zmq_msg_* in C over the 64-byte zmq_msg_t (layout in msg.h).
 *
 * Nothing here calls into Go: a message operation costs a few loads and
 * stores (plus malloc for bodies over GZ_VSM_MAX bytes), as in libzmq.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zmq.h"
#include "msg.h"

_Static_assert(sizeof(zmq_msg_t) == sizeof(gz_msg), "zmq_msg_t is 64 bytes");
_Static_assert(sizeof(gz_content) <= 64, "gz_shared_new puts data 64 bytes in");

/* Bodies at least this large get their own page-aligned allocation:
 * glibc's memcpy and the kernel's socket copies run markedly slower from
 * the 16-byte-offset addresses malloc returns for large blocks (measured
 * on this project's machines), and a separate block costs one extra
 * allocation, which is noise next to copying 64 KiB. */
#define GZ_PAGE_ALIGN_MIN (64u * 1024u)
#define GZ_PAGE 4096u

/* ---- bodies ------------------------------------------------------------ */

/* Recycled page-aligned blocks. A large body is typically allocated on
 * one thread (the application's, or an engine's reader) and freed on
 * another; glibc then hands the pages back to the kernel and the next body
 * of that size page-faults all over again (measured at 1 MiB over tcp:
 * page faults and page clearing were a third of the receiver's CPU time;
 * a fault costs about 2 us here, 0.5 ms per MiB), or spends its time
 * consolidating (64 KiB over inproc: a third of the CPU in _int_malloc,
 * _int_free and malloc_consolidate). Freed blocks of one size (the size
 * most recently freed when the cache was empty) are kept for the next
 * body of that page count: streams of same-sized large messages, the
 * common case, then allocate nothing in steady state.
 *
 * How much is kept follows how much is in use: up to GZ_CACHE_BYTES, or
 * as many bytes as the blocks still handed out (gz_live), whichever is
 * more. A sender that runs ahead of its connection fills its queue to
 * SNDHWM and is woken when half of it has gone out, so blocks are freed,
 * then allocated, hundreds at a time: a fixed 16 MiB cache missed nearly
 * every time (1 MiB over tcp: 254 page faults per message, against
 * libzmq's 118 with glibc's heap). Bounded by what is in use, the cache
 * never makes the process hold more than twice its live large bodies,
 * and it shrinks back to GZ_CACHE_BYTES as they are freed. The blocks
 * are kept in an array that grows as needed (a list through the free
 * blocks themselves touched a page of each: twice the page faults over
 * inproc at 64 KiB). The lock is only ever tried, never waited for, so a
 * contended cache (or a forked child that inherited it locked) just falls
 * back to malloc and free. */
#define GZ_CACHE_BYTES (16u << 20) /* kept whatever is in use */

static struct {
    pthread_mutex_t mu;
    size_t cap;  /* size of every cached block */
    size_t n;    /* blocks kept */
    size_t room; /* slots allocated */
    void **slot;
} gz_cache = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Bytes in page-aligned blocks handed out and not yet freed. */
static atomic_size_t gz_live;

static size_t gz_page_round(size_t size)
{
    return (size + GZ_PAGE - 1) & ~(size_t) (GZ_PAGE - 1);
}

static void *gz_block_alloc(size_t size)
{
    size_t cap = gz_page_round(size);
    void *data = NULL;
    if (pthread_mutex_trylock(&gz_cache.mu) == 0) {
        if (gz_cache.n > 0 && gz_cache.cap == cap)
            data = gz_cache.slot[--gz_cache.n];
        pthread_mutex_unlock(&gz_cache.mu);
    }
    if (!data && posix_memalign(&data, GZ_PAGE, cap) != 0)
        return NULL;
    atomic_fetch_add_explicit(&gz_live, cap, memory_order_relaxed);
    return data;
}

/* Called with gz_cache.mu held: makes room for one more slot. */
static int gz_cache_grow(void)
{
    if (gz_cache.n < gz_cache.room)
        return 1;
    size_t room = gz_cache.room ? 2 * gz_cache.room : 256;
    void **slot = realloc(gz_cache.slot, room * sizeof *slot);
    if (!slot)
        return 0;
    gz_cache.slot = slot;
    gz_cache.room = room;
    return 1;
}

static void gz_block_free(void *data, size_t size)
{
    size_t cap = gz_page_round(size);
    size_t live = atomic_fetch_sub_explicit(&gz_live, cap, memory_order_relaxed) - cap;
    size_t keep = live > GZ_CACHE_BYTES ? live : GZ_CACHE_BYTES;
    void *drop[2];
    int ndrop = 0;
    if (cap <= GZ_CACHE_BYTES / 4 && pthread_mutex_trylock(&gz_cache.mu) == 0) {
        if (gz_cache.n == 0)
            gz_cache.cap = cap;
        if (gz_cache.cap == cap && (gz_cache.n + 1) * cap <= keep && gz_cache_grow()) {
            gz_cache.slot[gz_cache.n++] = data;
            data = NULL;
        }
        /* Live bodies went down, so does what may be kept. In a stream
         * of one size each free lowers the bound by one block; a cache
         * over its bound (after larger blocks went) sheds two per free. */
        while (ndrop < 2 && gz_cache.n > 0 && gz_cache.n * gz_cache.cap > keep)
            drop[ndrop++] = gz_cache.slot[--gz_cache.n];
        pthread_mutex_unlock(&gz_cache.mu);
    }
    free(data);
    while (ndrop > 0)
        free(drop[--ndrop]);
}

gz_content *gz_content_alloc(size_t size)
{
    gz_content *c;
    if (size >= GZ_PAGE_ALIGN_MIN) {
        c = malloc(sizeof *c);
        if (!c)
            return NULL;
        c->data = gz_block_alloc(size);
        if (!c->data) {
            free(c);
            return NULL;
        }
        c->kind = GZ_CONTENT_ALIGNED;
    } else {
        /* Header and body in one block; the header size keeps the body
         * 16-byte aligned. */
        size_t hdr = (sizeof *c + 15u) & ~(size_t) 15u;
        if (size > SIZE_MAX - hdr)
            return NULL;
        c = malloc(hdr + size);
        if (!c)
            return NULL;
        c->data = (char *) c + hdr;
        c->kind = GZ_CONTENT_INLINE;
    }
    c->size = size;
    c->ffn = NULL;
    c->hint = NULL;
    atomic_init(&c->refcnt, 1);
    return c;
}

/* Freed shared blocks wait here for the next one: a
 * block is taken by a reader's thread and freed by a receiving one, and
 * glibc then gave the pages back and page-faulted them in again (a few
 * percent of a tcp reader's samples at 256 B). GZ_SHARED_KEEP blocks
 * (1 MiB) cover what a receive queue of RCVHWM (1000) parts of up to 1 KiB
 * holds. */
#define GZ_SHARED_KEEP 64
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static gz_content *shared_free[GZ_SHARED_KEEP];
static int shared_n;

gz_content *gz_shared_new(void)
{
    void *p = NULL;
    pthread_mutex_lock(&shared_lock);
    if (shared_n > 0)
        p = shared_free[--shared_n];
    pthread_mutex_unlock(&shared_lock);
    if (!p && posix_memalign(&p, 64, 64 + GZ_SHARED_SIZE) != 0)
        return NULL;
    gz_content *c = p;
    c->data = (char *) p + 64;
    c->size = GZ_SHARED_SIZE;
    c->ffn = NULL;
    c->hint = NULL;
    c->kind = GZ_CONTENT_SHARED;
    c->cls = 0;
    atomic_init(&c->refcnt, 1);
    return c;
}

gz_content *gz_content_user(void *data, size_t size, gz_free_fn *ffn, void *hint)
{
    gz_content *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->data = data;
    c->size = size;
    c->ffn = ffn;
    c->hint = hint;
    c->kind = ffn ? GZ_CONTENT_USER : GZ_CONTENT_CONST;
    atomic_init(&c->refcnt, 1);
    return c;
}

void gz_content_ref(gz_content *c)
{
    atomic_fetch_add_explicit(&c->refcnt, 1, memory_order_relaxed);
}

/* The last reference frees the body. A user free function runs here, on
 * whatever thread dropped it, with no lock held: it may call back into
 * the library. */
void gz_content_release(gz_content *c)
{
    if (atomic_fetch_sub_explicit(&c->refcnt, 1, memory_order_acq_rel) != 1)
        return;
    gz_content_free(c);
}

gz_content *gz_pool[GZ_POOL_CLASSES][GZ_POOL_DEPTH];

/* Free pooled bodies live in two tiers. Each thread keeps up to
 * GZ_POOL_LOCAL per class in a cache of its own, so that dropping a body
 * (zmq_msg_close) and taking one (zmq_msg_init_size) cost no lock; a full
 * cache moves half of itself to the shared stack, and an empty one takes
 * half a cache's worth back, one lock each time. The shared stack holds at
 * most GZ_POOL_KEEP per class (2.3 MB in all); beyond that bodies are
 * freed. It is an array, not a list threaded through the free bodies:
 * refilling walked that list one cache miss after another (a body was
 * last touched by another thread), which was most of gz_pool_fill's time.
 * A pooled body's count is set back to 1 when it is put away, while its
 * header is still in cache, so taking it touches nothing. A thread's cache
 * goes back to the shared stack when the thread exits (a pthread key's
 * destructor); a thread that cannot get a key uses the shared stack
 * alone. */
#define GZ_POOL_KEEP 1024
#define GZ_POOL_LOCAL 32

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static gz_content *pool_stack[GZ_POOL_CLASSES][GZ_POOL_KEEP];
static int pool_n[GZ_POOL_CLASSES];

typedef struct pool_local {
    int n[GZ_POOL_CLASSES];
    gz_content *c[GZ_POOL_CLASSES][GZ_POOL_LOCAL];
} pool_local;

static __thread pool_local *pool_mine;
static __thread int pool_nokey; /* this thread could not get a cache */
static pthread_key_t pool_key;
static int pool_key_ok;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

/* pool_give hands the n bodies of class cls at src to the shared stack
 * (the last ones first) and frees those it has no room for. */
static void pool_give(int cls, gz_content **src, int n)
{
    int moved = 0;
    pthread_mutex_lock(&pool_lock);
    while (moved < n && pool_n[cls] < GZ_POOL_KEEP)
        pool_stack[cls][pool_n[cls]++] = src[n - 1 - moved++];
    pthread_mutex_unlock(&pool_lock);
    for (int i = 0; i < n - moved; i++)
        free(src[i]);
}

static void pool_local_flush(void *arg)
{
    pool_local *l = arg;
    for (int cls = 0; cls < GZ_POOL_CLASSES; cls++)
        pool_give(cls, l->c[cls], l->n[cls]);
    free(l);
}

static void pool_key_init(void)
{
    pool_key_ok = pthread_key_create(&pool_key, pool_local_flush) == 0;
}

/* The calling thread's cache, made on first use; NULL if there is none. */
static pool_local *pool_local_get(void)
{
    pool_local *l = pool_mine;
    if (l || pool_nokey)
        return l;
    pthread_once(&pool_once, pool_key_init);
    l = calloc(1, sizeof *l);
    if (!l || !pool_key_ok || pthread_setspecific(pool_key, l) != 0) {
        free(l);
        pool_nokey = 1;
        return NULL;
    }
    pool_mine = l;
    return l;
}

static gz_content *pool_new(int cls)
{
    gz_content *c = gz_content_alloc((size_t) 64 << cls);
    if (c) {
        c->kind = GZ_CONTENT_POOLED;
        c->cls = (uint8_t) cls;
    }
    return c;
}

int gz_pool_fill(int cls)
{
    int n = 0;
    pool_local *l = pool_local_get();
    while (l && l->n[cls] > 0 && n < GZ_POOL_DEPTH)
        gz_pool[cls][n++] = l->c[cls][--l->n[cls]];
    pthread_mutex_lock(&pool_lock);
    while (n < GZ_POOL_DEPTH && pool_n[cls] > 0)
        gz_pool[cls][n++] = pool_stack[cls][--pool_n[cls]];
    pthread_mutex_unlock(&pool_lock);
    while (n < GZ_POOL_DEPTH) {
        gz_content *c = pool_new(cls);
        if (!c)
            break;
        gz_pool[cls][n++] = c;
    }
    return n;
}

void gz_pool_spill(int cls, int from)
{
    int n = GZ_POOL_DEPTH - from;
    gz_content **src = &gz_pool[cls][from];
    pool_give(cls, src, n);
    for (int i = 0; i < n; i++)
        src[i] = NULL;
}

/* pool_get takes a body of class cls (refcnt 1, size unset), for
 * zmq_msg_init_size; NULL on ENOMEM. */
static gz_content *pool_get(int cls)
{
    pool_local *l = pool_local_get();
    if (l) {
        if (l->n[cls] == 0) {
            pthread_mutex_lock(&pool_lock);
            while (l->n[cls] < GZ_POOL_LOCAL / 2 && pool_n[cls] > 0)
                l->c[cls][l->n[cls]++] = pool_stack[cls][--pool_n[cls]];
            pthread_mutex_unlock(&pool_lock);
        }
        if (l->n[cls] > 0)
            return l->c[cls][--l->n[cls]];
    } else {
        gz_content *c = NULL;
        pthread_mutex_lock(&pool_lock);
        if (pool_n[cls] > 0)
            c = pool_stack[cls][--pool_n[cls]];
        pthread_mutex_unlock(&pool_lock);
        if (c)
            return c;
    }
    return pool_new(cls);
}

/* The class for a body of size bytes (41..1024), as Go's poolClass
 * computes it: capacity 64 << cls. */
static int pool_class(size_t size)
{
    int cls = 0;
    while (((size_t) 64 << cls) < size)
        cls++;
    return cls;
}

/* pool_put takes back a pooled body whose count reached zero (or frees
 * it, if the pool is full). */
static void pool_put(gz_content *c)
{
    int cls = c->cls;
    atomic_store_explicit(&c->refcnt, 1, memory_order_relaxed);
    pool_local *l = pool_local_get();
    if (!l) {
        pool_give(cls, &c, 1);
        return;
    }
    if (l->n[cls] == GZ_POOL_LOCAL) {
        /* The upper half goes to the shared stack. */
        l->n[cls] -= GZ_POOL_LOCAL / 2;
        pool_give(cls, &l->c[cls][l->n[cls]], GZ_POOL_LOCAL / 2);
    }
    l->c[cls][l->n[cls]++] = c;
}

/* Frees a body whose count has reached zero (Go counts references with
 * its own atomics and calls this for the last one). */
void gz_content_free(gz_content *c)
{
    switch (c->kind) {
    case GZ_CONTENT_ALIGNED:
        gz_block_free(c->data, c->size);
        break;
    case GZ_CONTENT_USER:
        c->ffn(c->data, c->hint);
        break;
    case GZ_CONTENT_POOLED:
        pool_put(c);
        return;
    case GZ_CONTENT_SHARED: {
        pthread_mutex_lock(&shared_lock);
        int kept = shared_n < GZ_SHARED_KEEP;
        if (kept)
            shared_free[shared_n++] = c;
        pthread_mutex_unlock(&shared_lock);
        if (kept)
            return;
        break;
    }
    default:
        break;
    }
    free(c);
}

/* ---- metadata ---------------------------------------------------------- */

gz_meta *gz_meta_new(const char *blob, size_t len, int count)
{
    gz_meta *m = malloc(sizeof *m + len);
    if (!m)
        return NULL;
    atomic_init(&m->refcnt, 1);
    m->count = count;
    m->fd = -1;
    m->len = len;
    if (len)
        memcpy(m->blob, blob, len);
    return m;
}

void gz_meta_ref(gz_meta *m)
{
    atomic_fetch_add_explicit(&m->refcnt, 1, memory_order_relaxed);
}

void gz_meta_release(gz_meta *m)
{
    if (m && atomic_fetch_sub_explicit(&m->refcnt, 1, memory_order_acq_rel) == 1)
        free(m);
}

/* Property names are case-insensitive (RFC 37 §3.3). */
static int name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* Walks the packed pairs, never past the blob even if it were malformed
 * (an unterminated last string ends the walk). */
const char *gz_meta_get(const gz_meta *m, const char *key)
{
    const char *p = m->blob, *end = m->blob + m->len;
    for (int i = 0; i < m->count && p < end; i++) {
        const char *k = p;
        size_t kl = strnlen(k, (size_t) (end - k));
        if (k + kl == end)
            return NULL;
        const char *v = k + kl + 1;
        size_t vl = strnlen(v, (size_t) (end - v));
        if (v + vl == end)
            return NULL;
        if (name_eq(k, key))
            return v;
        p = v + vl + 1;
    }
    return NULL;
}

/* ---- messages ---------------------------------------------------------- */

static gz_msg *M(zmq_msg_t *m) { return (gz_msg *) m; }
static const gz_msg *CM(const zmq_msg_t *m) { return (const gz_msg *) m; }

int gz_msg_valid(const gz_msg *m)
{
    return m && (m->type == GZ_MSG_VSM || m->type == GZ_MSG_LMSG);
}

static void init_empty(gz_msg *m)
{
    memset(m, 0, sizeof *m);
    m->type = GZ_MSG_VSM;
}

void gz_msg_set_content(gz_msg *m, gz_content *c, int flags)
{
    init_empty(m);
    m->type = GZ_MSG_LMSG;
    m->u.lmsg.content = c;
    m->u.lmsg.data = c->data;
    m->u.lmsg.size = c->size;
    m->flags = (uint8_t) flags;
}

/* Drops what the message holds besides its body (used once the body has
 * been handed to Go by zmq_msg_send), leaving an empty message. */
void gz_msg_forget_body(gz_msg *m)
{
    gz_meta_release(m->meta);
    free(m->group);
    init_empty(m);
}

int zmq_msg_init(zmq_msg_t *msg_)
{
    if (!msg_)
        return (errno = EFAULT), -1;
    init_empty(M(msg_));
    return 0;
}

int zmq_msg_init_size(zmq_msg_t *msg_, size_t size_)
{
    if (!msg_)
        return (errno = EFAULT), -1;
    gz_msg *m = M(msg_);
    if (size_ <= GZ_VSM_MAX) {
        init_empty(m);
        m->vsm_size = (uint8_t) size_;
        return 0;
    }
    gz_content *c;
    if (size_ <= (size_t) 64 << (GZ_POOL_CLASSES - 1)) {
        /* A pooled body: no malloc here and no free where the last
         * reference goes (often an engine's thread, after writing it). */
        c = pool_get(pool_class(size_));
        if (c)
            c->size = size_;
    } else {
        c = gz_content_alloc(size_);
    }
    if (!c)
        return (errno = ENOMEM), -1;
    gz_msg_set_content(m, c, 0);
    return 0;
}

int zmq_msg_init_buffer(zmq_msg_t *msg_, const void *buf_, size_t size_)
{
    if (!buf_ && size_)
        return (errno = EFAULT), -1;
    if (zmq_msg_init_size(msg_, size_) < 0)
        return -1;
    if (size_)
        memcpy(zmq_msg_data(msg_), buf_, size_);
    return 0;
}

int zmq_msg_init_data(zmq_msg_t *msg_, void *data_, size_t size_, zmq_free_fn *ffn_, void *hint_)
{
    if (!msg_)
        return (errno = EFAULT), -1;
    /* libzmq: a NULL buffer is an empty message (and ffn is not called). */
    if (!data_) {
        if (size_)
            return (errno = EFAULT), -1;
        init_empty(M(msg_));
        return 0;
    }
    gz_content *c = gz_content_user(data_, size_, ffn_, hint_);
    if (!c)
        return (errno = ENOMEM), -1;
    gz_msg_set_content(M(msg_), c, 0);
    return 0;
}

int zmq_msg_close(zmq_msg_t *msg_)
{
    gz_msg *m = M(msg_);
    if (!gz_msg_valid(m))
        return (errno = EFAULT), -1;
    if (m->type == GZ_MSG_LMSG)
        gz_content_release(m->u.lmsg.content);
    gz_meta_release(m->meta);
    free(m->group);
    memset(m, 0, sizeof *m); /* type INVALID: a second close is EFAULT */
    return 0;
}

int zmq_msg_move(zmq_msg_t *dest_, zmq_msg_t *src_)
{
    if (!gz_msg_valid(M(src_)) || !dest_)
        return (errno = EFAULT), -1;
    if (gz_msg_valid(M(dest_)) && zmq_msg_close(dest_) < 0)
        return -1;
    memcpy(dest_, src_, sizeof(gz_msg));
    init_empty(M(src_));
    return 0;
}

int zmq_msg_copy(zmq_msg_t *dest_, zmq_msg_t *src_)
{
    gz_msg *s = M(src_);
    if (!gz_msg_valid(s) || !dest_)
        return (errno = EFAULT), -1;
    if (dest_ == src_)
        return 0;
    if (gz_msg_valid(M(dest_)) && zmq_msg_close(dest_) < 0)
        return -1;
    gz_msg *d = M(dest_);
    memcpy(d, s, sizeof *d);
    if (s->type == GZ_MSG_LMSG)
        gz_content_ref(s->u.lmsg.content);
    if (s->meta)
        gz_meta_ref(s->meta);
    if (s->group) {
        d->group = strdup(s->group);
        if (!d->group) {
            zmq_msg_close(dest_);
            return (errno = ENOMEM), -1;
        }
    }
    return 0;
}

void *zmq_msg_data(zmq_msg_t *msg_)
{
    gz_msg *m = M(msg_);
    if (!gz_msg_valid(m))
        return NULL;
    return m->type == GZ_MSG_VSM ? (void *) m->u.vsm : m->u.lmsg.data;
}

size_t zmq_msg_size(const zmq_msg_t *msg_)
{
    const gz_msg *m = CM(msg_);
    if (!gz_msg_valid(m))
        return 0;
    return m->type == GZ_MSG_VSM ? m->vsm_size : m->u.lmsg.size;
}

int zmq_msg_more(const zmq_msg_t *msg_)
{
    const gz_msg *m = CM(msg_);
    return gz_msg_valid(m) && (m->flags & GZ_MSG_MORE) ? 1 : 0;
}

int zmq_msg_get(const zmq_msg_t *msg_, int property_)
{
    const gz_msg *m = CM(msg_);
    if (!gz_msg_valid(m))
        return (errno = EFAULT), -1;
    switch (property_) {
    case ZMQ_MORE:
        return (m->flags & GZ_MSG_MORE) ? 1 : 0;
    case ZMQ_SRCFD:
        /* Deprecated: the descriptor of the tcp/ipc connection the
         * message came in on (kept with the connection's metadata);
         * -1 for inproc and locally built messages, as in libzmq. */
        return m->meta ? m->meta->fd : -1;
    case ZMQ_SHARED:
        if (m->type != GZ_MSG_LMSG)
            return 0;
        return m->u.lmsg.content->kind == GZ_CONTENT_CONST
                   || atomic_load(&m->u.lmsg.content->refcnt) > 1;
    default:
        return (errno = EINVAL), -1;
    }
}

int zmq_msg_set(zmq_msg_t *msg_, int property_, int optval_)
{
    (void) msg_;
    (void) property_;
    (void) optval_;
    /* libzmq has no settable properties. */
    return (errno = EINVAL), -1;
}

const char *zmq_msg_gets(const zmq_msg_t *msg_, const char *property_)
{
    const gz_msg *m = CM(msg_);
    if (!gz_msg_valid(m) || !property_)
        return (errno = EINVAL), NULL;
    const char *v = m->meta ? gz_meta_get(m->meta, property_) : NULL;
    if (!v && m->meta && name_eq(property_, "Routing-Id"))
        v = gz_meta_get(m->meta, "Identity");
    if (!v)
        errno = EINVAL;
    return v;
}

int zmq_msg_set_routing_id(zmq_msg_t *msg_, uint32_t routing_id)
{
    gz_msg *m = M(msg_);
    if (!gz_msg_valid(m))
        return (errno = EFAULT), -1;
    if (routing_id == 0)
        return (errno = EINVAL), -1;
    m->routing_id = routing_id;
    m->flags |= GZ_MSG_ROUTING_ID;
    return 0;
}

uint32_t zmq_msg_routing_id(zmq_msg_t *msg_)
{
    gz_msg *m = M(msg_);
    return gz_msg_valid(m) ? m->routing_id : 0;
}

int zmq_msg_set_group(zmq_msg_t *msg_, const char *group)
{
    gz_msg *m = M(msg_);
    if (!gz_msg_valid(m))
        return (errno = EFAULT), -1;
    if (!group || strlen(group) > ZMQ_GROUP_MAX_LENGTH)
        return (errno = EINVAL), -1;
    char *g = strdup(group);
    if (!g)
        return (errno = ENOMEM), -1;
    free(m->group);
    m->group = g;
    return 0;
}

const char *zmq_msg_group(zmq_msg_t *msg_)
{
    gz_msg *m = M(msg_);
    if (!gz_msg_valid(m))
        return NULL;
    return m->group ? m->group : "";
}
