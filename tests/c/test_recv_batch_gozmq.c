/* gozmq only: gozmq_recv_batch and gozmq_wanted, the library's extensions
 * for bindings (capi/zmq.c): several parts per call, never a part lost or
 * cut, errors as zmq_msg_recv reports them; and the SUB filter's verdict
 * on a message. libzmq has no such functions. */
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

#include "testutil.h"

int gozmq_recv_batch(void *s, zmq_msg_t *msg, void *buf, size_t bufsize, size_t *sizes,
                     unsigned char *more, int max, int flags);
#define GOZMQ_BATCH_ONE_PEER 0x10000 /* capi/zmq.c */
int gozmq_wanted(void *s, const void *data, size_t size);
#ifndef ZMQ_METADATA
#define ZMQ_METADATA 95 /* a draft option in zmq.h; gozmq takes it in every build */
#endif

#define MAXP 64

/* A received batch, and the parts it held as (offset, size, more). */
typedef struct {
    char buf[4096];
    size_t sizes[MAXP];
    unsigned char more[MAXP];
    int n;
} batch;

static int take(void *s, zmq_msg_t *m, batch *b, size_t bufsize, int max, int flags)
{
    memset(b->more, 0xEE, sizeof b->more);
    b->n = gozmq_recv_batch(s, m, b->buf, bufsize, b->sizes, b->more, max, flags);
    return b->n;
}

/* Fills part i with a pattern that names it, so order and content show. */
static void pattern(char *p, size_t size, int i)
{
    for (size_t k = 0; k < size; k++)
        p[k] = (char) (i * 7 + k);
}

static void send_part(void *s, size_t size, int i, int flags)
{
    char p[70000];
    CHECK(size <= sizeof p);
    pattern(p, size, i);
    EQ_INT(zmq_send(s, p, size, flags), (int) size);
}

static void check_part(const char *got, size_t size, int i)
{
    char want[70000];
    pattern(want, size, i);
    if (memcmp(got, want, size) != 0)
        FAILF("part %d: wrong body", i);
}

/* A PUSH/PULL pair over inproc (everything sent is queued at once). */
static void pair_up(void **ctx, void **push, void **pull, const char *ep)
{
    *ctx = zmq_ctx_new();
    *push = tu_socket(*ctx, ZMQ_PUSH);
    *pull = tu_socket(*ctx, ZMQ_PULL);
    OK(zmq_bind(*pull, ep));
    OK(zmq_connect(*push, ep));
}

/* The same over tcp, connected. */
static void tcp_pair(void **ctx, void **push, void **pull)
{
    *ctx = zmq_ctx_new();
    *push = tu_socket(*ctx, ZMQ_PUSH);
    *pull = tu_socket(*ctx, ZMQ_PULL);
    char ep[128];
    tu_bind(*pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    OK(zmq_connect(*push, ep));
    tu_wait_connected(*push, *pull);
}

static void done(void *ctx, void *a, void *b)
{
    OK(zmq_close(a));
    OK(zmq_close(b));
    OK(zmq_ctx_term(ctx));
}

/* Receives count single parts of the given sizes, in order, and returns
 * how many calls that took. */
static int drain(void *pull, zmq_msg_t *m, const size_t *sizes, int count, int max)
{
    batch b;
    int got = 0, calls = 0;
    while (got < count) {
        CHECK(take(pull, m, &b, sizeof b.buf, max, 0) >= 1);
        CHECK(b.n <= max);
        calls++;
        size_t off = 0;
        for (int k = 0; k < b.n; k++, got++) {
            CHECK(got < count);
            EQ_INT(b.sizes[k], sizes[got]);
            EQ_INT(b.more[k], 0);
            check_part(b.buf + off, b.sizes[k], got);
            off += b.sizes[k];
        }
        EQ_INT(zmq_msg_size(m), 0); /* msg left empty */
    }
    return calls;
}

static void test_batches(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://batches");
    enum { N = 100 };
    size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t) (i * 13) % 90; /* inline and refcounted bodies, empty ones */
        send_part(push, sizes[i], i, 0);
    }
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    int calls = drain(pull, &m, sizes, N, MAXP);
    /* Everything was queued: one call takes the part asked for plus what
     * the receive cache holds (up to GZ_RXQ_CAP, 128). */
    if (calls > N / 10)
        FAILF("%d calls for %d queued parts: not batching", calls, N);
    EQ_INT(tu_get_int(pull, ZMQ_EVENTS) & ZMQ_POLLIN, 0);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

static void test_max(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://max");
    size_t sizes[5] = {1, 2, 3, 4, 5};
    for (int i = 0; i < 5; i++)
        send_part(push, sizes[i], i, 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    EQ_INT(take(pull, &m, &b, sizeof b.buf, 2, 0), 2);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, 2, 0), 2);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, 1, 0), 1);
    EQ_INT(b.sizes[0], 5);
    check_part(b.buf, 5, 4);
    FAILS(take(pull, &m, &b, sizeof b.buf, 2, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* Multipart messages: MORE per part, and ZMQ_RCVMORE after each call is
 * the MORE of the last part it handed out. */
static void test_multipart(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://multipart");
    for (int msg = 0; msg < 4; msg++)
        for (int part = 0; part < 3; part++)
            send_part(push, 10, msg * 3 + part, part < 2 ? ZMQ_SNDMORE : 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    int i = 0;
    for (int max = 1; i < 12; max = max % 5 + 1) { /* batches of 1..5 parts cut messages anywhere */
        CHECK(take(pull, &m, &b, sizeof b.buf, max, 0) >= 1);
        for (int k = 0; k < b.n; k++, i++) {
            EQ_INT(b.more[k], i % 3 < 2);
            check_part(b.buf + k * 10, 10, i);
        }
        EQ_INT(tu_get_int(pull, ZMQ_RCVMORE), b.more[b.n - 1]);
    }
    EQ_INT(i, 12);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* A part that does not fit ends the batch and comes next; a first part
 * larger than the whole buffer is handed over whole in msg. */
static void test_part_larger_than_buffer(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://large");
    size_t sizes[] = {50, 80, 200, 10, 65536, 0};
    for (int i = 0; i < 6; i++)
        send_part(push, sizes[i], i, i == 2 ? ZMQ_SNDMORE : 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    EQ_INT(take(pull, &m, &b, 100, MAXP, 0), 1); /* 80 does not fit after 50 */
    EQ_INT(b.sizes[0], 50);
    check_part(b.buf, 50, 0);
    EQ_INT(tu_get_int(pull, ZMQ_EVENTS) & ZMQ_POLLIN, ZMQ_POLLIN);
    EQ_INT(take(pull, &m, &b, 100, MAXP, 0), 1);
    EQ_INT(b.sizes[0], 80);
    check_part(b.buf, 80, 1);
    /* 200 bytes > 100: in msg, whole, with its MORE flag. */
    EQ_INT(take(pull, &m, &b, 100, MAXP, 0), 0);
    EQ_INT(zmq_msg_size(&m), 200);
    check_part(zmq_msg_data(&m), 200, 2);
    EQ_INT(zmq_msg_more(&m), 1);
    EQ_INT(tu_get_int(pull, ZMQ_RCVMORE), 1);
    EQ_INT(take(pull, &m, &b, 100, MAXP, 0), 1);
    EQ_INT(b.sizes[0], 10);
    EQ_INT(tu_get_int(pull, ZMQ_RCVMORE), 0);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, 0), 0);
    EQ_INT(zmq_msg_size(&m), 65536);
    check_part(zmq_msg_data(&m), 65536, 4);
    /* An empty part fits even an empty (NULL) buffer. */
    EQ_INT(take(pull, &m, &b, 0, MAXP, 0), 1);
    EQ_INT(b.sizes[0], 0);
    EQ_INT(zmq_msg_size(&m), 0);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

static void test_dontwait_and_timeout(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://timeout");
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, ZMQ_DONTWAIT), EAGAIN);
    tu_set_int(pull, ZMQ_RCVTIMEO, 100);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, 0), EAGAIN);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (ms < 90 || ms > 3000)
        FAILF("RCVTIMEO 100 ms waited %ld ms", ms);
    send_part(push, 3, 0, 0);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, ZMQ_DONTWAIT), 1);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* Parts the receive cache holds (a zmq_msg_recv filled it) come before
 * those still queued in Go: a batch takes only cached ones, the next one
 * goes on from Go's queue, and nothing is lost, repeated or reordered. */
static void test_cached_parts_first(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://cached-first");
    enum { N = 40, FIRST = 20 };
    size_t sizes[N];
    for (int i = 0; i < N; i++)
        sizes[i] = (size_t) (i * 11) % 70 + 1;
    for (int i = 0; i < FIRST; i++)
        send_part(push, sizes[i], i, 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    EQ_INT(zmq_msg_recv(&m, pull, 0), (int) sizes[0]); /* caches parts 1..FIRST-1 */
    check_part(zmq_msg_data(&m), sizes[0], 0);
    for (int i = FIRST; i < N; i++) /* queued behind the cache, in Go */
        send_part(push, sizes[i], i, 0);
    batch b;
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, 0), FIRST - 1);
    size_t off = 0;
    for (int k = 0; k < b.n; k++) {
        EQ_INT(b.sizes[k], sizes[k + 1]);
        check_part(b.buf + off, b.sizes[k], k + 1);
        off += b.sizes[k];
    }
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, 0), N - FIRST);
    off = 0;
    for (int k = 0; k < b.n; k++) {
        EQ_INT(b.sizes[k], sizes[FIRST + k]);
        check_part(b.buf + off, b.sizes[k], FIRST + k);
        off += b.sizes[k];
    }
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, ZMQ_DONTWAIT), EAGAIN);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* Over tcp the engine fills the receive cache while the application
 * waits: blocking batches still see every part once, in order. */
static void test_tcp_stream(void)
{
    void *ctx, *push, *pull;
    tcp_pair(&ctx, &push, &pull);
    enum { N = 500 }; /* under the HWMs: all sent before any is received */
    static size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t) (i * 31) % 300;
        send_part(push, sizes[i], i, 0);
    }
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    drain(pull, &m, sizes, N, MAXP);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* Once a socket has taken a batch, its engines cut small bodies out of
 * shared blocks. Messages made of them that the application keeps anyway
 * (zmq_msg_recv, zmq_msg_copy) stay intact whatever is freed or received
 * around them, and every block is freed once its last message is closed
 * (the AddressSanitizer build checks both). */
static void test_carved_bodies_kept(void)
{
    void *ctx, *push, *pull;
    tcp_pair(&ctx, &push, &pull);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    send_part(push, 100, 0, 0);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, 0), 1); /* the socket now copies out */
    enum { N = 400 };
    static zmq_msg_t kept[N], copies[N / 4];
    size_t sizes[N];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++) {
            sizes[i] = 41 + (size_t) (i * 97 + round * 13) % 4200; /* carved, and larger */
            send_part(push, sizes[i], i + round, 0);
        }
        for (int i = 0; i < N; i++) {
            OK(zmq_msg_init(&kept[i]));
            EQ_INT(zmq_msg_recv(&kept[i], pull, 0), (int) sizes[i]);
        }
        for (int i = 0; i < N / 4; i++) {
            OK(zmq_msg_init(&copies[i]));
            OK(zmq_msg_copy(&copies[i], &kept[4 * i]));
        }
        for (int i = 1; i < N; i += 2) /* every other one goes */
            OK(zmq_msg_close(&kept[i]));
        /* New bodies, maybe in memory just freed, arrive meanwhile. */
        for (int i = 0; i < 50; i++)
            send_part(push, 200, 1000 + i, 0);
        int got = 0;
        while (got < 50) {
            CHECK(take(pull, &m, &b, sizeof b.buf, MAXP, 0) >= 1);
            for (int k = 0; k < b.n; k++, got++)
                check_part(b.buf + 200 * k, 200, 1000 + got);
        }
        for (int i = 0; i < N; i += 2) {
            EQ_INT(zmq_msg_size(&kept[i]), sizes[i]);
            check_part(zmq_msg_data(&kept[i]), sizes[i], i + round);
            OK(zmq_msg_close(&kept[i]));
        }
        for (int i = 0; i < N / 4; i++) {
            check_part(zmq_msg_data(&copies[i]), sizes[4 * i], 4 * i + round);
            OK(zmq_msg_close(&copies[i]));
        }
    }
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* The shared blocks a reader cuts bodies from are taken on its thread and
 * freed on the receiving one; freed ones are kept for the next block
 * (capi/msg.c, gz_shared_new). Without that, glibc gave their pages back
 * and every new block faulted them in again: 1,800-4,100 page faults per
 * 100,000 messages of 256 B streamed here, against 5-26 with it. */
static void *stream_256(void *push)
{
    char b[256];
    memset(b, 7, sizeof b);
    for (int i = 0; i < 100000; i++)
        EQ_INT(zmq_send(push, b, sizeof b, 0), 256);
    return NULL;
}

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

static void test_shared_blocks_reused(void)
{
    void *ctx, *push, *pull;
    tcp_pair(&ctx, &push, &pull);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    static batch b;
    for (int round = 0; round < 2; round++) { /* the first one warms up */
        pthread_t t;
        CHECK(pthread_create(&t, NULL, stream_256, push) == 0);
        long before = minor_faults();
        int got = 0;
        while (got < 100000) {
            CHECK(take(pull, &m, &b, sizeof b.buf, MAXP, 0) >= 1);
            got += b.n;
        }
        long faults = minor_faults() - before;
        CHECK(pthread_join(t, NULL) == 0);
        EQ_INT(got, 100000);
        if (round == 1 && faults > 500)
            FAILF("%ld page faults receiving 100000 parts of 256 B", faults);
    }
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

static void *blocked_batch(void *arg)
{
    zmq_msg_t m;
    batch b;
    zmq_msg_init(&m);
    intptr_t rc = take(arg, &m, &b, sizeof b.buf, MAXP, 0);
    intptr_t e = zmq_errno();
    zmq_msg_close(&m);
    return (void *) (rc == -1 ? e : 0);
}

/* After zmq_ctx_shutdown a batch fails with ETERM, queued parts or not,
 * and a waiting one wakes up with ETERM. */
static void test_eterm(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://eterm");
    void *idle = tu_socket(ctx, ZMQ_PULL);
    tu_set_int(idle, ZMQ_RCVTIMEO, -1);
    OK(zmq_bind(idle, "inproc://eterm-idle"));
    for (int i = 0; i < 10; i++)
        send_part(push, 5, i, 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    /* zmq_msg_recv moves the rest into the receive cache (a batch on an
     * empty cache copies from Go's queue and caches nothing). */
    EQ_INT(zmq_msg_recv(&m, pull, 0), 5);
    EQ_INT(take(pull, &m, &b, sizeof b.buf, 2, 0), 2); /* from the cache */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, blocked_batch, idle) == 0);
    /* Shutting down before the thread waits is fine too: it then fails
     * at once with the same error. */
    OK(zmq_ctx_shutdown(ctx));
    void *res;
    CHECK(pthread_join(t, &res) == 0);
    EQ_INT((intptr_t) res, ETERM);
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, 0), ETERM);
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, ZMQ_DONTWAIT), ETERM);
    OK(zmq_msg_close(&m));
    OK(zmq_close(idle));
    done(ctx, push, pull);
}

/* GOZMQ_BATCH_ONE_PEER over inproc (no metadata: every part has the
 * same, none): batches as without the flag, msg left empty. */
static void test_one_peer_inproc(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://one-peer");
    enum { N = 100 };
    for (int i = 0; i < N; i++)
        send_part(push, 50, i, 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    int got = 0, calls = 0;
    while (got < N) {
        CHECK(take(pull, &m, &b, sizeof b.buf, MAXP, GOZMQ_BATCH_ONE_PEER) >= 1);
        calls++;
        for (int k = 0; k < b.n; k++, got++)
            check_part(b.buf + (size_t) k * 50, b.sizes[k], got);
        EQ_INT(zmq_msg_size(&m), 0);
        CHECK(zmq_msg_gets(&m, "Socket-Type") == NULL);
    }
    if (calls > N / 10)
        FAILF("%d calls for %d queued parts: not batching", calls, N);
    OK(zmq_msg_close(&m));
    done(ctx, push, pull);
}

/* Two tcp peers, told apart by their ZMQ_METADATA: with the flag every
 * batch holds parts of one peer only, and msg answers zmq_msg_gets and
 * ZMQ_SRCFD for that peer. Each peer's parts arrive in order. */
static void test_one_peer_tcp(void)
{
    void *ctx = zmq_ctx_new();
    void *pull = tu_socket(ctx, ZMQ_PULL);
    void *push[2];
    char ep[128];
    tu_bind(pull, "tcp://127.0.0.1:*", ep, sizeof ep);
    for (int p = 0; p < 2; p++) {
        push[p] = tu_socket(ctx, ZMQ_PUSH);
        const char *md = p ? "X-Who:b" : "X-Who:a";
        OK(zmq_setsockopt(push[p], ZMQ_METADATA, md, strlen(md)));
        OK(zmq_connect(push[p], ep));
    }
    tu_wait_connected(push[0], pull);
    tu_wait_connected(push[1], pull);
    enum { ROUNDS = 20, PER = 40 };
    int next[2] = {0, 0}, calls = 0;
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    for (int r = 0; r < ROUNDS; r++) {
        /* Body: the peer's letter, then the part's number in its stream. */
        for (int i = 0; i < PER; i++)
            for (int p = 0; p < 2; p++) {
                char body[24];
                int len = snprintf(body, sizeof body, "%c%06d", p ? 'b' : 'a', r * PER + i);
                EQ_INT(zmq_send(push[p], body, (size_t) len, 0), len);
            }
        int got = 0;
        while (got < 2 * PER) {
            batch b;
            CHECK(take(pull, &m, &b, sizeof b.buf, MAXP, GOZMQ_BATCH_ONE_PEER) >= 1);
            calls++;
            char who = b.buf[0];
            CHECK(who == 'a' || who == 'b');
            const char *v = zmq_msg_gets(&m, "X-Who");
            CHECK(v != NULL && v[0] == who && v[1] == 0);
            v = zmq_msg_gets(&m, "Peer-Address");
            CHECK(v != NULL && strcmp(v, "127.0.0.1") == 0);
            CHECK(zmq_msg_get(&m, ZMQ_SRCFD) >= 0);
            EQ_INT(zmq_msg_size(&m), 0);
            size_t off = 0;
            for (int k = 0; k < b.n; k++, got++) {
                EQ_INT(b.sizes[k], 7);
                if (b.buf[off] != who)
                    FAILF("round %d: a batch holds parts of both peers", r);
                char num[8];
                memcpy(num, b.buf + off + 1, 6);
                num[6] = 0;
                int p = who - 'a';
                EQ_INT(atoi(num), next[p]);
                next[p]++;
                off += b.sizes[k];
            }
        }
    }
    EQ_INT(next[0], ROUNDS * PER);
    EQ_INT(next[1], ROUNDS * PER);
    if (calls >= 2 * ROUNDS * PER)
        FAILF("%d calls for %d parts: not batching", calls, 2 * ROUNDS * PER);
    OK(zmq_msg_close(&m));
    OK(zmq_close(push[0]));
    OK(zmq_close(push[1]));
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

/* gozmq_wanted: whether a socket would still deliver a message starting
 * with the given bytes (SUB: its subscriptions; other types: always). */
static void test_wanted(void)
{
    void *ctx = zmq_ctx_new();
    void *sub = tu_socket(ctx, ZMQ_SUB), *pull = tu_socket(ctx, ZMQ_PULL);
    EQ_INT(gozmq_wanted(sub, "abc", 3), 0); /* no subscription yet */
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "a", 1));
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "a", 1)); /* counted twice */
    EQ_INT(gozmq_wanted(sub, "abc", 3), 1);
    EQ_INT(gozmq_wanted(sub, "a", 1), 1);
    EQ_INT(gozmq_wanted(sub, "bcd", 3), 0);
    EQ_INT(gozmq_wanted(sub, "", 0), 0);
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "a", 1));
    EQ_INT(gozmq_wanted(sub, "abc", 3), 1); /* one subscription left */
    OK(zmq_setsockopt(sub, ZMQ_UNSUBSCRIBE, "a", 1));
    EQ_INT(gozmq_wanted(sub, "abc", 3), 0);
    OK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
    EQ_INT(gozmq_wanted(sub, "anything", 8), 1);
    EQ_INT(gozmq_wanted(sub, NULL, 0), 1);
    EQ_INT(gozmq_wanted(pull, "x", 1), 1);
    FAILS(gozmq_wanted(sub, NULL, 1), EFAULT);
    FAILS(gozmq_wanted(NULL, "x", 1), ENOTSOCK);
    OK(zmq_close(sub));
    FAILS(gozmq_wanted(sub, "x", 1), ENOTSOCK);
    OK(zmq_close(pull));
    OK(zmq_ctx_term(ctx));
}

static void test_bad_arguments(void)
{
    void *ctx, *push, *pull;
    pair_up(&ctx, &push, &pull, "inproc://args");
    send_part(push, 5, 0, 0);
    zmq_msg_t m;
    OK(zmq_msg_init(&m));
    batch b;
    FAILS(gozmq_recv_batch(NULL, &m, b.buf, sizeof b.buf, b.sizes, b.more, MAXP, 0), ENOTSOCK);
    FAILS(gozmq_recv_batch(pull, NULL, b.buf, sizeof b.buf, b.sizes, b.more, MAXP, 0), EFAULT);
    FAILS(gozmq_recv_batch(pull, &m, NULL, sizeof b.buf, b.sizes, b.more, MAXP, 0), EFAULT);
    FAILS(gozmq_recv_batch(pull, &m, b.buf, sizeof b.buf, NULL, b.more, MAXP, 0), EFAULT);
    FAILS(gozmq_recv_batch(pull, &m, b.buf, sizeof b.buf, b.sizes, NULL, MAXP, 0), EFAULT);
    FAILS(gozmq_recv_batch(pull, &m, b.buf, sizeof b.buf, b.sizes, b.more, 0, 0), EINVAL);
    zmq_msg_t closed;
    OK(zmq_msg_init(&closed));
    OK(zmq_msg_close(&closed));
    FAILS(gozmq_recv_batch(pull, &closed, b.buf, sizeof b.buf, b.sizes, b.more, MAXP, 0), EFAULT);
    /* None of that consumed the part. */
    EQ_INT(take(pull, &m, &b, sizeof b.buf, MAXP, 0), 1);
    check_part(b.buf, 5, 0);
    OK(zmq_close(pull));
    FAILS(take(pull, &m, &b, sizeof b.buf, MAXP, 0), ENOTSOCK);
    OK(zmq_msg_close(&m));
    OK(zmq_close(push));
    OK(zmq_ctx_term(ctx));
}

int main(void)
{
    tu_start(60);
    RUN(test_batches);
    RUN(test_max);
    RUN(test_multipart);
    RUN(test_part_larger_than_buffer);
    RUN(test_dontwait_and_timeout);
    RUN(test_cached_parts_first);
    RUN(test_tcp_stream);
    RUN(test_carved_bodies_kept);
    RUN(test_shared_blocks_reused);
    RUN(test_eterm);
    RUN(test_one_peer_inproc);
    RUN(test_one_peer_tcp);
    RUN(test_wanted);
    RUN(test_bad_arguments);
    return tu_done();
}
